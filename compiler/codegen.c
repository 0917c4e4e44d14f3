/*
** compiler/codegen.c — checked syntax tree to bytecode (vm/opcodes.def).
**
** Runs only when the checker found no error, so every name is resolved and every
** expression typed. The rules the verifier and the JITs rely on:
** - The operand stack is empty at every statement boundary and loop header, and
**   at the start of every `try`; a handler starts with [the error] on the stack.
** - Conditions compile to branches (gen_cond); a bool value is made with BCONST
**   only where a value is needed.
** - No dead code is emitted: the emitter tracks reachability, drops instructions
**   while the current point is unreachable, and a label becomes reachable only if
**   a branch to it was emitted or control falls into it.
** - Loops are rotated: an entry test, the body at the loop header, the test again
**   at the bottom branching back, so one back edge per loop and no extra jump.
** - Every value is left in the representation of its language type: after reading
**   a field or calling a method declared with a type parameter the value is
**   unboxed or cast (conv_from); before storing or passing a value where a type
**   parameter (or Object) is declared it is boxed (conv_to). Function values are
**   adapted by synthetic closures where erasure changes their signature.
** - `finally` code is duplicated at every exit of its `try` (normal end, each
**   catch, return, break, continue) and once more in a catch-all handler that
**   rethrows; the duplicated code is left out of the try's protected ranges.
** - max_stack and max_locals are computed exactly while emitting.
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "check.h"
#include "classwriter.h"
#include "lexer.h"

typedef struct {
    int pc;         /* -1 until placed */
    int sp;         /* stack depth on arrival, -1 until known */
    int used;       /* a branch to it was emitted */
} Label;

typedef struct { int at; int label; } Fixup;

typedef struct { KcStmt *loop; int brk, cont; } LoopCtx;

typedef struct TryCtx {
    struct TryCtx *outer;
    KcStmt *fin;            /* the finally block, or NULL */
    KcVec   body;           /* (intptr_t) start, end pairs covered by the catches */
    KcVec   catches;        /* ranges covered by the catch-all only */
    int     open;           /* start pc of the open range, -1 when none */
    int     phase;          /* 0 body, 1 catch bodies, 2 unprotected */
    int     nloops;         /* loops open when the try began */
} TryCtx;

/* What the generation of one class shares: its writer and synthetic adapters. */
typedef struct {
    Kc       *c;
    KcModule *mod;
    KcCls  *cls;          /* NULL for the module class */
    KcCw     *cw;
    const char *owner;      /* this class's name */
    KcVec     adapters;     /* KcFunc* made while generating */
    int       nadapters;
} ClassGen;

typedef struct {
    Kc         *c;
    ClassGen   *cg;
    KcCw       *cw;
    KcFunc     *fn;
    KcPos       pos;
    KcMethodOut *m;
    Label      *labels;
    int         nlabels, labels_cap;
    Fixup      *fix;
    int         nfix, fix_cap;
    LoopCtx    *loops;
    int         nloops, loops_cap;
    TryCtx     *tries;
    int         sp, max_sp;
    int         reachable;
    int         nlocals, max_locals;
    int         last_line;
    int         last_goto;      /* pc of the last GOTO emitted, or -1 */
    int         failed;         /* an internal limit was hit (reported once) */
    KcVec       hlabels;        /* pending handler entries: start, end, label, class */
} Gen;

static void gen_expr(Gen *g, KcExpr *e);
static void gen_cond(Gen *g, KcExpr *e, int jump_if, int label);
static void gen_block(Gen *g, KcStmt *b);
static void gen_stmt(Gen *g, KcStmt *s);

static void gen_fail(Gen *g, KcPos pos, const char *msg) {
    if (g->failed) return;
    g->failed = 1;
    kc_error(g->c, pos, "%s", msg);
}

/* ---- emitting ------------------------------------------------------------------ */

static void adjust(Gen *g, int pops, int pushes) {
    g->sp -= pops;
    if (g->sp < 0) {
        gen_fail(g, g->pos, "internal compiler error: operand stack underflow");
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
        gen_fail(g, g->pos, "internal compiler error: stack depths differ at a join");
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

/* ---- (end of emitter core) ----------------------------------------------------------------- */

static void op_cp(Gen *g, KOpcode op, int idx, int pops, int pushes) {
    op_u16(g, op, idx, pops, pushes);
    if (g->reachable && (k_opinfo[op].flags & K_END)) g->reachable = 0;
}

static void op_cpu8(Gen *g, KOpcode op, int idx, int n, int pops, int pushes) {
    if (!g->reachable) return;
    put_op(g, op);
    kc_buf_u16(g->c, &g->m->code, (unsigned)idx);
    kc_buf_u8(g->c, &g->m->code, (unsigned)n);
    adjust(g, pops, pushes);
}

static void push_float(Gen *g, double v) { op_cp(g, OP_LDC, kc_cp_float(g->cw, v), 0, 1); }

static void push_string(Gen *g, const char *s, size_t len) {
    op_cp(g, OP_LDC, kc_cp_string(g->cw, s, len), 0, 1);
}

/* Argument slots of an erased descriptor "(...)R" and whether it has a result. */
static int desc_nargs(const char *d) {
    int n = 0;
    const char *p = d + 1;
    while (*p && *p != ')') {
        while (*p == '[') p++;
        if (*p == 'L') { while (*p && *p != ';') p++; }
        if (*p) p++;
        n++;
    }
    return n;
}

static int desc_has_ret(const char *d) {
    const char *p = strchr(d, ')');
    return p && p[1] != 'V';
}

static void invoke(Gen *g, KOpcode op, const char *cls, const char *name, const char *desc) {
    int idx = op == OP_INVOKEINTERFACE ? kc_cp_imethod(g->cw, cls, name, desc)
                                       : kc_cp_method(g->cw, cls, name, desc);
    int n = desc_nargs(desc) + (op == OP_INVOKESTATIC ? 0 : 1);
    op_cp(g, op, idx, n, desc_has_ret(desc) ? 1 : 0);
}

/* The CLASS constant's name for a reference type (checkcast, instanceof, new). */
static const char *class_name(Kc *c, KcType *t) {
    switch (t->kind) {
    case KT_STRING: return "std.core.String";
    case KT_ARRAY: return t->desc;
    case KT_FUNC: return "std.core.Function";
    case KT_CLASS: return t->cls->qname;
    default: (void)c; return "std.core.Object";
    }
}

static void op_class(Gen *g, KOpcode op, const char *name, int pops, int pushes) {
    op_cp(g, op, kc_cp_class(g->cw, name), pops, pushes);
}

/* ---- conversions --------------------------------------------------------------------- */

static const char *box_name(KcType *t) {
    return t->kind == KT_INT ? "std.core.Int" : t->kind == KT_FLOAT ? "std.core.Float" : "std.core.Bool";
}

static void box(Gen *g, KcType *t) {
    const char *bn = box_name(t);
    op_class(g, OP_NEW, bn, 0, 1);              /* v o */
    op0x(g, OP_DUP_X1, 2, 3);                   /* o v o */
    op0x(g, OP_SWAP, 2, 2);                     /* o o v */
    invoke(g, OP_INVOKESPECIAL, bn, "init", kc_sprintf(g->c, "(%s)V", t->desc));
}

static void unbox(Gen *g, KcType *t) {
    const char *bn = box_name(t);
    op_class(g, OP_CHECKCAST, bn, 1, 1);
    op_cp(g, OP_GETFIELD, kc_cp_field(g->cw, bn, "value", t->desc), 1, 1);
}

static char rep(KcType *t) {
    switch (t->kind) {
    case KT_INT: return 'I';
    case KT_FLOAT: return 'F';
    case KT_BOOL: return 'Z';
    case KT_VOID: return 'V';
    default: return 'L';
    }
}

/* Do closures of these two function types differ in their erased signature?
** Not only in representation: the VM calls a closure only through its exact
** descriptor, so fun(P): int passed as fun(T): int (erased (Object)I) needs one. */
static int needs_adapter(Kc *c, KcType *a, KcType *b) {
    if (a->kind != KT_FUNC || b->kind != KT_FUNC || a == b || a->nargs != b->nargs) return 0;
    for (int i = 0; i < a->nargs; i++) if (rep(a->args[i]) != rep(b->args[i])) return 1;
    if (rep(a->ret) != rep(b->ret)) return 1;
    return strcmp(kc_method_desc(c, a->args, a->nargs, a->ret, NULL, 0),
                  kc_method_desc(c, b->args, b->nargs, b->ret, NULL, 0)) != 0;
}

static void make_adapter(Gen *g, KcType *from, KcType *to);

/* A value of language type `from` on the stack, stored where `to` is declared. */
static void conv_to(Gen *g, KcType *from, KcType *to) {
    if (!from || !to) return;
    if (kc_is_prim(from) && kc_is_ref(to)) box(g, from);
    else if (from->kind == KT_FUNC && to->kind == KT_FUNC && needs_adapter(g->c, from, to)) make_adapter(g, from, to);
}

/* A value read where `decl` is declared, as a value of language type `to`. */
static void conv_from(Gen *g, KcType *decl, KcType *to) {
    if (!decl || !to || decl == to) return;
    if (decl->kind == KT_TPARAM) {
        if (kc_is_prim(to)) unbox(g, to);
        else if (kc_is_ref(to) && to->kind != KT_TPARAM && to != g->c->t_object)
            op_class(g, OP_CHECKCAST, class_name(g->c, to), 1, 1);
    } else if (decl->kind == KT_FUNC && to->kind == KT_FUNC && needs_adapter(g->c, decl, to)) {
        make_adapter(g, decl, to);
    }
}

/* ---- locals and cells -------------------------------------------------------------- */

static void load_local(Gen *g, KcLocal *l) {
    op_load(g, l->slot);
    if (l->cell) {
        push_int(g, 0);
        op0x(g, OP_AGET, 2, 1);
    }
}

static const char *cell_desc(Kc *c, KcType *t) { return kc_sprintf(c, "[%s", t->desc); }

/* ---- expressions ------------------------------------------------------------------- */

static KOpcode arith_op(int tok, int is_float) {
    switch (tok) {
    case TK_PLUS: case TK_PLUS_EQ: return is_float ? OP_FADD : OP_IADD;
    case TK_MINUS: case TK_MINUS_EQ: return is_float ? OP_FSUB : OP_ISUB;
    case TK_STAR: case TK_STAR_EQ: return is_float ? OP_FMUL : OP_IMUL;
    case TK_SLASH: case TK_SLASH_EQ: return is_float ? OP_FDIV : OP_IDIV;
    case TK_PERCENT: case TK_PERCENT_EQ: return is_float ? OP_FREM : OP_IREM;
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

static KOpcode fcmp_value(int tok) {
    switch (tok) {
    case TK_EQEQ: return OP_FCMPEQ;
    case TK_NE: return OP_FCMPNE;
    case TK_LT: return OP_FCMPLT;
    case TK_LE: return OP_FCMPLE;
    case TK_GT: return OP_FCMPGT;
    default: return OP_FCMPGE;
    }
}

static int is_comparison(int tok) {
    return tok == TK_EQEQ || tok == TK_NE || tok == TK_LT || tok == TK_LE || tok == TK_GT || tok == TK_GE;
}

static int is_null_lit(KcExpr *e) { return e->kind == E_NULL; }

/* How == / != compares values of these types: 'I' 'F' 'Z' 'S' (strings), 'O' (OEQ,
** after boxing a primitive side) or 'A' (identity). */
static int eq_kind(Kc *c, KcType *l, KcType *r) {
    if (kc_is_prim(l) && l == r) return rep(l);
    if (kc_is_prim(l) || kc_is_prim(r)) return 'O';
    if (l->kind == KT_STRING && r->kind == KT_STRING) return 'S';
    KcType *ts[2] = { l, r };
    for (int i = 0; i < 2; i++) {
        KcType *t = ts[i];
        if (t == c->t_object || t->kind == KT_TPARAM) return 'O';
        if (t->kind == KT_CLASS && (t->cls == c->c_int || t->cls == c->c_float || t->cls == c->c_bool)) return 'O';
    }
    return 'A';
}

/* Both operands of == / != on the stack, primitive sides boxed where OEQ compares. */
static int gen_eq_operands(Gen *g, KcExpr *e) {
    KcExpr *l = e->u.bin.l, *r = e->u.bin.r;
    int k = eq_kind(g->c, l->ty, r->ty);
    gen_expr(g, l);
    if (k == 'O') conv_to(g, l->ty, g->c->t_object);
    gen_expr(g, r);
    if (k == 'O') conv_to(g, r->ty, g->c->t_object);
    return k;
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

/* e converted to a String (for `+` and interpolation). */
static void gen_str(Gen *g, KcExpr *e) {
    gen_expr(g, e);
    KcType *t = e->ty;
    if (t->kind == KT_STRING) return;
    const char *desc = t->kind == KT_INT ? "(I)Lstd.core.String;" : t->kind == KT_FLOAT ? "(F)Lstd.core.String;"
                     : t->kind == KT_BOOL ? "(Z)Lstd.core.String;" : "(Lstd.core.Object;)Lstd.core.String;";
    invoke(g, OP_INVOKESTATIC, "std.core", "str", desc);
}

/* a + b + ... with String type: the leaves of the `+` chain, concatenated. */
static void gen_concat(Gen *g, KcExpr *e) {
    KcVec parts = {0};
    KcExpr *x = e;
    while (x->kind == E_BINARY && x->op == TK_PLUS && x->ty && x->ty->kind == KT_STRING) {
        kc_vec_push(g->c, &parts, x->u.bin.r);
        x = x->u.bin.l;
    }
    gen_str(g, x);
    for (int i = parts.n - 1; i >= 0; i--) {
        gen_str(g, parts.items[i]);
        op0(g, OP_SCONCAT);
    }
}

static void gen_args(Gen *g, KcExpr **args, int nargs, KcType **ptypes) {
    for (int i = 0; i < nargs; i++) {
        gen_expr(g, args[i]);
        if (ptypes) conv_to(g, args[i]->ty, ptypes[i]);
    }
}

static KcLocal *this_of(KcExpr *e) { return e->u.call.this_local; }

static void gen_call(Gen *g, KcExpr *e) {
    Kc *c = g->c;
    KcFunc *f = e->u.call.fn;
    int line = e->pos.line;
    switch (e->u.call.how) {
    case CK_CONVERT: {
        KcExpr *a = e->u.call.args[0];
        gen_expr(g, a);
        if (a->ty->kind == KT_INT && e->ty->kind == KT_FLOAT) op0(g, OP_I2F);
        else if (a->ty->kind == KT_FLOAT && e->ty->kind == KT_INT) op0(g, OP_F2I);
        return;
    }
    case CK_STATIC:
        gen_args(g, e->u.call.args, e->u.call.nargs, f->params);
        mark_line(g, line);
        invoke(g, OP_INVOKESTATIC, f->owner, f->mname, f->desc);
        break;
    case CK_VIRTUAL: case CK_INTERFACE: case CK_SPECIAL: {
        KcExpr *recv = e->u.call.recv;
        if (!recv || recv->kind == E_SUPER) load_local(g, recv ? recv->u.name.local : this_of(e));
        else gen_expr(g, recv);
        gen_args(g, e->u.call.args, e->u.call.nargs, f->params);
        mark_line(g, line);
        KOpcode op = e->u.call.how == CK_VIRTUAL ? OP_INVOKEVIRTUAL
                   : e->u.call.how == CK_INTERFACE ? OP_INVOKEINTERFACE : OP_INVOKESPECIAL;
        invoke(g, op, e->u.call.cls->qname, f->mname, f->desc);
        break;
    }
    case CK_NEW:
        mark_line(g, line);
        op_class(g, OP_NEW, e->u.call.cls->qname, 0, 1);
        op0x(g, OP_DUP, 1, 2);
        gen_args(g, e->u.call.args, e->u.call.nargs, f->params);
        mark_line(g, line);
        invoke(g, OP_INVOKESPECIAL, e->u.call.cls->qname, "init", f->desc);
        return;
    case CK_SUPER_INIT:
        load_local(g, this_of(e));
        gen_args(g, e->u.call.args, e->u.call.nargs, f->params);
        mark_line(g, line);
        invoke(g, OP_INVOKESPECIAL, e->u.call.cls->qname, "init", f->desc);
        return;
    case CK_CLOSURE: {
        KcType *ft = e->u.call.fntype;
        gen_expr(g, e->u.call.recv);
        gen_args(g, e->u.call.args, e->u.call.nargs, NULL);
        mark_line(g, line);
        const char *desc = kc_method_desc(c, ft->args, ft->nargs, ft->ret, NULL, 0);
        op_cp(g, OP_INVOKECLOSURE, kc_cp_utf8(g->cw, desc, strlen(desc)), ft->nargs + 1,
              ft->ret->kind == KT_VOID ? 0 : 1);
        return;
    }
    default:
        gen_fail(g, e->pos, "internal compiler error: unresolved call");
        return;
    }
    conv_from(g, e->decl_ty, e->ty);
}

/* The erased descriptor of a closure's method: captures, then parameters. */
static const char *lambda_desc(Kc *c, KcFunc *f) {
    if (f->desc) return f->desc;
    KcDecl *d = f->decl;
    int n = d ? d->captures.n : 0;
    KcType **pre = kc_alloc(c, sizeof(KcType *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        KcLocal *in = ((KcCapture *)d->captures.items[i])->inner;
        pre[i] = in->cell ? kc_array_type(c, in->type->kind == KT_NULL ? c->t_object : in->type) : in->type;
    }
    f->ncaptures = n;
    f->desc = kc_method_desc(c, f->params, f->nparams, f->ret, pre, n);
    return f->desc;
}

static void gen_lambda_value(Gen *g, KcExpr *e) {
    KcFunc *f = e->u.lambda.fn->fn;
    KcDecl *d = e->u.lambda.fn;
    const char *desc = lambda_desc(g->c, f);
    for (int i = 0; i < d->captures.n; i++) {
        KcLocal *outer = ((KcCapture *)d->captures.items[i])->outer;
        op_load(g, outer->slot);                /* a cell is passed as the cell */
    }
    op_cpu8(g, OP_MKCLOSURE, kc_cp_method(g->cw, f->owner, f->mname, desc), d->captures.n, d->captures.n, 1);
}

static void method_ref(Gen *g, KcFunc *m, KcCls *recv_cls);
static void push_const_field(Gen *g, KcField *f);

static void gen_name(Gen *g, KcExpr *e) {
    switch (e->u.name.what) {
    case NR_LOCAL:
        load_local(g, e->u.name.local);
        return;
    case NR_CONST: {
        KcField *f = e->u.name.field;
        if (f) {
            push_const_field(g, f);
            return;
        }
        gen_expr(g, e->u.name.local->cexpr);
        return;
    }
    case NR_FIELD:
        load_local(g, e->u.name.this_local);
        op_cp(g, OP_GETFIELD, kc_cp_field(g->cw, e->u.name.field->owner, e->u.name.field->name->s,
                                          e->u.name.field->type->desc), 1, 1);
        conv_from(g, e->decl_ty, e->ty);
        return;
    case NR_STATIC:
        mark_line(g, e->pos.line);
        op_cp(g, OP_GETSTATIC, kc_cp_field(g->cw, e->u.name.field->owner, e->u.name.field->name->s,
                                           e->u.name.field->type->desc), 0, 1);
        return;
    case NR_FUNC: {
        KcFunc *f = e->u.name.fn;
        op_cpu8(g, OP_MKCLOSURE, kc_cp_method(g->cw, f->owner, f->mname, f->desc), 0, 0, 1);
        return;
    }
    case NR_BOUND_METHOD:
        load_local(g, e->u.name.this_local);
        method_ref(g, e->u.name.fn, e->u.name.fn->cls);
        return;
    default:
        gen_fail(g, e->pos, "internal compiler error: unresolved name");
        return;
    }
}

static void push_const_field(Gen *g, KcField *f) {
    Kc *c = g->c;
    KcType *t = f->cval_type;
    if (t == c->t_bool) push_bool(g, (int)f->ival);
    else if (t == c->t_int) push_int(g, f->ival);
    else if (t == c->t_float) push_float(g, f->fval);
    else push_string(g, f->sval, f->slen);
}

static void gen_member(Gen *g, KcExpr *e) {
    KcField *f = e->u.member.field;
    switch (e->u.member.what) {
    case NR_ARRAY_LENGTH:
        gen_expr(g, e->u.member.obj);
        mark_line(g, e->pos.line);
        op0x(g, OP_ARRAYLENGTH, 1, 1);
        return;
    case NR_STRING_LENGTH:
        gen_expr(g, e->u.member.obj);
        mark_line(g, e->pos.line);
        op0(g, OP_SLEN);
        return;
    case NR_FIELD:
        gen_expr(g, e->u.member.obj);
        mark_line(g, e->pos.line);
        op_cp(g, OP_GETFIELD, kc_cp_field(g->cw, f->owner, f->name->s, f->type->desc), 1, 1);
        conv_from(g, e->decl_ty, e->ty);
        return;
    case NR_STATIC:
        mark_line(g, e->pos.line);
        op_cp(g, OP_GETSTATIC, kc_cp_field(g->cw, f->owner, f->name->s, f->type->desc), 0, 1);
        return;
    case NR_CONST:
        push_const_field(g, f);
        return;
    case NR_FUNC: {
        KcFunc *fn = e->u.member.fn;
        op_cpu8(g, OP_MKCLOSURE, kc_cp_method(g->cw, fn->owner, fn->mname, fn->desc), 0, 0, 1);
        return;
    }
    case NR_BOUND_METHOD:
        gen_expr(g, e->u.member.obj);
        method_ref(g, e->u.member.fn, e->u.member.cls);
        return;
    default:
        gen_fail(g, e->pos, "internal compiler error: unresolved member");
        return;
    }
}

static void throw_new(Gen *g, const char *cls, const char *msg) {
    op_class(g, OP_NEW, cls, 0, 1);
    op0x(g, OP_DUP, 1, 2);
    push_string(g, msg, strlen(msg));
    invoke(g, OP_INVOKESPECIAL, cls, "init", "(Lstd.core.String;)V");
    op0x(g, OP_THROW, 1, 0);
}

static void gen_as(Gen *g, KcExpr *e) {
    Kc *c = g->c;
    KcExpr *x = e->u.is_as.e;
    KcType *to = e->cast_ty, *from = x->ty;
    gen_expr(g, x);
    if (kc_is_prim(to)) {
        if (from == to) return;
        int ok = new_label(g);
        op0x(g, OP_DUP, 1, 2);
        op_branch(g, OP_IFNONNULL, ok);
        mark_line(g, e->pos.line);
        throw_new(g, "std.core.CastError", kc_sprintf(c, "null cannot be cast to %s", to->name));
        place(g, ok);
        mark_line(g, e->pos.line);
        unbox(g, to);
        return;
    }
    if (kc_is_prim(from)) {
        box(g, from);
        return;
    }
    if (to->kind == KT_TPARAM || to == c->t_object || kc_assignable(c, from, to)) return;
    mark_line(g, e->pos.line);
    op_class(g, OP_CHECKCAST, class_name(c, to), 1, 1);
}

static void gen_new_array(Gen *g, KcExpr *e) {
    int nd = e->u.new_array.ndims;
    for (int i = 0; i < nd; i++) gen_expr(g, e->u.new_array.dims[i]);
    mark_line(g, e->pos.line);
    if (nd == 1) op_class(g, OP_NEWARRAY, e->ty->desc, 1, 1);
    else op_cpu8(g, OP_MULTINEWARRAY, kc_cp_class(g->cw, e->ty->desc), nd, nd, 1);
}

static void gen_array_lit(Gen *g, KcExpr *e) {
    KcType *el = e->ty->elem;
    push_int(g, e->u.array.n);
    op_class(g, OP_NEWARRAY, e->ty->desc, 1, 1);
    for (int i = 0; i < e->u.array.n; i++) {
        op0x(g, OP_DUP, 1, 2);
        push_int(g, i);
        KcExpr *x = e->u.array.items[i];
        gen_expr(g, x);
        conv_to(g, x->ty, el);
        op0x(g, el->kind == KT_BYTE ? OP_BPUT : OP_APUT, 3, 0);
    }
}

static void gen_expr(Gen *g, KcExpr *e) {
    Kc *c = g->c;
    switch (e->kind) {
    case E_INT:
        push_int(g, e->u.ival);
        return;
    case E_FLOAT:
        push_float(g, e->u.fval);
        return;
    case E_BOOL:
        push_bool(g, e->u.bval);
        return;
    case E_STRING:
        push_string(g, e->u.str.s, e->u.str.len);
        return;
    case E_INTERP: {
        int first = 1;
        for (int i = 0; i < e->u.interp.n; i++) {
            KcExpr *x = e->u.interp.parts[i];
            if (x->kind == E_STRING && x->u.str.len == 0 && !(first && i == e->u.interp.n - 1)) continue;
            gen_str(g, x);
            if (!first) op0(g, OP_SCONCAT);
            first = 0;
        }
        if (first) push_string(g, "", 0);
        return;
    }
    case E_NULL:
        op0x(g, OP_ACONST_NULL, 0, 1);
        return;
    case E_THIS:
        load_local(g, e->u.name.local);
        return;
    case E_NAME:
        gen_name(g, e);
        return;
    case E_PAREN:
        gen_expr(g, e->u.paren.e);
        return;
    case E_UNARY:
        gen_expr(g, e->u.unary.operand);
        if (e->op == TK_MINUS) {
            op0(g, e->ty->kind == KT_FLOAT ? OP_FNEG : OP_INEG);
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
        if (op == TK_PLUS && e->ty->kind == KT_STRING) {
            gen_concat(g, e);
            return;
        }
        if (op == TK_EQEQ || op == TK_NE) {
            KcExpr *l = e->u.bin.l, *r = e->u.bin.r;
            if (is_null_lit(l) || is_null_lit(r)) {
                gen_bool_value(g, e);
                return;
            }
            int k = gen_eq_operands(g, e);
            int eq = op == TK_EQEQ;
            switch (k) {
            case 'I': op0(g, eq ? OP_ICMPEQ : OP_ICMPNE); break;
            case 'F': op0(g, eq ? OP_FCMPEQ : OP_FCMPNE); break;
            case 'Z': op0(g, eq ? OP_ZCMPEQ : OP_ZCMPNE); break;
            case 'S': op0(g, eq ? OP_SCMPEQ : OP_SCMPNE); break;
            case 'O': op0(g, eq ? OP_OEQ : OP_ONE); break;
            default: op0(g, eq ? OP_ACMPEQ : OP_ACMPNE); break;
            }
            return;
        }
        gen_expr(g, e->u.bin.l);
        gen_expr(g, e->u.bin.r);
        int fl = e->u.bin.l->ty->kind == KT_FLOAT;
        if (is_comparison(op)) {
            op0(g, fl ? fcmp_value(op) : icmp_value(op));
            return;
        }
        KOpcode aop = arith_op(op, fl);
        if (aop == OP_IDIV || aop == OP_IREM) mark_line(g, e->u.bin.op_pos.line);
        op0(g, aop);
        return;
    }
    case E_COND: {
        int lelse = new_label(g), lend = new_label(g);
        gen_cond(g, e->u.cond.cond, 0, lelse);
        gen_expr(g, e->u.cond.then);
        conv_to(g, e->u.cond.then->ty, e->ty);
        op_branch(g, OP_GOTO, lend);
        place(g, lelse);
        gen_expr(g, e->u.cond.els);
        conv_to(g, e->u.cond.els->ty, e->ty);
        place(g, lend);
        return;
    }
    case E_CALL:
        gen_call(g, e);
        return;
    case E_MEMBER:
        gen_member(g, e);
        return;
    case E_INDEX: {
        KcType *ot = e->u.index.obj->ty;
        gen_expr(g, e->u.index.obj);
        gen_expr(g, e->u.index.index);
        mark_line(g, e->pos.line);
        if (ot->kind == KT_STRING) op0(g, OP_SGET);
        else op0x(g, ot->elem->kind == KT_BYTE ? OP_BGET : OP_AGET, 2, 1);
        return;
    }
    case E_IS:
        gen_expr(g, e->u.is_as.e);
        op_class(g, OP_INSTANCEOF, class_name(c, e->cast_ty), 1, 1);
        return;
    case E_AS:
        gen_as(g, e);
        return;
    case E_ARRAY_LIT:
        gen_array_lit(g, e);
        return;
    case E_NEW_ARRAY:
        gen_new_array(g, e);
        return;
    case E_LAMBDA:
        gen_lambda_value(g, e);
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
    case E_PAREN:
        gen_cond(g, e->u.paren.e, jump_if, label);
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
        if ((op == TK_EQEQ || op == TK_NE) && (is_null_lit(e->u.bin.l) || is_null_lit(e->u.bin.r))) {
            KcExpr *x = is_null_lit(e->u.bin.l) ? e->u.bin.r : e->u.bin.l;
            if (is_null_lit(x)) {
                if ((op == TK_EQEQ) == jump_if) op_branch(g, OP_GOTO, label);
                return;
            }
            gen_expr(g, x);
            conv_to(g, x->ty, g->c->t_object);
            int want_null = (op == TK_EQEQ) == (jump_if != 0);
            op_branch(g, want_null ? OP_IFNULL : OP_IFNONNULL, label);
            return;
        }
        if (is_comparison(op) && e->u.bin.l->ty->kind == KT_INT && e->u.bin.r->ty->kind == KT_INT) {
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

/* ---- try / finally bookkeeping ---------------------------------------------------------- */

static void range_close(Gen *g, TryCtx *t) {
    if (t->open < 0) return;
    int end = (int)g->m->code.len;
    if (end > t->open) {
        KcVec *v = t->phase == 0 ? &t->body : &t->catches;
        kc_vec_push(g->c, v, (void *)(intptr_t)t->open);
        kc_vec_push(g->c, v, (void *)(intptr_t)end);
    }
    t->open = -1;
}

static void range_open(Gen *g, TryCtx *t) {
    if (t->phase < 2 && t->open < 0) t->open = (int)g->m->code.len;
}

/* Runs the finally code of every try being left, innermost first, down to (not
** including) `stop`. Each try's protection ends before its own finally code; the
** outer tries still protect it. Afterwards the ranges reopen (for code after). */
static void run_finallies(Gen *g, TryCtx *stop) {
    TryCtx *saved = g->tries;
    for (TryCtx *t = g->tries; t && t != stop; t = t->outer) {
        range_close(g, t);
        if (t->fin) {
            g->tries = t->outer;
            gen_block(g, t->fin);
        }
    }
    g->tries = saved;
}

static void reopen_ranges(Gen *g, TryCtx *stop) {
    for (TryCtx *t = g->tries; t && t != stop; t = t->outer) range_open(g, t);
}

static int any_finally(TryCtx *t, TryCtx *stop) {
    for (; t && t != stop; t = t->outer) if (t->fin) return 1;
    return 0;
}

/* ---- statements ---------------------------------------------------------------------- */

static LoopCtx *find_loop(Gen *g, KcStmt *loop, int *index) {
    for (int i = g->nloops - 1; i >= 0; i--)
        if (g->loops[i].loop == loop) { *index = i; return &g->loops[i]; }
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

/* The storage an assignment target names. */
typedef struct {
    int kind;           /* 'l' local, 'c' cell, 'f' field, 's' static, 'i' element, 'b' byte element */
    KcLocal *local;
    KcField *field;
    KcType *decl;       /* declared type of the storage */
    KcType *ty;         /* language type of the value */
    KcExpr *obj, *index;
    KcLocal *this_local;
} Place;

static Place place_of(Gen *g, KcExpr *t) {
    Place p;
    memset(&p, 0, sizeof p);
    if (t->kind == E_PAREN) return place_of(g, t->u.paren.e);
    p.ty = t->ty;
    p.decl = t->ty;
    if (t->kind == E_NAME) {
        if (t->u.name.what == NR_LOCAL) {
            p.local = t->u.name.local;
            p.kind = p.local->cell ? 'c' : 'l';
        } else {
            p.field = t->u.name.field;
            p.decl = p.field->type;
            p.kind = t->u.name.what == NR_FIELD ? 'f' : 's';
            p.this_local = t->u.name.this_local;
        }
    } else if (t->kind == E_MEMBER) {
        p.field = t->u.member.field;
        p.decl = p.field->type;
        p.kind = t->u.member.what == NR_FIELD ? 'f' : 's';
        p.obj = t->u.member.obj;
    } else {
        p.obj = t->u.index.obj;
        p.index = t->u.index.index;
        p.decl = p.obj->ty->elem;
        p.kind = p.decl->kind == KT_BYTE ? 'b' : 'i';
        if (p.kind == 'b') p.ty = g->c->t_int;
    }
    return p;
}

/* Pushes what the store needs below the value (object, array and index, cell). */
static void place_prefix(Gen *g, Place *p) {
    switch (p->kind) {
    case 'c': op_load(g, p->local->slot); push_int(g, 0); break;
    case 'f': if (p->obj) gen_expr(g, p->obj); else load_local(g, p->this_local); break;
    case 'i': case 'b': gen_expr(g, p->obj); gen_expr(g, p->index); break;
    default: break;
    }
}

static int prefix_size(Place *p) {
    return p->kind == 'c' || p->kind == 'i' || p->kind == 'b' ? 2 : p->kind == 'f' ? 1 : 0;
}

static int field_ref(Gen *g, KcField *f) { return kc_cp_field(g->cw, f->owner, f->name->s, f->type->desc); }

/* Reads the current value with the prefix on the stack (duplicating it). */
static void place_read_dup(Gen *g, Place *p) {
    switch (p->kind) {
    case 'l': op_load(g, p->local->slot); return;
    case 'c': op0x(g, OP_DUP2, 2, 4); op0x(g, OP_AGET, 2, 1); return;
    case 'i': op0x(g, OP_DUP2, 2, 4); op0x(g, OP_AGET, 2, 1); return;
    case 'b': op0x(g, OP_DUP2, 2, 4); op0x(g, OP_BGET, 2, 1); return;
    case 'f': op0x(g, OP_DUP, 1, 2); op_cp(g, OP_GETFIELD, field_ref(g, p->field), 1, 1);
              conv_from(g, p->decl, p->ty); return;
    case 's': op_cp(g, OP_GETSTATIC, field_ref(g, p->field), 0, 1); return;
    }
}

/* Stores the value on top (with the prefix below it). */
static void place_store(Gen *g, Place *p) {
    switch (p->kind) {
    case 'l': op_store(g, p->local->slot); return;
    case 'c': case 'i': op0x(g, OP_APUT, 3, 0); return;
    case 'b': op0x(g, OP_BPUT, 3, 0); return;
    case 'f': op_cp(g, OP_PUTFIELD, field_ref(g, p->field), 2, 0); return;
    case 's': op_cp(g, OP_PUTSTATIC, field_ref(g, p->field), 1, 0); return;
    }
}

static void gen_assign(Gen *g, KcStmt *s) {
    KcExpr *t = s->u.assign.target, *v = s->u.assign.value;
    int op = s->u.assign.op;
    Place p = place_of(g, t);
    if (p.kind == 'l' && op != TK_ASSIGN && v->kind == E_INT && p.ty->kind == KT_INT) {
        if (op == TK_PLUS_EQ && fits_i16(v->u.ival)) { op_iinc(g, p.local->slot, (int)v->u.ival); return; }
        if (op == TK_MINUS_EQ && v->u.ival != INT64_MIN && fits_i16(-v->u.ival)) {
            op_iinc(g, p.local->slot, (int)-v->u.ival);
            return;
        }
    }
    place_prefix(g, &p);
    mark_line(g, s->pos.line);
    if (op == TK_ASSIGN) {
        gen_expr(g, v);
        conv_to(g, v->ty, p.decl);
        mark_line(g, s->pos.line);
        place_store(g, &p);
        return;
    }
    place_read_dup(g, &p);
    if (op == TK_PLUS_EQ && p.ty->kind == KT_STRING) {
        gen_str(g, v);
        op0(g, OP_SCONCAT);
    } else {
        gen_expr(g, v);
        KOpcode aop = arith_op(op, p.ty->kind == KT_FLOAT);
        if (aop == OP_IDIV || aop == OP_IREM) mark_line(g, s->pos.line);
        op0(g, aop);
    }
    conv_to(g, p.ty, p.decl);
    place_store(g, &p);
}

static void gen_incdec(Gen *g, KcStmt *s) {
    Place p = place_of(g, s->u.incdec.target);
    int d = s->u.incdec.op == TK_PLUSPLUS ? 1 : -1;
    if (p.kind == 'l') {
        op_iinc(g, p.local->slot, d);
        return;
    }
    place_prefix(g, &p);
    place_read_dup(g, &p);
    push_int(g, 1);
    op0(g, d > 0 ? OP_IADD : OP_ISUB);
    conv_to(g, p.ty, p.decl);
    place_store(g, &p);
    (void)prefix_size;
}

/* Pushes a range bound kept in a local, or a constant bound directly. */
static void load_bound(Gen *g, KcExpr *bound, int slot) {
    if (slot < 0) push_int(g, bound->u.ival);
    else op_load(g, slot);
}

static void gen_for_range(Gen *g, KcStmt *s) {
    int saved = g->nlocals;
    KcExpr *end = s->u.for_.end;
    gen_expr(g, s->u.for_.start);
    int counter = alloc_slot(g);
    op_store(g, counter);
    int end_slot = -1;
    if (end->kind != E_INT) {
        gen_expr(g, end);
        end_slot = alloc_slot(g);
        op_store(g, end_slot);
    }
    KcLocal *lv = s->u.for_.local;
    /* A loop variable captured by a closure gets a copy per iteration. */
    int captured_copy = 0;
    lv->slot = counter;
    int brk = new_label(g), cont = new_label(g), loop = new_label(g);
    op_load(g, counter);
    load_bound(g, end, end_slot);
    op_branch(g, s->u.for_.inclusive ? OP_IF_ICMPGT : OP_IF_ICMPGE, brk);
    place(g, loop);
    (void)captured_copy;
    push_loop(g, s, brk, cont);
    gen_block(g, s->u.for_.body);
    g->nloops--;
    place(g, cont);
    mark_line(g, s->pos.line);
    if (s->u.for_.inclusive) {
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

static void gen_for_array(Gen *g, KcStmt *s) {
    int saved = g->nlocals;
    KcType *at = s->u.for_.start->ty;
    gen_expr(g, s->u.for_.start);
    int arr = alloc_slot(g);
    op_store(g, arr);
    push_int(g, 0);
    int idx = alloc_slot(g);
    op_store(g, idx);
    int var = alloc_slot(g);
    s->u.for_.local->slot = var;
    int brk = new_label(g), cont = new_label(g), loop = new_label(g);
    op_load(g, idx);
    op_load(g, arr);
    op0x(g, OP_ARRAYLENGTH, 1, 1);
    op_branch(g, OP_IF_ICMPGE, brk);
    place(g, loop);
    op_load(g, arr);
    op_load(g, idx);
    op0x(g, at->elem->kind == KT_BYTE ? OP_BGET : OP_AGET, 2, 1);
    op_store(g, var);
    push_loop(g, s, brk, cont);
    gen_block(g, s->u.for_.body);
    g->nloops--;
    place(g, cont);
    mark_line(g, s->pos.line);
    op_iinc(g, idx, 1);
    op_load(g, idx);
    op_load(g, arr);
    op0x(g, OP_ARRAYLENGTH, 1, 1);
    op_branch(g, OP_IF_ICMPLT, loop);
    place(g, brk);
    g->nlocals = saved;
}

static void gen_for_iter(Gen *g, KcStmt *s) {
    int saved = g->nlocals;
    gen_expr(g, s->u.for_.start);
    mark_line(g, s->pos.line);
    invoke(g, OP_INVOKEINTERFACE, "std.core.Iterable", "iterator", "()Lstd.core.Iterator;");
    int it = alloc_slot(g);
    op_store(g, it);
    int var = alloc_slot(g);
    s->u.for_.local->slot = var;
    int brk = new_label(g), cont = new_label(g), loop = new_label(g);
    op_load(g, it);
    invoke(g, OP_INVOKEINTERFACE, "std.core.Iterator", "hasNext", "()Z");
    op_branch(g, OP_IFFALSE, brk);
    place(g, loop);
    op_load(g, it);
    mark_line(g, s->pos.line);
    invoke(g, OP_INVOKEINTERFACE, "std.core.Iterator", "next", "()Lstd.core.Object;");
    conv_from(g, s->u.for_.decl_elem, s->u.for_.elem);
    op_store(g, var);
    push_loop(g, s, brk, cont);
    gen_block(g, s->u.for_.body);
    g->nloops--;
    place(g, cont);
    mark_line(g, s->pos.line);
    op_load(g, it);
    invoke(g, OP_INVOKEINTERFACE, "std.core.Iterator", "hasNext", "()Z");
    op_branch(g, OP_IFTRUE, loop);
    place(g, brk);
    g->nlocals = saved;
}

/* Starts a handler at the current point: reachable, [error] on the stack. */
static void handler_entry(Gen *g, int label) {
    Label *l = &g->labels[label];
    l->pc = (int)g->m->code.len;
    l->sp = 1;
    g->reachable = 1;
    g->sp = 1;
    if (g->sp > g->max_sp) g->max_sp = g->sp;
    g->last_line = -1;
    g->last_goto = -1;
}

static void add_handlers(Gen *g, KcVec *ranges, int label, int cls_idx) {
    for (int i = 0; i + 1 < ranges->n; i += 2) {
        kc_vec_push(g->c, &g->hlabels, ranges->items[i]);
        kc_vec_push(g->c, &g->hlabels, ranges->items[i + 1]);
        kc_vec_push(g->c, &g->hlabels, (void *)(intptr_t)label);
        kc_vec_push(g->c, &g->hlabels, (void *)(intptr_t)cls_idx);
    }
}

static void gen_try(Gen *g, KcStmt *s) {
    TryCtx t;
    memset(&t, 0, sizeof t);
    t.outer = g->tries;
    t.fin = s->u.try_.finally_;
    t.nloops = g->nloops;
    t.open = -1;
    int end = new_label(g);
    g->tries = &t;
    range_open(g, &t);
    gen_block(g, s->u.try_.body);
    range_close(g, &t);
    int nc = s->u.try_.ncatches;
    int *hl = kc_alloc(g->c, sizeof(int) * (size_t)(nc + 1));
    t.phase = 2;
    g->tries = t.outer;
    if (g->reachable) {
        if (t.fin) gen_block(g, t.fin);
        op_branch(g, OP_GOTO, end);
    }
    int saved_locals = g->nlocals;
    for (int i = 0; i < nc; i++) {
        KcCatch *k = &s->u.try_.catches[i];
        hl[i] = new_label(g);
        if (t.body.n == 0) continue;            /* nothing can throw: the catch is dead */
        handler_entry(g, hl[i]);
        mark_line(g, k->pos.line);
        int slot = alloc_slot(g);
        k->local->slot = slot;
        g->tries = &t;
        t.phase = 1;
        range_open(g, &t);
        op_store(g, slot);
        gen_block(g, k->body);
        range_close(g, &t);
        t.phase = 2;
        g->tries = t.outer;
        if (g->reachable) {
            if (t.fin) gen_block(g, t.fin);
            op_branch(g, OP_GOTO, end);
        }
        g->nlocals = saved_locals;
    }
    for (int i = 0; i < nc; i++) {
        KcCatch *k = &s->u.try_.catches[i];
        add_handlers(g, &t.body, hl[i], kc_cp_class(g->cw, k->cls->qname));
    }
    if (t.fin && (t.body.n || t.catches.n)) {
        int all = new_label(g);
        handler_entry(g, all);
        int slot = alloc_slot(g);
        op_store(g, slot);
        gen_block(g, t.fin);
        op_load(g, slot);
        op0x(g, OP_THROW, 1, 0);
        g->nlocals = saved_locals;
        add_handlers(g, &t.body, all, 0);
        add_handlers(g, &t.catches, all, 0);
    }
    place(g, end);
}

static void gen_stmt(Gen *g, KcStmt *s) {
    Kc *c = g->c;
    if (!g->reachable) return;                  /* dead code is not emitted */
    if (s->kind != S_BLOCK && s->kind != S_IF && s->kind != S_TRY) mark_line(g, s->pos.line);
    switch (s->kind) {
    case S_BLOCK:
        gen_block(g, s);
        return;
    case S_VAR: {
        KcLocal *l = s->u.var.local;
        int slot = alloc_slot(g);
        l->slot = slot;
        if (l->cell && l->is_fun) {
            /* The cell exists before the closure, which may capture it (recursion). */
            push_int(g, 1);
            op_class(g, OP_NEWARRAY, cell_desc(c, l->type), 1, 1);
            op_store(g, slot);
            op_load(g, slot);
            push_int(g, 0);
            gen_expr(g, s->u.var.init);
            conv_to(g, s->u.var.init->ty, l->type);
            op0x(g, OP_APUT, 3, 0);
            return;
        }
        if (l->cell) {
            push_int(g, 1);
            op_class(g, OP_NEWARRAY, cell_desc(c, l->type), 1, 1);
            op0x(g, OP_DUP, 1, 2);
            push_int(g, 0);
            gen_expr(g, s->u.var.init);
            conv_to(g, s->u.var.init->ty, l->type);
            op0x(g, OP_APUT, 3, 0);
            op_store(g, slot);
            return;
        }
        gen_expr(g, s->u.var.init);
        conv_to(g, s->u.var.init->ty, l->type);
        op_store(g, slot);
        return;
    }
    case S_ASSIGN:
        gen_assign(g, s);
        return;
    case S_INCDEC:
        gen_incdec(g, s);
        return;
    case S_EXPR: {
        KcExpr *e = s->u.expr.e;
        KcType *ty = e->ty;
        /* A discarded generic result is neither unboxed nor cast (as in Java):
        ** `map.remove(k)` of a Map<K, int> must not fail on an absent key's null. */
        if (e->kind == E_CALL && e->u.call.how != CK_CONVERT && e->decl_ty && e->decl_ty->kind == KT_TPARAM)
            e->ty = e->decl_ty;
        gen_expr(g, e);
        e->ty = ty;
        if (ty->kind != KT_VOID) op0x(g, OP_POP, 1, 0);
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
        if (s->u.for_.how == FOR_ARRAY) gen_for_array(g, s);
        else if (s->u.for_.how == FOR_ITER) gen_for_iter(g, s);
        else gen_for_range(g, s);
        return;
    case S_BREAK: case S_CONTINUE: {
        int index = 0;
        LoopCtx *lc = find_loop(g, s->u.jump.loop, &index);
        if (!lc) {
            gen_fail(g, s->pos, "internal compiler error: jump outside a loop");
            return;
        }
        TryCtx *stop = g->tries;
        while (stop && stop->nloops > index) stop = stop->outer;
        int target = s->kind == S_BREAK ? lc->brk : lc->cont;
        if (any_finally(g->tries, stop)) {
            run_finallies(g, stop);
            op_branch(g, OP_GOTO, target);
            reopen_ranges(g, stop);
        } else {
            op_branch(g, OP_GOTO, target);
        }
        return;
    }
    case S_RETURN: {
        KcExpr *v = s->u.ret.value;
        if (v) {
            gen_expr(g, v);
            conv_to(g, v->ty, g->fn->ret);
        }
        if (any_finally(g->tries, NULL)) {
            int tmp = -1;
            if (v) {
                tmp = alloc_slot(g);
                op_store(g, tmp);
            }
            run_finallies(g, NULL);
            if (v) op_load(g, tmp);
            op0x(g, v ? OP_RETVAL : OP_RETURN, v ? 1 : 0, 0);
            reopen_ranges(g, NULL);
            return;
        }
        op0x(g, v ? OP_RETVAL : OP_RETURN, v ? 1 : 0, 0);
        return;
    }
    case S_THROW:
        gen_expr(g, s->u.ret.value);
        mark_line(g, s->pos.line);
        op0x(g, OP_THROW, 1, 0);
        return;
    case S_TRY:
        gen_try(g, s);
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

/* ---- methods ---------------------------------------------------------------------------- */

static void gen_begin(Gen *g, ClassGen *cg, KcFunc *f, const char *name, const char *desc, int access,
                      KcPos pos) {
    memset(g, 0, sizeof *g);
    g->c = cg->c;
    g->cg = cg;
    g->cw = cg->cw;
    g->fn = f;
    g->pos = pos;
    g->m = kc_alloc(g->c, sizeof(KcMethodOut));
    g->m->access = access;
    g->m->name = name;
    g->m->desc = desc;
    g->reachable = 1;
    g->last_goto = -1;
}

static void gen_end(Gen *g, int ret_line, int void_ret) {
    if (g->reachable) {
        mark_line(g, ret_line);
        if (void_ret) op0x(g, OP_RETURN, 0, 0);
        else gen_fail(g, g->pos, "internal compiler error: missing return");
    }
    for (int i = 0; i < g->nfix; i++) {
        Label *l = &g->labels[g->fix[i].label];
        int32_t off = l->pc - g->fix[i].at;
        uint8_t *p = g->m->code.p + g->fix[i].at + 1;
        p[0] = (uint8_t)off;
        p[1] = (uint8_t)((uint32_t)off >> 8);
        p[2] = (uint8_t)((uint32_t)off >> 16);
        p[3] = (uint8_t)((uint32_t)off >> 24);
    }
    for (int i = 0; i + 3 < g->hlabels.n; i += 4) {
        Label *l = &g->labels[(int)(intptr_t)g->hlabels.items[i + 2]];
        kc_buf_u32(g->c, &g->m->handlers, (uint32_t)(intptr_t)g->hlabels.items[i]);
        kc_buf_u32(g->c, &g->m->handlers, (uint32_t)(intptr_t)g->hlabels.items[i + 1]);
        kc_buf_u32(g->c, &g->m->handlers, (uint32_t)l->pc);
        kc_buf_u16(g->c, &g->m->handlers, (unsigned)(intptr_t)g->hlabels.items[i + 3]);
        g->m->nhandlers++;
    }
    if (g->m->code.len > KCF_MAX_CODE)
        gen_fail(g, g->pos, "function is too large (its code exceeds 16 MiB)");
    else if (g->max_locals > 65535)
        gen_fail(g, g->pos, "function has too many local variables (more than 65535)");
    else if (g->max_sp > 65535)
        gen_fail(g, g->pos, "function needs too deep an operand stack (more than 65535)");
    else if (g->m->nlines > 65535 || g->m->nhandlers > 65535)
        gen_fail(g, g->pos, "function is too large (more than 65535 line-table or handler entries)");
    g->m->max_stack = g->max_sp;
    g->m->max_locals = g->max_locals;
    kc_cw_add_method(g->cw, g->m);
}

/* A method without code (abstract or native). */
static void gen_bodiless(ClassGen *cg, const char *name, const char *desc, int access) {
    KcMethodOut *m = kc_alloc(cg->c, sizeof *m);
    m->access = access;
    m->name = name;
    m->desc = desc;
    kc_cw_add_method(cg->cw, m);
}

/* Instance field initializers, right after the super call. */
static void gen_field_inits(Gen *g, KcCls *k) {
    for (int i = 0; i < k->fields.n; i++) {
        KcField *f = k->fields.items[i];
        if ((f->access & KACC_STATIC) || !f->init) continue;
        mark_line(g, f->pos.line);
        op_load(g, 0);
        gen_expr(g, f->init);
        conv_to(g, f->init->ty, f->type);
        op_cp(g, OP_PUTFIELD, field_ref(g, f), 2, 0);
    }
}

static int is_super_call(KcStmt *s) {
    return s && s->kind == S_EXPR && s->u.expr.e->kind == E_CALL && s->u.expr.e->u.call.how == CK_SUPER_INIT;
}

static void implicit_super(Gen *g, KcCls *k) {
    if (!k->super_type) return;
    op_load(g, 0);
    invoke(g, OP_INVOKESPECIAL, k->super_type->cls->qname, "init", "()V");
}

static void gen_declared(ClassGen *cg, KcFunc *f) {
    KcDecl *d = f->decl;
    if (f->access & (KACC_ABSTRACT | KACC_NATIVE)) {
        gen_bodiless(cg, f->mname, f->desc, f->access);
        return;
    }
    if (!d || !d->body) return;
    Gen G;
    Gen *g = &G;
    gen_begin(g, cg, f, f->mname, f->desc, f->access, d->name_pos);
    if (!(f->access & KACC_STATIC)) {
        int s = alloc_slot(g);
        if (d->this_local) d->this_local->slot = s;
    }
    for (int i = 0; i < d->nparams; i++) d->params[i].local->slot = alloc_slot(g);
    mark_line(g, d->body->pos.line);
    int first = 0;
    if (f->is_ctor) {
        KcStmt *s0 = d->body->u.block.n ? d->body->u.block.stmts[0] : NULL;
        if (is_super_call(s0)) {
            gen_stmt(g, s0);
            first = 1;
        } else {
            implicit_super(g, f->cls);
        }
        gen_field_inits(g, f->cls);
        mark_line(g, d->body->pos.line);
    }
    for (int i = first; i < d->body->u.block.n; i++) gen_stmt(g, d->body->u.block.stmts[i]);
    gen_end(g, d->body->u.block.rbrace.line, f->ret->kind == KT_VOID);
}

static void gen_default_init(ClassGen *cg, KcFunc *f) {
    Gen G;
    Gen *g = &G;
    gen_begin(g, cg, f, "init", "()V", f->access, f->pos);
    alloc_slot(g);
    mark_line(g, f->pos.line);
    implicit_super(g, f->cls);
    gen_field_inits(g, f->cls);
    gen_end(g, f->pos.line, 1);
}

/* <clinit>: module globals or static fields with initializers, in source order. */
static void gen_clinit(ClassGen *cg, KcVec *fields, KcPos pos) {
    int any = 0;
    for (int i = 0; i < fields->n; i++) {
        KcField *f = fields->items[i];
        if ((f->access & KACC_STATIC) && !f->is_const && f->init) any = 1;
    }
    if (!any) return;
    Gen G;
    Gen *g = &G;
    gen_begin(g, cg, NULL, "<clinit>", "()V", KACC_STATIC, pos);
    for (int i = 0; i < fields->n; i++) {
        KcField *f = fields->items[i];
        if (!(f->access & KACC_STATIC) || f->is_const || !f->init) continue;
        mark_line(g, f->pos.line);
        gen_expr(g, f->init);
        conv_to(g, f->init->ty, f->type);
        op_cp(g, OP_PUTSTATIC, field_ref(g, f), 1, 0);
    }
    gen_end(g, pos.line, 1);
}

static void gen_lambda(ClassGen *cg, KcFunc *f) {
    KcDecl *d = f->decl;
    const char *desc = lambda_desc(cg->c, f);
    Gen G;
    Gen *g = &G;
    gen_begin(g, cg, f, f->mname, desc, f->access, d->pos);
    for (int i = 0; i < d->captures.n; i++) ((KcCapture *)d->captures.items[i])->inner->slot = alloc_slot(g);
    for (int i = 0; i < d->nparams; i++) d->params[i].local->slot = alloc_slot(g);
    if (d->expr_body) {
        mark_line(g, d->expr_body->pos.line);
        gen_expr(g, d->expr_body);
        if (f->ret->kind == KT_VOID) {
            if (d->expr_body->ty->kind != KT_VOID) op0x(g, OP_POP, 1, 0);
            op0x(g, OP_RETURN, 0, 0);
        } else {
            conv_to(g, d->expr_body->ty, f->ret);
            op0x(g, OP_RETVAL, 1, 0);
        }
        gen_end(g, d->pos.line, 1);
        return;
    }
    mark_line(g, d->body->pos.line);
    gen_block(g, d->body);
    gen_end(g, d->body->u.block.rbrace.line, f->ret->kind == KT_VOID);
}

/* value of representation `from` (on the stack) to that of `to` (erasure-wise) */
static void rep_conv(Gen *g, KcType *from, KcType *to) {
    if (kc_is_prim(from) && !kc_is_prim(to)) box(g, from);
    else if (!kc_is_prim(from) && kc_is_prim(to)) unbox(g, to);
    else if (kc_is_ref(to) && to->kind != KT_TPARAM && to != g->c->t_object && from->kind == KT_TPARAM)
        op_class(g, OP_CHECKCAST, class_name(g->c, to), 1, 1);
}

/* A bridge: the erased signature of an overridden method calling the override. */
static void gen_bridge(ClassGen *cg, KcFunc *b) {
    KcFunc *t = b->target;
    Gen G;
    Gen *g = &G;
    gen_begin(g, cg, b, t->mname, b->desc, 0, t->pos);
    alloc_slot(g);
    mark_line(g, t->pos.line);
    op_load(g, 0);
    for (int i = 0; i < b->nparams; i++) {
        op_load(g, alloc_slot(g));
        rep_conv(g, b->params[i], t->params[i]);
    }
    invoke(g, t->cls->is_interface ? OP_INVOKEINTERFACE : OP_INVOKEVIRTUAL, t->cls->qname, t->mname, t->desc);
    if (b->ret->kind == KT_VOID) {
        op0x(g, OP_RETURN, 0, 0);
    } else {
        rep_conv(g, t->ret, b->ret);
        op0x(g, OP_RETVAL, 1, 0);
    }
    gen_end(g, t->pos.line, 1);
}

/* Wraps the closure on the stack (of type from) into one of type to's signature. */
static void make_adapter(Gen *g, KcType *from, KcType *to) {
    ClassGen *cg = g->cg;
    Kc *c = g->c;
    KcFunc *a = NULL;
    for (int i = 0; i < cg->adapters.n && !a; i++) {
        KcFunc *x = cg->adapters.items[i];
        if (x->synth == SYN_ADAPTER && x->adapt_from == from && kc_func_type(c, x->params, x->nparams, x->ret) == to)
            a = x;
    }
    if (!a) {
        a = kc_alloc(c, sizeof *a);
        a->synth = SYN_ADAPTER;
        a->adapt_from = from;
        a->params = to->args;
        a->nparams = to->nargs;
        a->ret = to->ret;
        a->owner = cg->owner;
        a->mname = kc_sprintf(c, "<adapter>$%d", ++cg->nadapters);
        KcType *pre[1] = { c->t_function };
        a->desc = kc_method_desc(c, to->args, to->nargs, to->ret, pre, 1);
        a->access = KACC_STATIC | KACC_PRIVATE;
        kc_vec_push(c, &cg->adapters, a);
        Gen G;
        Gen *ga = &G;
        gen_begin(ga, cg, a, a->mname, a->desc, a->access, g->pos);
        for (int i = 0; i <= to->nargs; i++) alloc_slot(ga);
        op_load(ga, 0);
        for (int i = 0; i < to->nargs; i++) {
            op_load(ga, i + 1);
            rep_conv(ga, to->args[i], from->args[i]);
        }
        const char *fd = kc_method_desc(c, from->args, from->nargs, from->ret, NULL, 0);
        op_cp(ga, OP_INVOKECLOSURE, kc_cp_utf8(ga->cw, fd, strlen(fd)), from->nargs + 1,
              from->ret->kind == KT_VOID ? 0 : 1);
        if (to->ret->kind == KT_VOID) {
            if (from->ret->kind != KT_VOID) op0x(ga, OP_POP, 1, 0);
            op0x(ga, OP_RETURN, 0, 0);
        } else {
            rep_conv(ga, from->ret, to->ret);
            op0x(ga, OP_RETVAL, 1, 0);
        }
        gen_end(ga, g->pos.line, 1);
    }
    op_cpu8(g, OP_MKCLOSURE, kc_cp_method(g->cw, a->owner, a->mname, a->desc), 1, 1, 1);
}

/* obj.m as a closure: the receiver on the stack becomes the closure's capture. */
static void method_ref(Gen *g, KcFunc *m, KcCls *recv_cls) {
    ClassGen *cg = g->cg;
    Kc *c = g->c;
    KcFunc *a = NULL;
    for (int i = 0; i < cg->adapters.n && !a; i++) {
        KcFunc *x = cg->adapters.items[i];
        if (x->synth == SYN_METHOD_REF && x->target == m) a = x;
    }
    KcCls *owner = recv_cls && !recv_cls->is_interface ? recv_cls : m->cls;
    if (!a) {
        a = kc_alloc(c, sizeof *a);
        a->synth = SYN_METHOD_REF;
        a->target = m;
        a->owner = cg->owner;
        a->mname = kc_sprintf(c, "%s.<lambda>$m%d", m->mname, ++cg->nadapters);
        KcType *pre[1] = { owner->type };
        a->desc = kc_method_desc(c, m->params, m->nparams, m->ret, pre, 1);
        a->access = KACC_STATIC | KACC_PRIVATE;
        kc_vec_push(c, &cg->adapters, a);
        Gen G;
        Gen *ga = &G;
        gen_begin(ga, cg, a, a->mname, a->desc, a->access, g->pos);
        for (int i = 0; i <= m->nparams; i++) alloc_slot(ga);
        for (int i = 0; i <= m->nparams; i++) op_load(ga, i);
        KOpcode op = (m->access & KACC_PRIVATE) ? OP_INVOKESPECIAL
                   : m->cls->is_interface ? OP_INVOKEINTERFACE : OP_INVOKEVIRTUAL;
        invoke(ga, op, op == OP_INVOKEVIRTUAL ? owner->qname : m->cls->qname, m->mname, m->desc);
        op0x(ga, m->ret->kind == KT_VOID ? OP_RETURN : OP_RETVAL, m->ret->kind == KT_VOID ? 0 : 1, 0);
        gen_end(ga, g->pos.line, 1);
    }
    op_cpu8(g, OP_MKCLOSURE, kc_cp_method(g->cw, a->owner, a->mname, a->desc), 1, 1, 1);
}

/* ---- classes and modules ----------------------------------------------------------------- */

static void finish_class(Kc *c, KcCw *cw, int access, const char *name, const char *super,
                         const char *const *ifaces, int nifaces, KcModule *m, KcVec *outs) {
    KcOut *o = kc_alloc(c, sizeof *o);
    o->name = name;
    kc_cw_finish(cw, access, name, super, ifaces, nifaces, m->src->basename, &o->data, &o->len);
    if (cw->overflow) {
        KcPos pos = { m->src->index, 1, 1, 0 };
        kc_error(c, pos, "class `%s` has too many constants (more than 65535)", name);
    }
    if (cw->methods.n > 65535 || cw->fields.n > 65535) {
        KcPos pos = { m->src->index, 1, 1, 0 };
        kc_error(c, pos, "class `%s` has too many members (more than 65535)", name);
    }
    kc_vec_push(c, outs, o);
}

static void gen_class(Kc *c, KcModule *m, KcCls *k, KcVec *outs) {
    KcCw cw;
    kc_cw_init(c, &cw);
    ClassGen cg;
    memset(&cg, 0, sizeof cg);
    cg.c = c;
    cg.mod = m;
    cg.cls = k;
    cg.cw = &cw;
    cg.owner = k->qname;
    for (int i = 0; i < k->fields.n; i++) {
        KcField *f = k->fields.items[i];
        if (f->is_const) continue;
        kc_cw_add_field(&cw, f->access, f->name->s, f->type->desc);
    }
    for (int i = 0; i < k->methods.n; i++) {
        KcFunc *f = k->methods.items[i];
        if (f->synth == SYN_DEFAULT_INIT) gen_default_init(&cg, f);
        else gen_declared(&cg, f);
    }
    gen_clinit(&cg, &k->fields, k->pos);
    for (int i = 0; i < k->lambdas.n; i++) {
        KcFunc *f = k->lambdas.items[i];
        if (f->synth == SYN_BRIDGE) gen_bridge(&cg, f);
        else gen_lambda(&cg, f);
    }
    int access = (k->is_interface ? KACC_INTERFACE | KACC_ABSTRACT : 0) | (k->is_abstract ? KACC_ABSTRACT : 0) |
                 (k->is_final ? KACC_FINAL : 0);
    const char **ifs = kc_alloc(c, sizeof(char *) * (size_t)(k->nifaces + 1));
    for (int i = 0; i < k->nifaces; i++) ifs[i] = k->ifaces[i]->cls->qname;
    const char *super = k->is_interface ? "std.core.Object" : k->super_type ? k->super_type->cls->qname : NULL;
    finish_class(c, &cw, access, k->qname, super, ifs, k->nifaces, m, outs);
}

void kc_gen_module(Kc *c, KcModule *m, KcVec *outs) {
    KcCw cw;
    kc_cw_init(c, &cw);
    ClassGen cg;
    memset(&cg, 0, sizeof cg);
    cg.c = c;
    cg.mod = m;
    cg.cw = &cw;
    cg.owner = m->name->s;
    for (int i = 0; i < m->globals.n; i++) {
        KcField *f = m->globals.items[i];
        if (f->is_const) continue;
        kc_cw_add_field(&cw, f->access, f->name->s, f->type->desc);
    }
    for (int i = 0; i < m->funcs.n; i++) gen_declared(&cg, m->funcs.items[i]);
    KcPos pos = { m->src->index, 1, 1, 0 };
    gen_clinit(&cg, &m->globals, pos);
    for (int i = 0; i < m->lambdas.n; i++) gen_lambda(&cg, m->lambdas.items[i]);
    finish_class(c, &cw, KACC_MODULE, m->name->s, NULL, NULL, 0, m, outs);
    for (int i = 0; i < m->classes.n; i++) gen_class(c, m, m->classes.items[i], outs);
}
