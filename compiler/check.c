/*
** compiler/check.c — names and types in bodies (LANGUAGE.md §2–§5, §7).
**
** kc_check walks every body after kc_declare entered all signatures: functions,
** methods, constructors, field and global initializers, closures. It resolves
** names (locals, captured variables, fields, globals, functions, classes,
** modules), chooses among overloads (exact match, else by boxing or widening, else
** ambiguous), infers type arguments of generic calls, gives every expression its
** type and records how the code generator should compile it (NR_*, CK_*), and
** checks control flow (break/continue inside loops, no code after a jump, every
** path of a function with a result ends in `return` or `throw`).
**
** Closures: a function context (FnCtx) per function being checked; a name found
** in an enclosing function's locals is captured through every closure between
** (KcCapture), and a captured `var` is marked to live in a cell.
**
** A mistake is reported once: the offending expression gets KT_ERROR, which every
** later check accepts silently.
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "check.h"
#include "lexer.h"

/* What a statement's end looks like to the statement after it. */
enum { FLOW_STOPS = 0, FLOW_CONTINUES = 1, FLOW_UNKNOWN = 2 /* after a reported error */ };

typedef struct FnCtx {
    struct FnCtx *outer;
    KcDecl   *decl;             /* NULL for field initializers */
    KcFunc   *fn;
    int       depth;
    int       is_static;
    int       is_init;          /* an `init` (or instance field initializers) */
    KcVec     loops;            /* enclosing loops (KcStmt*), innermost last */
    const char *lambda_prefix;  /* "f" of "f.<lambda>" */
    int       init_first;       /* super(...) allowed: checking init's first statement */
} FnCtx;

typedef struct {
    Kc       *c;
    KcModule *mod;
    KcCls  *cls;
    FnCtx    *fx;
    KcLocal **locals;           /* the scope stack's locals, innermost last */
    int       nlocals, locals_cap;
    int      *scopes;           /* nlocals at each open scope's start */
    int       nscopes, scopes_cap;
} Checker;

static KcType *check_expr(Checker *ch, KcExpr *e, KcType *want);
static KcType *check_value(Checker *ch, KcExpr *e, KcType *want);
static int check_block(Checker *ch, KcStmt *b);

static int is_err(KcType *t) { return t->kind == KT_ERROR; }

static KcTScope tscope(Checker *ch) {
    KcTScope sc = { ch->mod, ch->cls, NULL, 0 };
    for (FnCtx *f = ch->fx; f; f = f->outer)
        if (f->fn && f->fn->ntparams) {
            sc.mtparams = f->fn->tparams;
            sc.nmt = f->fn->ntparams;
            break;
        }
    return sc;
}

/* ---- scopes and captures ------------------------------------------------------------ */

static void scope_begin(Checker *ch) {
    if (ch->nscopes == ch->scopes_cap) {
        int ncap = ch->scopes_cap ? ch->scopes_cap * 2 : 16;
        int *ns = kc_alloc(ch->c, sizeof(int) * (size_t)ncap);
        if (ch->nscopes) memcpy(ns, ch->scopes, sizeof(int) * (size_t)ch->nscopes);
        ch->scopes = ns;
        ch->scopes_cap = ncap;
    }
    ch->scopes[ch->nscopes++] = ch->nlocals;
}

static void scope_end(Checker *ch) { ch->nlocals = ch->scopes[--ch->nscopes]; }

static void push_local(Checker *ch, KcLocal *l) {
    if (ch->nlocals == ch->locals_cap) {
        int ncap = ch->locals_cap ? ch->locals_cap * 2 : 32;
        KcLocal **nl = kc_alloc(ch->c, sizeof(KcLocal *) * (size_t)ncap);
        if (ch->nlocals) memcpy(nl, ch->locals, sizeof(KcLocal *) * (size_t)ch->nlocals);
        ch->locals = nl;
        ch->locals_cap = ncap;
    }
    ch->locals[ch->nlocals++] = l;
}

/* l (declared in an enclosing function) as seen inside fx: a captured copy. */
static KcLocal *capture(Checker *ch, FnCtx *fx, KcLocal *l) {
    if (!fx || l->fdepth >= fx->depth) return l;
    KcLocal *outer = capture(ch, fx->outer, l);
    KcDecl *d = fx->decl;
    for (int i = 0; i < d->captures.n; i++) {
        KcCapture *cp = d->captures.items[i];
        if (cp->outer == outer) return cp->inner;
    }
    KcLocal *in = kc_alloc(ch->c, sizeof *in);
    *in = *outer;
    in->fdepth = fx->depth;
    in->slot = -1;
    KcCapture *cp = kc_alloc(ch->c, sizeof *cp);
    cp->outer = outer;
    cp->inner = in;
    kc_vec_push(ch->c, &d->captures, cp);
    return in;
}

static KcLocal *lookup_local(Checker *ch, KcName *name) {
    for (int i = ch->nlocals - 1; i >= 0; i--) {
        KcLocal *l = ch->locals[i];
        if (l->name != name) continue;
        if (!ch->fx || l->fdepth == ch->fx->depth) return l;
        if (l->kind == LK_VAR) l->cell = 1;
        return capture(ch, ch->fx, l);
    }
    return NULL;
}

static KcLocal *new_local(Checker *ch, KcName *name, KcPos pos, KcLocalKind kind, KcType *t) {
    KcLocal *l = kc_alloc(ch->c, sizeof *l);
    l->name = name;
    l->pos = pos;
    l->kind = kind;
    l->type = t;
    l->slot = -1;
    l->fdepth = ch->fx ? ch->fx->depth : 0;
    return l;
}

/* Declares a local in the innermost scope. Shadowing a local of an outer scope is
** allowed (as in Kotlin); the same name twice in one scope is an error. */
static KcLocal *declare_local(Checker *ch, KcName *name, KcPos pos, KcLocalKind kind, KcType *t) {
    KcLocal *l = new_local(ch, name, pos, kind, t);
    if (!name) return l;
    int start = ch->nscopes ? ch->scopes[ch->nscopes - 1] : 0;
    for (int i = start; i < ch->nlocals; i++) {
        if (ch->locals[i]->name == name) {
            kc_error(ch->c, pos, "`%s` is already declared in this scope (at line %d)", name->s,
                     ch->locals[i]->pos.line);
            return l;
        }
    }
    push_local(ch, l);
    return l;
}

/* `this` in the current function (captured into closures), or NULL. */
static KcLocal *this_local(Checker *ch) { return lookup_local(ch, ch->c->n_this); }

/* ---- helpers ---------------------------------------------------------------------------- */

static int is_int_literal(KcExpr *e) { return e->kind == E_INT; }

typedef struct { KcType *t; int64_t i; double f; const char *s; size_t slen; } CVal;
static int const_eval(Checker *ch, KcExpr *e, CVal *v, int depth);

static void to_float(Kc *c, KcExpr *e) {
    e->kind = E_FLOAT;
    e->u.fval = (double)e->u.ival;
    e->ty = c->t_float;
}

/* Requires e (already checked) to fit `want`; converts int literals to float. */
static int coerce(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    KcType *t = e->ty;
    if (!t || is_err(t) || !want || is_err(want)) return 1;
    if (want->kind == KT_FLOAT && is_int_literal(e)) {
        to_float(c, e);
        return 1;
    }
    if (want->kind == KT_BYTE) {
        if (t->kind != KT_INT) {
            kc_error(c, e->pos, "type mismatch: expected int (a byte), found %s", t->name);
            return 0;
        }
        CVal v;
        memset(&v, 0, sizeof v);
        if (const_eval(ch, e, &v, 0) && v.t == c->t_int && (v.i < 0 || v.i > 255)) {
            kc_error(c, e->pos, "constant %lld does not fit in a byte (0..255)", (long long)v.i);
            return 0;
        }
        return 1;
    }
    if (t->kind == KT_VOID) {
        kc_error(c, e->pos, "this expression returns nothing, so it cannot be used as a value");
        return 0;
    }
    if (kc_assignable(c, t, want)) return 1;
    kc_error(c, e->pos, "type mismatch: expected %s, found %s", want->name, t->name);
    return 0;
}

static void check_cond(Checker *ch, KcExpr *e) {
    KcType *t = check_value(ch, e, ch->c->t_bool);
    if (!is_err(t) && t->kind != KT_BOOL)
        kc_error(ch->c, e->pos, "condition must be bool, found %s", t->name);
}

static KcCls *class_of(Kc *c, KcType *t) {
    switch (t->kind) {
    case KT_CLASS: return t->cls;
    case KT_STRING: return c->c_string;
    case KT_FUNC: return c->c_function;
    case KT_TPARAM: case KT_ARRAY: case KT_NULL: return c->c_object;
    default: return NULL;
    }
}

static const char *fun_name(Checker *ch) {
    for (FnCtx *f = ch->fx; f; f = f->outer)
        if (f->lambda_prefix) return f->lambda_prefix;
    return "?";
}

/* ---- constants -------------------------------------------------------------------------- */

static int const_eval(Checker *ch, KcExpr *e, CVal *v, int depth) {
    Kc *c = ch->c;
    if (depth > 100) return 0;
    switch (e->kind) {
    case E_INT: v->t = c->t_int; v->i = e->u.ival; return 1;
    case E_FLOAT: v->t = c->t_float; v->f = e->u.fval; return 1;
    case E_BOOL: v->t = c->t_bool; v->i = e->u.bval; return 1;
    case E_STRING: v->t = c->t_string; v->s = e->u.str.s; v->slen = e->u.str.len; return 1;
    case E_PAREN: return const_eval(ch, e->u.paren.e, v, depth + 1);
    case E_NAME: case E_MEMBER: {
        int what = e->kind == E_NAME ? e->u.name.what : e->u.member.what;
        if (what == NR_CONST) {
            KcField *f = e->kind == E_NAME ? e->u.name.field : e->u.member.field;
            if (f && f->cval_type) {
                v->t = f->cval_type; v->i = f->ival; v->f = f->fval; v->s = f->sval; v->slen = f->slen;
                return 1;
            }
            KcLocal *l = e->kind == E_NAME ? e->u.name.local : NULL;
            if (l && l->cexpr) return const_eval(ch, l->cexpr, v, depth + 1);
        }
        return 0;
    }
    case E_UNARY: {
        if (!const_eval(ch, e->u.unary.operand, v, depth + 1)) return 0;
        if (e->op == TK_MINUS && v->t == c->t_int) { v->i = (int64_t)(0 - (uint64_t)v->i); return 1; }
        if (e->op == TK_MINUS && v->t == c->t_float) { v->f = -v->f; return 1; }
        if (e->op == TK_BANG && v->t == c->t_bool) { v->i = !v->i; return 1; }
        if (e->op == TK_TILDE && v->t == c->t_int) { v->i = ~v->i; return 1; }
        return 0;
    }
    case E_BINARY: {
        CVal a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        if (!const_eval(ch, e->u.bin.l, &a, depth + 1) || !const_eval(ch, e->u.bin.r, &b, depth + 1))
            return 0;
        if (a.t == c->t_int && b.t == c->t_int) {
            uint64_t x = (uint64_t)a.i, y = (uint64_t)b.i;
            v->t = c->t_int;
            switch (e->op) {
            case TK_PLUS: v->i = (int64_t)(x + y); return 1;
            case TK_MINUS: v->i = (int64_t)(x - y); return 1;
            case TK_STAR: v->i = (int64_t)(x * y); return 1;
            case TK_AMP: v->i = (int64_t)(x & y); return 1;
            case TK_PIPE: v->i = (int64_t)(x | y); return 1;
            case TK_CARET: v->i = (int64_t)(x ^ y); return 1;
            case TK_SHL: v->i = (int64_t)(x << (y & 63)); return 1;
            case TK_USHR: v->i = (int64_t)(x >> (y & 63)); return 1;
            case TK_SHR: v->i = a.i < 0 ? (int64_t)~(~x >> (y & 63)) : (int64_t)(x >> (y & 63)); return 1;
            case TK_SLASH: case TK_PERCENT:
                if (b.i == 0) return 0;
                if (b.i == -1) { v->i = e->op == TK_SLASH ? (int64_t)(0 - x) : 0; return 1; }
                v->i = e->op == TK_SLASH ? a.i / b.i : a.i % b.i;
                return 1;
            default: return 0;
            }
        }
        if (a.t == c->t_float && b.t == c->t_int && is_int_literal(e->u.bin.r)) { b.t = c->t_float; b.f = (double)b.i; }
        if (b.t == c->t_float && a.t == c->t_int && is_int_literal(e->u.bin.l)) { a.t = c->t_float; a.f = (double)a.i; }
        if (a.t == c->t_float && b.t == c->t_float) {
            v->t = c->t_float;
            switch (e->op) {
            case TK_PLUS: v->f = a.f + b.f; return 1;
            case TK_MINUS: v->f = a.f - b.f; return 1;
            case TK_STAR: v->f = a.f * b.f; return 1;
            case TK_SLASH: v->f = a.f / b.f; return 1;
            default: return 0;
            }
        }
        if (a.t == c->t_string && b.t == c->t_string && e->op == TK_PLUS) {
            char *s = kc_alloc(c, a.slen + b.slen + 1);
            memcpy(s, a.s, a.slen);
            memcpy(s + a.slen, b.s, b.slen);
            v->t = c->t_string; v->s = s; v->slen = a.slen + b.slen;
            return 1;
        }
        if (a.t == c->t_bool && b.t == c->t_bool && (e->op == TK_ANDAND || e->op == TK_OROR)) {
            v->t = c->t_bool;
            v->i = e->op == TK_ANDAND ? (a.i && b.i) : (a.i || b.i);
            return 1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* ---- overload resolution and inference -------------------------------------------------- */

typedef struct { KcFunc *f; KcSubst recv; } Cand;

typedef struct {
    KcType **from, **to;        /* inferable type parameters and their bindings */
    int      n;
} Binds;

static void unify(Kc *c, KcType *decl, KcType *actual, Binds *b, int depth) {
    if (!actual || is_err(actual) || depth > 50) return;
    switch (decl->kind) {
    case KT_TPARAM:
        for (int i = 0; i < b->n; i++)
            if (b->from[i] == decl && !b->to[i] && actual->kind != KT_NULL && actual->kind != KT_VOID)
                b->to[i] = actual;
        return;
    case KT_ARRAY:
        if (actual->kind == KT_ARRAY) unify(c, decl->elem, actual->elem, b, depth + 1);
        return;
    case KT_CLASS: {
        if (decl->nargs == 0) return;
        KcType *s = kc_super_as(c, actual, decl->cls);
        if (!s || s->nargs != decl->nargs) return;
        for (int i = 0; i < decl->nargs; i++) unify(c, decl->args[i], s->args[i], b, depth + 1);
        return;
    }
    case KT_FUNC:
        if (actual->kind != KT_FUNC || actual->nargs != decl->nargs) return;
        for (int i = 0; i < decl->nargs; i++) unify(c, decl->args[i], actual->args[i], b, depth + 1);
        unify(c, decl->ret, actual->ret, b, depth + 1);
        return;
    default:
        return;
    }
}

typedef struct {
    KcType **ptypes;            /* parameter types after substitution */
    KcType  *ret;
    KcSubst  full;              /* receiver's and inferred bindings */
    int      exact, ok;
    const char *why;            /* why it does not apply */
} Try;

/* Tries candidate f for the argument types. extra: more inferable parameters
** (a generic class's, for its constructor). */
static Try try_cand(Checker *ch, Cand *cd, KcExpr **args, KcType **argt, int nargs, KcType **targs,
                    int ntargs, KcType **extra, int nextra, KcType *want) {
    Kc *c = ch->c;
    KcFunc *f = cd->f;
    Try r;
    memset(&r, 0, sizeof r);
    int ninf = f->ntparams + nextra;
    Binds b;
    b.n = ninf;
    b.from = kc_alloc(c, sizeof(KcType *) * (size_t)(ninf + 1));
    b.to = kc_alloc(c, sizeof(KcType *) * (size_t)(ninf + 1));
    for (int i = 0; i < nextra; i++) b.from[i] = extra[i];
    for (int i = 0; i < f->ntparams; i++) b.from[nextra + i] = f->tparams[i];
    if (ntargs) {
        if (ntargs != ninf) {
            r.why = kc_sprintf(c, "takes %d type argument%s, found %d", ninf, ninf == 1 ? "" : "s", ntargs);
            return r;
        }
        for (int i = 0; i < ninf; i++) b.to[i] = targs[i];
    }
    KcType **decl = kc_alloc(c, sizeof(KcType *) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++) {
        decl[i] = kc_subst(c, f->params[i], &cd->recv);
        unify(c, decl[i], argt[i], &b, 0);
    }
    KcType *ret = kc_subst(c, f->ret, &cd->recv);
    if (want && ninf) unify(c, ret, want, &b, 0);
    for (int i = 0; i < ninf; i++) {
        if (!b.to[i]) {
            r.why = kc_sprintf(c, "cannot infer the type argument `%s`; give it explicitly", b.from[i]->name);
            return r;
        }
    }
    KcSubst full;
    full.n = cd->recv.n + ninf;
    full.from = kc_alloc(c, sizeof(KcType *) * (size_t)(full.n + 1));
    full.to = kc_alloc(c, sizeof(KcType *) * (size_t)(full.n + 1));
    for (int i = 0; i < cd->recv.n; i++) { full.from[i] = cd->recv.from[i]; full.to[i] = cd->recv.to[i]; }
    for (int i = 0; i < ninf; i++) { full.from[cd->recv.n + i] = b.from[i]; full.to[cd->recv.n + i] = b.to[i]; }
    KcSubst inf = { b.from, b.to, ninf };
    r.ptypes = kc_alloc(c, sizeof(KcType *) * (size_t)(nargs + 1));
    r.exact = 1;
    r.ok = 1;
    for (int i = 0; i < nargs; i++) {
        KcType *p = kc_subst(c, decl[i], &inf);
        r.ptypes[i] = p;
        if (argt[i] == p || is_err(argt[i]) || is_err(p)) continue;
        r.exact = 0;
        if (p->kind == KT_FLOAT && is_int_literal(args[i])) continue;
        if (!kc_assignable(c, argt[i], p)) r.ok = 0;
    }
    r.ret = kc_subst(c, ret, &inf);
    r.full = full;
    return r;
}

static int more_specific(Kc *c, Try *a, Try *b, int n) {
    for (int i = 0; i < n; i++)
        if (!kc_assignable(c, a->ptypes[i], b->ptypes[i])) return 0;
    return 1;
}

/* Chooses among candidates; on success fills *out and returns the chosen index,
** else reports and returns -1. what: "function `f`" for messages. */
static int resolve_overload(Checker *ch, KcPos pos, const char *what, Cand *cands, int ncands,
                            KcExpr **args, int nargs, KcTypeExpr **targx, int ntargs, KcType **extra,
                            int nextra, KcType *want, Try *out) {
    Kc *c = ch->c;
    KcType **argt = kc_alloc(c, sizeof(KcType *) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++) argt[i] = args[i]->ty ? args[i]->ty : c->t_error;
    KcType **targs = kc_alloc(c, sizeof(KcType *) * (size_t)(ntargs + 1));
    KcTScope sc = tscope(ch);
    for (int i = 0; i < ntargs; i++) {
        targs[i] = kc_resolve_type(c, &sc, targx[i], 0);
        if (is_err(targs[i])) return -1;
    }
    Try *tries = kc_alloc(c, sizeof(Try) * (size_t)(ncands + 1));
    int narity = 0, last = -1, nok = 0, anyerr = 0;
    for (int i = 0; i < nargs; i++) anyerr |= is_err(argt[i]);
    for (int k = 0; k < ncands; k++) {
        if (cands[k].f->nparams != nargs) continue;
        narity++;
        last = k;
        tries[k] = try_cand(ch, &cands[k], args, argt, nargs, targs, ntargs, extra, nextra, want);
        if (tries[k].ok) nok++;
    }
    if (narity == 0) {
        KcBuf b = {0};
        int printed = 0, total = 0;
        for (int n = 0; n <= 255; n++)
            for (int k = 0; k < ncands; k++)
                if (cands[k].f->nparams == n) { total++; break; }
        for (int n = 0; n <= 255 && printed < total; n++) {
            for (int k = 0; k < ncands; k++) {
                if (cands[k].f->nparams != n) continue;
                if (printed) kc_buf_str(c, &b, printed == total - 1 ? " or " : ", ");
                kc_buf_str(c, &b, kc_sprintf(c, "%d", n));
                printed++;
                break;
            }
        }
        kc_buf_u8(c, &b, 0);
        kc_error(c, pos, "wrong number of arguments to %s: expected %s, found %d", what,
                 total ? (const char *)b.p : "?", nargs);
        return -1;
    }
    int best = -1;
    for (int k = 0; k < ncands; k++)
        if (cands[k].f->nparams == nargs && tries[k].ok && tries[k].exact) {
            if (best >= 0) { best = -2; break; }
            best = k;
        }
    if (best == -1 && nok > 0) {
        for (int k = 0; k < ncands; k++) {
            if (cands[k].f->nparams != nargs || !tries[k].ok) continue;
            int all = 1;
            for (int j = 0; j < ncands && all; j++)
                if (j != k && cands[j].f->nparams == nargs && tries[j].ok &&
                    !more_specific(c, &tries[k], &tries[j], nargs))
                    all = 0;
            if (all) { best = k; break; }
        }
        if (best == -1) best = -2;
    }
    if (best == -2 && anyerr) return -1;
    if (best == -2) {
        kc_error(c, pos, "call of %s is ambiguous for arguments (%s)", what, kc_type_list(c, argt, nargs));
        return -1;
    }
    if (best >= 0) {
        *out = tries[best];
        for (int i = 0; i < nargs; i++) coerce(ch, args[i], out->ptypes[i]);
        return best;
    }
    if (narity == 1) {
        Try *t = &tries[last];
        if (t->why) {
            kc_error(c, pos, "%s %s", what, t->why);
            return -1;
        }
        for (int i = 0; i < nargs; i++) coerce(ch, args[i], t->ptypes[i]);
        return -1;
    }
    for (int i = 0; i < nargs; i++) if (is_err(argt[i])) return -1;
    kc_error(c, pos, "no version of %s accepts arguments (%s)", what, kc_type_list(c, argt, nargs));
    return -1;
}

/* Methods named `name` of type t (instance and static), closest first; a method
** overridden by a closer one is left out. */
static void gather_methods(Checker *ch, KcType *t, KcName *name, KcVec *out, int ctors) {
    Kc *c = ch->c;
    KcCls *start = class_of(c, t);
    if (!start) return;
    KcType *cur = t->kind == KT_CLASS || t->kind == KT_STRING ? t : start->type;
    KcVec todo = {0};
    kc_vec_push(c, &todo, cur);
    for (int qi = 0; qi < todo.n && qi < 500; qi++) {
        KcType *ty = todo.items[qi];
        KcCls *k = ty->cls;
        if (!k) continue;
        KcSubst sb = kc_recv_subst(c, ty, k);
        for (int i = 0; i < k->methods.n; i++) {
            KcFunc *f = k->methods.items[i];
            if (f->name != name || f->is_ctor != ctors) continue;
            int hidden = 0;
            for (int j = 0; j < out->n && !hidden; j++) {
                Cand *o = out->items[j];
                if (o->f->nparams != f->nparams) continue;
                int same = 1;
                for (int p = 0; p < f->nparams && same; p++)
                    same = kc_subst(c, o->f->params[p], &o->recv) == kc_subst(c, f->params[p], &sb);
                hidden = same;
            }
            if (hidden) continue;
            Cand *cd = kc_alloc(c, sizeof *cd);
            cd->f = f;
            cd->recv = sb;
            kc_vec_push(c, out, cd);
        }
        if (ctors) break;
        if (k->super_type) kc_vec_push(c, &todo, kc_subst(c, k->super_type, &sb));
        for (int i = 0; i < k->nifaces; i++) kc_vec_push(c, &todo, kc_subst(c, k->ifaces[i], &sb));
        if (k->is_interface && c->c_object && qi == todo.n - 1) kc_vec_push(c, &todo, c->t_object);
    }
}

/* ---- names ------------------------------------------------------------------------------ */

static KcField *global_in(KcModule *m, KcName *n) {
    for (KcField *g = n->globals; g; g = g->next_same_name)
        if (g->module == m) return g;
    return NULL;
}

/* A global visible by its simple name: own module, imported by name, std.core. */
static KcField *find_global(Checker *ch, KcName *n) {
    KcField *g = global_in(ch->mod, n);
    if (g) return g;
    for (int i = 0; i < ch->mod->nimports; i++) {
        KcImport *im = &ch->mod->imports[i];
        for (int j = 0; j < im->nnames && im->module; j++)
            if (im->names[j] == n && (g = global_in(im->module, n)) && !(g->access & KACC_PRIVATE)) return g;
    }
    if (ch->c->core && (g = global_in(ch->c->core, n)) && !(g->access & KACC_PRIVATE)) return g;
    return NULL;
}

static KcModule *find_alias(Checker *ch, KcName *n) {
    for (int i = 0; i < ch->mod->nimports; i++) {
        KcImport *im = &ch->mod->imports[i];
        if (im->alias == n && !im->names && im->module) return im->module;
    }
    return NULL;
}

/* Top-level functions named n visible from the module, in the first group that
** has any: own module, imported by name, other modules compiled together, std.core. */
static void find_funcs(Checker *ch, KcName *n, KcVec *out) {
    Kc *c = ch->c;
    for (KcFunc *f = n->funcs; f; f = f->next_same_name)
        if (f->module == ch->mod) {
            Cand *cd = kc_alloc(c, sizeof *cd);
            cd->f = f;
            kc_vec_push(c, out, cd);
        }
    if (out->n) return;
    for (int i = 0; i < ch->mod->nimports; i++) {
        KcImport *im = &ch->mod->imports[i];
        for (int j = 0; j < im->nnames && im->module; j++) {
            if (im->names[j] != n) continue;
            for (KcFunc *f = n->funcs; f; f = f->next_same_name)
                if (f->module == im->module && !(f->access & KACC_PRIVATE)) {
                    Cand *cd = kc_alloc(c, sizeof *cd);
                    cd->f = f;
                    kc_vec_push(c, out, cd);
                }
        }
    }
    if (out->n) return;
    for (KcFunc *f = n->funcs; f; f = f->next_same_name)
        if (f->module != c->core && !(f->access & KACC_PRIVATE)) {
            Cand *cd = kc_alloc(c, sizeof *cd);
            cd->f = f;
            kc_vec_push(c, out, cd);
        }
    if (out->n) return;
    for (KcFunc *f = n->funcs; f; f = f->next_same_name)
        if (f->module == c->core && !(f->access & KACC_PRIVATE)) {
            Cand *cd = kc_alloc(c, sizeof *cd);
            cd->f = f;
            kc_vec_push(c, out, cd);
        }
}

static void funcs_of_module(Checker *ch, KcModule *m, KcName *n, KcVec *out) {
    for (KcFunc *f = n->funcs; f; f = f->next_same_name)
        if (f->module == m && (m == ch->mod || !(f->access & KACC_PRIVATE))) {
            Cand *cd = kc_alloc(ch->c, sizeof *cd);
            cd->f = f;
            kc_vec_push(ch->c, out, cd);
        }
}



/* Is field f accessible here? (private: only inside its class) */
static int field_visible(Checker *ch, KcField *f) {
    if (!(f->access & KACC_PRIVATE)) return 1;
    return f->cls ? f->cls == ch->cls : f->module == ch->mod;
}

static int method_visible(Checker *ch, KcFunc *f) {
    if (!(f->access & KACC_PRIVATE)) return 1;
    return f->cls ? f->cls == ch->cls : f->module == ch->mod;
}

/* Sets the type of a field access from the declared type through a receiver. */
static KcType *field_access_type(Checker *ch, KcExpr *e, KcField *f, KcType *recv) {
    Kc *c = ch->c;
    KcType *decl = kc_field_type(c, f);
    KcType *t = decl;
    if (recv && f->cls && f->cls->ntparams) {
        KcSubst sb = kc_recv_subst(c, recv, f->cls);
        t = kc_subst(c, decl, &sb);
    }
    if (decl->kind == KT_TPARAM && t != decl) e->decl_ty = decl;
    return t;
}

static KcType *const_type(KcField *f) { return f->cval_type ? f->cval_type : f->type; }

/* A closure of a static function (or a method bound to its receiver). */
static KcType *func_value_type(Kc *c, KcFunc *f, const KcSubst *sb) {
    KcType **ps = kc_alloc(c, sizeof(KcType *) * (size_t)(f->nparams + 1));
    for (int i = 0; i < f->nparams; i++) ps[i] = kc_subst(c, f->params[i], sb);
    return kc_func_type(c, ps, f->nparams, kc_subst(c, f->ret, sb));
}

/* Picks the one function of cands that a function value means. */
static Cand *pick_value_func(Checker *ch, KcPos pos, KcName *n, KcVec *cands, KcType *want) {
    if (cands->n == 1) {
        Cand *cd = cands->items[0];
        if (cd->f->ntparams) {
            kc_error(ch->c, pos, "generic function `%s` cannot be used as a value", n->s);
            return NULL;
        }
        return cd;
    }
    if (want && want->kind == KT_FUNC)
        for (int i = 0; i < cands->n; i++) {
            Cand *cd = cands->items[i];
            if (func_value_type(ch->c, cd->f, &cd->recv) == want) return cd;
        }
    kc_error(ch->c, pos, "`%s` is overloaded: its use as a value needs an expected function type", n->s);
    return NULL;
}

static KcType *check_name(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    KcName *n = e->u.name.name;
    KcLocal *l = lookup_local(ch, n);
    if (l) {
        e->u.name.what = l->is_const ? NR_CONST : NR_LOCAL;
        e->u.name.local = l;
        return l->type;
    }
    if (ch->cls) {
        KcField *f = kc_find_field(c, ch->cls, n);
        if (f && field_visible(ch, f)) {
            e->u.name.field = f;
            if (f->is_const) {
                e->u.name.what = NR_CONST;
                return const_type(f) ? const_type(f) : kc_field_type(c, f);
            }
            if (f->access & KACC_STATIC) {
                e->u.name.what = NR_STATIC;
                return kc_field_type(c, f);
            }
            KcLocal *th = this_local(ch);
            if (!th) {
                kc_error(c, e->pos, "field `%s` cannot be used in a static function", n->s);
                return c->t_error;
            }
            e->u.name.what = NR_FIELD;
            e->u.name.this_local = th;
            return field_access_type(ch, e, f, ch->cls->type);
        }
    }
    KcField *g = find_global(ch, n);
    if (g) {
        e->u.name.field = g;
        e->u.name.what = g->is_const ? NR_CONST : NR_STATIC;
        KcType *t = kc_field_type(c, g);
        return g->is_const && const_type(g) ? const_type(g) : t;
    }
    /* A function as a value. */
    KcVec cands = {0};
    if (ch->cls) {
        gather_methods(ch, ch->cls->type, n, &cands, 0);
        if (cands.n) {
            Cand *cd = pick_value_func(ch, e->pos, n, &cands, want);
            if (!cd) return c->t_error;
            e->u.name.fn = cd->f;
            if (!(cd->f->access & KACC_STATIC)) {
                KcLocal *th = this_local(ch);
                if (!th) {
                    kc_error(c, e->pos, "method `%s` cannot be used in a static function", n->s);
                    return c->t_error;
                }
                e->u.name.this_local = th;
                e->u.name.what = NR_BOUND_METHOD;
            } else {
                e->u.name.what = NR_FUNC;
            }
            return func_value_type(c, cd->f, &cd->recv);
        }
    }
    find_funcs(ch, n, &cands);
    if (cands.n) {
        Cand *cd = pick_value_func(ch, e->pos, n, &cands, want);
        if (!cd) return c->t_error;
        e->u.name.what = NR_FUNC;
        e->u.name.fn = cd->f;
        return func_value_type(c, cd->f, NULL);
    }
    if (kc_find_class(c, ch->mod, n, 0)) {
        kc_error(c, e->pos, "class `%s` is not a value (construct one with `%s(...)`)", n->s, n->s);
        return c->t_error;
    }
    if (find_alias(ch, n)) {
        kc_error(c, e->pos, "module `%s` is not a value", n->s);
        return c->t_error;
    }
    if (n == c->n_int || n == c->n_float || n == c->n_bool)
        kc_error(c, e->pos, "`%s` is a type, not a value", n->s);
    else
        kc_error(c, e->pos, "undefined name `%s`", n->s);
    return c->t_error;
}

/* What a qualifier `q` in `q.name` is, when it is not a value: NR_MODULE (mod set)
** or NR_CLASS (cls set); NR_NONE when it is (or may be) a value. */
static int qualifier_kind(Checker *ch, KcExpr *q, KcModule **mod, KcCls **cls) {
    Kc *c = ch->c;
    if (q->kind == E_NAME) {
        KcName *n = q->u.name.name;
        if (lookup_local(ch, n)) return NR_NONE;
        if (ch->cls) {
            KcField *f = kc_find_field(c, ch->cls, n);
            if (f && field_visible(ch, f)) return NR_NONE;
        }
        if (find_global(ch, n)) return NR_NONE;
        KcModule *m = find_alias(ch, n);
        if (m) { *mod = m; q->u.name.what = NR_MODULE; q->u.name.mod = m; q->ty = c->t_void; return NR_MODULE; }
        KcCls *k = kc_find_class(c, ch->mod, n, 0);
        if (k) { *cls = k; q->u.name.what = NR_CLASS; q->u.name.cls = k; q->ty = c->t_void; return NR_CLASS; }
        return NR_NONE;
    }
    if (q->kind == E_MEMBER && q->u.member.name) {
        KcModule *m = NULL;
        KcCls *k = NULL;
        /* a.b as a module name, or module.Class */
        if (qualifier_kind(ch, q->u.member.obj, &m, &k) == NR_MODULE) {
            KcCls *x = NULL;
            for (KcCls *y = q->u.member.name->classes; y; y = y->next_same_name)
                if (y->module == m && kc_visible_class(ch->mod, y)) x = y;
            if (x) { *cls = x; q->u.member.what = NR_CLASS; q->u.member.cls = x; q->ty = c->t_void; return NR_CLASS; }
        }
        if (q->u.member.obj->kind == E_NAME && !lookup_local(ch, q->u.member.obj->u.name.name)) {
            /* a.b with `import a.b`? Only the last part is the alias; a fully
            ** qualified module name works too. */
            KcBuf b = {0};
            kc_buf_str(c, &b, q->u.member.obj->u.name.name->s);
            kc_buf_u8(c, &b, '.');
            kc_buf_str(c, &b, q->u.member.name->s);
            KcModule *fm = kc_find_module(c, kc_name(c, (const char *)b.p, b.len));
            if (fm) {
                for (int i = 0; i < ch->mod->nimports; i++)
                    if (ch->mod->imports[i].module == fm) {
                        *mod = fm;
                        q->u.member.what = NR_MODULE;
                        q->u.member.mod = fm;
                        q->ty = c->t_void;
                        return NR_MODULE;
                    }
            }
        }
    }
    return NR_NONE;
}

/* A static member `name` of class k or module m used as a value. */
static KcType *static_member(Checker *ch, KcExpr *e, KcModule *m, KcCls *k, KcType *want) {
    Kc *c = ch->c;
    KcName *n = e->u.member.name;
    if (m) {
        KcField *g = global_in(m, n);
        if (g && (m == ch->mod || !(g->access & KACC_PRIVATE))) {
            e->u.member.field = g;
            e->u.member.what = g->is_const ? NR_CONST : NR_STATIC;
            KcType *t = kc_field_type(c, g);
            return g->is_const && const_type(g) ? const_type(g) : t;
        }
        KcVec cands = {0};
        funcs_of_module(ch, m, n, &cands);
        if (cands.n) {
            Cand *cd = pick_value_func(ch, e->pos, n, &cands, want);
            if (!cd) return c->t_error;
            e->u.member.what = NR_FUNC;
            e->u.member.fn = cd->f;
            return func_value_type(c, cd->f, NULL);
        }
        kc_error(c, e->pos, "module `%s` has no public `%s`", m->name->s, n->s);
        return c->t_error;
    }
    KcField *f = kc_find_field(c, k, n);
    if (f && (f->access & KACC_STATIC)) {
        if (!field_visible(ch, f)) {
            kc_error(c, e->pos, "field `%s` is private in class `%s`", n->s, f->cls->name->s);
            return c->t_error;
        }
        e->u.member.field = f;
        e->u.member.what = f->is_const ? NR_CONST : NR_STATIC;
        KcType *t = kc_field_type(c, f);
        return f->is_const && const_type(f) ? const_type(f) : t;
    }
    if (f) {
        kc_error(c, e->pos, "field `%s` is not static: it needs an instance of `%s`", n->s, k->name->s);
        return c->t_error;
    }
    KcVec cands = {0};
    gather_methods(ch, k->type, n, &cands, 0);
    for (int i = 0; i < cands.n; i++) {
        Cand *cd = cands.items[i];
        if (!(cd->f->access & KACC_STATIC)) cands.items[i--] = cands.items[--cands.n];
    }
    if (cands.n) {
        Cand *cd = pick_value_func(ch, e->pos, n, &cands, want);
        if (!cd) return c->t_error;
        e->u.member.what = NR_FUNC;
        e->u.member.fn = cd->f;
        return func_value_type(c, cd->f, NULL);
    }
    kc_error(c, e->pos, "class `%s` has no static member `%s`", k->name->s, n->s);
    return c->t_error;
}

static KcType *check_member(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    KcName *n = e->u.member.name;
    if (!n) return c->t_error;
    KcExpr *obj = e->u.member.obj;
    KcModule *m = NULL;
    KcCls *k = NULL;
    if (obj->kind == E_SUPER) {
        kc_error(c, e->pos, "`super.%s` must be called: `super.%s(...)`", n->s, n->s);
        return c->t_error;
    }
    int q = qualifier_kind(ch, obj, &m, &k);
    if (q == NR_MODULE || q == NR_CLASS) return static_member(ch, e, m, k, want);
    KcType *t = check_value(ch, obj, NULL);
    if (is_err(t)) return t;
    if (t->kind == KT_ARRAY && n == c->n_length) {
        e->u.member.what = NR_ARRAY_LENGTH;
        return c->t_int;
    }
    if (t->kind == KT_STRING && n == c->n_length) {
        e->u.member.what = NR_STRING_LENGTH;
        return c->t_int;
    }
    if (t->kind == KT_NULL) {
        kc_error(c, e->pos, "`null` has no members");
        return c->t_error;
    }
    KcCls *cls = class_of(c, t);
    if (!cls) {
        kc_error(c, e->pos, "%s has no member `%s`", t->name, n->s);
        return c->t_error;
    }
    KcField *f = kc_find_field(c, cls, n);
    if (f && field_visible(ch, f)) {
        if (f->access & KACC_STATIC) {
            kc_error(c, e->pos, "`%s` is a static field: use `%s.%s`", n->s, f->cls->name->s, n->s);
            return c->t_error;
        }
        e->u.member.field = f;
        e->u.member.what = NR_FIELD;
        return field_access_type(ch, e, f, t);
    }
    KcVec cands = {0};
    gather_methods(ch, t, n, &cands, 0);
    if (cands.n) {
        Cand *cd = pick_value_func(ch, e->pos, n, &cands, want);
        if (!cd) return c->t_error;
        if (cd->f->access & KACC_STATIC) {
            kc_error(c, e->pos, "`%s` is a static method: use `%s.%s`", n->s, cd->f->cls->name->s, n->s);
            return c->t_error;
        }
        e->u.member.what = NR_BOUND_METHOD;
        e->u.member.fn = cd->f;
        e->u.member.cls = cls;
        return func_value_type(c, cd->f, &cd->recv);
    }
    if (f) kc_error(c, e->pos, "field `%s` is private in class `%s`", n->s, f->cls->name->s);
    else kc_error(c, e->pos, "%s has no field or method `%s`", t->name, n->s);
    return c->t_error;
}

/* ---- calls ------------------------------------------------------------------------------- */

static void check_args(Checker *ch, KcExpr *e) {
    for (int i = 0; i < e->u.call.nargs; i++) check_value(ch, e->u.call.args[i], NULL);
}

/* Finishes a resolved call of f (receiver types substituted in t). */
static KcType *finish_call(Checker *ch, KcExpr *e, KcFunc *f, Try *t) {
    e->u.call.fn = f;
    e->u.call.ptypes = f->params;
    if (f->ret->kind == KT_TPARAM && t->ret != f->ret) e->decl_ty = f->ret;
    (void)ch;
    return t->ret;
}

/* How an instance method is invoked on a receiver of type rt. */
static void set_instance_call(Checker *ch, KcExpr *e, KcFunc *f, KcType *rt) {
    Kc *c = ch->c;
    KcCls *rc = class_of(c, rt);
    if (f->access & KACC_PRIVATE) {
        e->u.call.how = CK_SPECIAL;
        e->u.call.cls = f->cls;
    } else if (f->cls->is_interface) {
        e->u.call.how = CK_INTERFACE;
        e->u.call.cls = f->cls;
    } else {
        e->u.call.how = CK_VIRTUAL;
        e->u.call.cls = rc && !rc->is_interface && rt->kind != KT_TPARAM && rt->kind != KT_FUNC &&
                        rt->kind != KT_ARRAY ? rc : f->cls;
    }
}

static KcType *call_closure(Checker *ch, KcExpr *e, KcType *ft) {
    Kc *c = ch->c;
    if (ft->kind != KT_FUNC) {
        if (!is_err(ft)) kc_error(c, e->pos, "%s is not a function and cannot be called", ft->name);
        check_args(ch, e);
        return c->t_error;
    }
    check_args(ch, e);
    if (e->u.call.nargs != ft->nargs) {
        kc_error(c, e->pos, "wrong number of arguments to a function of type %s: expected %d, found %d",
                 ft->name, ft->nargs, e->u.call.nargs);
        return c->t_error;
    }
    for (int i = 0; i < ft->nargs; i++) coerce(ch, e->u.call.args[i], ft->args[i]);
    e->u.call.how = CK_CLOSURE;
    e->u.call.fntype = ft;
    e->u.call.ptypes = ft->args;
    return ft->ret;
}

static KcType *construct(Checker *ch, KcExpr *e, KcCls *k, KcTypeExpr **targx, int ntargs, KcType *want) {
    Kc *c = ch->c;
    check_args(ch, e);
    if (k->is_interface || k->is_abstract) {
        kc_error(c, e->pos, "cannot construct %s `%s`", k->is_interface ? "interface" : "abstract class",
                 k->name->s);
        return c->t_error;
    }
    KcVec cands = {0};
    gather_methods(ch, k->type, c->n_init, &cands, 1);
    for (int i = 0; i < cands.n; i++) ((Cand *)cands.items[i])->recv = (KcSubst){ NULL, NULL, 0 };
    if (cands.n == 0) {
        kc_error(c, e->pos, "class `%s` cannot be constructed", k->name->s);
        return c->t_error;
    }
    KcType *wantc = want && want->kind == KT_CLASS && want->cls == k ? want : NULL;
    Try t;
    int idx;
    Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
    for (int i = 0; i < cands.n; i++) arr[i] = *(Cand *)cands.items[i];
    idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s`", k->name->s), arr, cands.n, e->u.call.args,
                           e->u.call.nargs, targx, ntargs, k->tparams, k->ntparams, wantc, &t);
    if (idx < 0) return c->t_error;
    KcFunc *f = arr[idx].f;
    if (!method_visible(ch, f)) {
        kc_error(c, e->pos, "`init` of class `%s` is private", k->name->s);
        return c->t_error;
    }
    e->u.call.fn = f;
    e->u.call.ptypes = f->params;
    e->u.call.how = CK_NEW;
    e->u.call.cls = k;
    if (k->ntparams == 0) return k->type;
    KcType **args = kc_alloc(c, sizeof(KcType *) * (size_t)k->ntparams);
    for (int i = 0; i < k->ntparams; i++) {
        args[i] = k->tparams[i];
        for (int j = 0; j < t.full.n; j++)
            if (t.full.from[j] == k->tparams[i]) args[i] = t.full.to[j];
    }
    return kc_class_type(c, k, args, k->ntparams);
}

/* `super(args)` at the start of an init. */
static KcType *super_init(Checker *ch, KcExpr *e) {
    Kc *c = ch->c;
    check_args(ch, e);
    if (!ch->fx || !ch->fx->is_init || !ch->fx->init_first || !ch->cls) {
        kc_error(c, e->pos, "`super(...)` is only allowed as the first statement of `init`");
        return c->t_error;
    }
    KcType *st = ch->cls->super_type;
    if (!st) {
        kc_error(c, e->pos, "class `%s` has no superclass", ch->cls->name->s);
        return c->t_error;
    }
    KcVec cands = {0};
    gather_methods(ch, st, c->n_init, &cands, 1);
    KcSubst sb = kc_recv_subst(c, st, st->cls);
    Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
    for (int i = 0; i < cands.n; i++) { arr[i] = *(Cand *)cands.items[i]; arr[i].recv = sb; }
    Try t;
    int idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s`'s init", st->cls->name->s), arr, cands.n,
                               e->u.call.args, e->u.call.nargs, NULL, 0, NULL, 0, NULL, &t);
    if (idx < 0) return c->t_void;
    if (!method_visible(ch, arr[idx].f)) {
        kc_error(c, e->pos, "`init` of class `%s` is private", st->cls->name->s);
        return c->t_void;
    }
    e->u.call.fn = arr[idx].f;
    e->u.call.ptypes = arr[idx].f->params;
    e->u.call.how = CK_SUPER_INIT;
    e->u.call.cls = st->cls;
    e->u.call.this_local = this_local(ch);
    return c->t_void;
}

static KcType *method_call(Checker *ch, KcExpr *e, KcType *recv_t, KcExpr *recv, KcName *n,
                           KcTypeExpr **targx, int ntargs, KcType *want, int is_super, int implicit) {
    Kc *c = ch->c;
    KcVec cands = {0};
    gather_methods(ch, recv_t, n, &cands, 0);
    if (cands.n == 0) return NULL;
    check_args(ch, e);
    Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
    for (int i = 0; i < cands.n; i++) arr[i] = *(Cand *)cands.items[i];
    Try t;
    int idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s`", n->s), arr, cands.n, e->u.call.args,
                               e->u.call.nargs, targx, ntargs, NULL, 0, want, &t);
    if (idx < 0) return c->t_error;
    KcFunc *f = arr[idx].f;
    if (!method_visible(ch, f)) {
        kc_error(c, e->pos, "method `%s` is private in class `%s`", n->s, f->cls->name->s);
        return c->t_error;
    }
    if (f->cls == c->c_map && c->c_map && strcmp(n->s, "get") == 0 && kc_is_prim(t.ret)) {
        /* Map<K, V>.get with a primitive V throws IndexError for a missing key
        ** (LANGUAGE.md §7) instead of returning null: it calls getValue. */
        KcName *gv = kc_name_cstr(c, "getValue");
        for (int i = 0; i < c->c_map->methods.n; i++) {
            KcFunc *g = c->c_map->methods.items[i];
            if (g->name == gv && g->nparams == 1) { f = g; break; }
        }
    }
    if (f->access & KACC_STATIC) {
        if (!implicit) {
            kc_error(c, e->pos, "`%s` is a static method: call it as `%s.%s(...)`", n->s, f->cls->name->s, n->s);
            return c->t_error;
        }
        e->u.call.how = CK_STATIC;
        return finish_call(ch, e, f, &t);
    }
    if (implicit) {
        KcLocal *th = this_local(ch);
        if (!th) {
            kc_error(c, e->pos, "instance method `%s` cannot be called from a static function", n->s);
            return c->t_error;
        }
        e->u.call.this_local = th;
    }
    e->u.call.recv = recv;
    e->u.call.recv_type = recv_t;
    if (is_super) {
        if (f->access & KACC_ABSTRACT) {
            kc_error(c, e->pos, "`super.%s` is abstract", n->s);
            return c->t_error;
        }
        e->u.call.how = CK_SPECIAL;
        e->u.call.cls = f->cls;
    } else {
        set_instance_call(ch, e, f, recv_t);
    }
    return finish_call(ch, e, f, &t);
}

static KcType *check_call(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    KcExpr *callee = e->u.call.callee;
    if (callee->kind == E_ERROR) {
        check_args(ch, e);
        return c->t_error;
    }
    if (callee->kind == E_SUPER) return super_init(ch, e);
    if (callee->kind == E_NAME) {
        KcName *n = callee->u.name.name;
        /* int(x), float(x) */
        if ((n == c->n_int || n == c->n_float) && !lookup_local(ch, n)) {
            check_args(ch, e);
            if (e->u.call.nargs != 1) {
                kc_error(c, e->pos, "`%s(...)` takes one argument", n->s);
                return c->t_error;
            }
            KcType *at = e->u.call.args[0]->ty;
            KcType *rt = n == c->n_int ? c->t_int : c->t_float;
            if (!is_err(at) && at->kind != KT_INT && at->kind != KT_FLOAT) {
                kc_error(c, e->u.call.args[0]->pos, "`%s(...)` converts an int or a float, not %s", n->s, at->name);
                return rt;
            }
            e->u.call.how = CK_CONVERT;
            return rt;
        }
        KcLocal *l = lookup_local(ch, n);
        if (l && l->type->kind == KT_FUNC) {
            callee->u.name.what = NR_LOCAL;
            callee->u.name.local = l;
            callee->ty = l->type;
            e->u.call.recv = callee;
            return call_closure(ch, e, l->type);
        }
        if (ch->cls) {
            KcType *r = method_call(ch, e, ch->cls->type, NULL, n, callee->u.name.targs, callee->u.name.ntargs,
                                    want, 0, 1);
            if (r) return r;
        }
        KcVec cands = {0};
        find_funcs(ch, n, &cands);
        if (cands.n) {
            check_args(ch, e);
            Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
            for (int i = 0; i < cands.n; i++) arr[i] = *(Cand *)cands.items[i];
            Try t;
            int idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s`", n->s), arr, cands.n, e->u.call.args,
                                       e->u.call.nargs, callee->u.name.targs, callee->u.name.ntargs, NULL, 0,
                                       want, &t);
            if (idx < 0) return c->t_error;
            e->u.call.how = CK_STATIC;
            return finish_call(ch, e, arr[idx].f, &t);
        }
        if (!l) {
            KcCls *k = kc_find_class(c, ch->mod, n, 0);
            if (k) return construct(ch, e, k, callee->u.name.targs, callee->u.name.ntargs, want);
        }
        /* a function-typed field, global or a local that is not a function */
        if (!l && !(ch->cls && kc_find_field(c, ch->cls, n)) && !find_global(ch, n)) {
            check_args(ch, e);
            kc_error(c, e->pos, "undefined function `%s`", n->s);
            return c->t_error;
        }
        KcType *ft = check_expr(ch, callee, NULL);
        if (is_err(ft)) {
            check_args(ch, e);
            return ft;
        }
        if (ft->kind != KT_FUNC) {
            check_args(ch, e);
            if (l) kc_error(c, e->pos, "`%s` is %s, not a function", n->s, ft->name);
            else kc_error(c, e->pos, "undefined function `%s`", n->s);
            return c->t_error;
        }
        e->u.call.recv = callee;
        return call_closure(ch, e, ft);
    }
    if (callee->kind == E_MEMBER && callee->u.member.name) {
        KcName *n = callee->u.member.name;
        KcExpr *obj = callee->u.member.obj;
        if (obj->kind == E_SUPER) {
            KcLocal *th = this_local(ch);
            if (!ch->cls || !ch->cls->super_type || !th) {
                check_args(ch, e);
                kc_error(c, obj->pos, "`super` is only available in methods of a class with a superclass");
                return c->t_error;
            }
            obj->ty = ch->cls->super_type;
            obj->u.name.local = th;
            KcType *r = method_call(ch, e, ch->cls->super_type, obj, n, callee->u.member.targs,
                                    callee->u.member.ntargs, want, 1, 0);
            if (r) return r;
            check_args(ch, e);
            kc_error(c, callee->pos, "superclass `%s` has no method `%s`", ch->cls->super_type->name, n->s);
            return c->t_error;
        }
        KcModule *m = NULL;
        KcCls *k = NULL;
        int q = qualifier_kind(ch, obj, &m, &k);
        if (q == NR_MODULE) {
            KcVec cands = {0};
            funcs_of_module(ch, m, n, &cands);
            if (cands.n) {
                check_args(ch, e);
                Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
                for (int i = 0; i < cands.n; i++) arr[i] = *(Cand *)cands.items[i];
                Try t;
                int idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s.%s`", m->name->s, n->s), arr, cands.n,
                                           e->u.call.args, e->u.call.nargs, callee->u.member.targs,
                                           callee->u.member.ntargs, NULL, 0, want, &t);
                if (idx < 0) return c->t_error;
                e->u.call.how = CK_STATIC;
                return finish_call(ch, e, arr[idx].f, &t);
            }
            for (KcCls *x = n->classes; x; x = x->next_same_name)
                if (x->module == m && kc_visible_class(ch->mod, x))
                    return construct(ch, e, x, callee->u.member.targs, callee->u.member.ntargs, want);
            KcType *ft = check_expr(ch, callee, NULL);
            if (is_err(ft)) { check_args(ch, e); return ft; }
            e->u.call.recv = callee;
            return call_closure(ch, e, ft);
        }
        if (q == NR_CLASS) {
            KcVec cands = {0};
            gather_methods(ch, k->type, n, &cands, 0);
            int nstatic = 0;
            for (int i = 0; i < cands.n; i++)
                if (((Cand *)cands.items[i])->f->access & KACC_STATIC) cands.items[nstatic++] = cands.items[i];
            if (cands.n && !nstatic) {
                check_args(ch, e);
                kc_error(c, e->pos, "method `%s` is not static: it needs an instance of `%s`", n->s, k->name->s);
                return c->t_error;
            }
            cands.n = nstatic;
            if (cands.n) {
                check_args(ch, e);
                Cand *arr = kc_alloc(c, sizeof(Cand) * (size_t)(cands.n + 1));
                for (int i = 0; i < cands.n; i++) { arr[i] = *(Cand *)cands.items[i]; arr[i].recv = (KcSubst){0, 0, 0}; }
                Try t;
                int idx = resolve_overload(ch, e->pos, kc_sprintf(c, "`%s.%s`", k->name->s, n->s), arr, cands.n,
                                           e->u.call.args, e->u.call.nargs, callee->u.member.targs,
                                           callee->u.member.ntargs, NULL, 0, want, &t);
                if (idx < 0) return c->t_error;
                if (!method_visible(ch, arr[idx].f)) {
                    kc_error(c, e->pos, "method `%s` is private in class `%s`", n->s, k->name->s);
                    return c->t_error;
                }
                e->u.call.how = CK_STATIC;
                return finish_call(ch, e, arr[idx].f, &t);
            }
            KcType *ft = check_expr(ch, callee, NULL);
            if (is_err(ft)) { check_args(ch, e); return ft; }
            e->u.call.recv = callee;
            return call_closure(ch, e, ft);
        }
        KcType *rt = check_value(ch, obj, NULL);
        if (is_err(rt)) {
            check_args(ch, e);
            return rt;
        }
        if (rt->kind == KT_NULL) {
            check_args(ch, e);
            kc_error(c, obj->pos, "`null` has no methods");
            return c->t_error;
        }
        KcType *r = method_call(ch, e, rt, obj, n, callee->u.member.targs, callee->u.member.ntargs, want, 0, 0);
        if (r) return r;
        /* a function-typed field */
        KcCls *cls = class_of(c, rt);
        KcField *f = cls ? kc_find_field(c, cls, n) : NULL;
        if (f && !(f->access & KACC_STATIC) && field_visible(ch, f)) {
            callee->u.member.field = f;
            callee->u.member.what = NR_FIELD;
            callee->ty = field_access_type(ch, callee, f, rt);
            e->u.call.recv = callee;
            return call_closure(ch, e, callee->ty);
        }
        check_args(ch, e);
        if (rt->kind == KT_ARRAY && n == c->n_length)
            kc_error(c, callee->pos, "`length` of an array is a field: write `a.length` without `()`");
        else if (rt->kind == KT_STRING && n == c->n_length)
            kc_error(c, callee->pos, "`length` of a String is a field: write `s.length` without `()`");
        else
            kc_error(c, callee->pos, "%s has no method `%s`", rt->name, n->s);
        return c->t_error;
    }
    /* any other expression of function type */
    KcExpr *inner = callee->kind == E_PAREN ? callee->u.paren.e : callee;
    KcType *ft = check_value(ch, inner, NULL);
    callee->ty = ft;
    e->u.call.recv = inner;
    return call_closure(ch, e, ft);
}

/* ---- operators --------------------------------------------------------------------------- */

static const char *op_text(int op) { return kc_tok_text(op); }

/* May two values of these types be compared with == / != ? */
static int comparable(Kc *c, KcType *l, KcType *r) {
    if (l == r) return l->kind != KT_VOID;
    if (kc_is_prim(l) && kc_is_prim(r)) return 0;
    if (kc_is_prim(l) || kc_is_prim(r)) {
        KcType *p = kc_is_prim(l) ? l : r, *o = kc_is_prim(l) ? r : l;
        return o == c->t_object || o->kind == KT_TPARAM || kc_box_type(c, p) == o;
    }
    if (!kc_is_ref(l) || !kc_is_ref(r)) return 0;
    if (l->kind == KT_NULL || r->kind == KT_NULL) return 1;
    if (l->kind == KT_TPARAM || r->kind == KT_TPARAM) return 1;
    if (kc_assignable(c, l, r) || kc_assignable(c, r, l)) return 1;
    KcCls *a = class_of(c, l), *b = class_of(c, r);
    if (a && b && l->kind == KT_CLASS && r->kind == KT_CLASS && a == b) return 1;   /* Box<int> vs Box<String> */
    if (a && b && ((a->is_interface && !b->is_final) || (b->is_interface && !a->is_final))) return 1;
    return 0;
}

static KcType *check_binary(Checker *ch, KcExpr *e) {
    Kc *c = ch->c;
    int op = e->op;
    KcExpr *le = e->u.bin.l, *re = e->u.bin.r;
    KcType *l = check_value(ch, le, NULL);
    KcType *r = check_value(ch, re, NULL);
    if (op == TK_DOTDOT || op == TK_DOTDOTEQ) return c->t_error;   /* reported by the parser */
    if (op == TK_ANDAND || op == TK_OROR) {
        if ((!is_err(l) && l->kind != KT_BOOL) || (!is_err(r) && r->kind != KT_BOOL))
            kc_error(c, e->u.bin.op_pos, "operator `%s` cannot be applied to %s and %s", op_text(op), l->name,
                     r->name);
        return c->t_bool;
    }
    if (op == TK_PLUS && (l->kind == KT_STRING || r->kind == KT_STRING)) {
        if (l->kind == KT_VOID || r->kind == KT_VOID) return c->t_error;
        return c->t_string;
    }
    int is_cmp = op == TK_EQEQ || op == TK_NE || op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE;
    if (is_err(l) || is_err(r)) {
        if (is_cmp) return c->t_bool;
        KcType *o = is_err(l) ? r : l;
        return (o->kind == KT_INT || o->kind == KT_FLOAT) && op != TK_PLUS ? o : c->t_error;
    }
    /* An int literal beside a float converts. */
    if (l->kind == KT_FLOAT && r->kind == KT_INT && is_int_literal(re)) { to_float(c, re); r = c->t_float; }
    if (r->kind == KT_FLOAT && l->kind == KT_INT && is_int_literal(le)) { to_float(c, le); l = c->t_float; }
    if (op == TK_EQEQ || op == TK_NE) {
        if (comparable(c, l, r)) return c->t_bool;
        kc_error(c, e->u.bin.op_pos, "cannot compare %s with %s using `%s`", l->name, r->name, op_text(op));
        return c->t_bool;
    }
    if (is_cmp) {
        if ((l->kind == KT_INT && r->kind == KT_INT) || (l->kind == KT_FLOAT && r->kind == KT_FLOAT))
            return c->t_bool;
        kc_error(c, e->u.bin.op_pos, "operator `%s` cannot be applied to %s and %s", op_text(op), l->name,
                 r->name);
        return c->t_bool;
    }
    switch (op) {
    case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT:
        if (l->kind == KT_INT && r->kind == KT_INT) return c->t_int;
        if (l->kind == KT_FLOAT && r->kind == KT_FLOAT) return c->t_float;
        break;
    default:
        if (l->kind == KT_INT && r->kind == KT_INT) return c->t_int;
        break;
    }
    kc_error(c, e->u.bin.op_pos, "operator `%s` cannot be applied to %s and %s", op_text(op), l->name, r->name);
    return c->t_error;
}

/* The least common supertype of two types, or NULL. */
static KcType *common_type(Kc *c, KcType *a, KcType *b) {
    if (a == b) return a;
    if (is_err(a)) return b;
    if (is_err(b)) return a;
    if (a->kind == KT_NULL && kc_is_ref(b)) return b;
    if (b->kind == KT_NULL && kc_is_ref(a)) return a;
    if (kc_is_ref(a) && kc_is_ref(b)) {
        if (kc_assignable(c, a, b)) return b;
        if (kc_assignable(c, b, a)) return a;
        /* walk a's superclasses for one b fits */
        KcCls *k = class_of(c, a);
        for (int d = 0; k && d < 100; d++) {
            KcType *s = kc_super_as(c, a, k);
            if (s && kc_assignable(c, b, s)) return s;
            k = k->super_type ? k->super_type->cls : NULL;
        }
        return c->t_object;
    }
    return NULL;
}

static KcType *check_lambda(Checker *ch, KcExpr *e, KcType *want);

static KcType *check_expr_inner(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    switch (e->kind) {
    case E_ERROR: return c->t_error;
    case E_INT:
        if (want && want->kind == KT_FLOAT) {
            to_float(c, e);
            return c->t_float;
        }
        return c->t_int;
    case E_FLOAT: return c->t_float;
    case E_BOOL: return c->t_bool;
    case E_STRING: return c->t_string;
    case E_INTERP:
        for (int i = 0; i < e->u.interp.n; i++) {
            KcExpr *x = e->u.interp.parts[i];
            if (x->kind == E_STRING && (i % 2) == 0) { x->ty = c->t_string; continue; }
            check_value(ch, x, NULL);
        }
        return c->t_string;
    case E_NULL: return c->t_null;
    case E_THIS: {
        KcLocal *th = this_local(ch);
        if (!th) {
            kc_error(c, e->pos, "`this` is only available in methods and `init`");
            return c->t_error;
        }
        e->u.name.local = th;
        return th->type;
    }
    case E_SUPER:
        kc_error(c, e->pos, "`super` must be followed by `(...)` or `.method(...)`");
        return c->t_error;
    case E_NAME:
        return check_name(ch, e, want);
    case E_PAREN:
        return check_expr(ch, e->u.paren.e, want);
    case E_UNARY: {
        KcType *t = check_value(ch, e->u.unary.operand, e->op == TK_MINUS ? want : NULL);
        if (is_err(t)) return e->op == TK_BANG ? c->t_bool : c->t_error;
        if (e->op == TK_BANG) {
            if (t->kind == KT_BOOL) return c->t_bool;
        } else if (e->op == TK_MINUS) {
            if (t->kind == KT_INT || t->kind == KT_FLOAT) return t;
        } else if (t->kind == KT_INT) {
            return c->t_int;
        }
        kc_error(c, e->pos, "operator `%s` cannot be applied to %s", op_text(e->op), t->name);
        return c->t_error;
    }
    case E_BINARY:
        return check_binary(ch, e);
    case E_COND: {
        check_cond(ch, e->u.cond.cond);
        KcType *a = check_value(ch, e->u.cond.then, want);
        KcType *b = check_value(ch, e->u.cond.els, want);
        if (a->kind == KT_FLOAT && is_int_literal(e->u.cond.els)) { to_float(c, e->u.cond.els); b = a; }
        if (b->kind == KT_FLOAT && is_int_literal(e->u.cond.then)) { to_float(c, e->u.cond.then); a = b; }
        if (want && !is_err(want) && kc_assignable(c, a, want) && kc_assignable(c, b, want) && kc_is_ref(want))
            return want;
        KcType *t = common_type(c, a, b);
        if (t) return t;
        kc_error(c, e->u.cond.then->pos, "the branches of `?:` have different types: %s and %s", a->name,
                 b->name);
        return c->t_error;
    }
    case E_CALL:
        return check_call(ch, e, want);
    case E_MEMBER:
        return check_member(ch, e, want);
    case E_INDEX: {
        KcType *t = check_value(ch, e->u.index.obj, NULL);
        KcType *it = check_value(ch, e->u.index.index, c->t_int);
        if (!is_err(it) && it->kind != KT_INT)
            kc_error(c, e->u.index.index->pos, "an index must be int, found %s", it->name);
        if (is_err(t)) return t;
        if (t->kind == KT_STRING) return c->t_int;
        if (t->kind == KT_ARRAY) return t->elem->kind == KT_BYTE ? c->t_int : t->elem;
        kc_error(c, e->pos, "%s cannot be indexed", t->name);
        return c->t_error;
    }
    case E_IS: case E_AS: {
        KcType *t = check_value(ch, e->u.is_as.e, NULL);
        KcTScope sc = tscope(ch);
        KcType *to = kc_resolve_type(c, &sc, e->u.is_as.type, 1);
        if (to->kind == KT_CLASS && to->cls->ntparams && to == to->cls->type && to->cls != ch->cls) {
            KcType **args = kc_alloc(c, sizeof(KcType *) * (size_t)to->cls->ntparams);
            for (int i = 0; i < to->cls->ntparams; i++) args[i] = c->t_object;
            to = kc_class_type(c, to->cls, args, to->cls->ntparams);
        }
        e->cast_ty = to;
        if (is_err(t) || is_err(to)) return e->kind == E_IS ? c->t_bool : to;
        if (e->kind == E_IS) {
            if (e->u.is_as.type->kind == TX_NAME && e->u.is_as.type->nargs > 0) {
                kc_error(c, e->u.is_as.type->pos, "`is` tests an erased type: write `is %s` without type arguments",
                         to->cls ? to->cls->name->s : to->name);
                return c->t_bool;
            }
            if (!kc_is_ref(t)) {
                kc_error(c, e->pos, "`is` needs a reference, found %s", t->name);
                return c->t_bool;
            }
            if (to->kind == KT_TPARAM) {
                kc_error(c, e->u.is_as.type->pos, "`is` cannot test a type parameter (types are erased)");
                return c->t_bool;
            }
            if (kc_is_prim(to)) {
                kc_error(c, e->u.is_as.type->pos, "`is %s` is always false: test `is %s` instead", to->name,
                         kc_box_type(c, to)->name);
                return c->t_bool;
            }
            return c->t_bool;
        }
        if (kc_is_prim(to)) {
            if (t == to) return to;
            if (t->kind == KT_NULL || t == c->t_object || t->kind == KT_TPARAM || t == kc_box_type(c, to))
                return to;
            kc_error(c, e->pos, "cannot convert %s to %s with `as`%s", t->name, to->name,
                     kc_is_prim(t) ? " (use int(...) or float(...))" : "");
            return to;
        }
        if (kc_is_prim(t)) {
            if (kc_assignable(c, t, to)) return to;         /* boxing */
            kc_error(c, e->pos, "cannot cast %s to %s", t->name, to->name);
            return to;
        }
        if (!comparable(c, t, to) && !(to->kind == KT_CLASS && t->kind == KT_CLASS && to->cls == t->cls)) {
            kc_error(c, e->pos, "cannot cast %s to %s: the types are unrelated", t->name, to->name);
            return to;
        }
        return to;
    }
    case E_ARRAY_LIT: {
        KcType *el = want && want->kind == KT_ARRAY ? want->elem : NULL;
        KcType *found = NULL;
        for (int i = 0; i < e->u.array.n; i++) {
            KcExpr *x = e->u.array.items[i];
            KcType *t = check_value(ch, x, el && el->kind != KT_BYTE ? el : NULL);
            if (el) {
                coerce(ch, x, el);
                continue;
            }
            if (is_err(t)) { found = c->t_error; continue; }
            if (!found) { found = t; continue; }
            if (is_err(found)) continue;
            if (found->kind == KT_FLOAT && is_int_literal(x)) { to_float(c, x); continue; }
            KcType *ct = common_type(c, found, t);
            if (!ct) {
                kc_error(c, x->pos, "array elements have different types: %s and %s", found->name, t->name);
                found = c->t_error;
            } else {
                found = ct;
            }
        }
        if (el) return want;
        if (!found) {
            kc_error(c, e->pos, "cannot infer the type of an empty array literal: declare the variable's type");
            return c->t_error;
        }
        if (is_err(found)) return found;
        if (found->kind == KT_NULL) {
            kc_error(c, e->pos, "cannot infer the element type of an array of `null`s");
            return c->t_error;
        }
        if (found->kind == KT_VOID) return c->t_error;
        return kc_array_type(c, found);
    }
    case E_NEW_ARRAY: {
        KcTypeExpr *tx = e->u.new_array.elem;
        KcType *el;
        if (tx->kind == TX_NAME && tx->nparts == 1 && tx->parts[0] == c->n_byte) {
            el = c->t_byte;
        } else {
            KcTScope sc = tscope(ch);
            el = kc_resolve_type(c, &sc, tx, 0);
        }
        for (int i = 0; i < e->u.new_array.ndims; i++) {
            KcType *dt = check_value(ch, e->u.new_array.dims[i], c->t_int);
            if (!is_err(dt) && dt->kind != KT_INT)
                kc_error(c, e->u.new_array.dims[i]->pos, "an array size must be int, found %s", dt->name);
        }
        if (is_err(el)) return el;
        if (el->kind == KT_TPARAM) {
            kc_error(c, tx->pos, "cannot create an array of type parameter `%s` (types are erased)", el->name);
            return c->t_error;
        }
        KcType *t = el;
        for (int i = 0; i < e->u.new_array.ndims + e->u.new_array.extra_dims; i++) t = kc_array_type(c, t);
        if (e->u.new_array.ndims > 255) {
            kc_error(c, e->pos, "too many array dimensions");
            return c->t_error;
        }
        return t;
    }
    case E_LAMBDA:
        return check_lambda(ch, e, want);
    }
    return c->t_error;
}

static KcType *check_expr(Checker *ch, KcExpr *e, KcType *want) {
    e->ty = check_expr_inner(ch, e, want);
    if (!e->ty) e->ty = ch->c->t_error;
    return e->ty;
}

/* A value: an expression whose type is not "nothing". */
static KcType *check_value(Checker *ch, KcExpr *e, KcType *want) {
    KcType *t = check_expr(ch, e, want);
    if (t->kind == KT_VOID) {
        const char *what = e->kind == E_CALL && e->u.call.fn ? e->u.call.fn->name->s : "this";
        kc_error(ch->c, e->pos, "`%s` returns nothing, so its result cannot be used as a value", what);
        e->ty = ch->c->t_error;
        return e->ty;
    }
    return t;
}

/* ---- closures -------------------------------------------------------------------------------- */

/* Registers a closure's synthetic method, named "f.<lambda>" (f the enclosing
** function), or "f.g" for a local function g; "$N" makes a taken name unique. */
static void register_synth_named(Checker *ch, KcFunc *f, const char *local_name) {
    Kc *c = ch->c;
    KcVec *list = ch->cls ? &ch->cls->lambdas : &ch->mod->lambdas;
    int *count = ch->cls ? &ch->cls->nlambdas : &ch->mod->nlambdas;
    const char *base = kc_sprintf(c, "%s.%s", fun_name(ch), local_name ? local_name : "<lambda>");
    int taken = 0;
    for (int i = 0; i < list->n && !taken; i++)
        taken = strcmp(((KcFunc *)list->items[i])->mname, base) == 0;
    (*count)++;
    f->mname = taken ? kc_sprintf(c, "%s$%d", base, *count) : base;
    kc_vec_push(c, list, f);
}

/* The function context of a closure body; sets up its parameters. */
static void enter_fn(Checker *ch, FnCtx *fx, KcDecl *d, KcFunc *f, int is_static, int is_init,
                     const char *prefix) {
    memset(fx, 0, sizeof *fx);
    fx->outer = ch->fx;
    fx->decl = d;
    fx->fn = f;
    fx->depth = ch->fx ? ch->fx->depth + 1 : 0;
    fx->is_static = is_static;
    fx->is_init = is_init;
    fx->lambda_prefix = prefix;
    ch->fx = fx;
}

static void check_params(Checker *ch, KcDecl *d, KcFunc *f) {
    Kc *c = ch->c;
    for (int i = 0; i < d->nparams; i++) {
        KcParam *pa = &d->params[i];
        KcType *t = f && i < f->nparams ? f->params[i] : c->t_error;
        int dup = 0;
        for (int j = 0; j < i && !dup; j++) dup = pa->name && d->params[j].name == pa->name;
        if (dup) {
            kc_error(c, pa->pos, "duplicate parameter `%s`", pa->name->s);
            pa->local = declare_local(ch, NULL, pa->pos, LK_PARAM, t);
        } else {
            pa->local = declare_local(ch, pa->name, pa->pos, LK_PARAM, t);
        }
    }
}

static KcType *check_lambda(Checker *ch, KcExpr *e, KcType *want) {
    Kc *c = ch->c;
    KcDecl *d = e->u.lambda.fn;
    (void)want;
    KcFunc *f = kc_alloc(c, sizeof *f);
    f->name = kc_name_cstr(c, "<lambda>");
    f->module = ch->mod;
    f->cls = ch->cls;
    f->owner = ch->cls ? ch->cls->qname : ch->mod->name->s;
    f->decl = d;
    f->pos = d->pos;
    f->synth = SYN_LAMBDA;
    f->access = KACC_STATIC | KACC_PRIVATE;
    d->fn = f;
    d->outer = ch->fx ? ch->fx->decl : NULL;
    KcTScope sc = tscope(ch);
    f->nparams = d->nparams;
    f->params = kc_alloc(c, sizeof(KcType *) * (size_t)(d->nparams + 1));
    int bad = 0;
    for (int i = 0; i < d->nparams; i++) {
        f->params[i] = d->params[i].type ? kc_resolve_type(c, &sc, d->params[i].type, 0) : c->t_error;
        bad |= is_err(f->params[i]);
    }
    KcType *declared_ret = d->ret ? kc_resolve_type(c, &sc, d->ret, 0) : NULL;
    if (declared_ret && is_err(declared_ret)) bad = 1;
    f->ret = declared_ret ? declared_ret : c->t_void;
    register_synth_named(ch, f, d->name ? d->name->s : NULL);
    FnCtx fx;
    enter_fn(ch, &fx, d, f, ch->fx ? ch->fx->is_static : 1, 0, d->name ? f->mname : NULL);
    scope_begin(ch);
    check_params(ch, d, f);
    if (d->expr_body) {
        KcType *want_ret = declared_ret ? declared_ret
                         : want && want->kind == KT_FUNC && want->ret->kind != KT_VOID ? want->ret : NULL;
        KcType *t = check_expr(ch, d->expr_body, want_ret);
        if (declared_ret) {
            if (declared_ret->kind == KT_VOID) { }
            else coerce(ch, d->expr_body, declared_ret);
        } else if (t->kind == KT_NULL) {
            f->ret = want && want->kind == KT_FUNC && kc_is_ref(want->ret) ? want->ret : c->t_error;
            if (is_err(f->ret))
                kc_error(c, d->expr_body->pos, "cannot infer the result type of a closure returning `null`");
        } else {
            f->ret = t;
        }
    } else if (d->body) {
        int flow = check_block(ch, d->body);
        if (flow == FLOW_CONTINUES && f->ret->kind != KT_VOID && !is_err(f->ret) && !d->syntax_error)
            kc_error(c, d->body->u.block.rbrace, "missing `return`: the %s must return %s on every path",
                     d->name ? "function" : "closure", f->ret->name);
    }
    scope_end(ch);
    ch->fx = fx.outer;
    if (bad || is_err(f->ret)) return c->t_error;
    return kc_func_type(c, f->params, f->nparams, f->ret);
}

/* ---- statements -------------------------------------------------------------------------------- */

static int check_stmt(Checker *ch, KcStmt *s);

/* A block in a new scope; reports the first statement after one that cannot
** complete. Returns the block's FLOW_*. */
static int check_block(Checker *ch, KcStmt *b) {
    scope_begin(ch);
    int flow = FLOW_CONTINUES, reported = 0;
    for (int i = 0; i < b->u.block.n; i++) {
        KcStmt *s = b->u.block.stmts[i];
        if (flow == FLOW_STOPS && !reported) {
            kc_error(ch->c, s->pos, "unreachable code");
            reported = 1;
        }
        if (ch->fx) ch->fx->init_first = ch->fx->is_init && i == 0 && ch->fx->decl && b == ch->fx->decl->body;
        int f = check_stmt(ch, s);
        if (ch->fx) ch->fx->init_first = 0;
        if (flow != FLOW_STOPS) flow = f;
    }
    scope_end(ch);
    return flow;
}

/* Checks an assignment target; returns its type, or NULL if it cannot be written. */
static KcType *check_target(Checker *ch, KcExpr *t) {
    Kc *c = ch->c;
    if (t->kind == E_ERROR) return NULL;
    if (t->kind == E_PAREN) return check_target(ch, t->u.paren.e);
    if (t->kind == E_NAME) {
        KcType *ty = check_expr(ch, t, NULL);
        if (is_err(ty)) return NULL;
        switch (t->u.name.what) {
        case NR_LOCAL: {
            KcLocal *l = t->u.name.local;
            switch (l->kind) {
            case LK_LET:
                kc_error(c, t->pos, "cannot assign to `%s`: it is declared with `let`", l->name->s);
                return NULL;
            case LK_PARAM:
                kc_error(c, t->pos, "cannot assign to parameter `%s`", l->name->s);
                return NULL;
            case LK_LOOP:
                kc_error(c, t->pos, "cannot assign to loop variable `%s`", l->name->s);
                return NULL;
            case LK_VAR:
                if (l->is_fun) {
                    kc_error(c, t->pos, "cannot assign to local function `%s`", l->name->s);
                    return NULL;
                }
                return ty;
            }
            return NULL;
        }
        case NR_FIELD: case NR_STATIC: {
            KcField *f = t->u.name.field;
            if (f->access & KACC_LET) {
                int ok = f->cls && !(f->access & KACC_STATIC) && ch->fx && ch->fx->is_init &&
                         ch->fx->decl && ch->cls == f->cls && !f->init;
                ok |= (f->access & KACC_STATIC) && ch->fx && ch->fx->fn == NULL && !f->init;
                if (!ok) {
                    kc_error(c, t->pos, "cannot assign to `%s`: it is declared with `let`%s", f->name->s,
                             f->cls && !(f->access & KACC_STATIC) && !f->init ? " (only `init` may set it)" : "");
                    return NULL;
                }
            }
            return ty;
        }
        case NR_CONST:
            kc_error(c, t->pos, "cannot assign to constant `%s`", t->u.name.name->s);
            return NULL;
        default:
            kc_error(c, t->pos, "cannot assign to `%s`", t->u.name.name->s);
            return NULL;
        }
    }
    if (t->kind == E_MEMBER) {
        KcType *ty = check_expr(ch, t, NULL);
        if (is_err(ty)) return NULL;
        int what = t->u.member.what;
        if (what == NR_FIELD || what == NR_STATIC) {
            KcField *f = t->u.member.field;
            if (f->access & KACC_LET) {
                int ok = what == NR_FIELD && t->u.member.obj->kind == E_THIS && ch->fx && ch->fx->is_init &&
                         ch->fx->decl && ch->cls == f->cls && !f->init;
                if (!ok) {
                    kc_error(c, t->pos, "cannot assign to `%s`: it is declared with `let`%s", f->name->s,
                             what == NR_FIELD && !f->init ? " (only `init` may set it, through `this`)" : "");
                    return NULL;
                }
            }
            return ty;
        }
        if (what == NR_ARRAY_LENGTH || what == NR_STRING_LENGTH) {
            kc_error(c, t->pos, "cannot assign to `length`");
            return NULL;
        }
        if (what == NR_CONST) {
            kc_error(c, t->pos, "cannot assign to a constant");
            return NULL;
        }
        kc_error(c, t->pos, "cannot assign to a method");
        return NULL;
    }
    if (t->kind == E_INDEX) {
        KcType *ty = check_expr(ch, t, NULL);
        if (is_err(ty)) return NULL;
        if (t->u.index.obj->ty->kind == KT_STRING) {
            kc_error(c, t->pos, "strings are immutable: their bytes cannot be assigned");
            return NULL;
        }
        return t->u.index.obj->ty->elem;        /* byte for byte[] */
    }
    kc_error(c, t->pos, "cannot assign to this expression");
    return NULL;
}

/* fun f(params): R { body } inside a body: the local f, declared before its body
** is checked (so the body may call f), holds the closure. A captured f lives in a
** cell like a `var`, which is how the closure reaches itself. */
static int check_local_fun(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    KcExpr *init = s->u.var.init;
    KcType *ft = c->t_error;
    if (init && init->kind == E_LAMBDA) {
        KcDecl *d = init->u.lambda.fn;
        KcTScope sc = tscope(ch);
        KcType **ps = kc_alloc(c, sizeof(KcType *) * (size_t)(d->nparams + 1));
        int bad = 0;
        for (int i = 0; i < d->nparams; i++) {
            ps[i] = d->params[i].type ? kc_resolve_type(c, &sc, d->params[i].type, 0) : c->t_error;
            bad |= is_err(ps[i]);
        }
        KcType *rt = d->ret ? kc_resolve_type(c, &sc, d->ret, 0) : c->t_void;
        if (!bad && !is_err(rt)) ft = kc_func_type(c, ps, d->nparams, rt);
    }
    KcLocal *l = declare_local(ch, s->u.var.name, s->u.var.name_pos, LK_VAR, ft);
    l->is_fun = 1;
    s->u.var.local = l;
    if (init) check_value(ch, init, is_err(ft) ? NULL : ft);
    return FLOW_CONTINUES;
}

static int check_var(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    if (s->u.var.keyword == TK_KW_FUN) return check_local_fun(ch, s);
    KcType *t = c->t_error;
    KcTScope sc = tscope(ch);
    KcType *declared = s->u.var.type ? kc_resolve_type(c, &sc, s->u.var.type, 0) : NULL;
    if (s->u.var.init) {
        KcType *it = check_value(ch, s->u.var.init, declared);
        if (declared) {
            coerce(ch, s->u.var.init, declared);
            t = declared;
        } else {
            t = it;
            if (it->kind == KT_NULL) {
                kc_error(c, s->u.var.init->pos, "cannot infer a type from `null`: declare the variable's type");
                t = c->t_error;
            }
        }
    } else {
        kc_error(c, s->u.var.name_pos, "variable `%s` needs an initial value (`= ...`)",
                 s->u.var.name ? s->u.var.name->s : "?");
        if (declared) t = declared;
    }
    KcLocal *l = declare_local(ch, s->u.var.name, s->u.var.name_pos,
                               s->u.var.keyword == TK_KW_VAR ? LK_VAR : LK_LET, t);
    if (s->u.var.keyword == TK_KW_CONST && s->u.var.init && !is_err(t)) {
        CVal v;
        memset(&v, 0, sizeof v);
        if (!const_eval(ch, s->u.var.init, &v, 0) || (v.t != t && !(t->kind == KT_FLOAT && v.t == c->t_int)))
            kc_error(c, s->u.var.init->pos, "a `const` needs a constant expression (literals and other constants)");
        else {
            l->is_const = 1;
            l->cexpr = s->u.var.init;
        }
    }
    s->u.var.local = l;
    return FLOW_CONTINUES;
}

static int check_for(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    KcType *st = check_value(ch, s->u.for_.start, NULL);
    KcType *elem = c->t_error;
    if (!s->u.for_.end) {
        if (st->kind == KT_ARRAY) {
            s->u.for_.how = FOR_ARRAY;
            elem = st->elem->kind == KT_BYTE ? c->t_int : st->elem;
        } else if (st->kind == KT_STRING) {
            kc_error(c, s->u.for_.start->pos, "strings are not iterable: index them (`for i in 0..s.length`)");
        } else if (!is_err(st)) {
            KcType *it = c->c_iterable ? kc_super_as(c, st, c->c_iterable) : NULL;
            if (it && it->nargs == 1) {
                s->u.for_.how = FOR_ITER;
                elem = it->args[0];
                if (elem->kind == KT_TPARAM && elem != it->args[0]) { }
                s->u.for_.decl_elem = c->c_iterator && c->c_iterator->ntparams ? c->c_iterator->tparams[0] : NULL;
            } else {
                kc_error(c, s->u.for_.start->pos, "cannot iterate over %s (it is not an array or an Iterable)",
                         st->name);
            }
        }
    } else {
        s->u.for_.how = FOR_RANGE;
        elem = c->t_int;
        KcType *et = check_value(ch, s->u.for_.end, NULL);
        if (!is_err(st) && st->kind != KT_INT)
            kc_error(c, s->u.for_.start->pos, "range bounds must be int, found %s", st->name);
        if (!is_err(et) && et->kind != KT_INT)
            kc_error(c, s->u.for_.end->pos, "range bounds must be int, found %s", et->name);
    }
    s->u.for_.elem = elem;
    scope_begin(ch);
    s->u.for_.local = declare_local(ch, s->u.for_.var, s->u.for_.var_pos, LK_LOOP, elem);
    kc_vec_push(c, &ch->fx->loops, s);
    int f = check_block(ch, s->u.for_.body);
    ch->fx->loops.n--;
    scope_end(ch);
    return f == FLOW_UNKNOWN ? FLOW_UNKNOWN : FLOW_CONTINUES;
}

static int check_try(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    int flow = check_block(ch, s->u.try_.body);
    int any_unknown = flow == FLOW_UNKNOWN;
    KcTScope sc = tscope(ch);
    for (int i = 0; i < s->u.try_.ncatches; i++) {
        KcCatch *k = &s->u.try_.catches[i];
        KcType *t = k->type ? kc_resolve_type(c, &sc, k->type, 0) : c->t_error;
        if (!is_err(t)) {
            if (t->kind != KT_CLASS || !c->c_error || !kc_is_subclass(t->cls, c->c_error)) {
                kc_error(c, k->type->pos, "`catch` needs an Error class, found %s", t->name);
                t = c->t_error;
            } else {
                k->cls = t->cls;
                for (int j = 0; j < i; j++) {
                    KcCls *prev = s->u.try_.catches[j].cls;
                    if (prev && kc_is_subclass(t->cls, prev)) {
                        kc_error(c, k->pos, "unreachable `catch`: %s is already caught by the `catch` of %s at "
                                 "line %d", t->name, prev->name->s, s->u.try_.catches[j].pos.line);
                        break;
                    }
                }
            }
        }
        scope_begin(ch);
        k->local = declare_local(ch, k->name, k->pos, LK_LET, t);
        int f = check_block(ch, k->body);
        scope_end(ch);
        if (f == FLOW_UNKNOWN) any_unknown = 1;
        if (f == FLOW_CONTINUES) flow = FLOW_CONTINUES;
    }
    if (s->u.try_.finally_) {
        int f = check_block(ch, s->u.try_.finally_);
        if (f == FLOW_STOPS) return FLOW_STOPS;
        if (f == FLOW_UNKNOWN) any_unknown = 1;
    }
    if (any_unknown && flow != FLOW_CONTINUES) return FLOW_UNKNOWN;
    return flow;
}

static int check_stmt(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    switch (s->kind) {
    case S_ERROR:
        return FLOW_UNKNOWN;
    case S_BLOCK:
        return check_block(ch, s);
    case S_VAR:
        return check_var(ch, s);
    case S_ASSIGN: {
        KcType *tt = check_target(ch, s->u.assign.target);
        int op = s->u.assign.op;
        KcType *want = tt && op == TK_ASSIGN ? (tt->kind == KT_BYTE ? c->t_int : tt) : NULL;
        if (tt && op != TK_ASSIGN && tt->kind == KT_FLOAT) want = c->t_float;
        KcType *vt = check_value(ch, s->u.assign.value, want);
        if (!tt) return FLOW_CONTINUES;
        if (op == TK_ASSIGN) {
            coerce(ch, s->u.assign.value, tt);
        } else if (!is_err(tt) && !is_err(vt)) {
            KcType *lt = tt->kind == KT_BYTE ? c->t_int : tt;
            if (op == TK_PLUS_EQ && lt->kind == KT_STRING) {
                if (vt->kind == KT_VOID) kc_error(c, s->pos, "cannot append nothing");
            } else if (lt->kind == KT_INT && vt->kind == KT_INT) {
            } else if (lt->kind == KT_FLOAT && vt->kind == KT_FLOAT &&
                       (op == TK_PLUS_EQ || op == TK_MINUS_EQ || op == TK_STAR_EQ || op == TK_SLASH_EQ ||
                        op == TK_PERCENT_EQ)) {
            } else {
                kc_error(c, s->pos, "operator `%s` cannot be applied to %s and %s", kc_tok_text(op), lt->name,
                         vt->name);
            }
        }
        return FLOW_CONTINUES;
    }
    case S_INCDEC: {
        KcType *tt = check_target(ch, s->u.incdec.target);
        if (tt && !is_err(tt) && tt->kind != KT_INT && tt->kind != KT_BYTE)
            kc_error(c, s->pos, "`%s` needs an int variable, found %s", kc_tok_text(s->u.incdec.op), tt->name);
        return FLOW_CONTINUES;
    }
    case S_EXPR: {
        KcExpr *e = s->u.expr.e;
        check_expr(ch, e, NULL);
        if (e->kind != E_CALL && e->kind != E_ERROR && !is_err(e->ty))
            kc_error(c, e->pos, "this expression is not a statement (only calls, assignments and `++`/`--` are)");
        return FLOW_CONTINUES;
    }
    case S_IF: {
        int flow = FLOW_STOPS, has_else = 0;
        for (KcStmt *x = s; x; ) {
            check_cond(ch, x->u.if_.cond);
            int f = check_block(ch, x->u.if_.then);
            if (f != FLOW_STOPS) flow = flow == FLOW_UNKNOWN ? FLOW_UNKNOWN : f;
            KcStmt *els = x->u.if_.els;
            if (els && els->kind == S_IF) {
                x = els;
                continue;
            }
            if (els) {
                has_else = 1;
                f = check_block(ch, els);
                if (f != FLOW_STOPS) flow = flow == FLOW_UNKNOWN ? FLOW_UNKNOWN : f;
            }
            break;
        }
        return has_else ? flow : (flow == FLOW_UNKNOWN ? FLOW_UNKNOWN : FLOW_CONTINUES);
    }
    case S_WHILE: {
        check_cond(ch, s->u.while_.cond);
        kc_vec_push(c, &ch->fx->loops, s);
        int f = check_block(ch, s->u.while_.body);
        ch->fx->loops.n--;
        KcExpr *cond = s->u.while_.cond;
        if (cond->kind == E_BOOL && cond->u.bval && !s->u.while_.has_break) return FLOW_STOPS;
        return f == FLOW_UNKNOWN ? FLOW_UNKNOWN : FLOW_CONTINUES;
    }
    case S_FOR:
        return check_for(ch, s);
    case S_BREAK: case S_CONTINUE: {
        if (ch->fx->loops.n == 0) {
            kc_error(c, s->pos, "`%s` outside a loop", s->kind == S_BREAK ? "break" : "continue");
            return FLOW_STOPS;
        }
        KcStmt *loop = ch->fx->loops.items[ch->fx->loops.n - 1];
        s->u.jump.loop = loop;
        if (s->kind == S_BREAK) {
            if (loop->kind == S_WHILE) loop->u.while_.has_break = 1;
            else loop->u.for_.has_break = 1;
        }
        return FLOW_STOPS;
    }
    case S_RETURN: {
        KcFunc *fn = ch->fx->fn;
        KcType *want = fn ? fn->ret : c->t_error;
        const char *fname = !fn ? "?"
                          : fn->synth != SYN_LAMBDA ? fn->name->s
                          : fn->decl && fn->decl->name ? fn->decl->name->s : "<closure>";
        if (!fn) {
            kc_error(c, s->pos, "`return` outside a function");
            return FLOW_STOPS;
        }
        if (s->u.ret.value) {
            KcType *t = check_expr(ch, s->u.ret.value, want->kind == KT_VOID ? NULL : want);
            if (want->kind == KT_VOID) {
                kc_error(c, s->u.ret.value->pos, "function `%s` has no result, so `return` cannot have a value",
                         fname);
            } else if (t->kind == KT_VOID) {
                check_value(ch, s->u.ret.value, NULL);
            } else {
                coerce(ch, s->u.ret.value, want);
            }
        } else if (want->kind != KT_VOID && !is_err(want)) {
            kc_error(c, s->pos, "`return` needs a value of type %s in function `%s`", want->name, fname);
        }
        return FLOW_STOPS;
    }
    case S_THROW: {
        KcType *t = check_value(ch, s->u.ret.value, NULL);
        if (!is_err(t) && c->c_error && !kc_assignable(c, t, c->c_error->type))
            kc_error(c, s->u.ret.value->pos, "`throw` needs an Error, found %s", t->name);
        return FLOW_STOPS;
    }
    case S_TRY:
        return check_try(ch, s);
    }
    return FLOW_CONTINUES;
}

/* ---- functions, classes, modules ------------------------------------------------------------------ */

static void init_checker(Checker *ch, Kc *c, KcModule *m, KcCls *cls) {
    memset(ch, 0, sizeof *ch);
    ch->c = c;
    ch->mod = m;
    ch->cls = cls;
}

static void check_function(Kc *c, KcModule *m, KcCls *cls, KcDecl *d) {
    KcFunc *f = d->fn;
    if (!f) return;
    Checker ch;
    init_checker(&ch, c, m, cls);
    FnCtx fx;
    int is_static = !cls || (f->access & KACC_STATIC);
    enter_fn(&ch, &fx, d, f, is_static, f->is_ctor, f->is_ctor ? "init" : f->name->s);
    scope_begin(&ch);
    if (!is_static) {
        KcLocal *th = declare_local(&ch, c->n_this, d->pos, LK_PARAM, cls->type);
        th->slot = 0;
        d->this_local = th;
    }
    check_params(&ch, d, f);
    if (!d->body) return;
    int flow = check_block(&ch, d->body);
    if (flow == FLOW_CONTINUES && f->ret->kind != KT_VOID && !is_err(f->ret) && !d->syntax_error)
        kc_error(c, d->body->u.block.rbrace, "missing `return`: function `%s` must return %s on every path",
                 d->name->s, f->ret->name);
    /* super(...) later than the first statement is reported by super_init. */
}

/* Checks a field's or global's initializer once (types it if undeclared). */
static void check_field_init(Kc *c, KcField *f) {
    if (f->typing == 2) return;
    if (f->typing == 1) {
        kc_error(c, f->pos, "the type of `%s` depends on itself: declare it (`%s: Type`)", f->name->s, f->name->s);
        f->type = c->t_error;
        f->typed = 1;
        return;
    }
    f->typing = 1;
    if (!f->init) {
        f->typing = 2;
        if (!f->type) f->type = c->t_error;
        f->typed = 1;
        return;
    }
    Checker ch;
    init_checker(&ch, c, f->module, f->cls);
    FnCtx fx;
    int is_static = (f->access & KACC_STATIC) != 0;
    enter_fn(&ch, &fx, NULL, NULL, is_static, !is_static, is_static ? "<clinit>" : "init");
    KcDecl holder;
    memset(&holder, 0, sizeof holder);
    fx.decl = NULL;
    scope_begin(&ch);
    if (!is_static) {
        KcLocal *th = declare_local(&ch, c->n_this, f->pos, LK_PARAM, f->cls->type);
        th->slot = 0;
    }
    KcType *t = check_value(&ch, f->init, f->typed ? f->type : NULL);
    if (f->typed) {
        coerce(&ch, f->init, f->type);
    } else {
        if (t->kind == KT_NULL) {
            kc_error(c, f->init->pos, "cannot infer a type from `null`: declare the type of `%s`", f->name->s);
            t = c->t_error;
        }
        f->type = t;
        f->typed = 1;
    }
    if (f->is_const && !is_err(f->type)) {
        CVal v;
        memset(&v, 0, sizeof v);
        if (!const_eval(&ch, f->init, &v, 0) || (v.t != f->type && !(f->type->kind == KT_FLOAT && v.t == c->t_int)))
            kc_error(c, f->init->pos, "a `const` needs a constant expression (literals and other constants)");
        else {
            if (f->type->kind == KT_FLOAT && v.t == c->t_int) { v.t = c->t_float; v.f = (double)v.i; }
            f->cval_type = v.t;
            f->ival = v.i;
            f->fval = v.f;
            f->sval = v.s;
            f->slen = v.slen;
        }
    }
    f->typing = 2;
}

void kc_infer_field(Kc *c, KcField *f) { check_field_init(c, f); }

/* An init without `super(...)` calls the superclass's init without arguments. */
static void check_implicit_super(Kc *c, KcCls *k, KcPos pos) {
    if (!k->super_type || !k->super_type->cls) return;
    KcCls *s = k->super_type->cls;
    for (int i = 0; i < s->methods.n; i++) {
        KcFunc *f = s->methods.items[i];
        if (f->is_ctor && f->nparams == 0) {
            if ((f->access & KACC_PRIVATE) && s != k)
                kc_error(c, pos, "`init` of class `%s` is private", s->name->s);
            return;
        }
    }
    kc_error(c, pos, "class `%s` has no `init()` without arguments: call `super(...)` first in `init`",
             s->name->s);
}

static int starts_with_super(KcDecl *d) {
    if (!d->body || d->body->u.block.n == 0) return 0;
    KcStmt *s = d->body->u.block.stmts[0];
    return s->kind == S_EXPR && s->u.expr.e->kind == E_CALL && s->u.expr.e->u.call.callee->kind == E_SUPER;
}

static void check_class(Kc *c, KcCls *k) {
    if (!k->is_interface)
        for (int i = 0; i < k->methods.n; i++) {
            KcFunc *f = k->methods.items[i];
            if (!f->is_ctor) continue;
            if (f->synth == SYN_DEFAULT_INIT) check_implicit_super(c, k, k->pos);
            else if (f->decl && !starts_with_super(f->decl)) check_implicit_super(c, k, f->decl->pos);
        }
    for (int i = 0; i < k->fields.n; i++) check_field_init(c, k->fields.items[i]);
    KcDecl *d = k->decl;
    for (int i = 0; i < d->nmembers; i++) {
        KcDecl *md = d->members[i];
        if (md->kind == D_FUN && md->fn && md->body) check_function(c, k->module, k, md);
    }
}

void kc_check(Kc *c) {
    for (KcModule *m = c->modules; m; m = m->next) {
        for (int i = 0; i < m->globals.n; i++) check_field_init(c, m->globals.items[i]);
        KcFile *f = m->src->ast;
        for (int k = 0; k < f->ndecls; k++) {
            KcDecl *d = f->decls[k];
            if (d->kind == D_FUN && d->name && d->fn && d->body) check_function(c, m, NULL, d);
        }
        for (int i = 0; i < m->classes.n; i++) check_class(c, m->classes.items[i]);
    }
}
