/*
** vm/object.c — allocation and the runtime helpers that every tier shares:
** objects, arrays, closures, boxes, type tests, language equality, string
** concatenation, float conversions and formatting, and the error helpers.
**
** Each helper that can fail returns NULL (or 0) with a Kiln error pending in
** vm->exc; the caller's frame pc must already be current.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../loader/loader.h"
#include "api.h"

/* ---- allocation ---------------------------------------------------------- */

/* gc_new_* leave OutOfMemoryError pending when they fail (vm/api.h). */
static KSlot out_of_memory(KVM *vm)
{
    return vm->exc ? 0 : vm_throw(vm, vm->c_error, "out of memory");
}

KObject *vm_new_object(KVM *vm, KClass *c)
{
    size_t size = c->instance_size > sizeof(KObject) ? c->instance_size : sizeof(KObject);
    KObject *o = gc_new_obj(vm, size);
    if (!o) { out_of_memory(vm); return NULL; }
    o->cls = c;
    return o;
}

/* Bytes of one element of an array class. */
static size_t elem_size(const KClass *ac)
{
    return ac->elem_kind == 'B' ? 1 : sizeof(KSlot);
}

KArray *vm_new_array(KVM *vm, KClass *ac, int64_t length)
{
    if (length < 0) { vm_throw_negative_size(vm, length); return NULL; }
    size_t es = elem_size(ac);
    if ((uint64_t)length > (SIZE_MAX - sizeof(KArray)) / es / 2) { out_of_memory(vm); return NULL; }
    size_t bytes = sizeof(KArray) + (size_t)length * es;
    KArray *a = ac->elem_kind == 'L' ? gc_new_obj(vm, bytes) : gc_new_atomic(vm, bytes);
    if (!a) { out_of_memory(vm); return NULL; }
    a->hdr.cls = ac;
    a->length = length;
    return a;
}

KArray *vm_new_multiarray(KVM *vm, KClass *ac, int dims, const KSlot *lengths)
{
    int64_t n = (int64_t)lengths[0];
    KArray *a = vm_new_array(vm, ac, n);
    if (!a || dims <= 1) return a;
    for (int d = 1; d < dims; d++)            /* check every size before allocating */
        if ((int64_t)lengths[d] < 0) { vm_throw_negative_size(vm, (int64_t)lengths[d]); return NULL; }
    KClass *inner = vm_array_class(vm, ac->name + 1);
    if (!inner) return NULL;
    for (int64_t i = 0; i < n; i++) {
        KArray *e = vm_new_multiarray(vm, inner, dims - 1, lengths + 1);
        if (!e) return NULL;
        a->data[i] = (KSlot)(uintptr_t)e;
    }
    return a;
}

KClass *vm_array_class(KVM *vm, const char *desc)
{
    KClass *c = vm_find_class(vm, desc);
    if (c) return c;
    if (desc[0] != '[') goto bad;
    char kind;
    switch (desc[1]) {
    case 'I': case 'F': case 'Z': case 'B': kind = desc[1]; if (desc[2]) goto bad; break;
    case '[': kind = 'L'; break;
    case 'L': kind = 'L'; if (!strchr(desc, ';') || strchr(desc, ';')[1]) goto bad; break;
    default: goto bad;
    }
    c = gc_alloc(sizeof(KClass));
    if (!c) { out_of_memory(vm); return NULL; }
    c->name = gc_strdup(desc);
    c->flags = KACC_FINAL;
    c->super = vm->c_object;
    c->super_name = vm->c_object->name;
    c->source_file = "<array>";
    c->builtin = 1;
    c->is_array = 1;
    c->elem_kind = kind;
    c->instance_size = sizeof(KArray);
    c->vtable = vm->c_object->vtable;
    c->vtable_len = vm->c_object->vtable_len;
    c->linked = 1;
    c->init_state = KINIT_DONE;
    vm_add_class(vm, c);
    return c;
bad:
    vm_throw(vm, vm->c_link_error, "bad array type %s", desc);
    return NULL;
}

KClosure *vm_new_closure(KVM *vm, KMethod *fn, int n, const KSlot *captured)
{
    KClosure *c = gc_new_obj(vm, sizeof(KClosure) + sizeof(KSlot) * (size_t)n);
    if (!c) { out_of_memory(vm); return NULL; }
    c->hdr.cls = vm->c_closure;
    c->fn = fn;
    c->ncap = n;
    if (n) memcpy(c->cap, captured, sizeof(KSlot) * (size_t)n);
    return c;
}

/* Skips one field type in a descriptor; NULL if malformed. */
static const char *skip_type(const char *p)
{
    while (*p == '[') p++;
    if (*p == 'L') { p = strchr(p, ';'); return p ? p + 1 : NULL; }
    return *p ? p + 1 : NULL;
}

/* Does fn, with ncap captured arguments, fit the call descriptor desc? */
static int closure_fits(const KMethod *fn, int64_t ncap, const char *desc)
{
    const char *p = fn->desc + 1;
    for (int64_t i = 0; i < ncap; i++) {
        if (*p == ')' || !(p = skip_type(p))) return 0;
    }
    return strcmp(p, desc + 1) == 0;     /* the rest of the parameters and the result */
}

KSlot vm_call_closure(KVM *vm, KClosure *c, KSlot *args, const char *desc)
{
    KMethod *fn = c->fn;
    if (fn->closure_desc != desc) {
        if (!closure_fits(fn, c->ncap, desc))
            return vm_throw(vm, vm->c_cast_error, "function %s%s cannot be called as %s", fn->name,
                            fn->desc, desc);
        fn->closure_desc = desc;
    }
    int nargs = fn->nargs - (int)c->ncap;
    int total = fn->nargs;
    KSlot small[16];
    KSlot *all = total <= 16 ? small : gc_alloc(sizeof(KSlot) * (size_t)total);
    if (!all) return out_of_memory(vm);
    if (c->ncap) memcpy(all, c->cap, sizeof(KSlot) * (size_t)c->ncap);
    if (nargs) memcpy(all + c->ncap, args, sizeof(KSlot) * (size_t)nargs);
    return fn->entry(vm, fn, all);
}

static KObject *box(KVM *vm, KClass *c, KSlot v)
{
    if (!c) { vm_throw(vm, vm->c_link_error, "box classes are not loaded"); return NULL; }
    KBox *b = (KBox *)vm_new_object(vm, c);
    if (b) b->value = v;
    return &b->hdr;
}

KObject *vm_box_int(KVM *vm, int64_t v)   { return box(vm, vm->c_int, (KSlot)v); }
KObject *vm_box_bool(KVM *vm, int v)      { return box(vm, vm->c_bool, v ? 1 : 0); }
KObject *vm_box_float(KVM *vm, double v)
{
    KSlot s;
    memcpy(&s, &v, sizeof s);
    return box(vm, vm->c_float, s);
}

/* ---- types and equality ---------------------------------------------------- */

static int implements(const KClass *c, const KClass *iface)
{
    for (; c; c = c->super)
        for (int i = 0; i < c->ninterfaces; i++)
            if (c->interfaces[i] == iface || implements(c->interfaces[i], iface)) return 1;
    return 0;
}

int vm_is_assignable(const KClass *from, const KClass *to)
{
    if (from == to) return 1;
    if (!to->super && !(to->flags & KACC_INTERFACE) && !to->is_array && !(to->flags & KACC_MODULE))
        return 1;                                   /* to is Object */
    if (to->flags & KACC_INTERFACE) return implements(from, to);
    return vm_is_subclass(from, to);
}

int vm_instanceof(const KObject *o, const KClass *c)
{
    return o && vm_is_assignable(o->cls, c);
}

int vm_obj_eq(KVM *vm, const KObject *a, const KObject *b)
{
    if (a == b) return 1;
    if (!a || !b || a->cls != b->cls) return 0;
    if (a->cls == vm->c_string) return vm_string_eq((const KString *)a, (const KString *)b);
    if (a->cls == vm->c_float) {
        double x, y;
        memcpy(&x, &((const KBox *)a)->value, 8);
        memcpy(&y, &((const KBox *)b)->value, 8);
        return x == y;
    }
    if (a->cls == vm->c_int || a->cls == vm->c_bool)
        return ((const KBox *)a)->value == ((const KBox *)b)->value;
    return 0;
}

KString *vm_concat(KVM *vm, const KString *a, const KString *b)
{
    const char *ad = a ? a->data : "null", *bd = b ? b->data : "null";
    size_t al = a ? (size_t)a->len : 4, bl = b ? (size_t)b->len : 4;
    KString *s = gc_new_atomic(vm, sizeof(KString) + al + bl + 1);
    if (!s) { out_of_memory(vm); return NULL; }
    s->hdr.cls = vm->c_string;
    s->len = (int64_t)(al + bl);
    memcpy(s->data, ad, al);
    memcpy(s->data + al, bd, bl);
    s->data[al + bl] = 0;
    return s;
}

KMethod *vm_find_interface_impl(KVM *vm, KClass *cls, const KMethod *im)
{
    for (uint32_t i = 0; i < cls->vtable_len; i++) {
        KMethod *m = cls->vtable[i];
        if (m && strcmp(m->name, im->name) == 0 && strcmp(m->desc, im->desc) == 0) {
            if (m->flags & KACC_ABSTRACT) break;
            return m;
        }
    }
    vm_throw(vm, vm->c_link_error, "class %s does not implement %s.%s%s", cls->name,
             im->cls->name, im->name, im->desc);
    return NULL;
}

/* ---- floats ------------------------------------------------------------------ */

double vm_fmod(double a, double b)
{
    return fmod(a, b);
}

int64_t vm_f2i(double f)
{
    if (f != f) return 0;
    if (f >= 9223372036854775807.0) return INT64_MAX;
    if (f <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)f;
}

/* Python's repr: the shortest digits that read back exactly; plain decimal when
** the decimal exponent is in -4..15, else scientific with a sign and two or more
** exponent digits. Returns the length written. */
int vm_format_float(double f, char *out, size_t n)
{
    if (f != f) return snprintf(out, n, "NaN");
    if (isinf(f)) return snprintf(out, n, f > 0 ? "Infinity" : "-Infinity");
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, f);
        if (strtod(buf, NULL) == f) break;
    }
    /* buf: [-]d[.ddd]e[+-]xx */
    const char *s = buf;
    int neg = *s == '-';
    if (neg) s++;
    char digits[32];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.') digits[nd++] = *s;
    int exp = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    char res[64];
    int k = 0;
    if (neg) res[k++] = '-';
    if (exp >= -4 && exp < 16) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++) res[k++] = i < nd ? digits[i] : '0';
            res[k++] = '.';
            if (nd > exp + 1) for (int i = exp + 1; i < nd; i++) res[k++] = digits[i];
            else res[k++] = '0';
        } else {
            res[k++] = '0';
            res[k++] = '.';
            for (int i = 0; i < -exp - 1; i++) res[k++] = '0';
            for (int i = 0; i < nd; i++) res[k++] = digits[i];
        }
        res[k] = 0;
    } else {
        res[k++] = digits[0];
        if (nd > 1) {
            res[k++] = '.';
            for (int i = 1; i < nd; i++) res[k++] = digits[i];
        }
        snprintf(res + k, sizeof res - (size_t)k, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    return snprintf(out, n, "%s", res);
}

/* ---- errors -------------------------------------------------------------------- */

KSlot vm_throw_null(KVM *vm, const char *what)
{
    return vm_throw(vm, vm->c_null_error, "%s", what);
}

KSlot vm_throw_index(KVM *vm, int64_t index, int64_t length)
{
    return vm_throw(vm, vm->c_index_error, "index %lld out of bounds for length %lld",
                    (long long)index, (long long)length);
}

KSlot vm_throw_negative_size(KVM *vm, int64_t n)
{
    return vm_throw(vm, vm->c_index_error, "negative array size %lld", (long long)n);
}

static const char *simple(const char *n)
{
    if (n[0] == '[') return n;
    const char *d = strrchr(n, '.');
    return d ? d + 1 : n;
}

KSlot vm_throw_cast(KVM *vm, const KObject *o, const KClass *to)
{
    return vm_throw(vm, vm->c_cast_error, "cannot cast %s to %s", simple(o->cls->name),
                    simple(to->name));
}
