/*
** vm/api_native.c — calling C from Kiln: the VM's native registry
** (kiln_bind_native, and std.core's natives through the same list), the
** trampoline that runs a host native, kiln_throw, and host objects.
**
** A native method is bound when its class is defined (loader/link.c calls
** vm_bind_method_native) and again whenever a later binding matches it, so the
** order of binding and loading does not matter. A raw binding (std.core) sets
** m->native and the plain vm_native_entry; a host binding sets m->native_data
** to a Site — the binding plus the method's argument kinds, worked out once —
** and the entry host_entry, which converts slots to KilnValues and back.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../loader/loader.h"

#define OBJ(s)  ((KObject *)(uintptr_t)(s))
#define SLOT(p) ((KSlot)(uintptr_t)(p))

typedef struct {
    KBinding *b;
    int       nargs;          /* slots, receiver included */
    char      kinds[256];     /* per argument: 'I' 'F' 'Z' or 'L' */
} Site;

static double f_of(KSlot s) { double d; memcpy(&d, &s, 8); return d; }
static KSlot  s_of(double d) { KSlot s; memcpy(&s, &d, 8); return s; }

/* ---- binding ------------------------------------------------------------------- */

static int matches(const KBinding *b, const KMethod *m)
{
    return strcmp(b->name, m->name) == 0 && strcmp(b->cls, m->cls->name) == 0 &&
           (!b->desc || strcmp(b->desc, m->desc) == 0);
}

static KSlot host_entry(KVM *vm, KMethod *m, KSlot *args);

/* Points m at binding b. -1 when memory is out. */
static int apply(KMethod *m, KBinding *b)
{
    if (b->raw) {
        m->native = b->raw;
        m->native_data = NULL;
        m->entry = vm_native_entry;
        return 0;
    }
    Site *s = gc_alloc(sizeof *s);
    if (!s) return -1;
    s->b = b;
    s->nargs = m->nargs;
    int k = 0;
    if (!(m->flags & KACC_STATIC)) s->kinds[k++] = 'L';
    for (const char *p = m->desc + 1; *p && *p != ')' && k < 256; k++) {
        char c = *p;
        s->kinds[k] = (c == 'I' || c == 'F' || c == 'Z') ? c : 'L';
        while (*p == '[') p++;
        if (*p == 'L') p = strchr(p, ';');
        p++;
    }
    m->native = NULL;
    m->native_data = s;
    m->entry = host_entry;
    return 0;
}

int vm_bind_method_native(KVM *vm, KMethod *m)
{
    if (!vm->api) return -1;
    /* An exact descriptor beats a name-only binding; among equals the newest wins. */
    KBinding *best = NULL;
    for (KBinding *b = vm->api->bindings; b; b = b->next)
        if (matches(b, m) && (!best || (!best->desc && b->desc))) best = b;
    return best ? apply(m, best) : -1;
}

int api_add_binding(KVM *vm, const char *cls, const char *name, const char *desc,
                    KNativeFn raw, KilnNativeFn fn, void *ud)
{
    KBinding *b = gc_alloc(sizeof *b);
    if (!b) return -1;
    b->cls = cls;
    b->name = name;
    b->desc = desc;
    b->raw = raw;
    b->fn = fn;
    b->ud = ud;
    b->next = vm->api->bindings;
    vm->api->bindings = b;
    /* Classes already defined: rebind what this binding now decides. */
    for (KClass *c = vm->classes; c; c = c->next)
        for (int i = 0; i < c->nmethods; i++) {
            KMethod *m = &c->methods[i];
            if ((m->flags & KACC_NATIVE) && matches(b, m) && vm_bind_method_native(vm, m) != 0)
                return -1;
        }
    return 0;
}

KilnStatus kiln_bind_native(KilnVM *vm, const char *qname, KilnNativeFn fn, void *ud)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (!qname || !fn) return api_fail(vm, KILN_USAGE_ERROR, "kiln_bind_native: NULL name or function");
    const char *paren = strchr(qname, '(');
    size_t plen = paren ? (size_t)(paren - qname) : strlen(qname);
    const char *dot = NULL;
    for (const char *p = qname; p < qname + plen; p++) if (*p == '.') dot = p;
    if (!dot || dot == qname || dot + 1 == qname + plen || (paren && vm_desc_nargs(paren) < 0))
        return api_fail(vm, KILN_USAGE_ERROR,
                        "kiln_bind_native: '%s' is not module.function or module.Class.method "
                        "(optionally with a descriptor)", qname);
    char *cls = gc_strndup(qname, (size_t)(dot - qname));
    char *name = gc_strndup(dot + 1, (size_t)(qname + plen - dot - 1));
    char *desc = paren ? gc_strdup(paren) : NULL;
    if (!cls || !name || (paren && !desc) || api_add_binding(vm, cls, name, desc, NULL, fn, ud))
        return api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    return KILN_OK;
}

/* ---- the trampoline ---------------------------------------------------------------- */

static KClass *ret_class(KVM *vm, const KMethod *m)
{
    const char *r = strchr(m->desc, ')') + 1;
    if (r[0] == '[') return vm_find_class(vm, r);
    char name[512];
    size_t n = strlen(r);
    if (n < 3 || n - 2 >= sizeof name) return NULL;
    memcpy(name, r + 1, n - 2);
    name[n - 2] = 0;
    return vm_find_class(vm, name);
}

static const char *vtype(KilnType t)
{
    static const char *const names[] = { "null", "int", "float", "bool", "String", "object", "array" };
    return (unsigned)t < 7 ? names[t] : "an invalid value";
}

/* Converts the native's result to a slot of m's result type, or throws CastError. */
static KSlot result_slot(KVM *vm, KMethod *m, const KilnValue *r)
{
    char want = m->ret;
    switch (want) {
    case 'V': return 0;
    case 'I': if (r->type == KILN_INT) return (KSlot)r->as.i; break;
    case 'Z': if (r->type == KILN_BOOL) return r->as.b ? 1 : 0; break;
    case 'F':
        if (r->type == KILN_FLOAT) return s_of(r->as.f);
        if (r->type == KILN_INT) return s_of((double)r->as.i);
        break;
    default:
        if (r->type == KILN_NULL) return 0;
        if (r->type == KILN_STRING) {
            KClass *rc = ret_class(vm, m);
            if (rc != vm->c_string && rc != vm->c_object) break;
            KString *s = vm_string_new(vm, r->as.s.chars ? r->as.s.chars : "",
                                       r->as.s.chars ? r->as.s.len : 0);
            return SLOT(s);   /* NULL: OutOfMemoryError pending */
        }
        if ((r->type == KILN_OBJECT || r->type == KILN_ARRAY) && r->as.h && r->as.h->vm == vm &&
            r->as.h->obj) {
            KObject *o = r->as.h->obj;
            KClass *rc = ret_class(vm, m);
            if (rc && (o->cls == rc || vm_is_assignable(o->cls, rc))) return SLOT(o);
        }
        break;
    }
    return vm_throw(vm, vm->c_cast_error, "native %s.%s returned %s, not the declared %s",
                    m->cls->name, m->name, vtype(r->type), strchr(m->desc, ')') + 1);
}

/* Entry of a host-bound native: no Kiln frame is linked (errors it raises
** report the caller's line), arguments become borrowed values. */
static KSlot host_entry(KVM *vm, KMethod *m, KSlot *args)
{
    Site *s = m->native_data;
    int n = s->nargs;
    KilnValue vals[n > 0 ? n : 1];
    struct KilnHandle hs[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        switch (s->kinds[i]) {
        case 'I': vals[i] = kiln_int((int64_t)args[i]); break;
        case 'F': vals[i] = kiln_float(f_of(args[i])); break;
        case 'Z': vals[i] = kiln_bool(args[i] != 0); break;
        default: {
            KObject *o = OBJ(args[i]);
            if (!o) vals[i] = kiln_null();
            else if (o->cls == vm->c_string)
                vals[i] = kiln_strn(((KString *)o)->data, (size_t)((KString *)o)->len);
            else {
                hs[i] = (struct KilnHandle){ o, vm, NULL, NULL, 0 };
                vals[i].type = o->cls->is_array ? KILN_ARRAY : KILN_OBJECT;
                vals[i].as.h = &hs[i];
            }
        }
        }
    }
    KilnValue result = kiln_null();
    KApi *a = vm->api;
    a->calls++;                        /* kiln_* calls from the native are nested */
    s->b->fn(vm, vals, n, &result, s->b->ud);
    a->calls--;
    KSlot r = vm->exc ? 0 : result_slot(vm, m, &result);
    /* An owned handle in the result passes to the VM: the object is in r now. */
    if ((result.type == KILN_OBJECT || result.type == KILN_ARRAY) && result.as.h &&
        result.as.h->owned && result.as.h->vm == vm)
        kiln_release(vm, result.as.h);
    return r;
}

/* ---- errors from natives -------------------------------------------------------------- */

KilnStatus kiln_throw(KilnVM *vm, const char *error_class, const char *fmt, ...)
{
    if (!vm) return KILN_USAGE_ERROR;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    if (fmt) vsnprintf(msg, sizeof msg, fmt, ap);
    else msg[0] = 0;
    va_end(ap);
    KClass *c = vm->c_error;
    if (error_class) {
        char err[512];
        KObject *pending = vm->exc;
        vm->exc = NULL;
        KClass *k = ld_find_class(vm, error_class, err, sizeof err);
        vm->exc = pending;
        if (k && vm_is_subclass(k, vm->c_error)) c = k;
    }
    vm->exc = NULL;
    vm_throw(vm, c, "%s", msg);
    if (!vm->exc) vm->exc = vm->api->oom_error;
    if (vm->api->calls == 0 || vm->depth == 0) return api_runtime_error(vm);   /* no native running */
    return KILN_RUNTIME_ERROR;
}

KilnStatus kiln_rethrow(KilnVM *vm)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (!vm->api->err_obj) return api_fail(vm, KILN_USAGE_ERROR, "kiln_rethrow: no error to raise");
    vm->exc = vm->api->err_obj;
    if (vm->depth == 0) return api_runtime_error(vm);
    return KILN_RUNTIME_ERROR;
}

/* ---- host objects ---------------------------------------------------------------------
**
** A host object is an ordinary instance of its class with two hidden words after
** its fields: a tag (the VM's address mixed with a constant, which Kiln code
** cannot write there) and its KHostRec. Objects Kiln code makes itself lack the
** tag, so kiln_host_pointer returns NULL for them. */

#define HOST_TAG(vm) ((KSlot)(uintptr_t)(vm) ^ 0x6b696c6e486f7374ull)

KilnStatus kiln_new_host_object(KilnVM *vm, const char *cls, void *ptr, KilnFinalizer fin,
                                void *fin_ud, KilnValue *out)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (out) *out = kiln_null();
    if (!cls || !out) return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_host_object: NULL class or result");
    char err[1024];
    KClass *c = ld_find_class(vm, cls, err, sizeof err);
    if (!c) return api_fail(vm, KILN_LOAD_ERROR, "%s", err);
    if (c->flags & (KACC_ABSTRACT | KACC_INTERFACE | KACC_MODULE) || c->is_array || c == vm->c_string ||
        vm_is_subclass(c, vm->c_error))
        return api_fail(vm, KILN_USAGE_ERROR, "%s cannot hold a host object", cls);
    api_enter(vm);
    KilnStatus st = KILN_OK;
    if (ld_ensure_init(vm, c)) st = api_runtime_error(vm);
    KHostRec *r = st ? NULL : calloc(1, sizeof *r);
    KObject *o = r ? gc_new_obj(vm, c->instance_size + 2 * sizeof(KSlot)) : NULL;
    KilnHandle *h = NULL;
    if (!st && (!o || !(h = kiln_retain(vm, &(struct KilnHandle){ o, vm, NULL, NULL, 0 })))) {
        free(r);
        st = vm->exc ? api_runtime_error(vm) : api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    }
    if (!st) {
        o->cls = c;
        KSlot *tail = (KSlot *)((char *)o + c->instance_size);
        tail[0] = HOST_TAG(vm);
        tail[1] = SLOT(r);
        r->ptr = ptr;
        r->fin = fin;
        r->ud = fin_ud;
        gc_host_register(vm, o, r);
        out->type = KILN_OBJECT;
        out->as.h = h;
    }
    api_leave(vm);
    return st;
}

void *kiln_host_pointer(KilnVM *vm, KilnHandle *h)
{
    if (!vm || !h || h->vm != vm || !h->obj) return NULL;
    KObject *o = h->obj;
    if (o->cls->is_array || o->cls == vm->c_string) return NULL;
    /* Only objects made big enough can have the tag; others end at instance_size. */
    if (gc_object_size(o) < o->cls->instance_size + 2 * sizeof(KSlot)) return NULL;
    KSlot *tail = (KSlot *)((char *)o + o->cls->instance_size);
    if (tail[0] != HOST_TAG(vm)) return NULL;
    return ((KHostRec *)(uintptr_t)tail[1])->ptr;
}
