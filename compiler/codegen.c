/*
** compiler/codegen.c — checked syntax tree to bytecode (vm/opcodes.def).
**
** Runs only when the checker found no error, so every name is resolved and every
** expression typed. The rules the verifier and the JITs rely on:
** - The operand stack is empty at every statement boundary and loop header.
** - Conditions compile to branches (gen_cond); a bool value is made with BCONST
**   only where a value is needed.
** - No dead code is emitted: the emitter tracks reachability, drops instructions
**   while the current point is unreachable, and a label becomes reachable only if
**   a branch to it was emitted or control falls into it. So a void function gets
**   its trailing RETURN exactly when its end is reachable.
** - Loops are rotated: an entry test, the body at the loop header, the test again
**   at the bottom branching back, so one back edge per loop and no extra jump.
** - max_stack and max_locals are computed exactly while emitting.
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "ast.h"
#include "classwriter.h"
#include "lexer.h"

typedef struct {
    int pc;         /* -1 until placed */
    int sp;         /* stack depth on arrival, -1 until known */
    int used;       /* a branch to it was emitted */
} Label;

typedef struct { int at; int label; } Fixup;

typedef struct { KcStmt *loop; int brk, cont; } LoopCtx;

typedef struct {
    Kc         *c;
    KcModule   *mod;
    KcCw       *cw;
    KcDecl     *decl;
    KcMethodOut *m;
    Label      *labels;
    int         nlabels, labels_cap;
    Fixup      *fix;
    int         nfix, fix_cap;
    LoopCtx    *loops;
    int         nloops, loops_cap;
    int         sp, max_sp;
    int         reachable;
    int         nlocals, max_locals;
    int         last_line;
    int         last_goto;      /* pc of the last GOTO emitted, or -1 */
    int         failed;         /* an internal limit was hit (reported once) */
} Gen;

static void gen_expr(Gen *g, KcExpr *e);
static void gen_cond(Gen *g, KcExpr *e, int jump_if, int label);
static void gen_block(Gen *g, KcStmt *b);

static void gen_fail(Gen *g, KcPos pos, const char *msg) {
    if (g->failed) return;
    g->failed = 1;
    kc_error(g->c, pos, "%s", msg);
}

/* ---- emitting ------------------------------------------------------------------ */

static void adjust(Gen *g, int pops, int pushes) {
    g->sp -= pops;
    if (g->sp < 0) {
        gen_fail(g, g->decl->pos, "internal compiler error: operand stack underflow");
        g->sp = 0;
    }
    g->sp += pushes;
    if (g->sp > g->max_sp) g->max_sp = g->sp;
}

/* The stack effect of an opcode whose signature in opcodes.def is "pops:pushes". */
static void sig_effect(KOpcode op, int *pops, int *pushes) {
    const char *s = k_opinfo[op].sig;
    int n = 0;
    while (*s && *s != ':') { n++; s++; }
    *pops = n;
    n = 0;
    if (*s == ':') s++;
    while (*s) { n++; s++; }
    *pushes = n;
}

static void put_op(Gen *g, KOpcode op) { kc_buf_u8(g->c, &g->m->code, (unsigned)op); }

/* An opcode without operand whose stack effect opcodes.def gives. */
static void op0(Gen *g, KOpcode op) {
    if (!g->reachable) return;
    int pops, pushes;
    put_op(g, op);
    sig_effect(op, &pops, &pushes);
    adjust(g, pops, pushes);
    if (k_opinfo[op].flags & K_END) g->reachable = 0;
}

/* An opcode without operand and an explicit stack effect ("*" signatures). */
static void op0x(Gen *g, KOpcode op, int pops, int pushes) {
    if (!g->reachable) return;
    put_op(g, op);
    adjust(g, pops, pushes);
    if (k_opinfo[op].flags & K_END) g->reachable = 0;
}

static void op_u16(Gen *g, KOpcode op, int v, int pops, int pushes) {
    if (!g->reachable) return;
    put_op(g, op);
    kc_buf_u16(g->c, &g->m->code, (unsigned)v);
    adjust(g, pops, pushes);
}

static void push_int(Gen *g, int64_t v) {
    if (!g->reachable) return;
    if (v >= INT32_MIN && v <= INT32_MAX) {
        put_op(g, OP_ICONST);
        kc_buf_u32(g->c, &g->m->code, (uint32_t)(int32_t)v);
        adjust(g, 0, 1);
    } else {
        op_u16(g, OP_LDC, kc_cp_int(g->cw, v), 0, 1);
    }
}

static void push_bool(Gen *g, int v) {
    if (!g->reachable) return;
    put_op(g, OP_BCONST);
    kc_buf_u8(g->c, &g->m->code, v ? 1 : 0);
    adjust(g, 0, 1);
}

static void op_load(Gen *g, int slot) { op_u16(g, OP_LOAD, slot, 0, 1); }
static void op_store(Gen *g, int slot) { op_u16(g, OP_STORE, slot, 1, 0); }

static void op_iinc(Gen *g, int slot, int delta) {
    if (!g->reachable) return;
    put_op(g, OP_IINC);
    kc_buf_u16(g->c, &g->m->code, (unsigned)slot);
    kc_buf_u16(g->c, &g->m->code, (unsigned)(uint16_t)(int16_t)delta);
}

static int new_label(Gen *g) {
    if (g->nlabels == g->labels_cap) {
        int ncap = g->labels_cap ? g->labels_cap * 2 : 32;
        Label *nl = kc_alloc(g->c, sizeof(Label) * (size_t)ncap);
        if (g->nlabels) memcpy(nl, g->labels, sizeof(Label) * (size_t)g->nlabels);
        g->labels = nl;
        g->labels_cap = ncap;
    }
    Label *l = &g->labels[g->nlabels];
    l->pc = -1;
    l->sp = -1;
    l->used = 0;
    return g->nlabels++;
}

/* Records the stack depth with which control arrives at a label. */
static void arrive(Gen *g, int label) {
    Label *l = &g->labels[label];
    if (l->sp < 0) l->sp = g->sp;
    else if (l->sp != g->sp)
        gen_fail(g, g->decl->pos, "internal compiler error: stack depths differ at a join");
}

static void op_branch(Gen *g, KOpcode op, int label) {
    if (!g->reachable) return;
    int pops, pushes;
    sig_effect(op, &pops, &pushes);
    int at = (int)g->m->code.len;
    put_op(g, op);
    kc_buf_u32(g->c, &g->m->code, 0);
    adjust(g, pops, pushes);
    if (g->nfix == g->fix_cap) {
        int ncap = g->fix_cap ? g->fix_cap * 2 : 32;
        Fixup *nf = kc_alloc(g->c, sizeof(Fixup) * (size_t)ncap);
        if (g->nfix) memcpy(nf, g->fix, sizeof(Fixup) * (size_t)g->nfix);
        g->fix = nf;
        g->fix_cap = ncap;
    }
    g->fix[g->nfix].at = at;
    g->fix[g->nfix].label = label;
    g->nfix++;
    g->labels[label].used = 1;
    arrive(g, label);
    if (op == OP_GOTO) {
        g->reachable = 0;
        g->last_goto = at;
    }
}

static void place(Gen *g, int label) {
    Label *l = &g->labels[label];
    /* A GOTO to the very next instruction is dropped: control falls through. */
    if (!g->reachable && g->last_goto >= 0 && g->last_goto + KSZ_BR == (int)g->m->code.len &&
        g->nfix > 0 && g->fix[g->nfix - 1].at == g->last_goto && g->fix[g->nfix - 1].label == label) {
        g->m->code.len -= KSZ_BR;
        g->nfix--;
        g->reachable = 1;
        g->sp = l->sp;
        g->last_goto = -1;
    }
    l->pc = (int)g->m->code.len;
    if (g->reachable) {
        arrive(g, label);
    } else if (l->used) {
        g->sp = l->sp;
        g->reachable = 1;
    }
}

/* A line-table entry for the code emitted next (one per change of line). */
static void mark_line(Gen *g, int line) {
    if (!g->reachable || line == g->last_line) return;
    KcMethodOut *m = g->m;
    uint32_t pc = (uint32_t)m->code.len;
    if (m->nlines > 0) {
        uint8_t *last = m->lines.p + m->lines.len - 8;
        uint32_t last_pc = (uint32_t)last[0] | (uint32_t)last[1] << 8 |
                           (uint32_t)last[2] << 16 | (uint32_t)last[3] << 24;
        if (last_pc == pc) {                    /* nothing emitted for the previous line */
            last[4] = (uint8_t)line;
            last[5] = (uint8_t)(line >> 8);
            last[6] = (uint8_t)(line >> 16);
            last[7] = (uint8_t)(line >> 24);
            g->last_line = line;
            return;
        }
    }
    kc_buf_u32(g->c, &m->lines, pc);
    kc_buf_u32(g->c, &m->lines, (uint32_t)line);
    m->nlines++;
    g->last_line = line;
}

static int alloc_slot(Gen *g) {
    int s = g->nlocals++;
    if (g->nlocals > g->max_locals) g->max_locals = g->nlocals;
    return s;
}

/* ---- expressions ----------------------------------------------------------------- */

static KOpcode arith_op(int tok) {
    switch (tok) {
    case TK_PLUS: case TK_PLUS_EQ: return OP_IADD;
    case TK_MINUS: case TK_MINUS_EQ: return OP_ISUB;
    case TK_STAR: case TK_STAR_EQ: return OP_IMUL;
    case TK_SLASH: case TK_SLASH_EQ: return OP_IDIV;
    case TK_PERCENT: case TK_PERCENT_EQ: return OP_IREM;
    case TK_AMP: case TK_AMP_EQ: return OP_IAND;
    case TK_PIPE: case TK_PIPE_EQ: return OP_IOR;
    case TK_CARET: case TK_CARET_EQ: return OP_IXOR;
    case TK_SHL: case TK_SHL_EQ: return OP_ISHL;
    case TK_SHR: case TK_SHR_EQ: return OP_ISHR;
    case TK_USHR: case TK_USHR_EQ: return OP_IUSHR;
    default: return OP_NOP;
    }
}

/* IF_ICMPxx jumping when `a tok b` holds (negate: when it does not). */
static KOpcode icmp_branch(int tok, int negate) {
    switch (tok) {
    case TK_EQEQ: return negate ? OP_IF_ICMPNE : OP_IF_ICMPEQ;
    case TK_NE: return negate ? OP_IF_ICMPEQ : OP_IF_ICMPNE;
    case TK_LT: return negate ? OP_IF_ICMPGE : OP_IF_ICMPLT;
    case TK_LE: return negate ? OP_IF_ICMPGT : OP_IF_ICMPLE;
    case TK_GT: return negate ? OP_IF_ICMPLE : OP_IF_ICMPGT;
    case TK_GE: return negate ? OP_IF_ICMPLT : OP_IF_ICMPGE;
    default: return OP_NOP;
    }
}

static KOpcode icmp_value(int tok) {
    switch (tok) {
    case TK_EQEQ: return OP_ICMPEQ;
    case TK_NE: return OP_ICMPNE;
    case TK_LT: return OP_ICMPLT;
    case TK_LE: return OP_ICMPLE;
    case TK_GT: return OP_ICMPGT;
    default: return OP_ICMPGE;
    }
}

static int is_comparison(int tok) {
    return tok == TK_EQEQ || tok == TK_NE || tok == TK_LT || tok == TK_LE || tok == TK_GT ||
           tok == TK_GE;
}

/* The value of a bool expression made of branches: true or false on the stack. */
static void gen_bool_value(Gen *g, KcExpr *e) {
    int lfalse = new_label(g), lend = new_label(g);
    gen_cond(g, e, 0, lfalse);
    push_bool(g, 1);
    op_branch(g, OP_GOTO, lend);
    place(g, lfalse);
    push_bool(g, 0);
    place(g, lend);
}

static void gen_call(Gen *g, KcExpr *e) {
    KcFunc *f = e->u.call.fn;
    for (int i = 0; i < e->u.call.nargs; i++) gen_expr(g, e->u.call.args[i]);
    mark_line(g, e->pos.line);
    int idx = kc_cp_method(g->cw, f->owner, f->name->s, f->desc);
    op_u16(g, OP_INVOKESTATIC, idx, f->nparams, f->ret->kind == KT_VOID ? 0 : 1);
}

static void gen_expr(Gen *g, KcExpr *e) {
    switch (e->kind) {
    case E_INT:
        push_int(g, e->u.ival);
        return;
    case E_BOOL:
        push_bool(g, e->u.bval);
        return;
    case E_STRING:
        op_u16(g, OP_LDC, kc_cp_string(g->cw, e->u.str.s, e->u.str.len), 0, 1);
        return;
    case E_NAME:
        op_load(g, e->u.name.local->slot);
        return;
    case E_UNARY:
        gen_expr(g, e->u.unary.operand);
        if (e->op == TK_MINUS) {
            op0(g, OP_INEG);
        } else if (e->op == TK_TILDE) {
            push_int(g, -1);
            op0(g, OP_IXOR);
        } else {
            op0(g, OP_ZNOT);
        }
        return;
    case E_BINARY: {
        int op = e->op;
        if (op == TK_ANDAND || op == TK_OROR) {
            gen_bool_value(g, e);
            return;
        }
        gen_expr(g, e->u.bin.l);
        gen_expr(g, e->u.bin.r);
        if (is_comparison(op)) {
            KcType *t = e->u.bin.l->ty;
            if (t->kind == KT_BOOL) op0(g, op == TK_EQEQ ? OP_ZCMPEQ : OP_ZCMPNE);
            else if (t->kind == KT_STRING) op0(g, op == TK_EQEQ ? OP_SCMPEQ : OP_SCMPNE);
            else op0(g, icmp_value(op));
            return;
        }
        KOpcode aop = arith_op(op);
        if (aop == OP_IDIV || aop == OP_IREM) mark_line(g, e->u.bin.op_pos.line);
        op0(g, aop);
        return;
    }
    case E_COND: {
        int lelse = new_label(g), lend = new_label(g);
        gen_cond(g, e->u.cond.cond, 0, lelse);
        gen_expr(g, e->u.cond.then);
        op_branch(g, OP_GOTO, lend);
        place(g, lelse);
        gen_expr(g, e->u.cond.els);
        place(g, lend);
        return;
    }
    case E_CALL:
        gen_call(g, e);
        return;
    default:
        gen_fail(g, e->pos, "internal compiler error: unexpected expression in code generation");
        return;
    }
}

/* Jumps to `label` when e's value equals jump_if; falls through otherwise. The
** stack is the same before and after, and at the label. */
static void gen_cond(Gen *g, KcExpr *e, int jump_if, int label) {
    switch (e->kind) {
    case E_BOOL:
        if (e->u.bval == jump_if) op_branch(g, OP_GOTO, label);
        return;
    case E_UNARY:
        if (e->op == TK_BANG) {
            gen_cond(g, e->u.unary.operand, !jump_if, label);
            return;
        }
        break;
    case E_BINARY: {
        int op = e->op;
        if (op == TK_ANDAND || op == TK_OROR) {
            int is_and = op == TK_ANDAND;
            if (jump_if != is_and) {
                /* and/jump-if-false or or/jump-if-true: either side decides. */
                gen_cond(g, e->u.bin.l, jump_if, label);
                gen_cond(g, e->u.bin.r, jump_if, label);
            } else {
                int skip = new_label(g);
                gen_cond(g, e->u.bin.l, !jump_if, skip);
                gen_cond(g, e->u.bin.r, jump_if, label);
                place(g, skip);
            }
            return;
        }
        if (is_comparison(op) && e->u.bin.l->ty->kind == KT_INT) {
            gen_expr(g, e->u.bin.l);
            gen_expr(g, e->u.bin.r);
            op_branch(g, icmp_branch(op, !jump_if), label);
            return;
        }
        break;
    }
    case E_COND: {
        int lelse = new_label(g), lend = new_label(g);
        gen_cond(g, e->u.cond.cond, 0, lelse);
        gen_cond(g, e->u.cond.then, jump_if, label);
        op_branch(g, OP_GOTO, lend);
        place(g, lelse);
        gen_cond(g, e->u.cond.els, jump_if, label);
        place(g, lend);
        return;
    }
    default:
        break;
    }
    gen_expr(g, e);
    op_branch(g, jump_if ? OP_IFTRUE : OP_IFFALSE, label);
}

/* ---- statements ---------------------------------------------------------------------- */

static LoopCtx *find_loop(Gen *g, KcStmt *loop) {
    for (int i = g->nloops - 1; i >= 0; i--)
        if (g->loops[i].loop == loop) return &g->loops[i];
    return NULL;
}

static void push_loop(Gen *g, KcStmt *loop, int brk, int cont) {
    if (g->nloops == g->loops_cap) {
        int ncap = g->loops_cap ? g->loops_cap * 2 : 8;
        LoopCtx *nl = kc_alloc(g->c, sizeof(LoopCtx) * (size_t)ncap);
        if (g->nloops) memcpy(nl, g->loops, sizeof(LoopCtx) * (size_t)g->nloops);
        g->loops = nl;
        g->loops_cap = ncap;
    }
    g->loops[g->nloops].loop = loop;
    g->loops[g->nloops].brk = brk;
    g->loops[g->nloops].cont = cont;
    g->nloops++;
}

static int fits_i16(int64_t v) { return v >= INT16_MIN && v <= INT16_MAX; }

static void gen_assign(Gen *g, KcStmt *s) {
    KcLocal *l = s->u.assign.target->u.name.local;
    KcExpr *v = s->u.assign.value;
    int op = s->u.assign.op;
    if (op == TK_ASSIGN) {
        gen_expr(g, v);
        op_store(g, l->slot);
        return;
    }
    if (v->kind == E_INT && op == TK_PLUS_EQ && fits_i16(v->u.ival)) {
        op_iinc(g, l->slot, (int)v->u.ival);
        return;
    }
    if (v->kind == E_INT && op == TK_MINUS_EQ && v->u.ival != INT64_MIN && fits_i16(-v->u.ival)) {
        op_iinc(g, l->slot, (int)-v->u.ival);
        return;
    }
    op_load(g, l->slot);
    gen_expr(g, v);
    KOpcode aop = arith_op(op);
    op0(g, aop);
    op_store(g, l->slot);
}

/* Pushes a range bound kept in a local, or a constant bound directly. */
static void load_bound(Gen *g, KcExpr *bound, int slot) {
    if (slot < 0) push_int(g, bound->u.ival);
    else op_load(g, slot);
}

static void gen_for(Gen *g, KcStmt *s) {
    int saved = g->nlocals;
    KcExpr *end = s->u.for_.end;
    /* Both bounds are evaluated once, start first. */
    gen_expr(g, s->u.for_.start);
    int counter = alloc_slot(g);
    op_store(g, counter);
    int end_slot = -1;
    if (end->kind != E_INT) {
        gen_expr(g, end);
        end_slot = alloc_slot(g);
        op_store(g, end_slot);
    }
    s->u.for_.local->slot = counter;            /* read-only in the body */
    int brk = new_label(g), cont = new_label(g), loop = new_label(g);
    op_load(g, counter);
    load_bound(g, end, end_slot);
    op_branch(g, s->u.for_.inclusive ? OP_IF_ICMPGT : OP_IF_ICMPGE, brk);
    place(g, loop);
    push_loop(g, s, brk, cont);
    gen_block(g, s->u.for_.body);
    g->nloops--;
    place(g, cont);
    mark_line(g, s->pos.line);
    if (s->u.for_.inclusive) {
        /* Test before incrementing, so that a..=MAX ends without overflow. */
        op_load(g, counter);
        load_bound(g, end, end_slot);
        op_branch(g, OP_IF_ICMPGE, brk);
        op_iinc(g, counter, 1);
        op_branch(g, OP_GOTO, loop);
    } else {
        op_iinc(g, counter, 1);
        op_load(g, counter);
        load_bound(g, end, end_slot);
        op_branch(g, OP_IF_ICMPLT, loop);
    }
    place(g, brk);
    g->nlocals = saved;
}

static void gen_stmt(Gen *g, KcStmt *s) {
    if (!g->reachable) return;                  /* dead code is not emitted */
    if (s->kind != S_BLOCK && s->kind != S_IF) mark_line(g, s->pos.line);
    switch (s->kind) {
    case S_BLOCK:
        gen_block(g, s);
        return;
    case S_VAR: {
        gen_expr(g, s->u.var.init);
        int slot = alloc_slot(g);
        s->u.var.local->slot = slot;
        op_store(g, slot);
        return;
    }
    case S_ASSIGN:
        gen_assign(g, s);
        return;
    case S_INCDEC:
        op_iinc(g, s->u.incdec.target->u.name.local->slot, s->u.incdec.op == TK_PLUSPLUS ? 1 : -1);
        return;
    case S_EXPR: {
        KcExpr *e = s->u.expr.e;
        gen_expr(g, e);
        if (e->ty->kind != KT_VOID) op0x(g, OP_POP, 1, 0);
        return;
    }
    case S_IF: {
        int lend = new_label(g);
        for (KcStmt *x = s; x; ) {
            mark_line(g, x->pos.line);
            KcStmt *els = x->u.if_.els;
            if (!els) {
                gen_cond(g, x->u.if_.cond, 0, lend);
                gen_block(g, x->u.if_.then);
                break;
            }
            int lnext = new_label(g);
            gen_cond(g, x->u.if_.cond, 0, lnext);
            gen_block(g, x->u.if_.then);
            op_branch(g, OP_GOTO, lend);
            place(g, lnext);
            if (els->kind == S_IF) {
                x = els;
                continue;
            }
            gen_block(g, els);
            break;
        }
        place(g, lend);
        return;
    }
    case S_WHILE: {
        int brk = new_label(g), cont = new_label(g), loop = new_label(g);
        gen_cond(g, s->u.while_.cond, 0, brk);
        place(g, loop);
        push_loop(g, s, brk, cont);
        gen_block(g, s->u.while_.body);
        g->nloops--;
        place(g, cont);
        mark_line(g, s->pos.line);
        gen_cond(g, s->u.while_.cond, 1, loop);
        place(g, brk);
        return;
    }
    case S_FOR:
        gen_for(g, s);
        return;
    case S_BREAK: case S_CONTINUE: {
        LoopCtx *lc = find_loop(g, s->u.jump.loop);
        if (!lc) {
            gen_fail(g, s->pos, "internal compiler error: jump outside a loop");
            return;
        }
        op_branch(g, OP_GOTO, s->kind == S_BREAK ? lc->brk : lc->cont);
        return;
    }
    case S_RETURN:
        if (s->u.ret.value) {
            gen_expr(g, s->u.ret.value);
            op0x(g, OP_RETVAL, 1, 0);
        } else {
            op0x(g, OP_RETURN, 0, 0);
        }
        return;
    default:
        gen_fail(g, s->pos, "internal compiler error: unexpected statement in code generation");
        return;
    }
}

static void gen_block(Gen *g, KcStmt *b) {
    int saved = g->nlocals;
    for (int i = 0; i < b->u.block.n; i++) gen_stmt(g, b->u.block.stmts[i]);
    g->nlocals = saved;
}

/* ---- functions and modules ------------------------------------------------------------- */

static void gen_function(Kc *c, KcModule *mod, KcCw *cw, KcFunc *f) {
    KcDecl *d = f->decl;
    Gen G;
    memset(&G, 0, sizeof G);
    Gen *g = &G;
    g->c = c;
    g->mod = mod;
    g->cw = cw;
    g->decl = d;
    g->m = kc_alloc(c, sizeof(KcMethodOut));
    g->m->access = f->access;
    g->m->name = f->name->s;
    g->m->desc = f->desc;
    g->reachable = 1;
    g->last_goto = -1;
    for (int i = 0; i < d->nparams; i++) d->params[i].local->slot = alloc_slot(g);

    gen_block(g, d->body);
    if (g->reachable) {
        mark_line(g, d->body->u.block.rbrace.line);
        if (f->ret->kind == KT_VOID)
            op0x(g, OP_RETURN, 0, 0);
        else
            gen_fail(g, d->body->u.block.rbrace, "internal compiler error: missing return");
    }

    /* Branch offsets are relative to the branch opcode's own pc. */
    for (int i = 0; i < g->nfix; i++) {
        Label *l = &g->labels[g->fix[i].label];
        int32_t off = l->pc - g->fix[i].at;
        uint8_t *p = g->m->code.p + g->fix[i].at + 1;
        p[0] = (uint8_t)off;
        p[1] = (uint8_t)((uint32_t)off >> 8);
        p[2] = (uint8_t)((uint32_t)off >> 16);
        p[3] = (uint8_t)((uint32_t)off >> 24);
    }
    if (g->m->code.len > KCF_MAX_CODE)
        gen_fail(g, d->name_pos, "function is too large (its code exceeds 16 MiB)");
    else if (g->max_locals > 65535)
        gen_fail(g, d->name_pos, "function has too many local variables (more than 65535)");
    else if (g->max_sp > 65535)
        gen_fail(g, d->name_pos, "function needs too deep an operand stack (more than 65535)");
    else if (g->m->nlines > 65535)
        gen_fail(g, d->name_pos, "function has too many lines (more than 65535 line-table entries)");
    g->m->max_stack = g->max_sp;
    g->m->max_locals = g->max_locals;
    d->nlocals = g->max_locals;
    kc_cw_add_method(cw, g->m);
}

void kc_gen_module(Kc *c, KcModule *m, uint8_t **data, size_t *len) {
    KcCw cw;
    kc_cw_init(c, &cw);
    for (int i = 0; i < m->funcs.n; i++) {
        KcFunc *f = m->funcs.items[i];
        if (f->decl && f->decl->body) gen_function(c, m, &cw, f);
    }
    if (m->funcs.n > 65535) {
        KcPos pos = { m->src->index, 1, 1, 0 };
        kc_error(c, pos, "module `%s` has too many functions (more than 65535)", m->name->s);
    }
    kc_cw_finish(&cw, KACC_MODULE, m->name->s, m->src->basename, data, len);
    if (cw.overflow) {
        KcPos pos = { m->src->index, 1, 1, 0 };
        kc_error(c, pos, "module `%s` has too many constants (more than 65535)", m->name->s);
    }
}
