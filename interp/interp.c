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

/* Threaded words an instruction takes: its handler plus operands. */
static int tw_size(int op)
{
    switch (op) {
    case OP_IINC: return 3;
    case OP_INVOKESTATIC: return 4;
    case OP_IDIV: case OP_IREM: return 2;      /* + pc for the error */
    default:
        return k_opinfo[op].fmt == KFMT_NONE ? 1 : 2;
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
                w[3].p = NULL;          /* callee, resolved on first execution */
            }
            break;
        }
        case KFMT_NONE:
            if (op == OP_ACONST_NULL) { w[0].h = labels[OP_ICONST]; w[1].i = 0; }
            else if (op == OP_IDIV || op == OP_IREM) w[1].u = pc;
            break;
        }
    }
    t->code = code;
    t->tw_of_pc = map;
    m->threaded = t;
    return 0;
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
    if (!m->threaded && predecode(vm, m, labels)) goto out;

    size_t nslots = (size_t)m->max_locals + m->max_stack;
    KSlot *locals = nslots <= SMALL_FRAME ? __builtin_alloca(sizeof(KSlot) * (nslots + 1))
                                          : gc_alloc(sizeof(KSlot) * nslots);
    if (!locals) { vm_throw(vm, vm->c_error, "out of memory"); goto out; }
    memcpy(locals, args, sizeof(KSlot) * m->nargs);
    KSlot *stack = locals + m->max_locals;
    KSlot *sp = stack;
    Threaded *th = m->threaded;
    TW *ip = th->code;

#define DISPATCH() goto *ip->h
#define NEXT(n)    do { ip += (n); DISPATCH(); } while (0)
#define BRANCH(cond) do { \
        if (cond) { TW *to_ = ip[1].t; if (to_ <= ip) m->backedges++; ip = to_; DISPATCH(); } \
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

L_INVOKESTATIC: {
    KMethod *callee = ip[3].p;
    fr.pc = (uint32_t)ip[2].u;
    if (!callee) {
        callee = ld_resolve_method(vm, m->cls, (uint16_t)ip[1].u);
        if (!callee) goto unwind;
        ip[3].p = callee;
    }
    sp -= callee->nargs;
    KSlot r = callee->entry(vm, callee, sp);
    if (vm->exc) goto unwind;
    if (callee->ret != 'V') *sp++ = r;
    NEXT(4);
}

L_RETURN:       result = 0; goto out;
L_RETVAL:       result = sp[-1]; goto out;

unwind:
    /* vm->exc is set and fr.pc is the throwing instruction: find a handler. */
    for (int i = 0; i < m->nhandlers; i++) {
        KHandler *h = &m->handlers[i];
        if (fr.pc < h->start || fr.pc >= h->end) continue;
        if (h->catch_class) {
            KClass *cc = ld_find_class(vm, m->cls->cp[m->cls->cp[h->catch_class].a].v.utf8.s, NULL, 0);
            if (!cc || !vm_is_subclass(vm->exc->cls, cc)) continue;
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

KSlot in_entry(KVM *vm, KMethod *m, KSlot *args)
{
    uint64_t n = ++m->invocations;
    if (vm->cfg.tier != KILN_TIER_INTERP && !m->jit_failed) {
        uint64_t threshold = vm->cfg.tier == KILN_TIER_1 ? 1 : (uint64_t)vm->cfg.jit_threshold;
        if (n >= threshold && jit_compile(vm, m) == 0) {
            m->invocations--;          /* the compiled prologue counts this call */
            return m->entry(vm, m, args);
        }
    }
    return run(vm, m, args);
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
