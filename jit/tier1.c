/*
** jit/tier1.c — tier 1: one pass from verified bytecode to sljit.
**
** The method becomes a C-callable function with the common calling convention
**     KSlot fn(KVM *vm, KMethod *m, KSlot *args)
** whose native frame is described in backend.h. The prologue copies the arguments
** into the locals, counts the call in m->invocations, links the frame into
** vm->frame and, like the interpreter, checks vm->depth against vm->max_depth and
** the frame's address against vm->stack_limit; every return and the exception
** exit unlink it again.
**
** Registers
**   S0          vm, for the whole activation
**   S1 .. S5    locals 0..4 (as many as the method has); the others live in slots
**   R0 .. R5    values of the operand stack (see "virtual stack" below)
**   R6          spare temporary
**   FR0, FR1    float temporaries within one instruction (no float register is
**               preserved across calls, so floats live in slots between instructions)
**
** Virtual stack. The operand stack is modelled at compile time: an entry is an
** immediate, a reference to a local ("the current value of local n"), a value in
** a scratch register, or a value in its own stack slot. Instructions combine
** entries directly, so `load a; iconst 1; iadd; store a` becomes an add and a
** move, and `load i; load n; if_icmplt` one compare and one jump. At every
** basic-block boundary (branch, branch target) the stack is flushed: every live
** entry is written to its slot, so all paths agree at a join. Before a call only
** the register entries are written out (calls clobber R0..R6; locals, immediates
** and slots survive), and the call's own arguments go to their slots, which form
** the callee's `args` array. Entries that refer to a local are flushed before the
** local is written. A comparison followed by iftrue/iffalse (not a branch target)
** becomes one compare-and-jump. Constant operands are folded.
**
** Floats are 64-bit IEEE values kept as their bits: they move like ints, and an
** arithmetic instruction loads its operands from memory into FR0/FR1 and stores
** the result to its slot. Float comparisons follow IEEE (false with a NaN,
** except fcmpne); where the CPU has no single flag for "ordered and equal" the
** test takes two flags.
**
** Constant-pool operands are resolved at compile time (resolution never runs
** initializers, so doing it early is invisible); classes, fields and methods are
** then immediates (all reachable from vm->classes). A reference that cannot be
** resolved compiles to a call that resolves it again at run time and so throws
** the interpreter's LinkError at the same pc. Instructions that run a class's
** initializer (new, getstatic, putstatic, invokestatic) test the class's
** init_state inline when it is not initialised at compile time.
**
** Rare paths leave the straight line: null receivers, bad indices and division by
** zero jump to stubs after the code that store the pc and call the same vm_throw_*
** helper with the same message as the interpreter; every call is followed by a
** check of vm->exc (or of a NULL result). A pending error goes to the shared
** exception exit (unlink the frame, return 0) or, when the pc is covered by an
** exception handler, to a dispatch that asks t1_catch which handler (the
** interpreter's rule) and continues there with the error alone on the stack.
**
** invokeinterface has a monomorphic inline cache per call site (receiver class ->
** target method) in GC memory hung off m->jit_data.
**
** Taken loop back-edges are counted in m->backedges, like the interpreter does.
**
** Safepoints (docs/architecture.md): every taken back-edge and the prologue test
** vm->interrupt (one 32-bit compare with memory and a branch); when it is set an
** out-of-line path stores the pc and calls in_safepoint, which may throw
** InterruptedError: at a back-edge like any throwing instruction (handlers apply), at
** the entry straight to the exception exit.
**
** OSR entry (backend.h, JitData): a method with loop headers gets a second entry,
** emitted after everything else with a second sljit_emit_enter of identical register
** counts and local size, so both entries share one frame layout. It links the frame,
** loads the locals from the interpreter's slot array and jumps to the header whose
** machine address the interpreter passes (the operand stack is empty at a loop header,
** the verifier checks it, so no stack state needs to move).
*/
#include <stdint.h>
#include <stdlib.h>
#include "backend.h"
#include "jit.h"
#include "../loader/loader.h"
#include "../interp/interp.h"

#define T1_SCRATCHES     7      /* R0..R6 */
#define T1_FSCRATCHES    2      /* FR0, FR1 */
#define T1_VALUE_REGS    6      /* R0..R5 hold stack values */
#define T1_MAX_REG_LOCALS 5     /* S1..S5 */
#define T1_TMP           SLJIT_R6
#define T1_VM            SLJIT_S0

#define F64_SIGN   ((sljit_sw)(UINT64_C(1) << 63))
#define F64_ABS    ((sljit_sw)~(UINT64_C(1) << 63))
#define F64_INF    ((sljit_sw)UINT64_C(0x7ff0000000000000))

enum { VK_SLOT, VK_IMM, VK_LOCAL, VK_REG };

typedef struct {
    uint8_t  kind;
    uint8_t  reg;       /* VK_REG: value register index (R0 + reg) */
    uint16_t local;     /* VK_LOCAL */
    sljit_sw imm;       /* VK_IMM */
} VEnt;

/* A jump waiting for a label that is not emitted yet. */
typedef struct {
    struct sljit_jump *jump;
    uint32_t pc;        /* branch target, or the throwing instruction */
} Fixup;

typedef struct {
    Fixup  *v;
    size_t  n, cap;
} FixList;

/* Out-of-line error paths, emitted after the code. */
enum { ST_DIVZERO, ST_NULL, ST_INDEX, ST_SAFEPOINT };

typedef struct {
    struct sljit_jump *jump;
    uint32_t    pc;         /* the throwing instruction */
    uint8_t     kind;       /* ST_* */
    uint8_t     areg;       /* ST_INDEX: value register holding the array or string */
    const char *what;       /* ST_NULL: the message */
    sljit_s32   ia;         /* ST_INDEX: the index operand (still valid at the stub) */
    sljit_sw    iaw;
    sljit_sw    lenoff;     /* ST_INDEX: offset of the length field */
    uint32_t    tgt;        /* ST_SAFEPOINT: the loop header the back-edge goes to */
} Stub;

typedef struct {
    Stub   *v;
    size_t  n, cap;
} StubList;

/* Inline cache of one invokeinterface site (GC memory, m->jit_data). */
typedef struct {
    KClass  *cls;       /* receiver class seen last, or NULL */
    KMethod *target;    /* its implementation of im */
    KMethod *im;        /* the interface method */
} T1IC;

typedef struct {
    KVM                   *vm;
    KMethod               *m;
    struct sljit_compiler *c;
    const uint8_t         *code;
    uint32_t               len;
    int32_t               *depth;     /* stack depth before each instruction; -1 unreached */
    uint8_t               *target;    /* 1 where a branch lands */
    struct sljit_label   **labels;    /* by pc, for branch targets */
    FixList                branches;  /* jumps to bytecode targets */
    StubList               stubs;     /* jumps to error stubs */
    FixList                exits;     /* jumps taken when an error is pending, by pc */
    struct sljit_label   **catch_at;  /* by pc: handler dispatch for throws at pc */
    struct sljit_label   **hentry;    /* by handler: pushes the error, jumps to it */
    VEnt                  *vs;        /* the virtual stack */
    int                    sp;
    unsigned               busy;      /* value registers in use (bit i = R(i)) */
    int                    nreg_locals;
    int                    nlocals;
    T1IC                  *ics;       /* inline caches (GC memory), nic used of maxic */
    int                    nic, maxic;
    const char            *err;       /* first refusal reason */
    struct sljit_jump     *entry_sp;  /* prologue: taken when vm->interrupt is set */
    struct sljit_label    *entry_resume;
} T1;

/* ---- small helpers ------------------------------------------------------- */

static void fix_add(T1 *t, FixList *l, struct sljit_jump *j, uint32_t pc) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        Fixup *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            if (!t->err) t->err = "out of memory";
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].jump = j;
    l->v[l->n].pc = pc;
    l->n++;
}

/* Where local n lives. */
static void local_home(const T1 *t, int n, sljit_s32 *a, sljit_sw *w) {
    if (n < t->nreg_locals) {
        *a = SLJIT_S(1 + n);
        *w = 0;
    } else {
        *a = SLJIT_MEM1(SLJIT_SP);
        *w = JB_SLOT(n - t->nreg_locals);
    }
}

/* The slot of operand-stack depth d (after the locals that live in memory). */
static sljit_sw stack_off(const T1 *t, int d) {
    return JB_SLOT(t->nlocals - t->nreg_locals + d);
}

/* The sljit operand for virtual-stack entry d. */
static void opnd(const T1 *t, int d, sljit_s32 *a, sljit_sw *w) {
    const VEnt *e = &t->vs[d];
    switch (e->kind) {
    case VK_IMM:   *a = SLJIT_IMM; *w = e->imm; break;
    case VK_LOCAL: local_home(t, e->local, a, w); break;
    case VK_REG:   *a = SLJIT_R(e->reg); *w = 0; break;
    default:       *a = SLJIT_MEM1(SLJIT_SP); *w = stack_off(t, d); break;
    }
}

/* Writes entry d to its slot. */
static void spill(T1 *t, int d) {
    VEnt *e = &t->vs[d];
    sljit_s32 a;
    sljit_sw w;
    if (e->kind == VK_SLOT) return;
    opnd(t, d, &a, &w);
    sljit_emit_op1(t->c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), stack_off(t, d), a, w);
    if (e->kind == VK_REG) t->busy &= ~(1u << e->reg);
    e->kind = VK_SLOT;
}

/* Makes the stack canonical: every entry in its slot, no register busy. */
static void flush_all(T1 *t) {
    for (int d = 0; d < t->sp; d++) spill(t, d);
    t->busy = 0;
}

/* A free value register; spills the deepest register entry if none is free. */
static int alloc_reg(T1 *t) {
    for (int r = 0; r < T1_VALUE_REGS; r++)
        if (!(t->busy & (1u << r))) {
            t->busy |= 1u << r;
            return r;
        }
    for (int d = 0; d < t->sp; d++)
        if (t->vs[d].kind == VK_REG) {
            int r = t->vs[d].reg;
            spill(t, d);
            t->busy |= 1u << r;
            return r;
        }
    /* not reached: every busy register belongs to a live entry */
    t->err = "tier 1: register allocation failed";
    return 0;
}

/* Pops an entry; its register (if any) becomes free but keeps its value until
** the next allocation. */
static VEnt pop(T1 *t, sljit_s32 *a, sljit_sw *w) {
    t->sp--;
    opnd(t, t->sp, a, w);
    VEnt e = t->vs[t->sp];
    if (e.kind == VK_REG) t->busy &= ~(1u << e.reg);
    return e;
}

static void push_imm(T1 *t, sljit_sw v) {
    VEnt *e = &t->vs[t->sp++];
    e->kind = VK_IMM;
    e->imm = v;
}

static void push_reg(T1 *t, int r) {
    VEnt *e = &t->vs[t->sp++];
    e->kind = VK_REG;
    e->reg = (uint8_t)r;
    t->busy |= 1u << r;
}

/* Before local n is written: entries still meaning "the value of local n" get
** their value now. */
static void kill_local(T1 *t, int n) {
    for (int d = 0; d < t->sp; d++)
        if (t->vs[d].kind == VK_LOCAL && t->vs[d].local == n) spill(t, d);
}

/* Stores the bytecode pc into frame.pc. */
static void store_pc(T1 *t, uint32_t pc) {
    sljit_emit_op1(t->c, SLJIT_MOV32, SLJIT_MEM1(SLJIT_SP), JB_FRAME_PC, SLJIT_IMM, (sljit_sw)pc);
}

/* After the call at pc: a pending error goes to a handler or the exception exit. */
static void check_exc(T1 *t, uint32_t pc) {
    struct sljit_jump *j = sljit_emit_cmp(t->c, SLJIT_NOT_EQUAL, SLJIT_MEM1(T1_VM), JB_VM_EXC,
                                          SLJIT_IMM, 0);
    fix_add(t, &t->exits, j, pc);
}

/* Unlinks the frame and returns R0. */
static void emit_epilogue(T1 *t) {
    struct sljit_compiler *c = t->c;
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_SP), JB_FRAME_PREV);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_FRAME, SLJIT_R1, 0);
    sljit_emit_op2(c, SLJIT_SUB, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_MEM1(T1_VM), JB_VM_DEPTH,
                   SLJIT_IMM, 1);
    sljit_emit_return(c, SLJIT_MOV, SLJIT_R0, 0);
}


/* Writes every register entry to its slot (before a call: R0..R6 are clobbered;
** locals, immediates and slots survive). */
static void spill_regs(T1 *t) {
    for (int d = 0; d < t->sp; d++)
        if (t->vs[d].kind == VK_REG) spill(t, d);
    t->busy = 0;
}

/* Before a call whose arguments are the entries base..sp-1: they go to their
** slots (the callee's args array), registers below them too. */
static void prepare_call(T1 *t, int base) {
    for (int d = 0; d < t->sp; d++)
        if (d >= base || t->vs[d].kind == VK_REG) spill(t, d);
    t->busy = 0;
}

/* Puts entry d into a value register and returns its index. */
static int ensure_reg(T1 *t, int d) {
    if (t->vs[d].kind == VK_REG) return t->vs[d].reg;
    int r = alloc_reg(t);       /* spills only register entries: d is not one */
    sljit_s32 a;
    sljit_sw w;
    opnd(t, d, &a, &w);
    sljit_emit_op1(t->c, SLJIT_MOV, SLJIT_R(r), 0, a, w);
    t->vs[d].kind = VK_REG;
    t->vs[d].reg = (uint8_t)r;
    return r;
}

/* Entry d as a memory operand (for float instructions). */
static void fmem(T1 *t, int d, sljit_s32 *a, sljit_sw *w) {
    const VEnt *e = &t->vs[d];
    if (e->kind == VK_REG || e->kind == VK_IMM || (e->kind == VK_LOCAL && e->local < t->nreg_locals))
        spill(t, d);
    opnd(t, d, a, w);
}

/* Pushes the value now in the slot of the next depth. */
static void push_slot(T1 *t) {
    t->vs[t->sp++].kind = VK_SLOT;
}

static int is_reg(sljit_s32 a) {
    return a != SLJIT_IMM && !(a & SLJIT_MEM);
}

static Stub *stub_add(T1 *t, int kind, struct sljit_jump *j, uint32_t pc) {
    StubList *l = &t->stubs;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        Stub *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            if (!t->err) t->err = "out of memory";
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    Stub *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    s->jump = j;
    s->pc = pc;
    s->kind = (uint8_t)kind;
    return s;
}

/* Throws NullError(what) at pc when operand a is null. */
static void null_check(T1 *t, sljit_s32 a, sljit_sw aw, uint32_t pc, const char *what) {
    Stub *s = stub_add(t, ST_NULL, sljit_emit_cmp(t->c, SLJIT_EQUAL, a, aw, SLJIT_IMM, 0), pc);
    if (s) s->what = what;
}

/* Calls a C helper (arguments already in R0..R3 / FR0, FR1). */
#define CALL_HELPER(t, types, fn) \
    sljit_emit_icall((t)->c, SLJIT_CALL, (types), SLJIT_IMM, SLJIT_FUNC_ADDR(fn))

/* After a helper that returns NULL on error (with the error pending). */
static void check_r0(T1 *t, uint32_t pc) {
    fix_add(t, &t->exits, sljit_emit_cmp(t->c, SLJIT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0), pc);
}

/* ---- runtime helpers called from generated code ----------------------------- */

/* Which resolution a LinkError slow path repeats. */
enum { LK_CLASS, LK_FIELD, LK_SFIELD, LK_STATIC, LK_INSTANCE, LK_IFACE };

/* Resolves constant idx of `from` again at run time: the reference failed at
** compile time, so this throws the same LinkError the interpreter would. */
static sljit_sw SLJIT_FUNC t1_link_error(KVM *vm, KClass *from, sljit_sw idx, sljit_sw kind) {
    uint16_t i = (uint16_t)idx;
    void *r;
    switch (kind) {
    case LK_CLASS:    r = ld_resolve_class(vm, from, i); break;
    case LK_FIELD:    r = ld_resolve_field(vm, from, i, 0); break;
    case LK_SFIELD:   r = ld_resolve_field(vm, from, i, 1); break;
    case LK_STATIC:   r = ld_resolve_method(vm, from, i); break;
    case LK_INSTANCE: r = ld_resolve_instance_method(vm, from, i); break;
    default:          r = ld_resolve_interface_method(vm, from, i); break;
    }
    if (r && !vm->exc)      /* resolvable now although it was not at compile time */
        vm_throw(vm, vm->c_link_error, "constant %u of %s could not be resolved when compiled",
                 (unsigned)i, from->name);
    return 0;
}

static sljit_sw SLJIT_FUNC t1_ensure_init(KVM *vm, KClass *c) {
    return ld_ensure_init(vm, c) != 0;
}

static sljit_sw SLJIT_FUNC t1_assignable(KClass *from, KClass *to) {
    return vm_is_assignable(from, to) != 0;
}

static sljit_sw SLJIT_FUNC t1_obj_eq(KVM *vm, KObject *a, KObject *b) {
    return vm_obj_eq(vm, a, b) != 0;
}

/* Inline-cache miss at an invokeinterface site: the implementation of ic->im in
** class cls (cached), or NULL with a LinkError pending. */
static KMethod *SLJIT_FUNC t1_iface_miss(KVM *vm, KClass *cls, T1IC *ic) {
    KMethod *target = vm_find_interface_impl(vm, cls, ic->im);
    if (target) {
        ic->cls = cls;
        ic->target = target;
    }
    return target;
}

/* ---- shared emitters ---------------------------------------------------------- */

/* The instruction at pc refers to constant idx that did not resolve: throw its
** LinkError at run time. The instruction ends the straight line. */
static void emit_link_error(T1 *t, uint32_t pc, uint16_t idx, int kind) {
    struct sljit_compiler *c = t->c;
    t->vm->exc = NULL;
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)t->m->cls);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, (sljit_sw)idx);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R3, 0, SLJIT_IMM, (sljit_sw)kind);
    CALL_HELPER(t, SLJIT_ARGS4(W, P, P, W, W), t1_link_error);
    fix_add(t, &t->exits, sljit_emit_jump(c, SLJIT_JUMP), pc);
}

/* Executing the instruction at pc runs cls's initializer first if it has not run.
** Nothing is emitted when it had run at compile time. */
static void emit_ensure_init(T1 *t, uint32_t pc, KClass *cls) {
    struct sljit_compiler *c = t->c;
    if (cls->init_state == KINIT_DONE) return;
    spill_regs(t);
    sljit_emit_op1(c, SLJIT_MOV_U8, T1_TMP, 0, SLJIT_MEM0(), (sljit_sw)&cls->init_state);
    struct sljit_jump *done = sljit_emit_cmp(c, SLJIT_EQUAL, T1_TMP, 0, SLJIT_IMM, KINIT_DONE);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)cls);
    CALL_HELPER(t, SLJIT_ARGS2(W, P, P), t1_ensure_init);
    fix_add(t, &t->exits, sljit_emit_cmp(c, SLJIT_NOT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0), pc);
    sljit_set_label(done, sljit_emit_label(c));
}

/* ---- pass 1: instruction boundaries, stack depths, branch targets --------- */

/* Pops and pushes of an instruction whose signature is not "*". */
static void sig_effect(const char *sig, int *pops, int *pushes) {
    const char *colon = sig;
    while (*colon && *colon != ':') colon++;
    *pops = (int)(colon - sig);
    *pushes = *colon ? (int)strlen(colon + 1) : 0;
}

/* The call at pc: the number of slots it pops (receiver or closure included) and
** its descriptor; -1 when the descriptor is malformed. */
static int call_shape(const T1 *t, uint32_t pc, const char **desc) {
    uint8_t op = t->code[pc];
    uint16_t idx = k_rd_u16(t->code + pc + 1);
    const char *cls, *name;
    if (op == OP_INVOKECLOSURE) *desc = t->m->cls->cp[idx].v.utf8.s;
    else ld_member_ref(t->m->cls, idx, &cls, &name, desc);
    int n = *desc ? vm_desc_nargs(*desc) : -1;
    if (n < 0) return -1;
    return op == OP_INVOKESTATIC ? n : n + 1;
}

/* Stack effect of the instruction at pc (net change), or INT32_MIN when it is
** not understood. */
static int stack_effect(T1 *t, uint32_t pc) {
    uint8_t op = t->code[pc];
    const KOpInfo *oi = &k_opinfo[op];
    if (oi->sig[0] != '*') {
        int pops, pushes;
        sig_effect(oi->sig, &pops, &pushes);
        return pushes - pops;
    }
    switch (op) {
    case OP_LDC: case OP_ACONST_NULL: case OP_LOAD: case OP_DUP: return 1;
    case OP_STORE: case OP_POP: case OP_RETVAL: return -1;
    case OP_RETURN: return 0;
    case OP_CHECKCAST: case OP_INSTANCEOF: case OP_GETFIELD: case OP_NEWARRAY:
    case OP_ARRAYLENGTH: case OP_SWAP: return 0;
    case OP_NEW: case OP_GETSTATIC: case OP_DUP_X1: case OP_DUP_X2: return 1;
    case OP_DUP2: return 2;
    case OP_PUTSTATIC: case OP_THROW: case OP_AGET: case OP_BGET: return -1;
    case OP_PUTFIELD: return -2;
    case OP_APUT: case OP_BPUT: return -3;
    case OP_MULTINEWARRAY: case OP_MKCLOSURE: return 1 - (int)t->code[pc + 3];
    case OP_INVOKESTATIC: case OP_INVOKEVIRTUAL: case OP_INVOKESPECIAL: case OP_INVOKEINTERFACE:
    case OP_INVOKECLOSURE: {
        const char *desc;
        int n = call_shape(t, pc, &desc);
        if (n < 0) return INT32_MIN;
        return (vm_desc_ret(desc) == 'V' ? 0 : 1) - n;
    }
    default: return INT32_MIN;
    }
}

/* Worklist over the control-flow graph from pc 0. */
static int analyse(T1 *t) {
    uint32_t *work = malloc(((size_t)t->len + t->m->nhandlers + 1) * sizeof *work);
    size_t nwork = 0;
    if (!work) { t->err = "out of memory"; return -1; }
    for (uint32_t i = 0; i < t->len; i++) t->depth[i] = -1;
    t->depth[0] = 0;
    work[nwork++] = 0;
    /* A handler starts with the error alone on the stack. */
    for (int i = 0; i < t->m->nhandlers; i++) {
        const KHandler *h = &t->m->handlers[i];
        if (h->handler >= t->len || h->start > h->end || h->end > t->len) {
            t->err = "tier 1: bad exception handler";
            goto fail;
        }
        t->target[h->handler] = 1;
        if (t->depth[h->handler] < 0) {
            t->depth[h->handler] = 1;
            work[nwork++] = h->handler;
        } else if (t->depth[h->handler] != 1) {
            t->err = "tier 1: stack depths differ at a join"; goto fail;
        }
    }
    while (nwork) {
        uint32_t pc = work[--nwork];
        for (;;) {
            uint8_t op = t->code[pc];
            if (op >= OP__COUNT) { t->err = "tier 1: unknown opcode"; goto fail; }
            const KOpInfo *oi = &k_opinfo[op];
            if (pc + (uint32_t)oi->size > t->len) { t->err = "tier 1: truncated code"; goto fail; }
            int eff = stack_effect(t, pc);
            if (eff == INT32_MIN) { t->err = "tier 1: bad descriptor"; goto fail; }
            int d = t->depth[pc] + eff;
            if (d < 0 || d > t->m->max_stack) { t->err = "tier 1: stack depth out of range"; goto fail; }
            if (oi->flags & K_BRANCH) {
                int64_t tgt = (int64_t)pc + k_rd_i32(t->code + pc + 1);
                if (tgt < 0 || tgt >= t->len) { t->err = "tier 1: bad branch"; goto fail; }
                t->target[tgt] = 1;
                if (t->depth[tgt] < 0) {
                    t->depth[tgt] = d;
                    work[nwork++] = (uint32_t)tgt;
                } else if (t->depth[tgt] != d) {
                    t->err = "tier 1: stack depths differ at a join"; goto fail;
                }
            }
            if (oi->flags & K_END) break;
            uint32_t next = pc + (uint32_t)oi->size;
            if (next >= t->len) { t->err = "tier 1: code falls off the end"; goto fail; }
            if (t->depth[next] >= 0) {
                if (t->depth[next] != d) { t->err = "tier 1: stack depths differ at a join"; goto fail; }
                break;
            }
            t->depth[next] = d;
            pc = next;
        }
    }
    free(work);
    return 0;
fail:
    free(work);
    return -1;
}

/* ---- pass 2: code generation ---------------------------------------------- */

static sljit_s32 icmp_cond(uint8_t op) {
    switch (op) {
    case OP_ICMPEQ: case OP_ZCMPEQ: case OP_IF_ICMPEQ: case OP_ACMPEQ: return SLJIT_EQUAL;
    case OP_ICMPNE: case OP_ZCMPNE: case OP_IF_ICMPNE: case OP_ACMPNE: return SLJIT_NOT_EQUAL;
    case OP_ICMPLT: case OP_IF_ICMPLT: return SLJIT_SIG_LESS;
    case OP_ICMPLE: case OP_IF_ICMPLE: return SLJIT_SIG_LESS_EQUAL;
    case OP_ICMPGT: case OP_IF_ICMPGT: return SLJIT_SIG_GREATER;
    default:        return SLJIT_SIG_GREATER_EQUAL;
    }
}

/* The inverse of a condition above (sljit pairs them as even/odd). */
static sljit_s32 cond_not(sljit_s32 cond) { return cond ^ 1; }

static int cond_holds(sljit_s32 cond, sljit_sw a, sljit_sw b) {
    switch (cond) {
    case SLJIT_EQUAL:             return a == b;
    case SLJIT_NOT_EQUAL:         return a != b;
    case SLJIT_SIG_LESS:          return a < b;
    case SLJIT_SIG_LESS_EQUAL:    return a <= b;
    case SLJIT_SIG_GREATER:       return a > b;
    default:                      return a >= b;
    }
}

/* Counts a taken loop back-edge in m->backedges, as the interpreter does (for
** --stats and, later, tier 2 and OSR triggers). */
static void count_backedge(T1 *t) {
    sljit_sw addr = (sljit_sw)&t->m->backedges;
    sljit_emit_op2(t->c, SLJIT_ADD, SLJIT_MEM0(), addr, SLJIT_MEM0(), addr, SLJIT_IMM, 1);
}

/* A safepoint test: taken when vm->interrupt is nonzero. */
static struct sljit_jump *safepoint_test(T1 *t) {
    return sljit_emit_cmp(t->c, SLJIT_NOT_EQUAL | SLJIT_32, SLJIT_MEM1(T1_VM), JB_VM_INTERRUPT,
                          SLJIT_IMM, 0);
}

/* Unconditional jump from the branch at pc to bytecode target tgt; the stack must
** be flushed already. A back-edge is counted and is a safepoint. */
static void emit_goto(T1 *t, uint32_t pc, uint32_t tgt) {
    if (tgt <= pc) {
        count_backedge(t);
        Stub *s = stub_add(t, ST_SAFEPOINT, safepoint_test(t), pc);
        if (s) s->tgt = tgt;
    }
    fix_add(t, &t->branches, sljit_emit_jump(t->c, SLJIT_JUMP), tgt);
}

/* The branch at pc jumps to bytecode target tgt when cond(a, b) holds. The operands
** are popped already; the rest of the stack is flushed here (a block boundary).
** Returns 1 if the jump is unconditional (both operands constant, condition true). */
static int emit_cond_branch(T1 *t, uint32_t pc, sljit_s32 cond, sljit_s32 a, sljit_sw aw,
                            sljit_s32 b, sljit_sw bw, uint32_t tgt) {
    flush_all(t);
    if (a == SLJIT_IMM && b == SLJIT_IMM) {
        if (!cond_holds(cond, aw, bw)) return 0;
        emit_goto(t, pc, tgt);
        return 1;
    }
    if (a == SLJIT_IMM) {               /* keep the immediate second */
        sljit_s32 ta = a; sljit_sw taw = aw;
        a = b; aw = bw; b = ta; bw = taw;
        switch (cond) {
        case SLJIT_SIG_LESS:          cond = SLJIT_SIG_GREATER; break;
        case SLJIT_SIG_LESS_EQUAL:    cond = SLJIT_SIG_GREATER_EQUAL; break;
        case SLJIT_SIG_GREATER:       cond = SLJIT_SIG_LESS; break;
        case SLJIT_SIG_GREATER_EQUAL: cond = SLJIT_SIG_LESS_EQUAL; break;
        default: break;
        }
    }
    if (tgt <= pc) {                    /* back-edge: count it when taken */
        struct sljit_jump *skip = sljit_emit_cmp(t->c, cond_not(cond), a, aw, b, bw);
        emit_goto(t, pc, tgt);
        sljit_set_label(skip, sljit_emit_label(t->c));
    } else {
        fix_add(t, &t->branches, sljit_emit_cmp(t->c, cond, a, aw, b, bw), tgt);
    }
    return 0;
}

/* Ops of two ints giving an int, without traps. */
static int int_binop(T1 *t, uint8_t op) {
    sljit_s32 a, b;
    sljit_sw aw, bw;
    VEnt eb = pop(t, &b, &bw);
    VEnt ea = pop(t, &a, &aw);
    sljit_s32 sop;
    if (ea.kind == VK_IMM && eb.kind == VK_IMM) {      /* fold */
        uint64_t x = (uint64_t)ea.imm, y = (uint64_t)eb.imm, r;
        switch (op) {
        case OP_IADD:  r = x + y; break;
        case OP_ISUB:  r = x - y; break;
        case OP_IMUL:  r = x * y; break;
        case OP_IAND:  r = x & y; break;
        case OP_IOR:   r = x | y; break;
        case OP_IXOR:  r = x ^ y; break;
        case OP_ISHL:  r = x << (y & 63); break;
        case OP_IUSHR: r = x >> (y & 63); break;
        default: {    /* ISHR: arithmetic, written without implementation-defined >> */
            unsigned s = (unsigned)(y & 63);
            r = x >> s;
            if ((x >> 63) && s) r |= ~(uint64_t)0 << (64 - s);
            break;
        }
        }
        push_imm(t, (sljit_sw)r);
        return 0;
    }
    switch (op) {
    case OP_IADD:  sop = SLJIT_ADD; break;
    case OP_ISUB:  sop = SLJIT_SUB; break;
    case OP_IMUL:  sop = SLJIT_MUL; break;
    case OP_IAND:  sop = SLJIT_AND; break;
    case OP_IOR:   sop = SLJIT_OR; break;
    case OP_IXOR:  sop = SLJIT_XOR; break;
    /* The M-shifts mask the count to its low 6 bits, as the language says. */
    case OP_ISHL:  sop = SLJIT_MSHL; break;
    case OP_ISHR:  sop = SLJIT_MASHR; break;
    default:       sop = SLJIT_MLSHR; break;
    }
    if (b == SLJIT_IMM && (op == OP_ISHL || op == OP_ISHR || op == OP_IUSHR)) bw &= 63;
    if (b == SLJIT_IMM && op == OP_ISUB) {
        /* x - c as x + (-c): sljit negates a subtracted immediate itself, which
        ** overflows (undefined behaviour in the C of sljit) for INT64_MIN. */
        sop = SLJIT_ADD;
        bw = (sljit_sw)(0 - (uint64_t)bw);
    }
    int r = alloc_reg(t);
    sljit_emit_op2(t->c, sop, SLJIT_R(r), 0, a, aw, b, bw);
    push_reg(t, r);
    return 0;
}

/* IDIV / IREM: zero divisor throws; MIN / -1 is MIN and MIN % -1 is 0 (x86's idiv
** traps on that pair, so -1 takes its own path). */
static void int_divrem(T1 *t, uint8_t op, uint32_t pc) {
    struct sljit_compiler *c = t->c;
    int is_div = op == OP_IDIV;
    sljit_s32 a, b;
    sljit_sw aw, bw;
    VEnt eb = pop(t, &b, &bw);
    VEnt ea = pop(t, &a, &aw);

    if (eb.kind == VK_IMM && eb.imm != 0 && ea.kind == VK_IMM) {      /* fold */
        uint64_t x = (uint64_t)ea.imm;
        sljit_sw r;
        if (eb.imm == -1) r = is_div ? (sljit_sw)(0 - x) : 0;
        else r = is_div ? ea.imm / eb.imm : ea.imm % eb.imm;
        push_imm(t, r);
        return;
    }
    /* R0 and R1 are needed: move other entries out of them. */
    for (int d = 0; d < t->sp; d++)
        if (t->vs[d].kind == VK_REG && t->vs[d].reg <= 1) spill(t, d);
    /* Parallel move a -> R0, b -> R1. */
    if (a == SLJIT_R1 && b == SLJIT_R0) {
        sljit_emit_op1(c, SLJIT_MOV, T1_TMP, 0, SLJIT_R0, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_R1, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, T1_TMP, 0);
    } else if (a == SLJIT_R1) {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_R1, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, b, bw);
    } else {
        if (b != SLJIT_R1) sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, b, bw);
        if (a != SLJIT_R0) sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, a, aw);
    }
    t->busy |= 3u;

    if (eb.kind == VK_IMM && eb.imm == 0) {
        stub_add(t, ST_DIVZERO, sljit_emit_jump(c, SLJIT_JUMP), pc);
    } else if (eb.kind == VK_IMM && eb.imm == -1) {
        if (is_div) sljit_emit_op2(c, SLJIT_SUB, SLJIT_R0, 0, SLJIT_IMM, 0, SLJIT_R0, 0);
        else sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, 0);
    } else if (eb.kind == VK_IMM) {
        sljit_emit_op0(c, is_div ? SLJIT_DIV_SW : SLJIT_DIVMOD_SW);
    } else {
        stub_add(t, ST_DIVZERO, sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R1, 0, SLJIT_IMM, 0), pc);
        struct sljit_jump *minus1 = sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R1, 0, SLJIT_IMM, -1);
        sljit_emit_op0(c, is_div ? SLJIT_DIV_SW : SLJIT_DIVMOD_SW);
        struct sljit_jump *done = sljit_emit_jump(c, SLJIT_JUMP);
        sljit_set_label(minus1, sljit_emit_label(c));
        if (is_div) sljit_emit_op2(c, SLJIT_SUB, SLJIT_R0, 0, SLJIT_IMM, 0, SLJIT_R0, 0);
        else sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, 0);
        sljit_set_label(done, sljit_emit_label(c));
    }
    t->busy &= ~3u;
    push_reg(t, is_div ? 0 : 1);
}

/* String equality for SCMPEQ/SCMPNE; null equals only null. */
static sljit_sw SLJIT_FUNC t1_string_eq(KString *a, KString *b) {
    return vm_string_eq(a, b) != 0;
}


/* ---- floats ------------------------------------------------------------------ */

static double f_of(sljit_sw bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static sljit_sw bits_of(double d) {
    sljit_sw s;
    memcpy(&s, &d, sizeof s);
    return s;
}

/* FADD FSUB FMUL FDIV FREM: operands from memory, the result to its slot. */
static void float_binop(T1 *t, uint8_t op) {
    struct sljit_compiler *c = t->c;
    const VEnt *ea = &t->vs[t->sp - 2], *eb = &t->vs[t->sp - 1];
    if (ea->kind == VK_IMM && eb->kind == VK_IMM) {         /* fold: the same IEEE op */
        double x = f_of(ea->imm), y = f_of(eb->imm), r;
        switch (op) {
        case OP_FADD: r = x + y; break;
        case OP_FSUB: r = x - y; break;
        case OP_FMUL: r = x * y; break;
        case OP_FDIV: r = x / y; break;
        default:      r = vm_fmod(x, y); break;
        }
        t->sp -= 2;
        push_imm(t, bits_of(r));
        return;
    }
    sljit_s32 a, b;
    sljit_sw aw, bw;
    fmem(t, t->sp - 2, &a, &aw);
    fmem(t, t->sp - 1, &b, &bw);
    if (op == OP_FREM) {
        spill_regs(t);          /* operands are in memory already; the call clobbers R* */
        sljit_emit_fop1(c, SLJIT_MOV_F64, SLJIT_FR0, 0, a, aw);
        sljit_emit_fop1(c, SLJIT_MOV_F64, SLJIT_FR1, 0, b, bw);
        CALL_HELPER(t, SLJIT_ARGS2(F64, F64, F64), vm_fmod);
    } else {
        sljit_s32 fop = op == OP_FADD ? SLJIT_ADD_F64 : op == OP_FSUB ? SLJIT_SUB_F64
                      : op == OP_FMUL ? SLJIT_MUL_F64 : SLJIT_DIV_F64;
        sljit_emit_fop2(c, fop, SLJIT_FR0, 0, a, aw, b, bw);
    }
    pop(t, &a, &aw);
    pop(t, &a, &aw);
    sljit_emit_fop1(c, SLJIT_MOV_F64, SLJIT_MEM1(SLJIT_SP), stack_off(t, t->sp), SLJIT_FR0, 0);
    push_slot(t);
}

/* The sljit condition of a float comparison: true exactly when IEEE says so. */
static sljit_s32 fcmp_cond(uint8_t op) {
    switch (op) {
    case OP_FCMPEQ: return SLJIT_ORDERED_EQUAL;
    case OP_FCMPNE: return SLJIT_UNORDERED_OR_NOT_EQUAL;
    case OP_FCMPLT: return SLJIT_ORDERED_LESS;
    case OP_FCMPLE: return SLJIT_ORDERED_LESS_EQUAL;
    case OP_FCMPGT: return SLJIT_ORDERED_GREATER;
    default:        return SLJIT_ORDERED_GREATER_EQUAL;
    }
}

static int fcond_holds(sljit_s32 cond, double x, double y) {
    switch (cond) {
    case SLJIT_ORDERED_EQUAL:              return x == y;
    case SLJIT_UNORDERED_OR_NOT_EQUAL:     return x != y;
    case SLJIT_ORDERED_LESS:               return x < y;
    case SLJIT_UNORDERED_OR_GREATER_EQUAL: return !(x < y);
    case SLJIT_ORDERED_LESS_EQUAL:         return x <= y;
    case SLJIT_UNORDERED_OR_GREATER:       return !(x <= y);
    case SLJIT_ORDERED_GREATER:            return x > y;
    case SLJIT_UNORDERED_OR_LESS_EQUAL:    return !(x > y);
    case SLJIT_ORDERED_GREATER_EQUAL:      return x >= y;
    default:                               return !(x >= y);    /* UNORDERED_OR_LESS */
    }
}

/* Compares a and b (floats in memory) and emits the jumps taken when cond holds
** into j; returns how many (1 or 2). x86 has no single flag for "ordered and
** equal" (nor its inverse): those take the parity flag as a second test. */
static int emit_fjumps(T1 *t, sljit_s32 cond, sljit_s32 a, sljit_sw aw, sljit_s32 b, sljit_sw bw,
                       struct sljit_jump **j) {
    struct sljit_compiler *c = t->c;
    if (sljit_cmp_info(cond)) {
        sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET(cond), a, aw, b, bw);
        j[0] = sljit_emit_jump(c, cond);
        return 1;
    }
    if (cond == SLJIT_ORDERED_EQUAL) {
        sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET_UNORDERED_OR_EQUAL, a, aw, b, bw);
        struct sljit_jump *nan = sljit_emit_jump(c, SLJIT_UNORDERED);
        j[0] = sljit_emit_jump(c, SLJIT_UNORDERED_OR_EQUAL);
        sljit_set_label(nan, sljit_emit_label(c));
        return 1;
    }
    /* SLJIT_UNORDERED_OR_NOT_EQUAL */
    sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET_ORDERED_NOT_EQUAL, a, aw, b, bw);
    j[0] = sljit_emit_jump(c, SLJIT_UNORDERED);
    j[1] = sljit_emit_jump(c, SLJIT_ORDERED_NOT_EQUAL);
    return 2;
}

/* Register r := cond(a, b) as 0 or 1. */
static void emit_fset(T1 *t, int r, sljit_s32 cond, sljit_s32 a, sljit_sw aw, sljit_s32 b, sljit_sw bw) {
    struct sljit_compiler *c = t->c;
    if (sljit_cmp_info(cond)) {
        sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET(cond), a, aw, b, bw);
        sljit_emit_op_flags(c, SLJIT_MOV, SLJIT_R(r), 0, cond);
    } else if (cond == SLJIT_ORDERED_EQUAL) {
        sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET_UNORDERED_OR_EQUAL, a, aw, b, bw);
        sljit_emit_op_flags(c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_UNORDERED_OR_EQUAL);
        sljit_emit_op_flags(c, SLJIT_AND, SLJIT_R(r), 0, SLJIT_ORDERED);
    } else {
        sljit_emit_fop1(c, SLJIT_CMP_F64 | SLJIT_SET_ORDERED_NOT_EQUAL, a, aw, b, bw);
        sljit_emit_op_flags(c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_ORDERED_NOT_EQUAL);
        sljit_emit_op_flags(c, SLJIT_OR, SLJIT_R(r), 0, SLJIT_UNORDERED);
    }
}

/* FCMPxx, followed by the instruction at next: fused with it when it is an
** iftrue/iffalse. Returns the next pc to compile; sets *dead when control does not
** fall through. */
static uint32_t float_cmp(T1 *t, uint8_t op, uint32_t next, int *dead) {
    sljit_s32 cond = fcmp_cond(op);
    uint8_t nop = next < t->len && !t->target[next] ? t->code[next] : OP_NOP;
    const VEnt *ea = &t->vs[t->sp - 2], *eb = &t->vs[t->sp - 1];
    int fused = nop == OP_IFTRUE || nop == OP_IFFALSE;
    if (fused && nop == OP_IFFALSE) cond = cond_not(cond);
    sljit_s32 a, b;
    sljit_sw aw, bw;
    if (ea->kind == VK_IMM && eb->kind == VK_IMM) {
        int holds = fcond_holds(cond, f_of(ea->imm), f_of(eb->imm));
        pop(t, &a, &aw);
        pop(t, &a, &aw);
        if (!fused) {
            push_imm(t, holds);
            return next;
        }
        flush_all(t);
        if (holds) {
            emit_goto(t, next, next + (uint32_t)k_rd_i32(t->code + next + 1));
            *dead = 1;
        }
        return next + (uint32_t)k_opinfo[nop].size;
    }
    fmem(t, t->sp - 2, &a, &aw);
    fmem(t, t->sp - 1, &b, &bw);
    sljit_s32 x;
    sljit_sw xw;
    pop(t, &x, &xw);
    pop(t, &x, &xw);
    if (!fused) {
        int r = alloc_reg(t);       /* spills below the operands: their memory stays */
        emit_fset(t, r, cond, a, aw, b, bw);
        push_reg(t, r);
        return next;
    }
    /* Compare and branch: the operands' memory is above the stack or a local's home,
    ** which flushing does not touch. */
    uint32_t tgt = next + (uint32_t)k_rd_i32(t->code + next + 1);
    struct sljit_jump *j[2];
    flush_all(t);
    if (tgt <= next) {                  /* back-edge: count it when taken */
        int n = emit_fjumps(t, cond_not(cond), a, aw, b, bw, j);
        emit_goto(t, next, tgt);
        struct sljit_label *skip = sljit_emit_label(t->c);
        for (int i = 0; i < n; i++) sljit_set_label(j[i], skip);
    } else {
        int n = emit_fjumps(t, cond, a, aw, b, bw, j);
        for (int i = 0; i < n; i++) fix_add(t, &t->branches, j[i], tgt);
    }
    return next + (uint32_t)k_opinfo[nop].size;
}

/* F2I: truncation; NaN gives 0 and out-of-range values saturate (vm_f2i). The
** conversion instruction gives INT64_MIN for all of those: only then are the
** bits looked at. */
static void float_to_int(T1 *t) {
    struct sljit_compiler *c = t->c;
    const VEnt *e = &t->vs[t->sp - 1];
    sljit_s32 a;
    sljit_sw aw;
    if (e->kind == VK_IMM) {
        sljit_sw v = (sljit_sw)vm_f2i(f_of(e->imm));
        pop(t, &a, &aw);
        push_imm(t, v);
        return;
    }
    fmem(t, t->sp - 1, &a, &aw);
    sljit_s32 x;
    sljit_sw xw;
    pop(t, &x, &xw);
    int r = alloc_reg(t);
    sljit_s32 R = SLJIT_R(r);
    sljit_emit_fop1(c, SLJIT_CONV_SW_FROM_F64, R, 0, a, aw);
    struct sljit_jump *ok = sljit_emit_cmp(c, SLJIT_NOT_EQUAL, R, 0, SLJIT_IMM, INT64_MIN);
    sljit_emit_op1(c, SLJIT_MOV, T1_TMP, 0, a, aw);
    sljit_emit_op2(c, SLJIT_AND, R, 0, T1_TMP, 0, SLJIT_IMM, F64_ABS);
    struct sljit_jump *nan = sljit_emit_cmp(c, SLJIT_GREATER, R, 0, SLJIT_IMM, F64_INF);
    sljit_emit_op1(c, SLJIT_MOV, R, 0, SLJIT_IMM, INT64_MIN);
    struct sljit_jump *neg = sljit_emit_cmp(c, SLJIT_SIG_LESS, T1_TMP, 0, SLJIT_IMM, 0);
    sljit_emit_op1(c, SLJIT_MOV, R, 0, SLJIT_IMM, INT64_MAX);
    struct sljit_jump *done = sljit_emit_jump(c, SLJIT_JUMP);
    sljit_set_label(nan, sljit_emit_label(c));
    sljit_emit_op1(c, SLJIT_MOV, R, 0, SLJIT_IMM, 0);
    struct sljit_label *end = sljit_emit_label(c);
    sljit_set_label(ok, end);
    sljit_set_label(neg, end);
    sljit_set_label(done, end);
    push_reg(t, r);
}

/* I2F */
static void int_to_float(T1 *t) {
    sljit_s32 a;
    sljit_sw aw;
    VEnt e = pop(t, &a, &aw);
    if (e.kind == VK_IMM) {
        push_imm(t, bits_of((double)e.imm));
        return;
    }
    sljit_emit_fop1(t->c, SLJIT_CONV_F64_FROM_SW, SLJIT_FR0, 0, a, aw);
    sljit_emit_fop1(t->c, SLJIT_MOV_F64, SLJIT_MEM1(SLJIT_SP), stack_off(t, t->sp), SLJIT_FR0, 0);
    push_slot(t);
}

/* FNEG flips the sign bit (of NaN too, as -x does). */
static void float_neg(T1 *t) {
    sljit_s32 a;
    sljit_sw aw;
    VEnt e = pop(t, &a, &aw);
    if (e.kind == VK_IMM) {
        push_imm(t, e.imm ^ F64_SIGN);
        return;
    }
    int r = alloc_reg(t);
    sljit_emit_op2(t->c, SLJIT_XOR, SLJIT_R(r), 0, a, aw, SLJIT_IMM, F64_SIGN);
    push_reg(t, r);
}

/* ---- references and objects ------------------------------------------------------ */

/* OEQ / ONE */
static void obj_eq(T1 *t, int negate) {
    struct sljit_compiler *c = t->c;
    sljit_s32 a, b;
    sljit_sw aw, bw;
    spill_regs(t);
    opnd(t, t->sp - 2, &a, &aw);
    opnd(t, t->sp - 1, &b, &bw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, a, aw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, b, bw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    CALL_HELPER(t, SLJIT_ARGS3(W, P, P, P), t1_obj_eq);
    if (negate) sljit_emit_op2(c, SLJIT_XOR, SLJIT_R0, 0, SLJIT_R0, 0, SLJIT_IMM, 1);
    pop(t, &a, &aw);
    pop(t, &a, &aw);
    push_reg(t, 0);
}

/* CHECKCAST / INSTANCEOF with class idx at pc: null passes (is false), the exact
** class inline, anything else asks vm_is_assignable. Returns 1 when the
** instruction ends the straight line (a LinkError). */
static int type_test(T1 *t, uint32_t pc, uint16_t idx, int is_cast) {
    struct sljit_compiler *c = t->c;
    KClass *cls = ld_resolve_class(t->vm, t->m->cls, idx);
    if (!cls) {
        emit_link_error(t, pc, idx, LK_CLASS);
        return 1;
    }
    sljit_s32 a;
    sljit_sw aw;
    spill_regs(t);
    opnd(t, t->sp - 1, &a, &aw);        /* an immediate, a local or a slot: survives calls */
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, a, aw);
    struct sljit_jump *isnull = sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_MEM1(SLJIT_R0), (sljit_sw)offsetof(KObject, cls));
    if (!is_cast) {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, 1);
        struct sljit_jump *exact = sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, (sljit_sw)cls);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)cls);
        CALL_HELPER(t, SLJIT_ARGS2(W, P, P), t1_assignable);
        struct sljit_jump *done = sljit_emit_jump(c, SLJIT_JUMP);
        sljit_set_label(exact, sljit_emit_label(c));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_R1, 0);
        struct sljit_label *end = sljit_emit_label(c);
        sljit_set_label(isnull, end);   /* R0 is 0: false */
        sljit_set_label(done, end);
        pop(t, &a, &aw);
        push_reg(t, 0);
        return 0;
    }
    struct sljit_jump *exact = sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, (sljit_sw)cls);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)cls);
    CALL_HELPER(t, SLJIT_ARGS2(W, P, P), t1_assignable);
    struct sljit_jump *ok = sljit_emit_cmp(c, SLJIT_NOT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, a, aw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, (sljit_sw)cls);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    CALL_HELPER(t, SLJIT_ARGS3(W, P, P, P), vm_throw_cast);
    fix_add(t, &t->exits, sljit_emit_jump(c, SLJIT_JUMP), pc);
    struct sljit_label *end = sljit_emit_label(c);
    sljit_set_label(isnull, end);
    sljit_set_label(exact, end);
    sljit_set_label(ok, end);
    return 0;
}

/* NEW idx at pc. Returns 1 when the instruction ends the straight line. */
static int emit_new(T1 *t, uint32_t pc, uint16_t idx) {
    struct sljit_compiler *c = t->c;
    KClass *cls = ld_resolve_class(t->vm, t->m->cls, idx);
    if (!cls) {
        emit_link_error(t, pc, idx, LK_CLASS);
        return 1;
    }
    emit_ensure_init(t, pc, cls);
    spill_regs(t);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)cls);
    CALL_HELPER(t, SLJIT_ARGS2(P, P, P), vm_new_object);
    check_r0(t, pc);
    push_reg(t, 0);
    return 0;
}

/* GETFIELD / PUTFIELD idx at pc. Returns 1 when the instruction ends the straight line. */
static int emit_field(T1 *t, uint32_t pc, uint16_t idx, int put) {
    struct sljit_compiler *c = t->c;
    KField *f = ld_resolve_field(t->vm, t->m->cls, idx, 0);
    if (!f) {
        emit_link_error(t, pc, idx, LK_FIELD);
        return 1;
    }
    sljit_sw off = (sljit_sw)f->offset;
    sljit_s32 o, v;
    sljit_sw ow, vw;
    if (!put) {
        /* The object's own register when it has one (a local in S1..S5: `this`). */
        opnd(t, t->sp - 1, &o, &ow);
        if (!is_reg(o)) o = SLJIT_R(ensure_reg(t, t->sp - 1));
        pop(t, &v, &vw);
        int r = alloc_reg(t);       /* may be o's register: o is read before r is written */
        null_check(t, o, 0, pc, "cannot read a field of null");
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_MEM1(o), off);
        push_reg(t, r);
        return 0;
    }
    opnd(t, t->sp - 2, &o, &ow);
    if (!is_reg(o)) o = SLJIT_R(ensure_reg(t, t->sp - 2));
    opnd(t, t->sp - 1, &v, &vw);
    null_check(t, o, 0, pc, "cannot write a field of null");
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(o), off, v, vw);
    pop(t, &v, &vw);
    pop(t, &v, &vw);
    return 0;
}

/* GETSTATIC / PUTSTATIC idx at pc: owner->statics is read at run time. */
static int emit_static(T1 *t, uint32_t pc, uint16_t idx, int put) {
    struct sljit_compiler *c = t->c;
    KField *f = ld_resolve_field(t->vm, t->m->cls, idx, 1);
    if (!f) {
        emit_link_error(t, pc, idx, LK_SFIELD);
        return 1;
    }
    emit_ensure_init(t, pc, f->owner);
    sljit_sw statics = (sljit_sw)&f->owner->statics;
    sljit_sw off = (sljit_sw)f->offset * (sljit_sw)sizeof(KSlot);
    if (!put) {
        int r = alloc_reg(t);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_MEM0(), statics);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_MEM1(SLJIT_R(r)), off);
        push_reg(t, r);
        return 0;
    }
    sljit_s32 v;
    sljit_sw vw;
    opnd(t, t->sp - 1, &v, &vw);
    sljit_emit_op1(c, SLJIT_MOV, T1_TMP, 0, SLJIT_MEM0(), statics);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_TMP), off, v, vw);
    pop(t, &v, &vw);
    return 0;
}

/* ---- calls ------------------------------------------------------------------------ */

/* INVOKESTATIC idx at pc. */
static void invoke_static(T1 *t, uint32_t pc, uint16_t idx) {
    struct sljit_compiler *c = t->c;
    const char *desc;
    int nargs = call_shape(t, pc, &desc);
    int has_result = vm_desc_ret(desc) != 'V';
    KMethod *callee = ld_resolve_method(t->vm, t->m->cls, idx);
    if (!callee) t->vm->exc = NULL;     /* resolved again (and thrown) at run time */
    else emit_ensure_init(t, pc, callee->cls);

    int base = t->sp - nargs;
    prepare_call(t, base);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    if (callee) {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)callee);
        sljit_get_local_base(c, SLJIT_R2, 0, stack_off(t, base));
        /* [callee->entry] is read at run time: a callee compiled later is used. */
        sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS3(W, P, P, P), SLJIT_MEM1(SLJIT_R1), 0);
    } else {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)t->m->cls);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, (sljit_sw)idx);
        sljit_get_local_base(c, SLJIT_R3, 0, stack_off(t, base));
        sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS4(W, P, P, 32, P), SLJIT_IMM,
                         SLJIT_FUNC_ADDR(in_call_unresolved));
    }
    t->sp = base;
    check_exc(t, pc);
    if (has_result) push_reg(t, 0);
}

/* INVOKEVIRTUAL / INVOKESPECIAL / INVOKEINTERFACE idx at pc: the receiver is
** null-checked, then the target is [recv->cls->vtable[vindex]], the resolved
** method itself, or the site's inline cache. Returns 1 when the instruction ends
** the straight line. */
static int invoke_instance(T1 *t, uint32_t pc, uint16_t idx, uint8_t op) {
    struct sljit_compiler *c = t->c;
    const char *desc;
    int nargs = call_shape(t, pc, &desc);
    int has_result = vm_desc_ret(desc) != 'V';
    KMethod *dm = op == OP_INVOKEINTERFACE ? ld_resolve_interface_method(t->vm, t->m->cls, idx)
                                           : ld_resolve_instance_method(t->vm, t->m->cls, idx);
    if (!dm) {
        emit_link_error(t, pc, idx, op == OP_INVOKEINTERFACE ? LK_IFACE : LK_INSTANCE);
        return 1;
    }
    int base = t->sp - nargs;
    prepare_call(t, base);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_SP), stack_off(t, base));
    null_check(t, SLJIT_R1, 0, pc, "cannot call a method on null");
    if (op == OP_INVOKEINTERFACE) {
        if (t->nic >= t->maxic) { t->err = "tier 1: inline cache count"; return 1; }
        T1IC *ic = &t->ics[t->nic++];
        ic->im = dm;
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R1), (sljit_sw)offsetof(KObject, cls));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, (sljit_sw)ic);
        struct sljit_jump *hit = sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R2),
                                                (sljit_sw)offsetof(T1IC, cls));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        CALL_HELPER(t, SLJIT_ARGS3(P, P, P, P), t1_iface_miss);
        check_r0(t, pc);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_R0, 0);
        struct sljit_jump *call = sljit_emit_jump(c, SLJIT_JUMP);
        sljit_set_label(hit, sljit_emit_label(c));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R2), (sljit_sw)offsetof(T1IC, target));
        sljit_set_label(call, sljit_emit_label(c));
    } else if (op == OP_INVOKEVIRTUAL && dm->vindex >= 0) {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R1), (sljit_sw)offsetof(KObject, cls));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R1), (sljit_sw)offsetof(KClass, vtable));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_R1),
                       (sljit_sw)dm->vindex * (sljit_sw)sizeof(KMethod *));
    } else {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)dm);
    }
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_get_local_base(c, SLJIT_R2, 0, stack_off(t, base));
    sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS3(W, P, P, P), SLJIT_MEM1(SLJIT_R1), 0);
    t->sp = base;
    check_exc(t, pc);
    if (has_result) push_reg(t, 0);
    return 0;
}

/* INVOKECLOSURE at pc: closure args -> [result]. */
static void invoke_closure(T1 *t, uint32_t pc) {
    struct sljit_compiler *c = t->c;
    const char *desc;
    int n = call_shape(t, pc, &desc);       /* closure + arguments */
    int has_result = vm_desc_ret(desc) != 'V';
    int base = t->sp - n;
    prepare_call(t, base);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_MEM1(SLJIT_SP), stack_off(t, base));
    null_check(t, SLJIT_R1, 0, pc, "cannot call null");
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_get_local_base(c, SLJIT_R2, 0, stack_off(t, base + 1));
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R3, 0, SLJIT_IMM, (sljit_sw)desc);   /* the call's descriptor */
    CALL_HELPER(t, SLJIT_ARGS4(W, P, P, P, P), vm_call_closure);
    t->sp = base;
    check_exc(t, pc);
    if (has_result) push_reg(t, 0);
}

/* MKCLOSURE idx n at pc. Returns 1 when the instruction ends the straight line. */
static int make_closure(T1 *t, uint32_t pc, uint16_t idx, int n) {
    struct sljit_compiler *c = t->c;
    KMethod *fn = ld_resolve_method(t->vm, t->m->cls, idx);
    if (!fn) {
        emit_link_error(t, pc, idx, LK_STATIC);
        return 1;
    }
    int base = t->sp - n;
    prepare_call(t, base);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)fn);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, n);
    sljit_get_local_base(c, SLJIT_R3, 0, stack_off(t, base));
    CALL_HELPER(t, SLJIT_ARGS4(P, P, P, 32, P), vm_new_closure);
    t->sp = base;
    check_r0(t, pc);
    push_reg(t, 0);
    return 0;
}

/* ---- arrays and strings ---------------------------------------------------------- */

/* NEWARRAY / MULTINEWARRAY (dims > 0) idx at pc. Returns 1 when the instruction
** ends the straight line. */
static int new_array(T1 *t, uint32_t pc, uint16_t idx, int dims) {
    struct sljit_compiler *c = t->c;
    KClass *cls = ld_resolve_class(t->vm, t->m->cls, idx);
    if (!cls) {
        emit_link_error(t, pc, idx, LK_CLASS);
        return 1;
    }
    int n = dims ? dims : 1;
    int base = t->sp - n;
    prepare_call(t, base);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)cls);
    if (dims) {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, dims);
        sljit_get_local_base(c, SLJIT_R3, 0, stack_off(t, base));
        CALL_HELPER(t, SLJIT_ARGS4(P, P, P, 32, P), vm_new_multiarray);
    } else {
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_MEM1(SLJIT_SP), stack_off(t, base));
        CALL_HELPER(t, SLJIT_ARGS3(P, P, P, W), vm_new_array);
    }
    t->sp = base;
    check_r0(t, pc);
    push_reg(t, 0);
    return 0;
}

/* ARRAYLENGTH / SLEN at pc. */
static void length_of(T1 *t, uint32_t pc, sljit_sw lenoff) {
    int r = ensure_reg(t, t->sp - 1);
    null_check(t, SLJIT_R(r), 0, pc, "cannot get the length of null");
    sljit_emit_op1(t->c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_MEM1(SLJIT_R(r)), lenoff);
}

/* Null and bounds checks of the indexed access at pc: array/string in R(r), the
** index in (ia, iaw). The bounds check is one unsigned compare. */
static void index_checks(T1 *t, uint32_t pc, int r, sljit_s32 ia, sljit_sw iaw, sljit_sw lenoff) {
    null_check(t, SLJIT_R(r), 0, pc, "cannot index null");
    Stub *s = stub_add(t, ST_INDEX,
                       sljit_emit_cmp(t->c, SLJIT_GREATER_EQUAL, ia, iaw, SLJIT_MEM1(SLJIT_R(r)), lenoff), pc);
    if (s) {
        s->areg = (uint8_t)r;
        s->ia = ia;
        s->iaw = iaw;
        s->lenoff = lenoff;
    }
}

/* The element address: sets (*ma, *maw) to [R(r) + dataoff + index << shift],
** changing R(r) when the index is not a small constant. */
static void elem_addr(T1 *t, int r, sljit_s32 ia, sljit_sw iaw, sljit_sw dataoff, int shift,
                      sljit_s32 *ma, sljit_sw *maw) {
    if (ia == SLJIT_IMM && iaw >= 0 && iaw < ((sljit_sw)1 << 24)) {
        *ma = SLJIT_MEM1(SLJIT_R(r));
        *maw = dataoff + (iaw << shift);
        return;
    }
    sljit_s32 ir = ia;
    if (!is_reg(ia)) {
        sljit_emit_op1(t->c, SLJIT_MOV, T1_TMP, 0, ia, iaw);
        ir = T1_TMP;
    }
    sljit_emit_op2(t->c, SLJIT_ADD, SLJIT_R(r), 0, SLJIT_R(r), 0, SLJIT_IMM, dataoff);
    *ma = SLJIT_MEM2(SLJIT_R(r), ir);
    *maw = shift;
}

/* AGET / BGET / SGET at pc: container index -> element. */
static void index_load(T1 *t, uint32_t pc, sljit_sw lenoff, sljit_sw dataoff, int bytes) {
    int r = ensure_reg(t, t->sp - 2);
    sljit_s32 ia, ma;
    sljit_sw iaw, maw;
    opnd(t, t->sp - 1, &ia, &iaw);
    index_checks(t, pc, r, ia, iaw, lenoff);
    elem_addr(t, r, ia, iaw, dataoff, bytes ? 0 : 3, &ma, &maw);
    sljit_emit_op1(t->c, bytes ? SLJIT_MOV_U8 : SLJIT_MOV, SLJIT_R(r), 0, ma, maw);
    pop(t, &ia, &iaw);
    pop(t, &ia, &iaw);
    push_reg(t, r);
}

/* APUT / BPUT at pc: array index value -> */
static void index_store(T1 *t, uint32_t pc, int bytes) {
    int r = ensure_reg(t, t->sp - 3);
    sljit_s32 ia, v, ma;
    sljit_sw iaw, vw, maw;
    opnd(t, t->sp - 2, &ia, &iaw);
    opnd(t, t->sp - 1, &v, &vw);
    index_checks(t, pc, r, ia, iaw, (sljit_sw)offsetof(KArray, length));
    elem_addr(t, r, ia, iaw, (sljit_sw)offsetof(KArray, data), bytes ? 0 : 3, &ma, &maw);
    sljit_emit_op1(t->c, bytes ? SLJIT_MOV_U8 : SLJIT_MOV, ma, maw, v, vw);
    pop(t, &v, &vw);
    pop(t, &v, &vw);
    pop(t, &v, &vw);
}

/* SCONCAT */
static void string_concat(T1 *t, uint32_t pc) {
    struct sljit_compiler *c = t->c;
    sljit_s32 a, b;
    sljit_sw aw, bw;
    spill_regs(t);
    opnd(t, t->sp - 2, &a, &aw);
    opnd(t, t->sp - 1, &b, &bw);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, a, aw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, b, bw);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    CALL_HELPER(t, SLJIT_ARGS3(P, P, P, P), vm_concat);
    pop(t, &a, &aw);
    pop(t, &a, &aw);
    check_r0(t, pc);
    push_reg(t, 0);
}

/* THROW at pc. */
static void emit_throw(T1 *t, uint32_t pc) {
    struct sljit_compiler *c = t->c;
    sljit_s32 a;
    sljit_sw aw;
    pop(t, &a, &aw);
    store_pc(t, pc);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, a, aw);
    null_check(t, SLJIT_R1, 0, pc, "cannot throw null");
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_EXC, SLJIT_R1, 0);
    fix_add(t, &t->exits, sljit_emit_jump(c, SLJIT_JUMP), pc);
}

/* ---- stack shuffles ---------------------------------------------------------------- */

/* Replaces the top n entries by len entries picked from them (pick[i] = 0 is the
** deepest of the n). Entries become position-independent first (registers,
** immediates, locals); an entry picked twice gets a register copy. Registers
** below are spilled so that allocation never spills the entries being moved. */
static void shuffle(T1 *t, int n, const int *pick, int len) {
    VEnt old[4];
    int used[4] = {0, 0, 0, 0};
    for (int d = 0; d < t->sp - n; d++)
        if (t->vs[d].kind == VK_REG) spill(t, d);
    for (int d = t->sp - n; d < t->sp; d++)
        if (t->vs[d].kind == VK_SLOT) ensure_reg(t, d);
    memcpy(old, &t->vs[t->sp - n], sizeof(VEnt) * (size_t)n);
    t->sp -= n;
    for (int i = 0; i < len; i++) {
        VEnt e = old[pick[i]];
        if (e.kind == VK_REG && used[pick[i]]++) {
            int r = alloc_reg(t);
            sljit_emit_op1(t->c, SLJIT_MOV, SLJIT_R(r), 0, SLJIT_R(e.reg), 0);
            e.reg = (uint8_t)r;
        }
        t->vs[t->sp++] = e;
    }
}

/* Compiles the instruction at pc; returns the pc of the next one to compile and
** sets *dead when control does not fall through. */
static uint32_t emit_insn(T1 *t, uint32_t pc, int *dead) {
    struct sljit_compiler *c = t->c;
    const uint8_t *p = t->code + pc;
    uint8_t op = p[0];
    uint32_t next = pc + (uint32_t)k_opinfo[op].size;
    sljit_s32 a, b;
    sljit_sw aw, bw;
    *dead = 0;

    switch (op) {
    case OP_NOP:
        break;
    case OP_ICONST:
        push_imm(t, k_rd_i32(p + 1));
        break;
    case OP_BCONST:
        push_imm(t, p[1] != 0);
        break;
    case OP_ACONST_NULL:
        push_imm(t, 0);
        break;
    case OP_LDC: {
        uint16_t idx = k_rd_u16(p + 1);
        const KConst *k = &t->m->cls->cp[idx];
        if (k->tag == KCP_INT) {
            push_imm(t, (sljit_sw)k->v.i);
        } else if (k->tag == KCP_FLOAT) {
            uint64_t bits;
            memcpy(&bits, &k->v.f, sizeof bits);
            push_imm(t, (sljit_sw)bits);
        } else if (k->tag == KCP_STRING) {
            /* The constant pool keeps the string alive as long as this code. */
            KString *s = ld_resolve_string(t->vm, t->m->cls, idx);
            if (!s) {
                t->vm->exc = NULL;
                t->err = "tier 1: string constant could not be resolved";
                return next;
            }
            push_imm(t, (sljit_sw)s);
        } else {
            t->err = "tier 1: unsupported constant kind";
        }
        break;
    }
    case OP_LOAD: {
        VEnt *e = &t->vs[t->sp++];
        e->kind = VK_LOCAL;
        e->local = k_rd_u16(p + 1);
        break;
    }
    case OP_STORE: {
        int n = k_rd_u16(p + 1);
        VEnt e = pop(t, &b, &bw);
        kill_local(t, n);
        if (!(e.kind == VK_LOCAL && e.local == n)) {
            local_home(t, n, &a, &aw);
            sljit_emit_op1(c, SLJIT_MOV, a, aw, b, bw);
        }
        break;
    }
    case OP_IINC: {
        int n = k_rd_u16(p + 1);
        kill_local(t, n);
        local_home(t, n, &a, &aw);
        sljit_emit_op2(c, SLJIT_ADD, a, aw, a, aw, SLJIT_IMM, k_rd_i16(p + 3));
        break;
    }
    case OP_POP:
        pop(t, &a, &aw);
        break;
    case OP_DUP: {
        VEnt top = t->vs[t->sp - 1];
        if (top.kind == VK_IMM || top.kind == VK_LOCAL) {
            t->vs[t->sp++] = top;
        } else {
            int r = alloc_reg(t);
            opnd(t, t->sp - 1, &a, &aw);        /* after alloc: it may have spilled */
            sljit_emit_op1(c, SLJIT_MOV, SLJIT_R(r), 0, a, aw);
            push_reg(t, r);
        }
        break;
    }

    case OP_IADD: case OP_ISUB: case OP_IMUL: case OP_IAND: case OP_IOR: case OP_IXOR:
    case OP_ISHL: case OP_ISHR: case OP_IUSHR:
        int_binop(t, op);
        break;
    case OP_IDIV: case OP_IREM:
        int_divrem(t, op, pc);
        break;
    case OP_INEG: {
        VEnt e = pop(t, &a, &aw);
        if (e.kind == VK_IMM) {
            push_imm(t, (sljit_sw)(0 - (uint64_t)e.imm));
        } else {
            int r = alloc_reg(t);
            sljit_emit_op2(c, SLJIT_SUB, SLJIT_R(r), 0, SLJIT_IMM, 0, a, aw);
            push_reg(t, r);
        }
        break;
    }
    case OP_ZNOT: {
        uint8_t nop = next < t->len && !t->target[next] ? t->code[next] : OP_NOP;
        if (nop == OP_IFTRUE || nop == OP_IFFALSE) {      /* znot; iftrue -> iffalse */
            pop(t, &a, &aw);
            uint32_t tgt = next + (uint32_t)k_rd_i32(t->code + next + 1);
            sljit_s32 cond = nop == OP_IFTRUE ? SLJIT_EQUAL : SLJIT_NOT_EQUAL;
            if (emit_cond_branch(t, next, cond, a, aw, SLJIT_IMM, 0, tgt)) *dead = 1;
            return next + (uint32_t)k_opinfo[nop].size;
        }
        VEnt e = pop(t, &a, &aw);
        if (e.kind == VK_IMM) {
            push_imm(t, e.imm ^ 1);
        } else {
            int r = alloc_reg(t);
            sljit_emit_op2(c, SLJIT_XOR, SLJIT_R(r), 0, a, aw, SLJIT_IMM, 1);
            push_reg(t, r);
        }
        break;
    }

    case OP_ICMPEQ: case OP_ICMPNE: case OP_ICMPLT: case OP_ICMPLE: case OP_ICMPGT:
    case OP_ICMPGE: case OP_ZCMPEQ: case OP_ZCMPNE: case OP_ACMPEQ: case OP_ACMPNE: {
        sljit_s32 cond = icmp_cond(op);
        uint8_t nop = next < t->len && !t->target[next] ? t->code[next] : OP_NOP;
        VEnt eb = pop(t, &b, &bw);
        VEnt ea = pop(t, &a, &aw);
        if (nop == OP_IFTRUE || nop == OP_IFFALSE) {      /* compare and branch */
            uint32_t tgt = next + (uint32_t)k_rd_i32(t->code + next + 1);
            if (nop == OP_IFFALSE) cond = cond_not(cond);
            if (emit_cond_branch(t, next, cond, a, aw, b, bw, tgt)) *dead = 1;
            return next + (uint32_t)k_opinfo[nop].size;
        }
        if (ea.kind == VK_IMM && eb.kind == VK_IMM) {
            push_imm(t, cond_holds(cond, ea.imm, eb.imm));
            break;
        }
        int r = alloc_reg(t);
        sljit_s32 set = cond == SLJIT_EQUAL || cond == SLJIT_NOT_EQUAL ? SLJIT_SET_Z : SLJIT_SET(cond);
        sljit_emit_op2u(c, SLJIT_SUB | set, a, aw, b, bw);
        sljit_emit_op_flags(c, SLJIT_MOV, SLJIT_R(r), 0, cond);
        push_reg(t, r);
        break;
    }
    case OP_SCMPEQ: case OP_SCMPNE:
        spill_regs(t);
        opnd(t, t->sp - 2, &a, &aw);
        opnd(t, t->sp - 1, &b, &bw);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, a, aw);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, b, bw);
        sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS2(W, P, P), SLJIT_IMM, SLJIT_FUNC_ADDR(t1_string_eq));
        t->sp -= 2;
        if (op == OP_SCMPNE) sljit_emit_op2(c, SLJIT_XOR, SLJIT_R0, 0, SLJIT_R0, 0, SLJIT_IMM, 1);
        push_reg(t, 0);
        break;

    case OP_GOTO:
        flush_all(t);
        emit_goto(t, pc, pc + (uint32_t)k_rd_i32(p + 1));
        *dead = 1;
        break;
    case OP_IFTRUE: case OP_IFFALSE:
        pop(t, &a, &aw);
        if (emit_cond_branch(t, pc, op == OP_IFTRUE ? SLJIT_NOT_EQUAL : SLJIT_EQUAL, a, aw, SLJIT_IMM, 0,
                             pc + (uint32_t)k_rd_i32(p + 1)))
            *dead = 1;
        break;
    case OP_IF_ICMPEQ: case OP_IF_ICMPNE: case OP_IF_ICMPLT: case OP_IF_ICMPLE:
    case OP_IF_ICMPGT: case OP_IF_ICMPGE:
        pop(t, &b, &bw);
        pop(t, &a, &aw);
        if (emit_cond_branch(t, pc, icmp_cond(op), a, aw, b, bw, pc + (uint32_t)k_rd_i32(p + 1)))
            *dead = 1;
        break;

    case OP_INVOKESTATIC:
        invoke_static(t, pc, k_rd_u16(p + 1));
        break;
    case OP_INVOKEVIRTUAL: case OP_INVOKESPECIAL: case OP_INVOKEINTERFACE:
        *dead = invoke_instance(t, pc, k_rd_u16(p + 1), op);
        break;
    case OP_INVOKECLOSURE:
        invoke_closure(t, pc);
        break;
    case OP_MKCLOSURE:
        *dead = make_closure(t, pc, k_rd_u16(p + 1), p[3]);
        break;

    case OP_FADD: case OP_FSUB: case OP_FMUL: case OP_FDIV: case OP_FREM:
        float_binop(t, op);
        break;
    case OP_FNEG:
        float_neg(t);
        break;
    case OP_FCMPEQ: case OP_FCMPNE: case OP_FCMPLT: case OP_FCMPLE: case OP_FCMPGT: case OP_FCMPGE:
        return float_cmp(t, op, next, dead);
    case OP_I2F:
        int_to_float(t);
        break;
    case OP_F2I:
        float_to_int(t);
        break;

    case OP_OEQ: case OP_ONE:
        obj_eq(t, op == OP_ONE);
        break;
    case OP_IFNULL: case OP_IFNONNULL:
        pop(t, &a, &aw);
        if (emit_cond_branch(t, pc, op == OP_IFNULL ? SLJIT_EQUAL : SLJIT_NOT_EQUAL, a, aw, SLJIT_IMM, 0,
                             pc + (uint32_t)k_rd_i32(p + 1)))
            *dead = 1;
        break;
    case OP_CHECKCAST: case OP_INSTANCEOF:
        *dead = type_test(t, pc, k_rd_u16(p + 1), op == OP_CHECKCAST);
        break;
    case OP_NEW:
        *dead = emit_new(t, pc, k_rd_u16(p + 1));
        break;
    case OP_GETFIELD: case OP_PUTFIELD:
        *dead = emit_field(t, pc, k_rd_u16(p + 1), op == OP_PUTFIELD);
        break;
    case OP_GETSTATIC: case OP_PUTSTATIC:
        *dead = emit_static(t, pc, k_rd_u16(p + 1), op == OP_PUTSTATIC);
        break;

    case OP_NEWARRAY:
        *dead = new_array(t, pc, k_rd_u16(p + 1), 0);
        break;
    case OP_MULTINEWARRAY:
        *dead = new_array(t, pc, k_rd_u16(p + 1), p[3]);
        break;
    case OP_ARRAYLENGTH:
        length_of(t, pc, (sljit_sw)offsetof(KArray, length));
        break;
    case OP_AGET: case OP_BGET:
        index_load(t, pc, (sljit_sw)offsetof(KArray, length), (sljit_sw)offsetof(KArray, data),
                   op == OP_BGET);
        break;
    case OP_APUT: case OP_BPUT:
        index_store(t, pc, op == OP_BPUT);
        break;
    case OP_SLEN:
        length_of(t, pc, (sljit_sw)offsetof(KString, len));
        break;
    case OP_SGET:
        index_load(t, pc, (sljit_sw)offsetof(KString, len), (sljit_sw)offsetof(KString, data), 1);
        break;
    case OP_SCONCAT:
        string_concat(t, pc);
        break;

    case OP_THROW:
        emit_throw(t, pc);
        *dead = 1;
        break;
    case OP_DUP2:
        shuffle(t, 2, (const int[]){0, 1, 0, 1}, 4);
        break;
    case OP_DUP_X1:
        shuffle(t, 2, (const int[]){1, 0, 1}, 3);
        break;
    case OP_DUP_X2:
        shuffle(t, 3, (const int[]){2, 0, 1, 2}, 4);
        break;
    case OP_SWAP:
        shuffle(t, 2, (const int[]){1, 0}, 2);
        break;
    case OP_RETURN:
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_IMM, 0);
        emit_epilogue(t);
        *dead = 1;
        break;
    case OP_RETVAL:
        pop(t, &a, &aw);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, a, aw);
        emit_epilogue(t);
        *dead = 1;
        break;

    default:
        t->err = "tier 1: opcode not supported";
        break;
    }
    return next;
}

/* Prologue: arguments into locals, frame linked, depth and C stack checked (as
** the interpreter does). Sets the two jumps taken on stack overflow. */
static void emit_prologue(T1 *t, sljit_sw local_size, struct sljit_jump **overflow) {
    struct sljit_compiler *c = t->c;
    KMethod *m = t->m;
    /* vm -> S0, m -> R1, args -> R2 */
    sljit_emit_enter(c, 0, SLJIT_ARGS3(W, P, P_R, P_R), T1_SCRATCHES, 1 + t->nreg_locals,
                     T1_FSCRATCHES, 0,
                     (sljit_s32)local_size);
    for (int i = 0; i < m->nargs; i++) {
        sljit_s32 a;
        sljit_sw aw;
        local_home(t, i, &a, &aw);
        sljit_emit_op1(c, SLJIT_MOV, a, aw, SLJIT_MEM1(SLJIT_R2), (sljit_sw)i * 8);
    }
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), JB_FRAME_METHOD, SLJIT_R1, 0);
    sljit_emit_op2(c, SLJIT_ADD, SLJIT_MEM1(SLJIT_R1), (sljit_sw)offsetof(KMethod, invocations),
                   SLJIT_MEM1(SLJIT_R1), (sljit_sw)offsetof(KMethod, invocations), SLJIT_IMM, 1);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_FRAME);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), JB_FRAME_PREV, SLJIT_R0, 0);
    store_pc(t, 0);
    sljit_get_local_base(c, SLJIT_R0, 0, JB_FRAME);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_FRAME, SLJIT_R0, 0);
    sljit_emit_op2(c, SLJIT_ADD, SLJIT_R1, 0, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_IMM, 1);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_R1, 0);
    overflow[0] = sljit_emit_cmp(c, SLJIT_SIG_GREATER, SLJIT_R1, 0, SLJIT_MEM1(T1_VM), JB_VM_MAXDEPTH);
    overflow[1] = sljit_emit_cmp(c, SLJIT_LESS, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_STACK_LIMIT);
    t->entry_sp = safepoint_test(t);
    t->entry_resume = sljit_emit_label(c);
}

static sljit_sw SLJIT_FUNC t1_safepoint(KVM *vm) {
    return in_safepoint(vm);
}

/* The OSR entry (see the header comment): returns its label. The frame is set up as
** by emit_prologue, without counting a call or testing the safepoint flag (the
** interpreter has just passed the back-edge's safepoint). */
static struct sljit_label *emit_osr_entry(T1 *t, sljit_sw local_size, struct sljit_label *so) {
    struct sljit_compiler *c = t->c;
    struct sljit_label *l = sljit_emit_label(c);
    /* vm -> S0, m -> R1, locals -> R2, target -> R3 */
    sljit_emit_enter(c, 0, SLJIT_ARGS4(W, P, P_R, P_R, P_R), T1_SCRATCHES, 1 + t->nreg_locals,
                     T1_FSCRATCHES, 0, (sljit_s32)local_size);
    for (int i = 0; i < t->nlocals; i++) {
        sljit_s32 a;
        sljit_sw aw;
        local_home(t, i, &a, &aw);
        sljit_emit_op1(c, SLJIT_MOV, a, aw, SLJIT_MEM1(SLJIT_R2), (sljit_sw)i * 8);
    }
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), JB_FRAME_METHOD, SLJIT_R1, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_FRAME);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), JB_FRAME_PREV, SLJIT_R0, 0);
    store_pc(t, 0);
    sljit_get_local_base(c, SLJIT_R0, 0, JB_FRAME);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_FRAME, SLJIT_R0, 0);
    sljit_emit_op2(c, SLJIT_ADD, SLJIT_R1, 0, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_IMM, 1);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_R1, 0);
    sljit_set_label(sljit_emit_cmp(c, SLJIT_SIG_GREATER, SLJIT_R1, 0, SLJIT_MEM1(T1_VM), JB_VM_MAXDEPTH), so);
    sljit_set_label(sljit_emit_cmp(c, SLJIT_LESS, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_STACK_LIMIT), so);
    sljit_emit_ijump(c, SLJIT_JUMP, SLJIT_R3, 0);
    return l;
}

/* The handler of m that catches the pending error thrown at pc, as an index into
** m->handlers, or -1 (the interpreter's rule: first covering entry whose class
** matches, a catch class that cannot be resolved catching nothing; catch_class 0
** catches everything). */
static sljit_sw SLJIT_FUNC t1_catch(KVM *vm, KMethod *m, sljit_u32 pc) {
    for (int i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        if (pc < h->start || pc >= h->end) continue;
        if (h->catch_class) {
            KObject *pending = vm->exc;
            vm->exc = NULL;
            KClass *cc = ld_resolve_class(vm, m->cls, h->catch_class);
            vm->exc = pending;
            if (!cc || !vm_is_subclass(pending->cls, cc)) continue;
        }
        return i;
    }
    return -1;
}

/* Where a pending error thrown at pc goes: exc_exit when no handler covers pc, else
** an out-of-line dispatch (emitted on first use) that asks t1_catch and jumps to the
** handler's entry, which pushes the error and continues at the handler. */
static struct sljit_label *catch_dispatch(T1 *t, uint32_t pc, struct sljit_label *exc_exit) {
    struct sljit_compiler *c = t->c;
    KMethod *m = t->m;
    int covered = 0;
    for (int i = 0; i < m->nhandlers; i++)
        if (pc >= m->handlers[i].start && pc < m->handlers[i].end) covered = 1;
    if (!covered) return exc_exit;
    if (!t->catch_at) t->catch_at = calloc(t->len, sizeof *t->catch_at);
    if (!t->hentry) t->hentry = calloc(m->nhandlers, sizeof *t->hentry);
    if (!t->catch_at || !t->hentry) {
        t->err = "out of memory";
        return exc_exit;
    }
    if (t->catch_at[pc]) return t->catch_at[pc];
    /* Handler entries used from here, emitted first. */
    for (int i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        if (pc < h->start || pc >= h->end || t->hentry[i]) continue;
        t->hentry[i] = sljit_emit_label(c);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_EXC);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(SLJIT_SP), stack_off(t, 0), SLJIT_R0, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_EXC, SLJIT_IMM, 0);
        fix_add(t, &t->branches, sljit_emit_jump(c, SLJIT_JUMP), h->handler);
    }
    struct sljit_label *l = sljit_emit_label(c);
    t->catch_at[pc] = l;
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)m);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, SLJIT_IMM, (sljit_sw)pc);
    sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS3(W, P, P, 32), SLJIT_IMM, SLJIT_FUNC_ADDR(t1_catch));
    for (int i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        if (pc < h->start || pc >= h->end) continue;
        sljit_set_label(sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, i), t->hentry[i]);
    }
    sljit_set_label(sljit_emit_jump(c, SLJIT_JUMP), exc_exit);
    return l;
}

/* An out-of-line error path: stores the pc, makes the error, goes to the exit. */
static void emit_stub(T1 *t, const Stub *s) {
    struct sljit_compiler *c = t->c;
    sljit_set_label(s->jump, sljit_emit_label(c));
    store_pc(t, s->pc);
    if (s->kind == ST_SAFEPOINT) {      /* stack flushed, locals in S registers or slots */
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        CALL_HELPER(t, SLJIT_ARGS1(W, P), t1_safepoint);
        fix_add(t, &t->exits, sljit_emit_cmp(c, SLJIT_NOT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0), s->pc);
        fix_add(t, &t->branches, sljit_emit_jump(c, SLJIT_JUMP), s->tgt);
        return;
    }
    switch (s->kind) {
    case ST_DIVZERO:
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        CALL_HELPER(t, SLJIT_ARGS1(W, P), vm_throw_div_zero);
        break;
    case ST_NULL:
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, (sljit_sw)s->what);
        CALL_HELPER(t, SLJIT_ARGS2(W, P, P), vm_throw_null);
        break;
    default:        /* ST_INDEX: the operands are where the check left them */
        sljit_emit_op1(c, SLJIT_MOV, T1_TMP, 0, SLJIT_MEM1(SLJIT_R(s->areg)), s->lenoff);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, s->ia, s->iaw);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R2, 0, T1_TMP, 0);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        CALL_HELPER(t, SLJIT_ARGS3(W, P, W, W), vm_throw_index);
        break;
    }
    fix_add(t, &t->exits, sljit_emit_jump(c, SLJIT_JUMP), s->pc);
}

static const char *sljit_reason(int err) {
    switch (err) {
    case SLJIT_ERR_ALLOC_FAILED:    return "sljit: out of memory";
    case SLJIT_ERR_EX_ALLOC_FAILED: return "sljit: out of executable memory";
    case SLJIT_ERR_UNSUPPORTED:     return "sljit: unsupported instruction form";
    case SLJIT_ERR_BAD_ARGUMENT:    return "sljit: bad argument (tier 1 bug)";
    default:                        return "sljit: code generation failed";
    }
}

static void t1_free(T1 *t) {
    if (t->c) sljit_free_compiler(t->c);
    free(t->depth);
    free(t->target);
    free(t->labels);
    free(t->branches.v);
    free(t->stubs.v);
    free(t->exits.v);
    free(t->catch_at);
    free(t->hentry);
    free(t->vs);
}

const char *jit_t1_compile(KVM *vm, KMethod *m, void **code_out, size_t *size_out) {
    T1 t;
    memset(&t, 0, sizeof t);
    t.vm = vm;
    t.m = m;
    t.code = m->code;
    t.len = m->code_len;

    if (!m->verified) return "not verified";
    if ((m->flags & KACC_NATIVE) || !m->code || m->code_len == 0) return "native or no bytecode";
    if (m->nargs > m->max_locals) return "tier 1: more arguments than locals";
    t.nlocals = m->max_locals;
    t.nreg_locals = m->max_locals < T1_MAX_REG_LOCALS ? m->max_locals : T1_MAX_REG_LOCALS;
    sljit_sw local_size = JB_SLOT((sljit_sw)m->max_locals - t.nreg_locals + m->max_stack);
    if (local_size > SLJIT_MAX_LOCAL_SIZE) return "tier 1: frame larger than 64 KiB";

    /* One inline cache per invokeinterface site, kept alive by m->jit_data. */
    for (uint32_t pc = 0; pc < t.len; pc += (uint32_t)k_opinfo[t.code[pc]].size) {
        if (t.code[pc] >= OP__COUNT) return "tier 1: unknown opcode";
        if (t.code[pc] == OP_INVOKEINTERFACE) t.maxic++;
    }
    if (t.maxic) {
        t.ics = gc_alloc(sizeof(T1IC) * (size_t)t.maxic);
        if (!t.ics) return "out of memory";
    }

    t.depth = malloc((size_t)t.len * sizeof *t.depth);
    t.target = calloc(t.len, 1);
    t.labels = calloc(t.len, sizeof *t.labels);
    t.vs = calloc((size_t)m->max_stack + 1, sizeof *t.vs);
    if (!t.depth || !t.target || !t.labels || !t.vs) {
        t1_free(&t);
        return "out of memory";
    }
    if (analyse(&t) < 0) {
        t1_free(&t);
        return t.err;
    }
    t.c = sljit_create_compiler(NULL, NULL);
    if (!t.c) {
        t1_free(&t);
        return "sljit: out of memory";
    }
    struct sljit_compiler *c = t.c;

    struct sljit_jump *overflow[2];
    emit_prologue(&t, local_size, overflow);
    int dead = 0;
    uint32_t pc = 0;
    while (pc < t.len && !t.err && !sljit_get_compiler_error(c)) {
        if (t.depth[pc] < 0) {                  /* unreachable */
            if (t.code[pc] >= OP__COUNT) { t.err = "tier 1: unknown opcode"; break; }
            pc += (uint32_t)k_opinfo[t.code[pc]].size;
            dead = 1;
            continue;
        }
        if (t.target[pc] || dead) {
            if (!dead) flush_all(&t);
            t.sp = t.depth[pc];
            for (int d = 0; d < t.sp; d++) t.vs[d].kind = VK_SLOT;
            t.busy = 0;
            if (t.target[pc]) t.labels[pc] = sljit_emit_label(c);
        }
        pc = emit_insn(&t, pc, &dead);
    }

    /* Out-of-line paths: division by zero, stack overflow, the exception exit, the
    ** OSR entry. */
    struct sljit_label *exc_exit = NULL, *so = NULL, *osr_label = NULL;
    uint32_t nosr = 0;
    if (!t.err) {
        for (size_t i = 0; i < t.stubs.n; i++) emit_stub(&t, &t.stubs.v[i]);
        so = sljit_emit_label(c);
        sljit_set_label(overflow[0], so);
        sljit_set_label(overflow[1], so);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS1(W, P), SLJIT_IMM,
                         SLJIT_FUNC_ADDR(vm_throw_stack_overflow));
        exc_exit = sljit_emit_label(c);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_IMM, 0);
        emit_epilogue(&t);
        /* The entry's safepoint: an error goes straight to the exit. */
        sljit_set_label(t.entry_sp, sljit_emit_label(c));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        CALL_HELPER(&t, SLJIT_ARGS1(W, P), t1_safepoint);
        sljit_set_label(sljit_emit_cmp(c, SLJIT_NOT_EQUAL, SLJIT_R0, 0, SLJIT_IMM, 0), exc_exit);
        sljit_set_label(sljit_emit_jump(c, SLJIT_JUMP), t.entry_resume);
        for (size_t i = 0; i < t.exits.n; i++)
            sljit_set_label(t.exits.v[i].jump, catch_dispatch(&t, t.exits.v[i].pc, exc_exit));
        for (size_t i = 0; i < t.branches.n; i++) {
            struct sljit_label *l = t.labels[t.branches.v[i].pc];
            if (!l) { t.err = "tier 1: branch to a missing label"; break; }
            sljit_set_label(t.branches.v[i].jump, l);
        }
        for (uint32_t p = 0; m->loop_header && p < t.len; p++)
            if (m->loop_header[p] && t.labels[p] && t.depth[p] == 0) nosr++;
        if (nosr) osr_label = emit_osr_entry(&t, local_size, so);
    }
    if (!t.err && sljit_get_compiler_error(c)) t.err = sljit_reason(sljit_get_compiler_error(c));
    if (t.err) {
        t1_free(&t);
        return t.err;
    }
    void *code = sljit_generate_code(c);
    if (!code) {
        const char *r = sljit_reason(sljit_get_compiler_error(c));
        t1_free(&t);
        return r;
    }
    JitData *jd = gc_alloc(sizeof(JitData) + nosr * sizeof(JOsrTarget));
    if (!jd) {
        sljit_free_code(code, NULL);
        t1_free(&t);
        return "out of memory";
    }
    jd->ics = t.ics;
    if (osr_label) {
        jd->osr_entry = (void *)sljit_get_label_addr(osr_label);
        for (uint32_t p = 0; p < t.len; p++)
            if (m->loop_header[p] && t.labels[p] && t.depth[p] == 0) {
                jd->osr[jd->nosr].pc = p;
                jd->osr[jd->nosr].addr = (void *)sljit_get_label_addr(t.labels[p]);
                jd->nosr++;
            }
    }
    *code_out = code;
    *size_out = (size_t)sljit_get_generated_code_size(c);
    m->jit_data = jd;
    t1_free(&t);
    return NULL;
}
