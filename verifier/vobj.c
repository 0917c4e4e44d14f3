/*
** verifier/vobj.c — the object model for the verifier (docs/verifier.md): class
** look-ups and the hierarchy (assignability, joins), and the rules of the
** opcodes on objects, fields, methods, arrays, closures and errors.
**
** Classes are looked up by name (vobj.h says where) and cached per verified class
** in VoCtx.ent, indexed by interned type. A look-up may load, link and verify
** another class through ld_find_class; that verification runs nested. The loader
** adds a class to vm->classes before verifying it (and removes it on failure), so
** a class loaded meanwhile finds the one that loaded it.
**
** What a missing class means: where the runtime checks again (checkcast,
** instanceof; invokestatic, whose resolution checks existence and static-ness)
** the verifier lets it pass; everywhere else it rejects with "class X not found".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vobj.h"
#include "../loader/loader.h"

#define VO_NAME_MAX    200      /* characters of a name quoted in a message      */

typedef struct {
    const KClass *k;            /* the class, when state is 1                      */
    uint8_t       state;        /* 0 not looked up, 1 found, 2 missing             */
    uint32_t      mark;         /* == VoCtx.gen when visited by the current walk   */
    char         *why;          /* malloc: the loader's reason, when missing       */
} VoEntry;

struct VoCtx {
    KVM      *vm;
    KClass   *self;
    VfType    self_t;           /* the verified class's own type                   */
    VfType    t_function;       /* std.core.Function                               */
    VfNames  *names;
    VoEntry  *ent;              /* indexed by VfType - VT_OBJECT                   */
    uint32_t  nent;
    uint32_t  gen;
    VfType   *todo;             /* work list of the hierarchy walks                */
    uint32_t  ntodo, captodo;
};

/* The std.core classes the verifier knows without a VM (vm == NULL). */
#define CORE_ERR(n) { .name = "std.core." n, .super_name = "std.core.Error" }
static const KClass core_classes[] = {
    { .name = "std.core.Object" },
    { .name = "std.core.String", .super_name = "std.core.Object", .flags = KACC_FINAL },
    { .name = "std.core.Function", .super_name = "std.core.Object", .flags = KACC_FINAL },
    { .name = "std.core.Error", .super_name = "std.core.Object" },
    CORE_ERR("ArithmeticError"), CORE_ERR("StackOverflowError"), CORE_ERR("LinkError"),
    CORE_ERR("NullError"), CORE_ERR("IndexError"), CORE_ERR("CastError"),
    CORE_ERR("FormatError"), CORE_ERR("IOError"), CORE_ERR("AssertionError"),
    CORE_ERR("InterruptedError"), CORE_ERR("OutOfMemoryError"),
};

static int name_is(const char *cstr, const char *s, size_t len) {
    return cstr && strlen(cstr) == len && memcmp(cstr, s, len) == 0;
}

VoCtx *vo_begin(KVM *vm, KClass *c, VfNames *names) {
    VoCtx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->vm = vm;
    x->self = c;
    x->names = names;
    const char *cn = c->name ? c->name : "?";
    x->self_t = vf_intern(names, cn, strlen(cn));
    x->t_function = vf_intern(names, "std.core.Function", strlen("std.core.Function"));
    if (x->self_t == VT_UNSET || x->t_function == VT_UNSET) { free(x); return NULL; }
    return x;
}

void vo_end(VoCtx *x) {
    if (!x) return;
    for (uint32_t i = 0; i < x->nent; i++) free(x->ent[i].why);
    free(x->ent);
    free(x->todo);
    free(x);
}

/* ---- small helpers ------------------------------------------------------------ */

__attribute__((format(printf, 3, 4)))
static int fail(Vf *v, uint32_t pc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vf_failv(v, pc, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *tstr(const Vf *v, VfType t, char *buf, size_t n) {
    return vf_type_str(v->names, t, buf, n);
}

static const VfName *name_of(const Vf *v, VfType t) {
    if (t < VT_OBJECT || t - VT_OBJECT >= v->names->n) return NULL;
    return &v->names->names[t - VT_OBJECT];
}

static int is_array(const Vf *v, VfType t) {
    const VfName *nm = name_of(v, t);
    return nm && nm->len && nm->s[0] == '[';
}

static VfType intern_c(Vf *v, const char *s) {
    return s ? vf_intern(v->names, s, strlen(s)) : VT_UNSET;
}

static int underflow(Vf *v, uint32_t pc, const KOpInfo *in, long need) {
    return fail(v, pc, "stack underflow (%s needs %ld, stack has %d)", in->mnemonic, need,
                (int)v->sp);
}

static int push(Vf *v, uint32_t pc, VfType t) {
    if ((uint32_t)v->sp >= v->nstk) return fail(v, pc, "max_stack %u exceeded", (unsigned)v->nstk);
    v->cur[v->nloc + (uint32_t)v->sp++] = t;
    return 0;
}

/* Operand k (1-based, stack order) of an instruction popping n: its stack slot. */
static VfType *operand(Vf *v, int n, int k) { return v->cur + v->nloc + v->sp - n + (k - 1); }

static int need_ref(Vf *v, uint32_t pc, const KOpInfo *in, VfType t, int k) {
    char a[256];
    if (VT_IS_REF(t)) return 0;
    return fail(v, pc, "expected a reference, found %s (operand %d of %s)", tstr(v, t, a, sizeof a),
                k, in->mnemonic);
}

static int need_int(Vf *v, uint32_t pc, const KOpInfo *in, VfType t, int k) {
    char a[256];
    if (t == VT_INT) return 0;
    return fail(v, pc, "expected int, found %s (operand %d of %s)", tstr(v, t, a, sizeof a), k,
                in->mnemonic);
}

/* ---- class look-ups ------------------------------------------------------------ */

static VoEntry *entry(Vf *v, VfType t) {
    VoCtx *x = v->vo;
    uint32_t i = t - VT_OBJECT;
    if (i >= x->nent) {
        uint32_t n = x->nent ? x->nent : 64;
        while (n <= i) n *= 2;
        VoEntry *e = realloc(x->ent, n * sizeof *e);
        if (!e) return NULL;
        memset(e + x->nent, 0, (n - x->nent) * sizeof *e);
        x->ent = e;
        x->nent = n;
    }
    return &x->ent[i];
}

/* Finds the class named s[0..len) (not an array): see vobj.h for the order. NULL
** when it cannot be found; *why then may hold the loader's reason (malloc). */
static const KClass *find_named(Vf *v, const char *s, uint32_t len, char **why) {
    VoCtx *x = v->vo;
    if (name_is(x->self->name, s, len)) return x->self;
    if (!x->vm) {
        for (size_t i = 0; i < sizeof core_classes / sizeof core_classes[0]; i++)
            if (name_is(core_classes[i].name, s, len)) return &core_classes[i];
        return NULL;
    }
    if (len > KCF_MAX_NAME || memchr(s, 0, len)) return NULL;
    char *cn = malloc(len + 1);
    if (!cn) return NULL;
    memcpy(cn, s, len);
    cn[len] = 0;
    const KClass *k = vm_find_class(x->vm, cn);
    if (!k) {
        char err[512];
        err[0] = 0;
        k = ld_find_class(x->vm, cn, err, sizeof err);
        if (!k && err[0] && !strstr(err, "not found on the class path")) *why = strdup(err);
    }
    free(cn);
    return k;
}

/* The class of reference type t (a name, not an array), or NULL if unknown. */
static const KClass *class_of(Vf *v, VfType t) {
    const VfName *nm = name_of(v, t);
    if (!nm || (nm->len && nm->s[0] == '[')) return NULL;
    VoEntry *e = entry(v, t);
    if (!e) return NULL;
    if (e->state == 0) {
        char *why = NULL;
        const KClass *k = find_named(v, nm->s, nm->len, &why);
        e = entry(v, t);                /* a nested verification may not move it, but be safe */
        e->k = k;
        e->state = k ? 1 : 2;
        e->why = why;
    }
    return e->k;
}

/* "class X not found" with the loader's reason when it gave one. */
static int not_found(Vf *v, uint32_t pc, VfType t) {
    char a[256];
    VoEntry *e = entry(v, t);
    const char *why = e && e->why ? e->why : NULL;
    return fail(v, pc, "class %s not found%s%s", tstr(v, t, a, sizeof a), why ? ": " : "",
                why ? why : "");
}

/* The direct superclass of k, VT_UNSET for none. */
static VfType super_of(Vf *v, const KClass *k) {
    if (k->super && k->super->name) return intern_c(v, k->super->name);
    if (k->super_name) return intern_c(v, k->super_name);
    return VT_UNSET;
}

/* The i-th direct superinterface of k, VT_UNSET if absent. */
static VfType iface_of(Vf *v, const KClass *k, uint32_t i) {
    if (k->interfaces && k->interfaces[i] && k->interfaces[i]->name)
        return intern_c(v, k->interfaces[i]->name);
    if (k->interface_names && k->interface_names[i]) return intern_c(v, k->interface_names[i]);
    return VT_UNSET;
}

/* Walk bookkeeping: a fresh generation and an empty work list. */
static void walk_start(Vf *v) {
    v->vo->gen++;
    v->vo->ntodo = 0;
}

/* Queues t unless visited in this walk; -1 out of memory. */
static int walk_add(Vf *v, VfType t) {
    VoCtx *x = v->vo;
    if (t == VT_UNSET) return 0;
    VoEntry *e = entry(v, t);
    if (!e) return -1;
    if (e->mark == x->gen) return 0;
    e->mark = x->gen;
    if (x->ntodo == x->captodo) {
        uint32_t n = x->captodo ? x->captodo * 2 : 32;
        VfType *p = realloc(x->todo, n * sizeof *p);
        if (!p) return -1;
        x->todo = p;
        x->captodo = n;
    }
    x->todo[x->ntodo++] = t;
    return 0;
}

/* Whether named class type a is b, a subclass of b, or implements b (through its
** superclasses and superinterfaces): 1, 0, or -1 when it cannot be decided because
** a class on the way is unknown (*missing names it; no message), -2 when the work
** budget ran out (message set). */
static int derives(Vf *v, uint32_t pc, VfType a, VfType b, VfType *missing) {
    int unknown = 0;
    walk_start(v);
    if (walk_add(v, a) < 0) return 0;
    while (v->vo->ntodo) {
        VfType t = v->vo->todo[--v->vo->ntodo];
        if (t == b) return 1;
        if (vf_budget(v, 1, pc) < 0) return -2;
        const KClass *k = class_of(v, t);
        if (!k) {
            if (!unknown) *missing = t;
            unknown = 1;
            continue;
        }
        if (walk_add(v, super_of(v, k)) < 0) return 0;
        for (uint32_t i = 0; i < k->ninterfaces; i++)
            if (walk_add(v, iface_of(v, k, i)) < 0) return 0;
    }
    return unknown ? -1 : 0;
}

static int is_interface(Vf *v, VfType t) {
    const KClass *k = class_of(v, t);
    return k && (k->flags & KACC_INTERFACE);
}

int vo_assignable(Vf *v, uint32_t pc, VfType val, VfType want) {
    if (val == want) return val >= VT_INT;
    if (!VT_IS_REF(val) || !VT_IS_REF(want) || want == VT_NULL) return 0;
    if (val == VT_NULL || want == VT_OBJECT) return 1;
    if (is_array(v, val) || is_array(v, want)) return 0;      /* arrays are invariant */
    VfType missing = VT_UNSET;
    int r = derives(v, pc, val, want, &missing);
    if (r > 0) return 1;
    if (r == -2) return -1;
    /* Joins keep superclasses only: two classes that implement an interface join to
    ** a superclass that may not. So any non-final class or interface type is
    ** accepted where an interface is expected (a subclass may implement it), as in
    ** the JVM; invokeinterface checks its receiver's class at run time. Final
    ** classes (String, Function, ...) and arrays never implement it. */
    if (is_interface(v, want)) {
        const KClass *k = class_of(v, val);
        if (k && !(k->flags & KACC_FINAL)) return 1;
    }
    if (r < 0) return not_found(v, pc, missing);
    return 0;
}

int vo_check_catch(Vf *v, uint32_t pc, uint32_t handler, VfType t) {
    char a[256];
    VfType missing = VT_UNSET;
    if (t == VT_ERROR) return 0;
    int r = t == VT_OBJECT ? 0 : derives(v, pc, t, VT_ERROR, &missing);
    if (r > 0) return 0;
    if (r == -2) return -1;
    if (r < 0)
        return fail(v, pc, "handler %u: class %s not found", (unsigned)handler,
                    tstr(v, missing, a, sizeof a));
    return fail(v, pc, "handler %u: catch class %s is not a subclass of std.core.Error",
                (unsigned)handler, tstr(v, t, a, sizeof a));
}

/* ---- joins --------------------------------------------------------------------- */

/* Two different named reference types. */
static VfType ref_join(Vf *v, VfType a, VfType b) {
    VfType missing;
    if (a == VT_OBJECT || b == VT_OBJECT || is_array(v, a) || is_array(v, b)) return VT_OBJECT;
    if (derives(v, 0, a, b, &missing) > 0) return b;
    if (derives(v, 0, b, a, &missing) > 0) return a;
    /* least common superclass: mark a's superclasses (generation g), walk b's */
    walk_start(v);
    uint32_t g = v->vo->gen;
    for (VfType t = a; t != VT_UNSET;) {
        const KClass *k = class_of(v, t);
        if (!k || walk_add(v, t) < 0 || vf_budget(v, 1, 0) < 0) return VT_OBJECT;
        VfType s = super_of(v, k);
        VoEntry *e = s != VT_UNSET ? entry(v, s) : NULL;
        t = e && e->mark == g ? VT_UNSET : s;               /* a cycle ends the walk */
    }
    walk_start(v);                                          /* b's side: generation g + 1 */
    for (VfType t = b; t != VT_UNSET;) {
        VoEntry *e = entry(v, t);
        if (!e) return VT_OBJECT;
        if (e->mark == g) return t;
        const KClass *k = class_of(v, t);
        if (!k || walk_add(v, t) < 0 || vf_budget(v, 1, 0) < 0) return VT_OBJECT;
        VfType s = super_of(v, k);
        VoEntry *se = s != VT_UNSET ? entry(v, s) : NULL;
        t = se && se->mark == v->vo->gen ? VT_UNSET : s;
    }
    return VT_OBJECT;
}

VfType vo_join_local(Vf *v, VfType a, VfType b) {
    if (a == b || a < VT_OBJECT || b < VT_OBJECT) return vf_join_local(a, b);
    return ref_join(v, a, b);
}

VfType vo_join_stack(Vf *v, VfType a, VfType b) {
    if (a < VT_INT || b < VT_INT) return VT_CONFLICT;
    return vo_join_local(v, a, b);
}

/* ---- constant-pool operands ------------------------------------------------------ */

/* A FIELD, METHOD or IMETHOD entry, split. */
typedef struct {
    const char *cls, *name, *desc;
    uint32_t    clen, nlen, dlen;
    VfType      ct;                 /* the class's type (set by ref_intern) */
} VoRef;

static const char *kind_name(uint8_t tag) {
    return tag == KCP_FIELD ? "field" : tag == KCP_METHOD ? "method" : "imethod";
}

/* Checks entry idx is a well-formed member reference of kind tag. */
static int member_ref(Vf *v, uint32_t pc, uint32_t idx, uint8_t tag, VoRef *r) {
    const KConst *e = vf_cp_get(v, idx), *nt;
    char buf[16];
    const char *kn = kind_name(tag);
    if (!e) return fail(v, pc, "constant %u is out of range (pool size %u)", (unsigned)idx,
                        (unsigned)v->c->ncp);
    if (e->tag != tag)
        return fail(v, pc, "constant %u is %s, expected %s", (unsigned)idx,
                    vf_tag_name(e, buf, sizeof buf), kn);
    if (vf_cp_class_name(v, e->a, &r->cls, &r->clen) < 0)
        return fail(v, pc, "%s ref %u: entry %u is not a class", kn, (unsigned)idx,
                    (unsigned)e->a);
    if (r->cls[0] == '[')
        return fail(v, pc, "%s ref %u: class is an array type", kn, (unsigned)idx);
    nt = vf_cp_get(v, e->b);
    if (!nt || nt->tag != KCP_NAMETYPE)
        return fail(v, pc, "%s ref %u: entry %u is not a nametype", kn, (unsigned)idx,
                    (unsigned)e->b);
    if (vf_cp_utf8(v, nt->a, &r->name, &r->nlen) < 0 || r->nlen == 0 ||
        memchr(r->name, 0, r->nlen))
        return fail(v, pc, "%s ref %u: bad %s name", kn, (unsigned)idx,
                    tag == KCP_FIELD ? "field" : "method");
    if (vf_cp_utf8(v, nt->b, &r->desc, &r->dlen) < 0)
        return fail(v, pc, "%s ref %u: descriptor entry %u is not utf8", kn, (unsigned)idx,
                    (unsigned)nt->b);
    size_t p = 0, rp;
    VfType ty;
    int bad = tag == KCP_FIELD
        ? vf_parse_type(NULL, r->desc, r->dlen, &p, 0, &ty) < 0 || p != r->dlen
        : vf_count_params(r->desc, r->dlen, &rp) < 0;
    if (bad)
        return fail(v, pc, "%s ref %u has a malformed descriptor \"%.*s\"", kn, (unsigned)idx,
                    (int)(r->dlen > VO_NAME_MAX ? VO_NAME_MAX : r->dlen), r->desc);
    r->ct = VT_UNSET;
    return 0;
}

static int ref_intern(Vf *v, uint32_t pc, VoRef *r) {
    r->ct = vf_intern(v->names, r->cls, r->clen);
    return r->ct == VT_UNSET ? fail(v, pc, "out of memory") : 0;
}

/* Appends len bytes of s at *p, truncated to what fits before end (one byte is
** kept for the terminator). */
static void put(char **p, char *end, const char *s, size_t len) {
    size_t room = (size_t)(end - *p) - 1;
    if (len > room) len = room;
    memcpy(*p, s, len);
    *p += len;
}

/* "m.P.x" for a field, "m.P.get(I)I" for a method, into buf, truncated to n - 1
** bytes. Every field and call instruction makes one for its error messages: memcpy,
** not snprintf, which was a tenth of verifying std.core at VM start. */
static const char *rstr(const VoRef *r, int method, char *buf, size_t n) {
    char *p = buf, *end = buf + n;
    put(&p, end, r->cls, r->clen > VO_NAME_MAX ? VO_NAME_MAX : r->clen);
    put(&p, end, ".", 1);
    put(&p, end, r->name, r->nlen > VO_NAME_MAX ? VO_NAME_MAX : r->nlen);
    if (method) put(&p, end, r->desc, r->dlen > VO_NAME_MAX ? VO_NAME_MAX : r->dlen);
    *p = 0;
    return buf;
}

/* A CLASS entry whose name is a class name or a whole array descriptor; *dims is
** the array's dimension count (0 for a class). */
static int class_const(Vf *v, uint32_t pc, uint32_t idx, const char **s, uint32_t *len,
                       int *dims) {
    const KConst *e = vf_cp_get(v, idx);
    char buf[16];
    if (!e) return fail(v, pc, "constant %u is out of range (pool size %u)", (unsigned)idx,
                        (unsigned)v->c->ncp);
    if (e->tag != KCP_CLASS)
        return fail(v, pc, "constant %u is %s, expected class", (unsigned)idx,
                    vf_tag_name(e, buf, sizeof buf));
    if (vf_cp_class_name(v, idx, s, len) < 0)
        return fail(v, pc, "class constant %u has a bad name", (unsigned)idx);
    *dims = 0;
    if ((*s)[0] == '[') {
        size_t p = 0;
        VfType ty;
        while (p < *len && (*s)[p] == '[') p++;
        *dims = (int)p;
        p = 0;
        if (vf_parse_type(NULL, *s, *len, &p, 0, &ty) < 0 || p != *len)
            return fail(v, pc, "class constant %u has a bad name", (unsigned)idx);
    } else {
        for (uint32_t i = 0; i < *len; i++)
            if (strchr("()[;", (*s)[i]))
                return fail(v, pc, "class constant %u has a bad name", (unsigned)idx);
    }
    return 0;
}

/* Readable form of a CLASS constant's name ("int[]", "m.P"). */
static const char *cname(Vf *v, const char *s, uint32_t len, char *buf, size_t n) {
    VfType t = vf_intern(v->names, s, len);
    if (t == VT_UNSET) { snprintf(buf, n, "?"); return buf; }
    return tstr(v, t, buf, n);
}

int vo_decode(Vf *v, uint32_t pc, uint8_t op) {
    const uint8_t *o = v->code + pc + 1;
    uint32_t idx = k_rd_u16(o), len;
    const char *s;
    int dims;
    char a[256];
    VoRef r;
    switch (op) {
    case OP_CHECKCAST:
    case OP_INSTANCEOF:
        return class_const(v, pc, idx, &s, &len, &dims);
    case OP_NEW:
        if (class_const(v, pc, idx, &s, &len, &dims) < 0) return -1;
        if (dims)
            return fail(v, pc, "new of array type %s (use newarray)",
                        cname(v, s, len, a, sizeof a));
        return 0;
    case OP_NEWARRAY:
    case OP_MULTINEWARRAY:
        if (class_const(v, pc, idx, &s, &len, &dims) < 0) return -1;
        if (!dims)
            return fail(v, pc, "%s of %s: not an array type", k_opinfo[op].mnemonic,
                        cname(v, s, len, a, sizeof a));
        if (op == OP_MULTINEWARRAY) {
            if (o[2] == 0) return fail(v, pc, "multinewarray with 0 dimensions");
            if (o[2] > dims)
                return fail(v, pc, "multinewarray of %u dimensions for %s", (unsigned)o[2],
                            cname(v, s, len, a, sizeof a));
        }
        return 0;
    case OP_GETFIELD: case OP_PUTFIELD: case OP_GETSTATIC: case OP_PUTSTATIC:
        return member_ref(v, pc, idx, KCP_FIELD, &r);
    case OP_INVOKEVIRTUAL: case OP_INVOKESPECIAL:
        return member_ref(v, pc, idx, KCP_METHOD, &r);
    case OP_INVOKEINTERFACE:
        return member_ref(v, pc, idx, KCP_IMETHOD, &r);
    case OP_MKCLOSURE: {
        size_t rp;
        if (member_ref(v, pc, idx, KCP_METHOD, &r) < 0) return -1;
        long np = vf_count_params(r.desc, r.dlen, &rp);
        if (o[2] > np)
            return fail(v, pc, "mkclosure captures %u values, but %s has %ld parameters",
                        (unsigned)o[2], rstr(&r, 1, a, sizeof a), np);
        return 0;
    }
    case OP_INVOKECLOSURE: {
        const KConst *e = vf_cp_get(v, idx);
        char buf[16];
        size_t rp;
        if (!e) return fail(v, pc, "constant %u is out of range (pool size %u)", (unsigned)idx,
                            (unsigned)v->c->ncp);
        if (vf_cp_utf8(v, idx, &s, &len) < 0)
            return fail(v, pc, "constant %u is %s, expected utf8 (a method descriptor)",
                        (unsigned)idx, vf_tag_name(e, buf, sizeof buf));
        if (vf_count_params(s, len, &rp) < 0)
            return fail(v, pc, "invokeclosure has a malformed descriptor \"%.*s\"",
                        (int)(len > VO_NAME_MAX ? VO_NAME_MAX : len), s);
        return 0;
    }
    default:
        return 0;
    }
}

/* ---- members --------------------------------------------------------------------- */

static int is_self(Vf *v, VfType t) { return t == v->vo->self_t; }

/* Private members: visible in their own class; a module's private top-level
** functions and globals (members of the module class M) are visible to every
** class of that module (named "M.X"), as LANGUAGE.md §7 says. */
static int may_access_private(Vf *v, VfType owner) {
    if (is_self(v, owner)) return 1;
    const KClass *oc = class_of(v, owner), *sc = v->c;
    if (!oc || !sc || !(oc->flags & KACC_MODULE) || !oc->name || !sc->name) return 0;
    size_t n = strlen(oc->name);
    return strncmp(sc->name, oc->name, n) == 0 && sc->name[n] == '.' && !strchr(sc->name + n + 1, '.');
}

/* Field r in class r->ct or its superclasses: 1 found (*f, *owner = the declaring
** class), 0 absent, -1 a class unknown (message set). */
static int find_field(Vf *v, uint32_t pc, const VoRef *r, const KField **f, VfType *owner) {
    walk_start(v);
    for (VfType t = r->ct; t != VT_UNSET;) {
        const KClass *k = class_of(v, t);
        if (!k) return not_found(v, pc, t);
        if (vf_budget(v, 1u + k->nfields, pc) < 0) return -1;
        for (uint32_t i = 0; k->fields && i < k->nfields; i++) {
            const KField *kf = &k->fields[i];
            if (name_is(kf->name, r->name, r->nlen) && name_is(kf->desc, r->desc, r->dlen)) {
                *f = kf;
                *owner = t;
                return 1;
            }
        }
        VoEntry *e = entry(v, t);
        if (e) e->mark = v->vo->gen;
        t = super_of(v, k);
        e = t != VT_UNSET ? entry(v, t) : NULL;
        if (e && e->mark == v->vo->gen) break;                 /* cyclic */
    }
    return 0;
}

static const KMethod *method_in(const KClass *k, const VoRef *r) {
    for (uint32_t i = 0; k->methods && i < k->nmethods; i++) {
        const KMethod *m = &k->methods[i];
        if (name_is(m->name, r->name, r->nlen) && name_is(m->desc, r->desc, r->dlen)) return m;
    }
    return NULL;
}

/* Method r in class r->ct, then (when inherit) its superclasses, their
** superinterfaces and std.core.Object: 1 found (*m, *owner), 0 absent, -1 a class
** unknown (message set when loud). */
static int find_method(Vf *v, uint32_t pc, const VoRef *r, int inherit, int loud,
                       const KMethod **m, VfType *owner) {
    walk_start(v);
    if (walk_add(v, r->ct) < 0) return 0;
    /* todo[] is used as a queue here: supers first (they are added first). */
    for (uint32_t head = 0; head < v->vo->ntodo; head++) {
        VfType t = v->vo->todo[head];
        const KClass *k = class_of(v, t);
        if (!k) return loud ? not_found(v, pc, t) : -1;
        if (vf_budget(v, 1u + k->nmethods, pc) < 0) return -1;
        if ((*m = method_in(k, r))) {
            *owner = t;
            return 1;
        }
        if (!inherit) return 0;
        if (walk_add(v, super_of(v, k)) < 0) return 0;
        for (uint32_t i = 0; i < k->ninterfaces; i++)
            if (walk_add(v, iface_of(v, k, i)) < 0) return 0;
        if (head + 1 == v->vo->ntodo && walk_add(v, VT_OBJECT) < 0) return 0;
    }
    return 0;
}

/* Pops and checks nargs arguments against the parameters of descriptor d, the
** first `skip` of them excepted... precisely: parameters [0, n) against the n
** values on top of the stack. what names the call in messages. */
static int check_args(Vf *v, uint32_t pc, const char *d, uint32_t dlen, long n,
                      const char *what, const char *argword) {
    char a[256], b[256];
    size_t p = 1;
    VfType *args = v->cur + v->nloc + v->sp - n;
    if (vf_budget(v, (uint64_t)n, pc) < 0) return -1;
    for (long i = 0; i < n; i++) {
        VfType want;
        if (vf_parse_type(v->names, d, dlen, &p, 0, &want) < 0) return fail(v, pc, "out of memory");
        int ok = vo_assignable(v, pc, args[i], want);
        if (ok < 0) return -1;
        if (!ok)
            return fail(v, pc, "%s %ld of %s: expected %s, found %s", argword, i + 1, what,
                        tstr(v, want, a, sizeof a), tstr(v, args[i], b, sizeof b));
    }
    return 0;
}

/* Pushes the result type of method descriptor d unless it is V. */
static int push_result(Vf *v, uint32_t pc, const char *d, uint32_t dlen) {
    size_t p = 0;
    VfType r;
    while (p < dlen && d[p] != ')') p++;
    p++;
    if (vf_parse_type(v->names, d, dlen, &p, 1, &r) < 0) return fail(v, pc, "out of memory");
    return r == VT_UNSET ? 0 : push(v, pc, r);
}

static int is_init(const char *s, uint32_t n) { return n == 4 && memcmp(s, "init", 4) == 0; }
static int is_clinit(const char *s, uint32_t n) { return n == 8 && memcmp(s, "<clinit>", 8) == 0; }

/* ---- fields ---------------------------------------------------------------------- */

static int exec_field(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    VoRef r;
    char a[256], b[256], c[512];
    int is_static = op == OP_GETSTATIC || op == OP_PUTSTATIC;
    int is_put = op == OP_PUTFIELD || op == OP_PUTSTATIC;
    int npop = (is_static ? 0 : 1) + (is_put ? 1 : 0);
    if (member_ref(v, pc, k_rd_u16(v->code + pc + 1), KCP_FIELD, &r) < 0 ||
        ref_intern(v, pc, &r) < 0)
        return -1;
    rstr(&r, 0, c, sizeof c);
    size_t p = 0;
    VfType ft;
    if (vf_parse_type(v->names, r.desc, r.dlen, &p, 0, &ft) < 0) return fail(v, pc, "out of memory");
    if (v->sp < npop) return underflow(v, pc, in, npop);
    if (!is_static) {
        VfType obj = *operand(v, npop, 1);
        if (need_ref(v, pc, in, obj, 1) < 0) return -1;
        int ok = vo_assignable(v, pc, obj, r.ct);
        if (ok < 0) return -1;
        if (!ok)
            return fail(v, pc, "%s %s: expected %s, found %s", in->mnemonic, c,
                        tstr(v, r.ct, a, sizeof a), tstr(v, obj, b, sizeof b));
    }
    if (is_put) {
        VfType val = *operand(v, npop, npop);
        int ok = vo_assignable(v, pc, val, ft);
        if (ok < 0) return -1;
        if (!ok)
            return fail(v, pc, "%s %s: expected %s, found %s", in->mnemonic, c,
                        tstr(v, ft, a, sizeof a), tstr(v, val, b, sizeof b));
    }
    const KField *f = NULL;
    VfType owner = VT_UNSET;
    int found = find_field(v, pc, &r, &f, &owner);
    if (found < 0) return -1;
    if (!found) return fail(v, pc, "field %s not found", c);
    if (is_static && !(f->flags & KACC_STATIC))
        return fail(v, pc, "%s of instance field %s", in->mnemonic, c);
    if (!is_static && (f->flags & KACC_STATIC))
        return fail(v, pc, "%s of static field %s", in->mnemonic, c);
    if ((f->flags & KACC_PRIVATE) && !may_access_private(v, owner))
        return fail(v, pc, "private field %s is not accessible from %s", c,
                    tstr(v, v->vo->self_t, a, sizeof a));
    if (is_put && (f->flags & KACC_LET)) {
        const char *mn = v->m->name ? v->m->name : "";
        size_t ml = strlen(mn);
        if (!is_self(v, owner) || !(is_init(mn, (uint32_t)ml) || is_clinit(mn, (uint32_t)ml)))
            return fail(v, pc, "%s of let field %s outside init", in->mnemonic, c);
    }
    v->sp -= npop;
    return is_put ? 0 : push(v, pc, ft);
}

/* ---- calls ------------------------------------------------------------------------- */

static int exec_invoke(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    VoRef r;
    char a[256], b[256], c[768];
    uint8_t tag = op == OP_INVOKEINTERFACE ? KCP_IMETHOD : KCP_METHOD;
    size_t rp;
    if (member_ref(v, pc, k_rd_u16(v->code + pc + 1), tag, &r) < 0 || ref_intern(v, pc, &r) < 0)
        return -1;
    rstr(&r, 1, c, sizeof c);
    long np = vf_count_params(r.desc, r.dlen, &rp);
    if (np + 1 > v->sp) return underflow(v, pc, in, np + 1);
    if (is_clinit(r.name, r.nlen)) return fail(v, pc, "%s cannot be called", c);
    if (op != OP_INVOKESPECIAL && is_init(r.name, r.nlen))
        return fail(v, pc, "%s of %s: init must be called with invokespecial", in->mnemonic, c);
    if (check_args(v, pc, r.desc, r.dlen, np, c, "argument") < 0) return -1;
    VfType recv = *operand(v, (int)np + 1, 1);
    if (need_ref(v, pc, in, recv, 1) < 0) return -1;
    int ok = vo_assignable(v, pc, recv, r.ct);
    if (ok < 0) return -1;
    if (!ok)
        return fail(v, pc, "receiver of %s: expected %s, found %s", c, tstr(v, r.ct, a, sizeof a),
                    tstr(v, recv, b, sizeof b));

    const KClass *k = class_of(v, r.ct);
    if (!k) return not_found(v, pc, r.ct);
    int iface = (k->flags & KACC_INTERFACE) != 0;
    if (op == OP_INVOKEINTERFACE && !iface)
        return fail(v, pc, "invokeinterface of %s: %s is not an interface", c,
                    tstr(v, r.ct, a, sizeof a));
    if (op == OP_INVOKEVIRTUAL && iface)
        return fail(v, pc, "invokevirtual of %s: %s is an interface (use invokeinterface)", c,
                    tstr(v, r.ct, a, sizeof a));
    const KMethod *m = NULL;
    VfType owner = VT_UNSET;
    int found = find_method(v, pc, &r, !is_init(r.name, r.nlen), 1, &m, &owner);
    if (found < 0) return -1;
    if (!found) return fail(v, pc, "method %s not found", c);
    if (m->flags & KACC_STATIC) return fail(v, pc, "%s of static method %s", in->mnemonic, c);
    if ((m->flags & KACC_PRIVATE) && !may_access_private(v, owner))
        return fail(v, pc, "private method %s is not accessible from %s", c,
                    tstr(v, v->vo->self_t, a, sizeof a));
    if (op != OP_INVOKESPECIAL && (m->flags & KACC_PRIVATE))
        return fail(v, pc, "%s of private method %s (use invokespecial)", in->mnemonic, c);
    if (op == OP_INVOKESPECIAL && (m->flags & KACC_ABSTRACT))
        return fail(v, pc, "invokespecial of abstract method %s", c);
    if (op == OP_INVOKESPECIAL && is_init(r.name, r.nlen) && recv != r.ct && recv != VT_NULL) {
        /* inside an init, `this` may call its superclass's init */
        const char *mn = v->m->name ? v->m->name : "";
        int in_init = !v->is_static && is_init(mn, (uint32_t)strlen(mn));
        if (!(in_init && recv == v->vo->self_t && r.ct == super_of(v, v->c)))
            return fail(v, pc, "invokespecial of %s on a %s: init needs exactly %s (or this, "
                        "for the superclass, inside init)", c, tstr(v, recv, a, sizeof a),
                        tstr(v, r.ct, b, sizeof b));
    }
    v->sp -= (int32_t)np + 1;
    return push_result(v, pc, r.desc, r.dlen);
}

int vo_check_invokestatic(Vf *v, uint32_t pc, uint32_t idx) {
    VoRef r;
    char a[256], c[768];
    if (member_ref(v, pc, idx, KCP_METHOD, &r) < 0 || ref_intern(v, pc, &r) < 0) return -1;
    rstr(&r, 1, c, sizeof c);
    if (is_clinit(r.name, r.nlen)) return fail(v, pc, "%s cannot be called", c);
    if (is_init(r.name, r.nlen))
        return fail(v, pc, "invokestatic of %s: init must be called with invokespecial", c);
    /* Resolution checks existence and static-ness again, so an unknown class or
    ** method is left to it (a LinkError when executed). */
    const KMethod *m = NULL;
    VfType owner = VT_UNSET;
    if (find_method(v, pc, &r, 0, 0, &m, &owner) != 1) return 0;
    if (!(m->flags & KACC_STATIC)) return fail(v, pc, "invokestatic of instance method %s", c);
    if ((m->flags & KACC_PRIVATE) && !may_access_private(v, owner))
        return fail(v, pc, "private method %s is not accessible from %s", c,
                    tstr(v, v->vo->self_t, a, sizeof a));
    return 0;
}

static int exec_mkclosure(Vf *v, uint32_t pc, const KOpInfo *in) {
    VoRef r;
    char a[256], c[768];
    long n = v->code[pc + 3];
    if (member_ref(v, pc, k_rd_u16(v->code + pc + 1), KCP_METHOD, &r) < 0 ||
        ref_intern(v, pc, &r) < 0)
        return -1;
    rstr(&r, 1, c, sizeof c);
    if (n > v->sp) return underflow(v, pc, in, n);
    const KMethod *m = NULL;
    VfType owner = VT_UNSET;
    int found = find_method(v, pc, &r, 0, 1, &m, &owner);
    if (found < 0) return -1;
    if (!found) return fail(v, pc, "method %s not found", c);
    if (!(m->flags & KACC_STATIC)) return fail(v, pc, "mkclosure of instance method %s", c);
    if ((m->flags & KACC_PRIVATE) && !may_access_private(v, owner))
        return fail(v, pc, "private method %s is not accessible from %s", c,
                    tstr(v, v->vo->self_t, a, sizeof a));
    if (check_args(v, pc, r.desc, r.dlen, n, c, "captured value") < 0) return -1;
    v->sp -= (int32_t)n;
    return push(v, pc, v->vo->t_function);
}

static int exec_invokeclosure(Vf *v, uint32_t pc, const KOpInfo *in) {
    const char *d;
    uint32_t dlen;
    char a[256], b[256], c[256];
    size_t rp;
    if (vf_cp_utf8(v, k_rd_u16(v->code + pc + 1), &d, &dlen) < 0)
        return fail(v, pc, "invokeclosure needs a utf8 descriptor");   /* decode checked it */
    long np = vf_count_params(d, dlen, &rp);
    if (np < 0) return fail(v, pc, "invokeclosure has a malformed descriptor");
    if (np + 1 > v->sp) return underflow(v, pc, in, np + 1);
    snprintf(c, sizeof c, "closure %.*s", (int)(dlen > VO_NAME_MAX ? VO_NAME_MAX : dlen), d);
    VfType fn = *operand(v, (int)np + 1, 1);
    int ok = vo_assignable(v, pc, fn, v->vo->t_function);
    if (ok < 0) return -1;
    if (!ok)
        return fail(v, pc, "expected %s, found %s (operand 1 of invokeclosure)",
                    tstr(v, v->vo->t_function, a, sizeof a), tstr(v, fn, b, sizeof b));
    if (check_args(v, pc, d, dlen, np, c, "argument") < 0) return -1;
    v->sp -= (int32_t)np + 1;
    return push_result(v, pc, d, dlen);
}

/* ---- objects and arrays -------------------------------------------------------------- */

static int exec_new(Vf *v, uint32_t pc) {
    const char *s;
    uint32_t len;
    int dims;
    char a[256];
    if (class_const(v, pc, k_rd_u16(v->code + pc + 1), &s, &len, &dims) < 0) return -1;
    VfType t = vf_intern(v->names, s, len);
    if (t == VT_UNSET) return fail(v, pc, "out of memory");
    if (dims) return fail(v, pc, "new of array type %s (use newarray)", tstr(v, t, a, sizeof a));
    if (t == VT_STRING || t == v->vo->t_function)
        return fail(v, pc, "cannot instantiate %s", tstr(v, t, a, sizeof a));
    const KClass *k = class_of(v, t);
    if (!k) return not_found(v, pc, t);
    if (k->flags & KACC_INTERFACE)
        return fail(v, pc, "cannot instantiate interface %s", tstr(v, t, a, sizeof a));
    if (k->flags & KACC_ABSTRACT)
        return fail(v, pc, "cannot instantiate abstract class %s", tstr(v, t, a, sizeof a));
    if (k->flags & KACC_MODULE)
        return fail(v, pc, "cannot instantiate module class %s", tstr(v, t, a, sizeof a));
    return push(v, pc, t);
}

/* The element type of array type t; *byte set for byte[]. */
static int elem_type(Vf *v, uint32_t pc, VfType t, VfType *elem, int *byte) {
    const VfName *nm = name_of(v, t);
    size_t p = 1;
    *byte = nm->len == 2 && nm->s[1] == 'B';
    if (*byte) { *elem = VT_INT; return 0; }
    if (vf_parse_type(v->names, nm->s, nm->len, &p, 0, elem) < 0) return fail(v, pc, "out of memory");
    return 0;
}

/* The array operand (operand 1 of n): 1 an array (*elem, *byte set), 0 null, -1
** rejected. */
static int array_operand(Vf *v, uint32_t pc, const KOpInfo *in, int n, VfType *elem, int *byte) {
    char a[256];
    VfType t = *operand(v, n, 1);
    if (t == VT_NULL) return 0;
    if (!is_array(v, t))
        return fail(v, pc, "%s of %s: expected an array", in->mnemonic, tstr(v, t, a, sizeof a));
    return elem_type(v, pc, t, elem, byte) < 0 ? -1 : 1;
}

static int exec_array(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    char a[256], b[256];
    VfType elem = VT_UNSET;
    int byte = 0, n = op == OP_ARRAYLENGTH ? 1 : (op == OP_AGET || op == OP_BGET) ? 2 : 3;
    if (v->sp < n) return underflow(v, pc, in, n);
    int r = array_operand(v, pc, in, n, &elem, &byte);
    if (r < 0) return -1;
    if (n >= 2 && need_int(v, pc, in, *operand(v, n, 2), 2) < 0) return -1;
    VfType at = *operand(v, n, 1);
    int want_byte = op == OP_BGET || op == OP_BPUT;
    if (r > 0 && op != OP_ARRAYLENGTH && byte != want_byte) {
        if (byte)
            return fail(v, pc, "%s on byte[] (use %s)", in->mnemonic,
                        op == OP_AGET ? "bget" : "bput");
        return fail(v, pc, "%s on %s (expected byte[])", in->mnemonic, tstr(v, at, a, sizeof a));
    }
    if (op == OP_BPUT && need_int(v, pc, in, *operand(v, n, 3), 3) < 0) return -1;
    if (op == OP_APUT && r > 0) {
        VfType val = *operand(v, n, 3);
        int ok = vo_assignable(v, pc, val, elem);
        if (ok < 0) return -1;
        if (!ok)
            return fail(v, pc, "aput of %s into %s", tstr(v, val, a, sizeof a),
                        tstr(v, at, b, sizeof b));
    }
    v->sp -= n;
    switch (op) {
    case OP_ARRAYLENGTH: case OP_BGET:
        return push(v, pc, VT_INT);
    case OP_AGET:
        if (r == 0) { v->noreturn = 1; return 0; }     /* null: always a NullError */
        return push(v, pc, elem);
    case OP_APUT:
        if (r == 0) v->noreturn = 1;
        return 0;
    default:
        return 0;
    }
}

static int exec_newarray(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    const char *s;
    uint32_t len;
    int dims;
    if (class_const(v, pc, k_rd_u16(v->code + pc + 1), &s, &len, &dims) < 0) return -1;
    int n = op == OP_MULTINEWARRAY ? v->code[pc + 3] : 1;
    if (!dims || n < 1 || n > dims) return vo_decode(v, pc, op);     /* reports it */
    if (v->sp < n) return underflow(v, pc, in, n);
    for (int k = 1; k <= n; k++)
        if (need_int(v, pc, in, *operand(v, n, k), k) < 0) return -1;
    VfType t = vf_intern(v->names, s, len);
    if (t == VT_UNSET) return fail(v, pc, "out of memory");
    v->sp -= n;
    return push(v, pc, t);
}

static int exec_cast(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    const char *s;
    uint32_t len;
    int dims;
    if (class_const(v, pc, k_rd_u16(v->code + pc + 1), &s, &len, &dims) < 0) return -1;
    if (v->sp < 1) return underflow(v, pc, in, 1);
    if (need_ref(v, pc, in, *operand(v, 1, 1), 1) < 0) return -1;
    VfType t = vf_intern(v->names, s, len);
    if (t == VT_UNSET) return fail(v, pc, "out of memory");
    v->sp--;
    /* checkcast: an unknown class is left to the run-time check */
    return push(v, pc, op == OP_CHECKCAST ? t : VT_BOOL);
}

static int exec_throw(Vf *v, uint32_t pc, const KOpInfo *in) {
    char a[256];
    if (v->sp < 1) return underflow(v, pc, in, 1);
    VfType t = *operand(v, 1, 1);
    int ok = vo_assignable(v, pc, t, VT_ERROR);
    if (ok < 0) return -1;
    if (!ok) return fail(v, pc, "throw of %s: expected std.core.Error", tstr(v, t, a, sizeof a));
    v->sp--;
    return 0;
}

/* a b -> a b a b; a b -> b a b; a b c -> c a b c; a b -> b a */
static int exec_shuffle(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    int need = op == OP_DUP_X2 ? 3 : 2, grow = op == OP_DUP2 ? 2 : op == OP_SWAP ? 0 : 1;
    if (v->sp < need) return underflow(v, pc, in, need);
    if ((int64_t)v->sp + grow > (int64_t)v->nstk)
        return fail(v, pc, "max_stack %u exceeded", (unsigned)v->nstk);
    VfType *s = v->cur + v->nloc + v->sp - need;
    VfType x = s[0], y = s[1], z = need == 3 ? s[2] : VT_UNSET;
    switch (op) {
    case OP_DUP2:   s[2] = x; s[3] = y; break;
    case OP_DUP_X1: s[0] = y; s[1] = x; s[2] = y; break;
    case OP_DUP_X2: s[0] = z; s[1] = x; s[2] = y; s[3] = z; break;
    case OP_SWAP:   s[0] = y; s[1] = x; break;
    }
    v->sp += grow;
    return 0;
}

int vo_exec(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in) {
    switch (op) {
    case OP_CHECKCAST: case OP_INSTANCEOF:
        return exec_cast(v, pc, op, in);
    case OP_NEW:
        return exec_new(v, pc);
    case OP_GETFIELD: case OP_PUTFIELD: case OP_GETSTATIC: case OP_PUTSTATIC:
        return exec_field(v, pc, op, in);
    case OP_INVOKEVIRTUAL: case OP_INVOKESPECIAL: case OP_INVOKEINTERFACE:
        return exec_invoke(v, pc, op, in);
    case OP_NEWARRAY: case OP_MULTINEWARRAY:
        return exec_newarray(v, pc, op, in);
    case OP_ARRAYLENGTH: case OP_AGET: case OP_APUT: case OP_BGET: case OP_BPUT:
        return exec_array(v, pc, op, in);
    case OP_MKCLOSURE:
        return exec_mkclosure(v, pc, in);
    case OP_INVOKECLOSURE:
        return exec_invokeclosure(v, pc, in);
    case OP_THROW:
        return exec_throw(v, pc, in);
    case OP_DUP2: case OP_DUP_X1: case OP_DUP_X2: case OP_SWAP:
        return exec_shuffle(v, pc, op, in);
    default:
        return fail(v, pc, "opcode %s has no verifier rule", in->mnemonic);
    }
}
