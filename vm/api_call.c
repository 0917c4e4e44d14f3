/*
** vm/api_call.c — calling Kiln from C: values and handles, overload choice,
** kiln_call / kiln_call_method / kiln_new_object, strings and arrays, the
** last error, interrupts, collection and threads (include/kiln.h).
**
** Every entry point that runs Kiln code is bracketed by api_enter/api_leave.
** The outermost bracket (api->calls == 0) takes the C stack bounds of the
** calling thread, refills the execution budget and unpins the string results of
** the previous call; on the way out it flushes output, clears a pending
** interrupt request (vm_safepoint_reset) and runs host finalizers that are due.
** Nested brackets — kiln_call from a native — leave all of that alone, so an
** interrupt stays pending until the outermost call returns.
*/
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../loader/loader.h"
#include "../interp/interp.h"

#define OBJ(s)  ((KObject *)(uintptr_t)(s))
#define SLOT(p) ((KSlot)(uintptr_t)(p))

static double f_of(KSlot s) { double d; memcpy(&d, &s, 8); return d; }
static KSlot  s_of(double d) { KSlot s; memcpy(&s, &d, 8); return s; }

/* ---- errors ------------------------------------------------------------------ */

KilnStatus api_fail(KVM *vm, KilnStatus st, const char *fmt, ...)
{
    /* Messages can be long (a compile listing): size the text exactly. */
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *t = n >= 0 ? gc_alloc_atomic((size_t)n + 1) : NULL;
    if (t) vsnprintf(t, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    vm->error_text = t ? t : "out of memory";
    KApi *a = vm->api;
    if (a) {
        a->err_obj = NULL;
        a->err_type = a->err_text = a->err_trace = "";
    }
    return st;
}

KilnStatus api_runtime_error(KVM *vm)
{
    KObject *e = vm->exc;
    KApi *a = vm->api;
    vm->exc = NULL;
    a->scrub = 1;
    a->heap_counting = 1;               /* reporting must not fail on the limit */
    char *text = vm_format_uncaught(vm, e);
    vm->error_text = text ? text : "Uncaught error";
    a->err_obj = e;
    a->err_type = e->cls->name;
    a->err_text = a->err_trace = "";
    if (vm_is_subclass(e->cls, vm->c_error)) {
        KError *ke = (KError *)e;
        if (ke->message) a->err_text = ke->message->data;
        if (ke->trace) a->err_trace = ke->trace->data;
    }
    a->heap_counting = 0;
    return KILN_RUNTIME_ERROR;
}

const char *kiln_error_type(KilnVM *vm)  { return vm && vm->api ? vm->api->err_type : ""; }
const char *kiln_error_text(KilnVM *vm)  { return vm && vm->api ? vm->api->err_text : ""; }
const char *kiln_error_trace(KilnVM *vm) { return vm && vm->api ? vm->api->err_trace : ""; }

/* ---- the outermost call ---------------------------------------------------------- */

/* The lowest C stack address Kiln frames may use on the calling thread. */
static void *stack_limit_here(void)
{
    pthread_attr_t a;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &a) != 0) return NULL;
    pthread_attr_getstack(&a, &addr, &size);
    pthread_attr_destroy(&a);
    size_t margin = size / 16 > (256u << 10) ? size / 16 : (256u << 10);
    return size > margin ? (char *)addr + margin : NULL;
}

void api_enter(KVM *vm)
{
    KApi *a = vm->api;
    if (a->calls++ > 0 || vm->depth > 0) return;
    /* pthread_getattr_np reads /proc on the main thread: cache it per thread. */
    unsigned long self = (unsigned long)pthread_self();
    if (!a->stack_limit || a->stack_thread != self) {
        a->stack_limit = stack_limit_here();
        a->stack_thread = self;
    }
    vm->stack_limit = a->stack_limit;
    a->npins = 0;
    vm->budget_left = vm->budget;
}

void api_leave(KVM *vm)
{
    KApi *a = vm->api;
    if (--a->calls > 0 || vm->depth > 0) return;
    /* The call that just ended may have left stale pointers in the dead stack
    ** below: after an error unwound or the heap limit was hit, those often lead to
    ** large dead structures that the next call needs collected. */
    if (a->scrub) { a->scrub = 0; gc_scrub_stack(); }
    vm_flush_out(vm);
    vm_safepoint_reset(vm);
    if (a->host_ready || a->host_live) gc_run_host_finalizers(vm);
}

/* Keeps a string result alive until the next outermost call starts. */
static int pin(KVM *vm, KString *s)
{
    KApi *a = vm->api;
    if (a->npins == a->cappins) {
        size_t cap = a->cappins ? a->cappins * 2 : 16;
        KString **p = gc_alloc(sizeof(KString *) * cap);
        if (!p) return -1;
        if (a->npins) memcpy(p, a->pins, sizeof(KString *) * a->npins);
        a->pins = p;
        a->cappins = cap;
    }
    a->pins[a->npins++] = s;
    return 0;
}

/* ---- handles ------------------------------------------------------------------------ */

static KilnHandle *handle_new(KVM *vm, KObject *o)
{
    KilnHandle *h = gc_alloc_root(sizeof *h);
    if (!h) return NULL;
    KApi *a = vm->api;
    h->obj = o;
    h->vm = vm;
    h->owned = 1;
    h->next = a->handles;
    if (a->handles) a->handles->prev = h;
    a->handles = h;
    return h;
}

KilnHandle *kiln_retain(KilnVM *vm, KilnHandle *h)
{
    if (!vm || !h || h->vm != vm) return NULL;
    return handle_new(vm, h->obj);
}

void kiln_release(KilnVM *vm, KilnHandle *h)
{
    if (!vm || !h || !h->owned || h->vm != vm) return;
    KApi *a = vm->api;
    if (h->prev) h->prev->next = h->next; else a->handles = h->next;
    if (h->next) h->next->prev = h->prev;
    h->obj = NULL;
    h->vm = NULL;
    gc_free_root(h);
}

void kiln_release_value(KilnVM *vm, KilnValue *v)
{
    if (!v) return;
    if (v->type == KILN_OBJECT || v->type == KILN_ARRAY) kiln_release(vm, v->as.h);
    *v = kiln_null();
}

const char *kiln_class_name(KilnVM *vm, KilnHandle *h)
{
    if (!vm || !h || !h->obj) return NULL;
    return h->obj->cls->name;
}

/* ---- values ---------------------------------------------------------------------------- */

/* The class a reference type descriptor names ("Lstd.core.String;", "[I"), if
** it is known; NULL otherwise (then no object can be an instance of it). */
static KClass *desc_class(KVM *vm, const char *d, size_t n)
{
    char name[512];
    if (d[0] == '[') {
        if (n >= sizeof name) return NULL;
        memcpy(name, d, n);
        name[n] = 0;
        return vm_find_class(vm, name);
    }
    if (n < 3 || n - 2 >= sizeof name) return NULL;
    memcpy(name, d + 1, n - 2);
    name[n - 2] = 0;
    return vm_find_class(vm, name);
}

/* Length of the field type at d. */
static size_t type_len(const char *d)
{
    const char *p = d;
    while (*p == '[') p++;
    if (*p == 'L') { const char *e = strchr(p, ';'); return e ? (size_t)(e - d) + 1 : strlen(d); }
    return (size_t)(p - d) + (*p ? 1 : 0);
}

/* Does value v fit the field type (d, n)? loose: an INT may become a float. */
static int fits(KVM *vm, const KilnValue *v, const char *d, size_t n, int loose)
{
    switch (d[0]) {
    case 'I': case 'B': return v->type == KILN_INT;
    case 'F': return v->type == KILN_FLOAT || (loose && v->type == KILN_INT);
    case 'Z': return v->type == KILN_BOOL;
    default: break;
    }
    switch (v->type) {
    case KILN_NULL: return 1;
    case KILN_STRING:
        return (n == 17 && memcmp(d, "Lstd.core.String;", 17) == 0) ||
               (n == 17 && memcmp(d, "Lstd.core.Object;", 17) == 0);
    case KILN_OBJECT: case KILN_ARRAY: {
        if (!v->as.h || !v->as.h->obj || v->as.h->vm != vm) return 0;
        KClass *c = desc_class(vm, d, n);
        KObject *o = v->as.h->obj;
        return c && (o->cls == c || vm_is_assignable(o->cls, c));
    }
    default: return 0;
    }
}

/* Converts v (which fits type d) to a slot; -1 with an error pending (OOM). */
static int to_slot(KVM *vm, const KilnValue *v, char kind, KSlot *out)
{
    switch (v->type) {
    case KILN_INT:   *out = kind == 'F' ? s_of((double)v->as.i) : (KSlot)v->as.i; return 0;
    case KILN_FLOAT: *out = s_of(v->as.f); return 0;
    case KILN_BOOL:  *out = v->as.b ? 1 : 0; return 0;
    case KILN_NULL:  *out = 0; return 0;
    case KILN_STRING: {
        KString *s = vm_string_new(vm, v->as.s.chars ? v->as.s.chars : "", v->as.s.chars ? v->as.s.len : 0);
        if (!s) return -1;
        *out = SLOT(s);
        return 0;
    }
    default: *out = SLOT(v->as.h->obj); return 0;
    }
}

/* Converts a slot of kind ('I' 'F' 'Z' 'B' 'V' or 'L') to a value; references
** get an owned handle (strings are pinned). -1 when memory is out. */
static int from_slot(KVM *vm, KSlot s, char kind, KilnValue *out)
{
    switch (kind) {
    case 'I': case 'B': *out = kiln_int((int64_t)s); return 0;
    case 'F': *out = kiln_float(f_of(s)); return 0;
    case 'Z': *out = kiln_bool(s != 0); return 0;
    case 'V': *out = kiln_null(); return 0;
    default: break;
    }
    KObject *o = OBJ(s);
    if (!o) { *out = kiln_null(); return 0; }
    if (o->cls == vm->c_string) {
        KString *str = (KString *)o;
        if (pin(vm, str)) return -1;
        *out = kiln_strn(str->data, (size_t)str->len);
        return 0;
    }
    KilnHandle *h = handle_new(vm, o);
    if (!h) return -1;
    out->type = o->cls->is_array ? KILN_ARRAY : KILN_OBJECT;
    out->as.h = h;
    return 0;
}

static const char *type_name(KilnType t)
{
    static const char *const names[] = { "null", "int", "float", "bool", "String", "object", "array" };
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* Does method m (receiver excluded when `skip`) take these arguments? */
static int takes(KVM *vm, const KMethod *m, int skip, const KilnValue *args, int nargs, int loose)
{
    if (m->nargs - skip != nargs) return 0;
    const char *p = m->desc + 1;
    for (int i = 0; i < nargs; i++) {
        size_t n = type_len(p);
        if (!fits(vm, &args[i], p, n, loose)) return 0;
        p += n;
    }
    return 1;
}

/* The overload of `name` in c (and, for instance methods, its superclasses)
** that takes the arguments: exact first, then with ints widened to floats. */
static KMethod *choose(KVM *vm, KClass *c, const char *name, int instance, const KilnValue *args,
                       int nargs, int *found_name)
{
    for (int loose = 0; loose < 2; loose++)
        for (KClass *k = c; k; k = instance ? k->super : NULL)
            for (int i = 0; i < k->nmethods; i++) {
                KMethod *m = &k->methods[i];
                if (strcmp(m->name, name) != 0) continue;
                if (!!(m->flags & KACC_STATIC) == instance) continue;
                *found_name = 1;
                if (takes(vm, m, instance, args, nargs, loose)) return m;
            }
    return NULL;
}

static KilnStatus no_overload(KVM *vm, const char *what, const char *cls, const char *name,
                              const KilnValue *args, int nargs, int found_name)
{
    char types[512] = "";
    size_t n = 0;
    for (int i = 0; i < nargs && n < sizeof types - 40; i++)
        n += (size_t)snprintf(types + n, sizeof types - n, "%s%s", i ? ", " : "", type_name(args[i].type));
    if (!found_name) return api_fail(vm, KILN_USAGE_ERROR, "%s %s has no %s %s", what, cls,
                                     strcmp(what, "module") == 0 ? "function" : "method", name);
    return api_fail(vm, KILN_USAGE_ERROR, "no %s.%s takes (%s)", cls, name, types);
}

/* Converts args for m into slots[] after `first` leading slots; runs m and
** converts its result. The common tail of the three calls. */
static KilnStatus invoke(KVM *vm, KMethod *m, KSlot *slots, int first, const KilnValue *args,
                         int nargs, KilnValue *result, KObject *constructed)
{
    const char *p = m->desc + 1;
    for (int i = 0; i < nargs; i++) {
        size_t n = type_len(p);
        if (to_slot(vm, &args[i], p[0], &slots[first + i])) return api_runtime_error(vm);
        p += n;
    }
    KSlot r = m->entry(vm, m, slots);
    if (vm->exc) return api_runtime_error(vm);
    if (!result) return KILN_OK;
    int rc = constructed ? from_slot(vm, SLOT(constructed), 'L', result)
                         : from_slot(vm, r, m->ret == 'L' ? 'L' : m->ret, result);
    if (rc) return api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    return KILN_OK;
}

static KilnStatus check_args(KVM *vm, const KilnValue *args, int nargs)
{
    if (nargs < 0 || nargs > 255 || (nargs > 0 && !args))
        return api_fail(vm, KILN_USAGE_ERROR, "bad argument list (%d arguments%s)", nargs,
                        nargs > 0 && !args ? ", args is NULL" : "");
    for (int i = 0; i < nargs; i++) {
        KilnType t = args[i].type;
        if ((unsigned)t > KILN_ARRAY)
            return api_fail(vm, KILN_USAGE_ERROR, "argument %d has no valid type", i + 1);
        if ((t == KILN_OBJECT || t == KILN_ARRAY) &&
            (!args[i].as.h || args[i].as.h->vm != vm || !args[i].as.h->obj))
            return api_fail(vm, KILN_USAGE_ERROR, "argument %d is not a live handle of this VM", i + 1);
        if (t == KILN_STRING && !args[i].as.s.chars && args[i].as.s.len)
            return api_fail(vm, KILN_USAGE_ERROR, "argument %d is a NULL string", i + 1);
    }
    return KILN_OK;
}

/* Finds (loading and linking it if need be) class `name`. */
static KClass *find_class(KVM *vm, const char *name, KilnStatus *st)
{
    char err[1024];
    KClass *c = name[0] == '[' ? vm_array_class(vm, name) : ld_find_class(vm, name, err, sizeof err);
    if (!c) {
        if (vm->exc) { vm->exc = NULL; snprintf(err, sizeof err, "bad type %s", name); }
        *st = api_fail(vm, KILN_LOAD_ERROR, "%s", err[0] ? err : name);
    }
    return c;
}

KilnStatus kiln_call(KilnVM *vm, const char *module, const char *fn, const KilnValue *args,
                     int nargs, KilnValue *result)
{
    if (result) *result = kiln_null();
    if (!vm) return KILN_USAGE_ERROR;
    if (!module || !fn) return api_fail(vm, KILN_USAGE_ERROR, "kiln_call: module or function is NULL");
    KilnStatus st = check_args(vm, args, nargs);
    if (st) return st;
    api_enter(vm);
    KClass *c = find_class(vm, module, &st);
    if (c) {
        int named = 0;
        KMethod *m = choose(vm, c, fn, 0, args, nargs, &named);
        if (!m) st = no_overload(vm, "module", module, fn, args, nargs, named);
        else if (ld_ensure_init(vm, c)) st = api_runtime_error(vm);
        else {
            KSlot slots[256];
            st = invoke(vm, m, slots, 0, args, nargs, result, NULL);
        }
    }
    api_leave(vm);
    return st;
}

KilnStatus kiln_call_method(KilnVM *vm, KilnHandle *recv, const char *method,
                            const KilnValue *args, int nargs, KilnValue *result)
{
    if (result) *result = kiln_null();
    if (!vm) return KILN_USAGE_ERROR;
    if (!recv || !method || recv->vm != vm || !recv->obj)
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_call_method: no live receiver or method name");
    KilnStatus st = check_args(vm, args, nargs);
    if (st) return st;
    KObject *o = recv->obj;
    int named = 0;
    KMethod *m = choose(vm, o->cls, method, 1, args, nargs, &named);
    if (!m || strcmp(m->name, "init") == 0)
        return no_overload(vm, "class", o->cls->name, method, args, nargs, named);
    if (m->vindex >= 0 && (uint32_t)m->vindex < o->cls->vtable_len) m = o->cls->vtable[m->vindex];
    api_enter(vm);
    KSlot slots[257];
    slots[0] = SLOT(o);
    st = invoke(vm, m, slots, 1, args, nargs, result, NULL);
    api_leave(vm);
    return st;
}

KilnStatus kiln_new_object(KilnVM *vm, const char *cls, const KilnValue *args, int nargs,
                           KilnValue *result)
{
    if (result) *result = kiln_null();
    if (!vm) return KILN_USAGE_ERROR;
    if (!cls) return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_object: class is NULL");
    KilnStatus st = check_args(vm, args, nargs);
    if (st) return st;
    api_enter(vm);
    KClass *c = find_class(vm, cls, &st);
    if (c && (c->flags & (KACC_ABSTRACT | KACC_INTERFACE | KACC_MODULE) || c->is_array)) {
        st = api_fail(vm, KILN_USAGE_ERROR, "%s cannot be constructed", cls);
        c = NULL;
    }
    if (c) {
        int named = 0;
        KMethod *m = NULL;
        for (int loose = 0; !m && loose < 2; loose++)
            for (int i = 0; !m && i < c->nmethods; i++)
                if (strcmp(c->methods[i].name, "init") == 0) {
                    named = 1;
                    if (takes(vm, &c->methods[i], 1, args, nargs, loose)) m = &c->methods[i];
                }
        if (!m && !named && nargs == 0 && c != vm->c_string) {
            /* no init at all: a plain zeroed instance */
        } else if (!m) {
            st = no_overload(vm, "class", cls, "init", args, nargs, named);
            c = NULL;
        }
        if (c) {
            KObject *o = NULL;
            if (ld_ensure_init(vm, c) || !(o = vm_new_object(vm, c))) st = api_runtime_error(vm);
            else if (m) {
                KSlot slots[257];
                slots[0] = SLOT(o);
                st = invoke(vm, m, slots, 1, args, nargs, result, o);
            } else if (result && from_slot(vm, SLOT(o), 'L', result)) {
                st = api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
            }
        }
    }
    api_leave(vm);
    return st;
}

/* ---- strings and arrays ---------------------------------------------------------------- */

KilnStatus kiln_new_string(KilnVM *vm, const char *s, size_t len, KilnValue *out)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (!out || (!s && len)) return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_string: NULL argument");
    *out = kiln_null();
    KString *str = vm_string_new(vm, s ? s : "", s ? len : 0);
    if (!str || pin(vm, str)) return vm->exc ? api_runtime_error(vm) : api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    *out = kiln_strn(str->data, len);
    return KILN_OK;
}

/* "int" -> "I", "String" -> "Lstd.core.String;", "a.B[]" -> "[La.B;". */
static int elem_desc(const char *t, char *out, size_t n)
{
    size_t len = strlen(t);
    int dims = 0;
    while (len >= 2 && t[len - 2] == '[' && t[len - 1] == ']') { len -= 2; dims++; }
    if (!len || (size_t)dims + len + 3 >= n) return -1;
    size_t k = 0;
    for (int i = 0; i < dims; i++) out[k++] = '[';
    static const struct { const char *name; char d; } prim[] = {
        { "int", 'I' }, { "float", 'F' }, { "bool", 'Z' }, { "byte", 'B' } };
    for (size_t i = 0; i < 4; i++)
        if (strlen(prim[i].name) == len && memcmp(t, prim[i].name, len) == 0) {
            out[k++] = prim[i].d;
            out[k] = 0;
            return 0;
        }
    if (len == 6 && memcmp(t, "String", 6) == 0) { t = "std.core.String"; len = 15; }
    else if (len == 6 && memcmp(t, "Object", 6) == 0) { t = "std.core.Object"; len = 15; }
    if (k + len + 3 >= n) return -1;
    out[k++] = 'L';
    memcpy(out + k, t, len);
    k += len;
    out[k++] = ';';
    out[k] = 0;
    return 0;
}

KilnStatus kiln_new_array(KilnVM *vm, const char *elem_type, int64_t length, KilnValue *out)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (out) *out = kiln_null();
    if (!elem_type || !out || length < 0)
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_array: bad element type, length or result");
    char desc[520];
    desc[0] = '[';
    if (elem_desc(elem_type, desc + 1, sizeof desc - 1))
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_array: bad element type '%s'", elem_type);
    if (desc[1] == 'B' && desc[2]) return api_fail(vm, KILN_USAGE_ERROR, "bad element type '%s'", elem_type);
    const char *l = strchr(desc, 'L');
    if (l) {   /* the element class must exist (loading it if need be) */
        char name[512];
        size_t n = strlen(l) - 2;
        memcpy(name, l + 1, n);
        name[n] = 0;
        char err[1024];
        if (!ld_find_class(vm, name, err, sizeof err))
            return api_fail(vm, KILN_USAGE_ERROR, "kiln_new_array: %s", err);
    }
    KClass *ac = vm_array_class(vm, desc);
    KArray *a = ac ? vm_new_array(vm, ac, length) : NULL;
    if (!a) return vm->exc ? api_runtime_error(vm) : api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    if (from_slot(vm, SLOT(a), 'L', out)) return api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    return KILN_OK;
}

static KArray *as_array(KVM *vm, KilnHandle *h)
{
    if (!h || h->vm != vm || !h->obj || !h->obj->cls->is_array) return NULL;
    return (KArray *)h->obj;
}

int64_t kiln_array_length(KilnVM *vm, KilnHandle *h)
{
    KArray *a = vm ? as_array(vm, h) : NULL;
    return a ? a->length : -1;
}

KilnStatus kiln_array_get(KilnVM *vm, KilnHandle *h, int64_t i, KilnValue *out)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (out) *out = kiln_null();
    KArray *a = as_array(vm, h);
    if (!a || !out) return api_fail(vm, KILN_USAGE_ERROR, "kiln_array_get: not an array");
    if (i < 0 || i >= a->length)
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_array_get: index %lld out of bounds for length %lld",
                        (long long)i, (long long)a->length);
    char kind = a->hdr.cls->elem_kind;
    KSlot s = kind == 'B' ? ((uint8_t *)a->data)[i] : a->data[i];
    if (from_slot(vm, s, kind, out)) return api_fail(vm, KILN_RUNTIME_ERROR, "out of memory");
    return KILN_OK;
}

KilnStatus kiln_array_set(KilnVM *vm, KilnHandle *h, int64_t i, const KilnValue *v)
{
    if (!vm) return KILN_USAGE_ERROR;
    KArray *a = as_array(vm, h);
    if (!a || !v) return api_fail(vm, KILN_USAGE_ERROR, "kiln_array_set: not an array");
    if (i < 0 || i >= a->length)
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_array_set: index %lld out of bounds for length %lld",
                        (long long)i, (long long)a->length);
    if (check_args(vm, v, 1)) return KILN_USAGE_ERROR;
    const char *ed = a->hdr.cls->name + 1;
    if (!fits(vm, v, ed, strlen(ed), 1))
        return api_fail(vm, KILN_USAGE_ERROR, "kiln_array_set: a %s does not fit in %s",
                        type_name(v->type), a->hdr.cls->name);
    KSlot s;
    if (to_slot(vm, v, ed[0], &s)) return api_runtime_error(vm);
    if (ed[0] == 'B') ((uint8_t *)a->data)[i] = (uint8_t)s;
    else a->data[i] = s;
    return KILN_OK;
}

/* ---- interrupts, memory, threads ------------------------------------------------------- */

void kiln_interrupt(KilnVM *vm)
{
    if (vm) vm_request_interrupt(vm);
}

void kiln_collect(KilnVM *vm)
{
    if (vm) gc_collect(vm);
}

size_t kiln_heap_used(KilnVM *vm)
{
    return vm && vm->api && vm->api->heap_limit ? vm->api->heap_used : 0;
}

KilnStatus kiln_thread_attach(void)
{
    return gc_thread_attach() == 0 ? KILN_OK : KILN_USAGE_ERROR;
}

void kiln_thread_detach(void)
{
    gc_thread_detach();
}
