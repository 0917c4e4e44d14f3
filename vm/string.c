/*
** vm/string.c — immutable byte strings.
*/
#include <string.h>
#include "api.h"

KString *vm_string_new(KVM *vm, const char *s, size_t len)
{
    KString *str = gc_new_atomic(vm, sizeof(KString) + len + 1);   /* OOM: error pending */
    if (!str) return NULL;
    str->hdr.cls = vm->c_string;
    str->len = (int64_t)len;
    if (len && s) memcpy(str->data, s, len);      /* s == NULL: the caller fills it */
    str->data[len] = 0;
    return str;
}

KString *vm_string_cstr(KVM *vm, const char *s)
{
    return vm_string_new(vm, s, strlen(s));
}

/* Content equality; null equals only null. */
int vm_string_eq(const KString *a, const KString *b)
{
    if (a == b) return 1;
    if (!a || !b || a->len != b->len) return 0;
    return memcmp(a->data, b->data, (size_t)a->len) == 0;
}
