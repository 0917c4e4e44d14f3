/*
** interp/interp.c — the direct-threaded interpreter.
**
** On its first call a verified method is pre-decoded into threaded code: an array
** of words where each instruction is its handler's address followed by resolved
** operands (constants as values, branch targets as pointers, call sites with a
** cache for the resolved callee). The loop dispatches with computed goto.
**
** Each activation keeps its locals and operand stack in one slot array (on the C
** stack when small), links a KFrame into vm->frame and stores the bytecode pc in
** it before anything that can call or throw. Errors travel as vm->exc: a handler
** that sees one searches the method's handler table, else the activation returns.
**
** Tier-up (docs/architecture.md, "Tiers, tier-up and OSR"): in_entry compiles a
** method after cfg.jit_threshold interpreted calls; a taken loop back-edge counts in
** m->backedges and, past m->osr_at, moves the running activation into the compiled
** code at the loop header (on-stack replacement). Method entries and back-edges are
** safepoints ("Safepoints"): one test of vm->interrupt, folded into the back-edge
** counter's test.
*/
#include <stdlib.h>
#include <string.h>
#include "interp.h"
#include "../loader/loader.h"
#include "../jit/jit.h"

typedef union TW {
    const void *h;
    int64_t     i;
    uint64_t    u;
    void       *p;
    union TW   *t;
} TW;

typedef struct {
    TW       *code;
    int32_t  *tw_of_pc;   /* bytecode pc -> threaded index, -1 between instructions */
} Threaded;

/* Threaded words an instruction takes: its handler plus operands.
**   K_THROWS ops without operands:  [h][pc]
**   constant-pool ops:              [h][cp index][pc][cache]  (+[count] for CPU8,
**                                   +[class cache] for invokeinterface)
**   ldc/aconst_null:                [h][value] (run as iconst)                   */
static int tw_size(int op)
{
    const KOpInfo *oi = &k_opinfo[op];
    switch (oi->fmt) {
    case KFMT_NONE: return (oi->flags & K_THROWS) ? 2 : (op == OP_ACONST_NULL ? 2 : 1);
    case KFMT_IINC: return 3;
    case KFMT_CPU8: return 5;
    case KFMT_CP:
        if (op == OP_LDC) return 2;
        return op == OP_INVOKEINTERFACE ? 5 : 4;
    default: return 2;
    }
}

/* Builds m->threaded. Verification guarantees the code decodes and branches land
** on instructions. Returns 0, or -1 with an error pending. */
static int predecode(KVM *vm, KMethod *m, const void *const *labels)
{
    uint32_t len = m->code_len;
    const uint8_t *c = m->code;
    Threaded *t = gc_alloc(sizeof *t);
    int32_t *map = gc_alloc_atomic(sizeof(int32_t) * (len + 1));
    if (!t || !map) { vm_throw(vm, vm->c_error, "out of memory"); return -1; }
    size_t n = 0;
    for (uint32_t pc = 0; pc <= len; pc++) map[pc] = -1;
    for (uint32_t pc = 0; pc < len; pc += (uint32_t)k_opinfo[c[pc]].size) {
        map[pc] = (int32_t)n;
        n += (size_t)tw_size(c[pc]);
    }
    TW *code = gc_alloc(sizeof(TW) * (n + 1));
    if (!code) { vm_throw(vm, vm->c_error, "out of memory"); return -1; }
    for (uint32_t pc = 0; pc < len; pc += (uint32_t)k_opinfo[c[pc]].size) {
        int op = c[pc];
        TW *w = &code[map[pc]];
        const uint8_t *o = c + pc + 1;
        w[0].h = labels[op];
        switch (k_opinfo[op].fmt) {
        case KFMT_I32: w[1].i = k_rd_i32(o); break;
        case KFMT_U8:  w[1].i = o[0]; break;
        case KFMT_LOC: w[1].u = k_rd_u16(o); break;
        case KFMT_BR:  w[1].t = &code[map[(uint32_t)((int64_t)pc + k_rd_i32(o))]]; break;
        case KFMT_IINC: w[1].u = k_rd_u16(o); w[2].i = k_rd_i16(o + 2); break;
        case KFMT_CPU8:
        case KFMT_CP: {
            uint16_t idx = k_rd_u16(o);
            if (op == OP_LDC) {
                /* Constants become immediates of the ICONST handler. */
                KConst *k = &m->cls->cp[idx];
                w[0].h = labels[OP_ICONST];
                if (k->tag == KCP_INT) w[1].i = k->v.i;
                else if (k->tag == KCP_FLOAT) memcpy(&w[1].u, &k->v.f, 8);
                else {
                    KString *s = ld_resolve_string(vm, m->cls, idx);
                    if (!s) return -1;
                    w[1].p = s;
                }
            } else {
                w[1].u = idx;
                w[2].u = pc;
                w[3].p = NULL;          /* resolved on first execution */
                if (op == OP_INVOKEINTERFACE) w[4].p = NULL;
                if (k_opinfo[op].fmt == KFMT_CPU8) w[4].u = o[2];
                if (op == OP_INVOKECLOSURE) {
                    /* The descriptor gives the argument count and whether a result comes back. */
                    const char *d = m->cls->cp[idx].v.utf8.s;
                    w[3].u = (uint64_t)vm_desc_nargs(d) | ((uint64_t)(vm_desc_ret(d) != 'V') << 32);
                }
            }
            break;
        }
        case KFMT_NONE:
            if (op == OP_ACONST_NULL) { w[0].h = labels[OP_ICONST]; w[1].i = 0; }
            else if (k_opinfo[op].flags & K_THROWS) w[1].u = pc;
            break;
        }
    }
    t->code = code;
    t->tw_of_pc = map;
    m->threaded = t;
    return 0;
}

static inline double   f_of(KSlot s)   { double d; memcpy(&d, &s, 8); return d; }
static inline KSlot    s_of(double d)  { KSlot s; memcpy(&s, &d, 8); return s; }
#define OBJ(s) ((KObject *)(uintptr_t)(s))
#define SLOT(p) ((KSlot)(uintptr_t)(p))

/* The bytecode pc of threaded word w (an instruction's first word): the slow paths
** of back-edges need it, so it is searched rather than stored. */
static uint32_t pc_of(const Threaded *th, const KMethod *m, const TW *w)
{
    int32_t idx = (int32_t)(w - th->code);
    for (uint32_t pc = 0; pc < m->code_len; pc++)
        if (th->tw_of_pc[pc] == idx) return pc;
    return 0;
}

/* The back-edge count at which activations of m try OSR. */
static uint64_t osr_start(const KVM *vm, const KMethod *m)
{
    if (vm->cfg.tier != KILN_TIER_AUTO || m->jit_failed || !m->loop_header) return UINT64_MAX;
    return vm->osr_threshold ? vm->osr_threshold : IN_DEFAULT_OSR_THRESHOLD;
}

/* Slot arrays up to this many slots live on the C stack. */
#define SMALL_FRAME 256

static KSlot run(KVM *vm, KMethod *m, KSlot *args)
{
    static const void *const labels[OP__COUNT] = {
#define OP(name, mn, fmt, sig, flags) [OP_##name] = &&L_##name,
#include "../vm/opcodes.def"
#undef OP
    };
    KFrame fr = { vm->frame, m, 0 };
    KSlot result = 0;
    vm->frame = &fr;
    if (++vm->depth > vm->max_depth || (char *)&fr < (char *)vm->stack_limit) {
        vm_throw_stack_overflow(vm);
        goto out;
    }
    /* A method entry is a safepoint (not catchable by the method itself). */
    if (__builtin_expect(vm->interrupt != 0, 0) && in_safepoint(vm)) goto out;
    if (!m->threaded) {
        if (predecode(vm, m, labels)) goto out;
        m->osr_at = osr_start(vm, m);
    }

    size_t nslots = (size_t)m->max_locals + m->max_stack;
    KSlot *locals = nslots <= SMALL_FRAME ? __builtin_alloca(sizeof(KSlot) * (nslots + 1))
                                          : gc_alloc(sizeof(KSlot) * nslots);
    if (!locals) { vm_throw(vm, vm->c_error, "out of memory"); goto out; }
    memcpy(locals, args, sizeof(KSlot) * m->nargs);
    KSlot *stack = locals + m->max_locals;
    KSlot *sp = stack;
    Threaded *th = m->threaded;
    TW *ip = th->code;
    TW *loop_head;      /* the target of the back-edge being taken (`backedge:`) */

#define DISPATCH() goto *ip->h
#define NEXT(n)    do { ip += (n); DISPATCH(); } while (0)
/* A taken back-edge counts in m->backedges and is a safepoint: two predicted-not-
** taken tests, the OSR trigger and the interrupt flag, lead to `backedge:`. */
#define BRANCH(cond) do { \
        if (cond) { \
            TW *to_ = ip[1].t; \
            if (to_ <= ip && (__builtin_expect(++m->backedges >= m->osr_at, 0) || \
                              __builtin_expect(vm->interrupt != 0, 0))) { \
                loop_head = to_; goto backedge; } \
            ip = to_; DISPATCH(); } \
        NEXT(2); } while (0)
#define BINOP(expr) do { uint64_t b = sp[-1], a = sp[-2]; (void)a; (void)b; sp[-2] = (expr); sp--; NEXT(1); } while (0)
/* b == -1 is special-cased: INT64_MIN / -1 wraps (and traps in hardware). */
#define DIVOP(if_minus1, expr) do { \
        int64_t b = (int64_t)sp[-1], a = (int64_t)sp[-2]; \
        if (b == 0) { fr.pc = (uint32_t)ip[1].u; vm_throw_div_zero(vm); goto unwind; } \
        sp[-2] = b == -1 ? (uint64_t)(if_minus1) : (uint64_t)(expr); \
        sp--; NEXT(2); } while (0)
#define CMP(op)     BINOP((int64_t)a op (int64_t)b)

    DISPATCH();

L_NOP:          NEXT(1);
L_ICONST:       *sp++ = (KSlot)ip[1].i; NEXT(2);
L_BCONST:       *sp++ = (KSlot)ip[1].i; NEXT(2);
L_LDC:          /* rewritten to ICONST by predecode */
L_ACONST_NULL:  __builtin_unreachable();
L_LOAD:         *sp++ = locals[ip[1].u]; NEXT(2);
L_STORE:        locals[ip[1].u] = *--sp; NEXT(2);
L_IINC:         locals[ip[1].u] += (uint64_t)ip[2].i; NEXT(3);
L_POP:          sp--; NEXT(1);
L_DUP:          sp[0] = sp[-1]; sp++; NEXT(1);

L_IADD:         BINOP(a + b);
L_ISUB:         BINOP(a - b);
L_IMUL:         BINOP(a * b);
L_IDIV:         DIVOP(0 - (uint64_t)a, a / b);
L_IREM:         DIVOP(0, a % b);
L_INEG:         sp[-1] = 0 - sp[-1]; NEXT(1);
L_IAND:         BINOP(a & b);
L_IOR:          BINOP(a | b);
L_IXOR:         BINOP(a ^ b);
L_ISHL:         BINOP(a << (b & 63));
L_ISHR:         BINOP((uint64_t)((int64_t)a >> (b & 63)));
L_IUSHR:        BINOP(a >> (b & 63));

L_ICMPEQ:       CMP(==);
L_ICMPNE:       CMP(!=);
L_ICMPLT:       CMP(<);
L_ICMPLE:       CMP(<=);
L_ICMPGT:       CMP(>);
L_ICMPGE:       CMP(>=);
L_ZCMPEQ:       BINOP(a == b);
L_ZCMPNE:       BINOP(a != b);
L_ZNOT:         sp[-1] ^= 1; NEXT(1);
L_SCMPEQ:       BINOP((uint64_t)vm_string_eq((KString *)(uintptr_t)a, (KString *)(uintptr_t)b));
L_SCMPNE:       BINOP((uint64_t)!vm_string_eq((KString *)(uintptr_t)a, (KString *)(uintptr_t)b));

L_GOTO:         BRANCH(1);
L_IFTRUE:       sp--; BRANCH(sp[0]);
L_IFFALSE:      sp--; BRANCH(!sp[0]);
L_IF_ICMPEQ:    sp -= 2; BRANCH((int64_t)sp[0] == (int64_t)sp[1]);
L_IF_ICMPNE:    sp -= 2; BRANCH((int64_t)sp[0] != (int64_t)sp[1]);
L_IF_ICMPLT:    sp -= 2; BRANCH((int64_t)sp[0] <  (int64_t)sp[1]);
L_IF_ICMPLE:    sp -= 2; BRANCH((int64_t)sp[0] <= (int64_t)sp[1]);
L_IF_ICMPGT:    sp -= 2; BRANCH((int64_t)sp[0] >  (int64_t)sp[1]);
L_IF_ICMPGE:    sp -= 2; BRANCH((int64_t)sp[0] >= (int64_t)sp[1]);

L_RETURN:       result = 0; goto out;
L_RETVAL:       result = sp[-1]; goto out;

    /* ---- floats ---- */
#define FBIN(expr) do { double b = f_of(sp[-1]), a = f_of(sp[-2]); sp[-2] = s_of(expr); sp--; NEXT(1); } while (0)
#define FCMP(expr) do { double b = f_of(sp[-1]), a = f_of(sp[-2]); sp[-2] = (expr) ? 1 : 0; sp--; NEXT(1); } while (0)
L_FADD:         FBIN(a + b);
L_FSUB:         FBIN(a - b);
L_FMUL:         FBIN(a * b);
L_FDIV:         FBIN(a / b);
L_FREM:         FBIN(vm_fmod(a, b));
L_FNEG:         sp[-1] = s_of(-f_of(sp[-1])); NEXT(1);
L_FCMPEQ:       FCMP(a == b);
L_FCMPNE:       FCMP(a != b);
L_FCMPLT:       FCMP(a < b);
L_FCMPLE:       FCMP(a <= b);
L_FCMPGT:       FCMP(a > b);
L_FCMPGE:       FCMP(a >= b);
L_I2F:          sp[-1] = s_of((double)(int64_t)sp[-1]); NEXT(1);
L_F2I:          sp[-1] = (KSlot)vm_f2i(f_of(sp[-1])); NEXT(1);

    /* ---- references ---- */
L_ACMPEQ:       BINOP(a == b);
L_ACMPNE:       BINOP(a != b);
L_OEQ:          BINOP((uint64_t)vm_obj_eq(vm, OBJ(a), OBJ(b)));
L_ONE:          BINOP((uint64_t)!vm_obj_eq(vm, OBJ(a), OBJ(b)));
L_IFNULL:       sp--; BRANCH(sp[0] == 0);
L_IFNONNULL:    sp--; BRANCH(sp[0] != 0);

#define SAVE_PC()  (fr.pc = (uint32_t)ip[2].u)
#define CACHED(T, resolve) ({ \
        T c_ = ip[3].p; \
        if (!c_) { SAVE_PC(); c_ = resolve; if (!c_) goto unwind; ip[3].p = c_; } \
        c_; })

L_CHECKCAST: {
    KClass *c = CACHED(KClass *, ld_resolve_class(vm, m->cls, (uint16_t)ip[1].u));
    KObject *o = OBJ(sp[-1]);
    if (o && o->cls != c && !vm_is_assignable(o->cls, c)) { SAVE_PC(); vm_throw_cast(vm, o, c); goto unwind; }
    NEXT(4);
}
L_INSTANCEOF: {
    KClass *c = CACHED(KClass *, ld_resolve_class(vm, m->cls, (uint16_t)ip[1].u));
    KObject *o = OBJ(sp[-1]);
    sp[-1] = o && (o->cls == c || vm_is_assignable(o->cls, c));
    NEXT(4);
}

    /* ---- objects ---- */
L_NEW: {
    KClass *c = ip[3].p;
    if (!c) {
        SAVE_PC();
        c = ld_resolve_class(vm, m->cls, (uint16_t)ip[1].u);
        if (!c || ld_ensure_init(vm, c)) goto unwind;
        ip[3].p = c;
    }
    SAVE_PC();
    KObject *o = vm_new_object(vm, c);
    if (!o) goto unwind;
    *sp++ = SLOT(o);
    NEXT(4);
}
L_GETFIELD: {
    KField *f = CACHED(KField *, ld_resolve_field(vm, m->cls, (uint16_t)ip[1].u, 0));
    KObject *o = OBJ(sp[-1]);
    if (!o) { SAVE_PC(); vm_throw_null(vm, "cannot read a field of null"); goto unwind; }
    sp[-1] = *(KSlot *)((char *)o + f->offset);
    NEXT(4);
}
L_PUTFIELD: {
    KField *f = CACHED(KField *, ld_resolve_field(vm, m->cls, (uint16_t)ip[1].u, 0));
    KObject *o = OBJ(sp[-2]);
    if (!o) { SAVE_PC(); vm_throw_null(vm, "cannot write a field of null"); goto unwind; }
    *(KSlot *)((char *)o + f->offset) = sp[-1];
    sp -= 2;
    NEXT(4);
}
#define STATIC_FIELD(f) \
    KField *f = ip[3].p; \
    if (!f) { \
        SAVE_PC(); \
        f = ld_resolve_field(vm, m->cls, (uint16_t)ip[1].u, 1); \
        if (!f || ld_ensure_init(vm, f->owner)) goto unwind; \
        ip[3].p = f; \
    }
L_GETSTATIC: { STATIC_FIELD(f); *sp++ = f->owner->statics[f->offset]; NEXT(4); }
L_PUTSTATIC: { STATIC_FIELD(f); f->owner->statics[f->offset] = *--sp; NEXT(4); }

    /* ---- calls ---- */
L_INVOKESTATIC: {
    KMethod *callee = ip[3].p;
    SAVE_PC();
    if (!callee) {
        callee = ld_resolve_method(vm, m->cls, (uint16_t)ip[1].u);
        if (!callee || ld_ensure_init(vm, callee->cls)) goto unwind;
        ip[3].p = callee;
    }
    sp -= callee->nargs;
    KSlot r = callee->entry(vm, callee, sp);
    if (vm->exc) goto unwind;
    if (callee->ret != 'V') *sp++ = r;
    NEXT(4);
}
/* The callee of invokespecial is the resolved method; invokevirtual dispatches
** through the receiver's vtable. */
#define INVOKE_INSTANCE(dispatch) do { \
        KMethod *callee = CACHED(KMethod *, ld_resolve_instance_method(vm, m->cls, (uint16_t)ip[1].u)); \
        SAVE_PC(); \
        sp -= callee->nargs; \
        KObject *recv = OBJ(sp[0]); \
        if (!recv) { vm_throw_null(vm, "cannot call a method on null"); goto unwind; } \
        if ((dispatch) && callee->vindex >= 0) callee = recv->cls->vtable[callee->vindex]; \
        KSlot r = callee->entry(vm, callee, sp); \
        if (vm->exc) goto unwind; \
        if (callee->ret != 'V') *sp++ = r; \
        NEXT(4); } while (0)
L_INVOKESPECIAL: INVOKE_INSTANCE(0);
L_INVOKEVIRTUAL: INVOKE_INSTANCE(1);
L_INVOKEINTERFACE: {
    KMethod *im = CACHED(KMethod *, ld_resolve_interface_method(vm, m->cls, (uint16_t)ip[1].u));
    SAVE_PC();
    sp -= im->nargs;
    KObject *recv = OBJ(sp[0]);
    if (!recv) { vm_throw_null(vm, "cannot call a method on null"); goto unwind; }
    KMethod *callee = NULL;
    {   /* monomorphic inline cache, allocated on first use: class -> target */
        struct IC { KClass *cls; KMethod *target; } *ic = ip[4].p;
        if (ic && ic->cls == recv->cls) callee = ic->target;
        else {
            callee = vm_find_interface_impl(vm, recv->cls, im);
            if (!callee) goto unwind;
            if (!ic) { ic = gc_alloc(sizeof *ic); ip[4].p = ic; }
            if (ic) { ic->cls = recv->cls; ic->target = callee; }
        }
    }
    KSlot r = callee->entry(vm, callee, sp);
    if (vm->exc) goto unwind;
    if (callee->ret != 'V') *sp++ = r;
    NEXT(5);
}

    /* ---- arrays ---- */
#define ARR(s)  ((KArray *)(uintptr_t)(s))
L_NEWARRAY: {
    KClass *c = CACHED(KClass *, ld_resolve_class(vm, m->cls, (uint16_t)ip[1].u));
    SAVE_PC();
    KArray *a = vm_new_array(vm, c, (int64_t)sp[-1]);
    if (!a) goto unwind;
    sp[-1] = SLOT(a);
    NEXT(4);
}
L_MULTINEWARRAY: {
    KClass *c = CACHED(KClass *, ld_resolve_class(vm, m->cls, (uint16_t)ip[1].u));
    int dims = (int)ip[4].u;
    sp -= dims;
    SAVE_PC();
    KArray *a = vm_new_multiarray(vm, c, dims, sp);
    if (!a) goto unwind;
    *sp++ = SLOT(a);
    NEXT(5);
}
#define PC1() (fr.pc = (uint32_t)ip[1].u)
L_ARRAYLENGTH: {
    KArray *a = ARR(sp[-1]);
    if (!a) { PC1(); vm_throw_null(vm, "cannot get the length of null"); goto unwind; }
    sp[-1] = (KSlot)a->length;
    NEXT(2);
}
#define INDEX_CHECK(a, i) do { \
        if (!(a)) { PC1(); vm_throw_null(vm, "cannot index null"); goto unwind; } \
        if ((uint64_t)(i) >= (uint64_t)(a)->length) { PC1(); vm_throw_index(vm, (int64_t)(i), (a)->length); goto unwind; } \
    } while (0)
L_AGET: {
    KArray *a = ARR(sp[-2]);
    KSlot i = sp[-1];
    INDEX_CHECK(a, i);
    sp[-2] = a->data[i];
    sp--;
    NEXT(2);
}
L_APUT: {
    KArray *a = ARR(sp[-3]);
    KSlot i = sp[-2];
    INDEX_CHECK(a, i);
    a->data[i] = sp[-1];
    sp -= 3;
    NEXT(2);
}
L_BGET: {
    KArray *a = ARR(sp[-2]);
    KSlot i = sp[-1];
    INDEX_CHECK(a, i);
    sp[-2] = ((uint8_t *)a->data)[i];
    sp--;
    NEXT(2);
}
L_BPUT: {
    KArray *a = ARR(sp[-3]);
    KSlot i = sp[-2];
    INDEX_CHECK(a, i);
    ((uint8_t *)a->data)[i] = (uint8_t)sp[-1];
    sp -= 3;
    NEXT(2);
}

    /* ---- strings ---- */
#define STR(s) ((KString *)(uintptr_t)(s))
L_SLEN: {
    KString *s = STR(sp[-1]);
    if (!s) { PC1(); vm_throw_null(vm, "cannot get the length of null"); goto unwind; }
    sp[-1] = (KSlot)s->len;
    NEXT(2);
}
L_SGET: {
    KString *s = STR(sp[-2]);
    KSlot i = sp[-1];
    if (!s) { PC1(); vm_throw_null(vm, "cannot index null"); goto unwind; }
    if (i >= (uint64_t)s->len) { PC1(); vm_throw_index(vm, (int64_t)i, s->len); goto unwind; }
    sp[-2] = (uint8_t)s->data[i];
    sp--;
    NEXT(2);
}
L_SCONCAT: {
    PC1();
    KString *s = vm_concat(vm, STR(sp[-2]), STR(sp[-1]));
    if (!s) goto unwind;
    sp[-2] = SLOT(s);
    sp--;
    NEXT(2);
}

    /* ---- closures ---- */
L_MKCLOSURE: {
    KMethod *fn = CACHED(KMethod *, ld_resolve_method(vm, m->cls, (uint16_t)ip[1].u));
    int n = (int)ip[4].u;
    sp -= n;
    SAVE_PC();
    KClosure *c = vm_new_closure(vm, fn, n, sp);
    if (!c) goto unwind;
    *sp++ = SLOT(c);
    NEXT(5);
}
L_INVOKECLOSURE: {
    int nargs = (int)(uint32_t)ip[3].u;
    int has_result = (int)(ip[3].u >> 32);
    SAVE_PC();
    sp -= nargs + 1;
    KClosure *c = (KClosure *)OBJ(sp[0]);
    if (!c) { vm_throw_null(vm, "cannot call null"); goto unwind; }
    KSlot r = vm_call_closure(vm, c, sp + 1, m->cls->cp[ip[1].u].v.utf8.s);
    if (vm->exc) goto unwind;
    if (has_result) *sp++ = r;
    NEXT(4);
}

    /* ---- errors and shuffles ---- */
L_THROW: {
    KObject *e = OBJ(sp[-1]);
    PC1();
    if (!e) vm_throw_null(vm, "cannot throw null");
    else vm->exc = e;
    goto unwind;
}
L_DUP2:         sp[0] = sp[-2]; sp[1] = sp[-1]; sp += 2; NEXT(1);
L_DUP_X1: { KSlot b = sp[-1], a = sp[-2]; sp[-2] = b; sp[-1] = a; sp[0] = b; sp++; NEXT(1); }
L_DUP_X2: { KSlot c = sp[-1], b = sp[-2], a = sp[-3]; sp[-3] = c; sp[-2] = a; sp[-1] = b; sp[0] = c; sp++; NEXT(1); }
L_SWAP:   { KSlot b = sp[-1]; sp[-1] = sp[-2]; sp[-2] = b; NEXT(1); }

backedge:
    /* ip is a branch taking a back-edge to loop_head: a safepoint, then perhaps OSR. */
    if (vm->interrupt) {
        int why = in_safepoint_tick(vm);
        if (why) {                      /* the pc is searched only when it is needed */
            fr.pc = pc_of(th, m, ip);
            in_safepoint_throw(vm, why);
            goto unwind;
        }
    }
    if (m->backedges >= m->osr_at) {
        /* On-stack replacement: the operand stack is empty at a loop header (the
        ** verifier checks it), so the locals are the whole state. The compiled code
        ** links its own frame for this method; this activation's frame leaves first. */
        uint32_t hpc = pc_of(th, m, loop_head);
        void *target = jit_osr_target(vm, m, hpc);
        if (target) {
            m->osr_entries++;
            vm->frame = fr.prev;
            vm->depth--;
            return jit_osr_enter(vm, m, locals, target);
        }
        m->osr_at = UINT64_MAX;         /* tier 1 refused the method: stay here */
    }
    ip = loop_head;
    DISPATCH();

unwind:
    /* vm->exc is set and fr.pc is the throwing instruction: find a handler. */
    for (int i = 0; i < m->nhandlers; i++) {
        KHandler *h = &m->handlers[i];
        if (fr.pc < h->start || fr.pc >= h->end) continue;
        if (h->catch_class) {
            KObject *pending = vm->exc;
            vm->exc = NULL;
            KClass *cc = ld_resolve_class(vm, m->cls, h->catch_class);
            vm->exc = pending;      /* a catch class that cannot be found catches nothing */
            if (!cc) continue;
            if (!vm_is_subclass(pending->cls, cc)) continue;
        }
        sp = stack;
        *sp++ = (KSlot)(uintptr_t)vm->exc;
        vm->exc = NULL;
        ip = &th->code[th->tw_of_pc[h->handler]];
        DISPATCH();
    }
    result = 0;
out:
    vm->frame = fr.prev;
    vm->depth--;
    return result;
}

/* Tier-up on calls: in auto mode a method runs interpreted for its first
** cfg.jit_threshold calls and is compiled on the next one (or earlier, by OSR). */
KSlot in_entry(KVM *vm, KMethod *m, KSlot *args)
{
    uint64_t n = ++m->invocations;
    if (vm->cfg.tier != KILN_TIER_INTERP && !m->jit_failed &&
        (vm->cfg.tier == KILN_TIER_1 || n > (uint64_t)vm->cfg.jit_threshold) &&
        jit_compile(vm, m) == 0) {
        m->invocations--;          /* the compiled prologue counts this call */
        return m->entry(vm, m, args);
    }
    return run(vm, m, args);
}

/* ---- safepoints ---------------------------------------------------------- */

void vm_request_interrupt(KVM *vm)
{
    __atomic_fetch_or(&vm->interrupt, KINTR_REQUEST, __ATOMIC_SEQ_CST);
}

void vm_set_budget(KVM *vm, int64_t n)
{
    vm->budget = n > 0 ? n : 0;
    vm->budget_left = vm->budget;
    if (vm->budget) __atomic_fetch_or(&vm->interrupt, KINTR_BUDGET, __ATOMIC_SEQ_CST);
    else __atomic_fetch_and(&vm->interrupt, ~KINTR_BUDGET, __ATOMIC_SEQ_CST);
}

void vm_safepoint_reset(KVM *vm)
{
    __atomic_fetch_and(&vm->interrupt, ~KINTR_REQUEST, __ATOMIC_SEQ_CST);
    vm->budget_left = vm->budget;
}

int in_safepoint_tick(KVM *vm)
{
    int f = vm->interrupt;
    if (f & KINTR_REQUEST) return KINTR_REQUEST;
    if ((f & KINTR_BUDGET) && --vm->budget_left < 0) {
        vm->budget_left = -1;           /* stays exhausted: every later tick throws too */
        return KINTR_BUDGET;
    }
    return 0;
}

void in_safepoint_throw(KVM *vm, int why)
{
    if (!vm->c_interrupted_error)
        vm->c_interrupted_error = vm_find_class(vm, "std.core.InterruptedError");
    vm_throw(vm, vm->c_interrupted_error ? vm->c_interrupted_error : vm->c_error, "%s",
             why == KINTR_REQUEST ? "interrupted" : "execution budget exhausted");
}

int in_safepoint(KVM *vm)
{
    int why = in_safepoint_tick(vm);
    if (!why) return 0;
    in_safepoint_throw(vm, why);
    return 1;
}

KSlot in_call_unresolved(KVM *vm, KClass *from, uint16_t idx, KSlot *args)
{
    KMethod *callee = ld_resolve_method(vm, from, idx);
    if (!callee) return 0;
    return callee->entry(vm, callee, args);
}

void in_free_method(KMethod *m)
{
    m->threaded = NULL;     /* GC memory */
}
