/*
** jit/tier1.c — tier 1: one pass from verified bytecode to sljit.
**
** The method becomes a C-callable function with the common calling convention
**     KSlot fn(KVM *vm, KMethod *m, KSlot *args)
** whose native frame is described in backend.h. The prologue copies the arguments
** into the locals, counts the call in m->invocations, links the frame into
** vm->frame and checks vm->depth against vm->max_depth; every return and the
** exception exit unlink it again.
**
** Registers
**   S0          vm, for the whole activation
**   S1 .. S5    locals 0..4 (as many as the method has); the others live in slots
**   R0 .. R5    values of the operand stack (see "virtual stack" below)
**   R6          spare temporary
**
** Virtual stack. The operand stack is modelled at compile time: an entry is an
** immediate, a reference to a local ("the current value of local n"), a value in
** a scratch register, or a value in its own stack slot. Instructions combine
** entries directly, so `load a; iconst 1; iadd; store a` becomes an add and a
** move, and `load i; load n; if_icmplt` one compare and one jump. At every
** basic-block boundary (branch, branch target, call) the stack is flushed: every
** live entry is written to its slot, so all paths agree at a join. Entries that
** refer to a local are flushed before the local is written. A comparison
** followed by iftrue/iffalse (not a branch target) becomes one compare-and-jump.
** Constant operands are folded.
**
** Rare paths leave the straight line: division by zero jumps to a stub that
** stores the pc and calls vm_throw_div_zero; every call is followed by a check
** of vm->exc. A pending error goes to the shared exception exit (unlink the frame,
** return 0) or, when the pc is covered by an exception handler, to a dispatch
** that asks t1_catch which handler (the interpreter's rule) and continues there
** with the error alone on the stack.
**
** Taken loop back-edges are counted in m->backedges, like the interpreter does.
*/
#include <stdint.h>
#include <stdlib.h>
#include "backend.h"
#include "jit.h"
#include "../loader/loader.h"
#include "../interp/interp.h"

#define T1_SCRATCHES     7      /* R0..R6 */
#define T1_VALUE_REGS    6      /* R0..R5 hold stack values */
#define T1_MAX_REG_LOCALS 5     /* S1..S5 */
#define T1_TMP           SLJIT_R6
#define T1_VM            SLJIT_S0

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
    uint32_t pc;        /* branch target, or the throwing instruction for stubs */
} Fixup;

typedef struct {
    Fixup  *v;
    size_t  n, cap;
} FixList;

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
    FixList                divzero;   /* jumps to division-by-zero stubs */
    FixList                exits;     /* jumps taken when an error is pending, by pc */
    struct sljit_label   **catch_at;  /* by pc: handler dispatch for throws at pc */
    struct sljit_label   **hentry;    /* by handler: pushes the error, jumps to it */
    VEnt                  *vs;        /* the virtual stack */
    int                    sp;
    unsigned               busy;      /* value registers in use (bit i = R(i)) */
    int                    nreg_locals;
    int                    nlocals;
    const char            *err;       /* first refusal reason */
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

/* ---- pass 1: instruction boundaries, stack depths, branch targets --------- */

/* Pops and pushes of an instruction whose signature is not "*". */
static void sig_effect(const char *sig, int *pops, int *pushes) {
    const char *colon = sig;
    while (*colon && *colon != ':') colon++;
    *pops = (int)(colon - sig);
    *pushes = *colon ? (int)strlen(colon + 1) : 0;
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
    case OP_INVOKESTATIC: {
        const char *cls, *name, *desc;
        ld_member_ref(t->m->cls, k_rd_u16(t->code + pc + 1), &cls, &name, &desc);
        int n = desc ? vm_desc_nargs(desc) : -1;
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
    case OP_ICMPEQ: case OP_ZCMPEQ: case OP_IF_ICMPEQ: return SLJIT_EQUAL;
    case OP_ICMPNE: case OP_ZCMPNE: case OP_IF_ICMPNE: return SLJIT_NOT_EQUAL;
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

/* Unconditional jump from the branch at pc to bytecode target tgt; the stack must
** be flushed already. */
static void emit_goto(T1 *t, uint32_t pc, uint32_t tgt) {
    if (tgt <= pc) count_backedge(t);
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
        fix_add(t, &t->divzero, sljit_emit_jump(c, SLJIT_JUMP), pc);
    } else if (eb.kind == VK_IMM && eb.imm == -1) {
        if (is_div) sljit_emit_op2(c, SLJIT_SUB, SLJIT_R0, 0, SLJIT_IMM, 0, SLJIT_R0, 0);
        else sljit_emit_op1(c, SLJIT_MOV, SLJIT_R1, 0, SLJIT_IMM, 0);
    } else if (eb.kind == VK_IMM) {
        sljit_emit_op0(c, is_div ? SLJIT_DIV_SW : SLJIT_DIVMOD_SW);
    } else {
        fix_add(t, &t->divzero, sljit_emit_cmp(c, SLJIT_EQUAL, SLJIT_R1, 0, SLJIT_IMM, 0), pc);
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
    if (a == b) return 1;
    if (!a || !b) return 0;
    return vm_string_eq(a, b) != 0;
}

/* INVOKESTATIC idx at pc. */
static void invoke_static(T1 *t, uint32_t pc, uint16_t idx) {
    struct sljit_compiler *c = t->c;
    const char *cname, *name, *desc;
    ld_member_ref(t->m->cls, idx, &cname, &name, &desc);
    int nargs = vm_desc_nargs(desc);
    int has_result = vm_desc_ret(desc) != 'V';
    KMethod *callee = ld_resolve_method(t->vm, t->m->cls, idx);
    if (!callee) t->vm->exc = NULL;     /* resolved again (and thrown) at run time */

    flush_all(t);
    store_pc(t, pc);
    int base = t->sp - nargs;
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
    case OP_ICMPGE: case OP_ZCMPEQ: case OP_ZCMPNE: {
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
        flush_all(t);
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

/* Prologue: arguments into locals, frame linked, depth checked. Returns the jump
** taken on stack overflow. */
static struct sljit_jump *emit_prologue(T1 *t, sljit_sw local_size) {
    struct sljit_compiler *c = t->c;
    KMethod *m = t->m;
    /* vm -> S0, m -> R1, args -> R2 */
    sljit_emit_enter(c, 0, SLJIT_ARGS3(W, P, P_R, P_R), T1_SCRATCHES, 1 + t->nreg_locals, 0, 0,
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
    sljit_emit_op2(c, SLJIT_ADD, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_IMM, 1);
    sljit_emit_op1(c, SLJIT_MOV, SLJIT_MEM1(T1_VM), JB_VM_DEPTH, SLJIT_R0, 0);
    return sljit_emit_cmp(c, SLJIT_SIG_GREATER, SLJIT_R0, 0, SLJIT_MEM1(T1_VM), JB_VM_MAXDEPTH);
}

/* The handler of m that catches the pending error thrown at pc, as an index into
** m->handlers, or -1 (the interpreter's rule: first covering entry whose class
** matches; catch_class 0 catches everything). */
static sljit_sw SLJIT_FUNC t1_catch(KVM *vm, KMethod *m, sljit_u32 pc) {
    for (int i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        if (pc < h->start || pc >= h->end) continue;
        if (h->catch_class) {
            KClass *cc = ld_find_class(vm, m->cls->cp[m->cls->cp[h->catch_class].a].v.utf8.s, NULL, 0);
            if (!cc || !vm_is_subclass(vm->exc->cls, cc)) continue;
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
    free(t->divzero.v);
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

    struct sljit_jump *overflow = emit_prologue(&t, local_size);
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

    /* Out-of-line paths: division by zero, stack overflow, the exception exit. */
    struct sljit_label *exc_exit = NULL;
    if (!t.err) {
        if (t.divzero.n) {
            for (size_t i = 0; i < t.divzero.n; i++) {
                sljit_set_label(t.divzero.v[i].jump, sljit_emit_label(c));
                store_pc(&t, t.divzero.v[i].pc);
                sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
                sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS1(W, P), SLJIT_IMM,
                                 SLJIT_FUNC_ADDR(vm_throw_div_zero));
                fix_add(&t, &t.exits, sljit_emit_jump(c, SLJIT_JUMP), t.divzero.v[i].pc);
            }
        }
        sljit_set_label(overflow, sljit_emit_label(c));
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, T1_VM, 0);
        sljit_emit_icall(c, SLJIT_CALL, SLJIT_ARGS1(W, P), SLJIT_IMM,
                         SLJIT_FUNC_ADDR(vm_throw_stack_overflow));
        exc_exit = sljit_emit_label(c);
        sljit_emit_op1(c, SLJIT_MOV, SLJIT_R0, 0, SLJIT_IMM, 0);
        emit_epilogue(&t);
        for (size_t i = 0; i < t.exits.n; i++)
            sljit_set_label(t.exits.v[i].jump, catch_dispatch(&t, t.exits.v[i].pc, exc_exit));
        for (size_t i = 0; i < t.branches.n; i++) {
            struct sljit_label *l = t.labels[t.branches.v[i].pc];
            if (!l) { t.err = "tier 1: branch to a missing label"; break; }
            sljit_set_label(t.branches.v[i].jump, l);
        }
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
    *code_out = code;
    *size_out = (size_t)sljit_get_generated_code_size(c);
    t1_free(&t);
    return NULL;
}
