/*
** vm/vm.c — the class registry, the classes built into the VM (std.core),
** program output and method descriptors. (std.core itself is Kiln source,
** stdlib/std/core.kl, compiled and loaded by kiln_new; its natives are in natives.c.)
*/
#include <inttypes.h>
#include <string.h>
#include "vm.h"

/* ---- output ------------------------------------------------------------ */

void vm_write_out(KVM *vm, const char *s, size_t n)
{
    if (vm->cfg.write_out) vm->cfg.write_out(vm->cfg.write_userdata, s, n);
    else fwrite(s, 1, n, stdout);
}

void vm_flush_out(KVM *vm)
{
    if (!vm->cfg.write_out) fflush(stdout);
}

/* ---- descriptors ------------------------------------------------------- */

/* Skips one field type at *p; returns 0 on success. */
static int skip_type(const char **p)
{
    const char *s = *p;
    int dims = 0;
    while (*s == '[') { s++; if (++dims > 255) return -1; }
    switch (*s) {
    case 'I': case 'F': case 'Z': s++; break;
    case 'B': if (!dims) return -1; s++; break;
    case 'L': {
        const char *e = strchr(s, ';');
        if (!e || e == s + 1) return -1;
        s = e + 1;
        break;
    }
    default: return -1;
    }
    *p = s;
    return 0;
}

int vm_desc_nargs(const char *desc)
{
    if (!desc || *desc != '(') return -1;
    const char *p = desc + 1;
    int n = 0;
    while (*p != ')') {
        if (skip_type(&p)) return -1;
        if (++n > 255) return -1;
    }
    p++;
    if (*p == 'V') { if (p[1]) return -1; return n; }
    if (skip_type(&p) || *p) return -1;
    return n;
}

char vm_desc_ret(const char *desc)
{
    const char *r = strchr(desc, ')');
    if (!r) return 'V';
    switch (r[1]) {
    case 'I': return 'I';
    case 'F': return 'F';
    case 'Z': return 'Z';
    case 'V': return 'V';
    default:  return 'L';
    }
}

/* ---- classes ----------------------------------------------------------- */

KClass *vm_find_class(KVM *vm, const char *name)
{
    for (KClass *c = vm->classes; c; c = c->next)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

void vm_add_class(KVM *vm, KClass *c)
{
    c->next = vm->classes;
    vm->classes = c;
}

KMethod *vm_find_method(KClass *c, const char *name, const char *desc)
{
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0 && strcmp(c->methods[i].desc, desc) == 0)
            return &c->methods[i];
    return NULL;
}

KMethod *vm_find_method_named(KClass *c, const char *name)
{
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0) return &c->methods[i];
    return NULL;
}

/* Natives are called with the argument slots; no frame is linked for them. */
KSlot vm_native_entry(KVM *vm, KMethod *m, KSlot *args)
{
    return m->native(vm, args);
}
