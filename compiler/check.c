/*
** compiler/check.c — names and types (LANGUAGE.md §2–§4, §7).
**
** kc_declare runs first over every source: it names the modules and enters every
** function's signature, so bodies may call functions declared later or in other
** sources. kc_check then walks each body: it resolves names to locals and calls to
** functions (choosing among overloads), gives every expression its type, and
** checks control flow (break/continue inside loops, no code after a jump, every
** path of a function with a result ends in `return`).
**
** A mistake is reported once: the offending expression gets KT_ERROR, which every
** later check accepts silently.
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "ast.h"
#include "lexer.h"

/* What a statement's end looks like to the statement after it. */
enum { FLOW_STOPS = 0, FLOW_CONTINUES = 1, FLOW_UNKNOWN = 2 /* after a reported error */ };

typedef struct {
    Kc       *c;
    KcModule *mod;
    KcDecl   *decl;
    KcFunc   *fn;
    KcLocal **locals;           /* the scope stack's locals, innermost last */
    int       nlocals, locals_cap;
    int      *scopes;           /* nlocals at each open scope's start */
    int       nscopes, scopes_cap;
    KcVec     loops;            /* enclosing loops (KcStmt*), innermost last */
} Checker;

/* ---- types ----------------------------------------------------------------------- */

static int is_err(KcType *t) { return t->kind == KT_ERROR; }

/* Names of std.core classes that the language has but this compiler does not yet. */
static int is_known_unsupported_type(const char *s) {
    static const char *const names[] = {
        "Object", "StringBuilder", "Error", "NullError", "IndexError", "ArithmeticError",
        "CastError", "FormatError", "IOError", "LinkError", "StackOverflowError",
        "OutOfMemoryError", "AssertionError", "InterruptedError", "Int", "Float", "Bool",
        "List", "Map", "Set", "Iterable", "Iterator", "Comparable"
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) return 1;
    return 0;
}

/* The type a type expression names, or t_error after reporting why not. */
static KcType *resolve_type(Kc *c, KcTypeExpr *tx) {
    if (!tx) return c->t_error;
    switch (tx->kind) {
    case TX_NAME: {
        if (tx->nparts == 0) return c->t_error;             /* reported by the parser */
        if (tx->nparts > 1) {
            kc_error(c, tx->pos, "qualified type names are not supported yet");
            return c->t_error;
        }
        KcName *n = tx->parts[0];
        KcType *t = NULL;
        if (n == c->n_int) t = c->t_int;
        else if (n == c->n_bool) t = c->t_bool;
        else if (n == c->n_string) t = c->t_string;
        else if (n == c->n_float) {
            kc_error(c, tx->pos, "float is not supported yet");
            return c->t_error;
        } else if (n == c->n_byte) {
            kc_error(c, tx->pos, "`byte` is only allowed as an array element type (`byte[]`)");
            return c->t_error;
        } else if (is_known_unsupported_type(n->s)) {
            kc_error(c, tx->pos, "`%s` is not supported yet", n->s);
            return c->t_error;
        } else if (strcmp(n->s, "void") == 0 || strcmp(n->s, "Unit") == 0) {
            kc_error(c, tx->pos, "unknown type `%s` (a function without a result has no `: type`)",
                     n->s);
            return c->t_error;
        } else {
            kc_error(c, tx->pos, "unknown type `%s`", n->s);
            return c->t_error;
        }
        if (tx->nargs > 0) {
            kc_error(c, tx->pos, "type `%s` takes no type arguments", t->name);
            return c->t_error;
        }
        return t;
    }
    case TX_ARRAY: {
        KcType *e = resolve_type(c, tx->elem);
        if (!is_err(e)) kc_error(c, tx->pos, "arrays are not supported yet");
        return c->t_error;
    }
    case TX_FUNC:
        kc_error(c, tx->pos, "function types are not supported yet");
        return c->t_error;
    }
    return c->t_error;
}

/* `main(args: String[])` is the one place an array type is accepted for now. */
static int is_main_args(Kc *c, KcDecl *d) {
    if (d->name != c->n_main || d->nparams != 1) return 0;
    KcTypeExpr *t = d->params[0].type;
    return t && t->kind == TX_ARRAY && t->elem->kind == TX_NAME && t->elem->nparts == 1 &&
           t->elem->parts[0] == c->n_string && t->elem->nargs == 0;
}

static const char *type_list(Kc *c, KcType **ts, int n) {
    KcBuf b = {0};
    kc_buf_u8(c, &b, '(');
    for (int i = 0; i < n; i++) {
        if (i) kc_buf_str(c, &b, ", ");
        kc_buf_str(c, &b, ts[i]->name);
    }
    kc_buf_u8(c, &b, ')');
    kc_buf_u8(c, &b, 0);
    return (const char *)b.p;
}

/* ---- declarations ---------------------------------------------------------------- */

static KcName *default_module_name(Kc *c, KcSrc *s) {
    size_t n = strlen(s->basename);
    if (n > 3 && memcmp(s->basename + n - 3, ".kl", 3) == 0) n -= 3;
    return kc_name(c, s->basename, n);
}

static void declare_fun(Kc *c, KcModule *m, KcDecl *d) {
    static const char *const mod_names[5] = { "private", "native", "static", "abstract", "override" };
    for (int k = 1; k < 5; k++) {
        if (!(d->mods & (1 << k))) continue;
        if (k == 1)
            kc_error(c, d->mod_pos[k], "`native` is not supported yet");
        else
            kc_error(c, d->mod_pos[k], "`%s` is only allowed on members of a class", mod_names[k]);
    }
    if (d->ntparams > 0) kc_error(c, d->name_pos, "generic functions are not supported yet");
    if (!d->name) return;                               /* reported by the parser */

    KcFunc *f = kc_alloc(c, sizeof *f);
    f->name = d->name;
    f->module = m;
    f->owner = m->name->s;
    f->decl = d;
    f->pos = d->name_pos;
    f->access = KACC_STATIC | ((d->mods & MOD_PRIVATE) ? KACC_PRIVATE : 0);
    f->nparams = d->nparams;
    f->params = kc_alloc(c, sizeof(KcType *) * (size_t)(d->nparams ? d->nparams : 1));
    int main_args = is_main_args(c, d);
    KcBuf desc = {0};
    kc_buf_u8(c, &desc, '(');
    for (int i = 0; i < d->nparams; i++) {
        KcType *t = main_args ? kc_array_type(c, c->t_string)
                  : d->ntparams > 0 ? c->t_error : resolve_type(c, d->params[i].type);
        f->params[i] = t;
        kc_buf_str(c, &desc, t->desc);
    }
    f->ret = !d->ret ? c->t_void : d->ntparams > 0 ? c->t_error : resolve_type(c, d->ret);
    kc_buf_u8(c, &desc, ')');
    kc_buf_str(c, &desc, f->ret->desc);
    kc_buf_u8(c, &desc, 0);
    f->desc = (const char *)desc.p;
    d->fn = f;

    /* The same name and parameter types twice in one module. */
    for (KcFunc *g = d->name->funcs; g; g = g->next_same_name) {
        if (g->module != m || g->nparams != f->nparams) continue;
        int same = 1;
        for (int i = 0; i < f->nparams && same; i++)
            if (g->params[i] != f->params[i] || is_err(f->params[i])) same = 0;
        if (same) {
            kc_error(c, d->name_pos, "function `%s%s` is already declared (at line %d)", d->name->s,
                     type_list(c, f->params, f->nparams), g->pos.line);
            return;
        }
    }
    f->next_same_name = d->name->funcs;
    d->name->funcs = f;
    kc_vec_push(c, &m->funcs, f);
}

void kc_declare(Kc *c) {
    KcModule *last = NULL;
    for (int i = 0; i < c->nsrcs; i++) {
        KcSrc *s = &c->srcs[i];
        KcFile *f = s->ast;
        KcName *name = f->module_name ? f->module_name : default_module_name(c, s);
        KcModule *m = kc_alloc(c, sizeof *m);
        m->name = name;
        m->src = s;
        s->module = m;
        for (KcModule *o = c->modules; o; o = o->next) {
            if (o->name == name) {
                KcPos pos = f->module_name ? f->module_pos : (KcPos){ s->index, 1, 1, 0 };
                kc_error(c, pos, "module `%s` is already defined by %s", name->s, o->src->path);
                break;
            }
        }
        if (last) last->next = m; else c->modules = m;
        last = m;
        for (int k = 0; k < f->ndecls; k++) {
            KcDecl *d = f->decls[k];
            switch (d->kind) {
            case D_FUN: declare_fun(c, m, d); break;
            case D_IMPORT: kc_error(c, d->pos, "`import` is not supported yet"); break;
            case D_CONST: kc_error(c, d->pos, "`const` is not supported yet"); break;
            case D_VAR: kc_error(c, d->pos, "global variables are not supported yet"); break;
            case D_CLASS: case D_INTERFACE: break;    /* reported by the parser */
            }
        }
    }
}

/* ---- scopes ----------------------------------------------------------------------- */

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

static KcLocal *lookup_local(Checker *ch, KcName *name) {
    for (int i = ch->nlocals - 1; i >= 0; i--)
        if (ch->locals[i]->name == name) return ch->locals[i];
    return NULL;
}

/* Declares a local in the innermost scope. Shadowing a local of an outer scope is
** allowed (as in Kotlin); the same name twice in one scope is an error. */
static KcLocal *declare_local(Checker *ch, KcName *name, KcPos pos, KcLocalKind kind, KcType *t) {
    KcLocal *l = kc_alloc(ch->c, sizeof *l);
    l->name = name;
    l->pos = pos;
    l->kind = kind;
    l->type = t;
    l->slot = -1;
    if (!name) return l;
    int start = ch->nscopes ? ch->scopes[ch->nscopes - 1] : 0;
    for (int i = start; i < ch->nlocals; i++) {
        if (ch->locals[i]->name == name) {
            kc_error(ch->c, pos, "`%s` is already declared in this scope (at line %d)", name->s,
                     ch->locals[i]->pos.line);
            return l;
        }
    }
    if (ch->nlocals == ch->locals_cap) {
        int ncap = ch->locals_cap ? ch->locals_cap * 2 : 32;
        KcLocal **nl = kc_alloc(ch->c, sizeof(KcLocal *) * (size_t)ncap);
        if (ch->nlocals) memcpy(nl, ch->locals, sizeof(KcLocal *) * (size_t)ch->nlocals);
        ch->locals = nl;
        ch->locals_cap = ncap;
    }
    ch->locals[ch->nlocals++] = l;
    return l;
}

/* ---- expressions ------------------------------------------------------------------ */

static KcType *check_expr(Checker *ch, KcExpr *e);

/* A value: an expression whose type is not "nothing". */
static KcType *check_value(Checker *ch, KcExpr *e) {
    KcType *t = check_expr(ch, e);
    if (t->kind == KT_VOID) {
        const char *what = e->kind == E_CALL && e->u.call.fn ? e->u.call.fn->name->s : "this";
        kc_error(ch->c, e->pos, "`%s` returns nothing, so its result cannot be used as a value", what);
        e->ty = ch->c->t_error;
        return e->ty;
    }
    return t;
}

static void check_cond(Checker *ch, KcExpr *e) {
    KcType *t = check_value(ch, e);
    if (!is_err(t) && t->kind != KT_BOOL)
        kc_error(ch->c, e->pos, "condition must be bool, found %s", t->name);
}

/* Requires `found` where `want` is expected (error types match anything). */
static int expect_type(Checker *ch, KcPos pos, KcType *want, KcType *found) {
    if (is_err(want) || is_err(found) || want == found) return 1;
    kc_error(ch->c, pos, "type mismatch: expected %s, found %s", want->name, found->name);
    return 0;
}

static int visible(Checker *ch, KcFunc *f) {
    return f->module == ch->mod || !(f->access & KACC_PRIVATE);
}

/* Picks the function a call `name(args)` means: the module's own functions first,
** then those of the other modules compiled with it, then std.core's built-ins; among
** overloads, the one whose parameter types match the arguments exactly. */
static KcFunc *resolve_call(Checker *ch, KcExpr *call, KcName *name, KcType **argt, int nargs) {
    Kc *c = ch->c;
    KcVec cands = {0};
    for (KcFunc *f = name->funcs; f; f = f->next_same_name)
        if (f->module == ch->mod) kc_vec_push(c, &cands, f);
    if (cands.n == 0)
        for (KcFunc *f = name->funcs; f; f = f->next_same_name)
            if (visible(ch, f)) kc_vec_push(c, &cands, f);
    if (cands.n == 0)
        for (KcFunc *f = c->builtins; f; f = f->next_same_name)
            if (f->name == name) kc_vec_push(c, &cands, f);
    if (cands.n == 0) {
        if (name->funcs)
            kc_error(c, call->pos, "function `%s` is private to module `%s`", name->s,
                     name->funcs->module->name->s);
        else
            kc_error(c, call->pos, "undefined function `%s`", name->s);
        return NULL;
    }
    KcFunc *by_arity = NULL;
    int narity = 0;
    for (int k = 0; k < cands.n; k++) {
        KcFunc *f = cands.items[k];
        if (f->nparams != nargs) continue;
        narity++;
        by_arity = f;
        int ok = 1;
        for (int i = 0; i < nargs && ok; i++)
            if (!is_err(argt[i]) && !is_err(f->params[i]) && argt[i] != f->params[i]) ok = 0;
        if (ok) return f;
    }
    if (narity == 0) {
        /* The distinct parameter counts, ascending: "1", "0 or 1", "1, 2 or 3". */
        KcBuf b = {0};
        int printed = 0, total = 0;
        for (int n = 0; n <= 255; n++)
            for (int k = 0; k < cands.n; k++)
                if (((KcFunc *)cands.items[k])->nparams == n) { total++; break; }
        for (int n = 0; n <= 255 && printed < total; n++) {
            for (int k = 0; k < cands.n; k++) {
                if (((KcFunc *)cands.items[k])->nparams != n) continue;
                if (printed) kc_buf_str(c, &b, printed == total - 1 ? " or " : ", ");
                kc_buf_str(c, &b, kc_sprintf(c, "%d", n));
                printed++;
                break;
            }
        }
        kc_buf_u8(c, &b, 0);
        kc_error(c, call->pos, "wrong number of arguments to `%s`: expected %s, found %d", name->s,
                 total ? (const char *)b.p : "?", nargs);
        return NULL;
    }
    if (narity == 1) {
        for (int i = 0; i < nargs; i++)
            expect_type(ch, call->u.call.args[i]->pos, by_arity->params[i], argt[i]);
        return by_arity;
    }
    kc_error(c, call->pos, "no version of `%s` accepts arguments %s", name->s,
             type_list(c, argt, nargs));
    return NULL;
}

static int name_is_function(Checker *ch, KcName *n) {
    for (KcFunc *f = n->funcs; f; f = f->next_same_name)
        if (visible(ch, f)) return 1;
    for (KcFunc *f = ch->c->builtins; f; f = f->next_same_name)
        if (f->name == n) return 1;
    return 0;
}

static KcType *check_call(Checker *ch, KcExpr *e) {
    Kc *c = ch->c;
    KcExpr *callee = e->u.call.callee;
    int nargs = e->u.call.nargs;
    if (callee->kind == E_ERROR) return c->t_error;
    if (callee->kind == E_MEMBER) {
        kc_error(c, callee->pos, "method calls and qualified names (`a.%s(...)`) are not supported yet",
                 callee->u.member.name ? callee->u.member.name->s : "f");
        return c->t_error;
    }
    if (callee->kind != E_NAME) {
        kc_error(c, callee->pos, "calling a function value is not supported yet");
        return c->t_error;
    }
    KcType **argt = kc_alloc(c, sizeof(KcType *) * (size_t)(nargs ? nargs : 1));
    for (int i = 0; i < nargs; i++) argt[i] = check_value(ch, e->u.call.args[i]);
    KcFunc *f = resolve_call(ch, e, callee->u.name.name, argt, nargs);
    if (!f) return c->t_error;
    e->u.call.fn = f;
    return f->ret;
}

static const char *op_text(int op) { return kc_tok_text(op); }

static KcType *check_binary(Checker *ch, KcExpr *e) {
    Kc *c = ch->c;
    KcType *l = check_value(ch, e->u.bin.l);
    KcType *r = check_value(ch, e->u.bin.r);
    int op = e->op;
    if (op == TK_DOTDOT || op == TK_DOTDOTEQ) return c->t_error;   /* reported by the parser */
    if (is_err(l) || is_err(r)) {
        switch (op) {
        case TK_ANDAND: case TK_OROR: case TK_EQEQ: case TK_NE:
        case TK_LT: case TK_LE: case TK_GT: case TK_GE:
            return c->t_bool;
        default:
            return (l == c->t_int || r == c->t_int) && op != TK_PLUS ? c->t_int : c->t_error;
        }
    }
    switch (op) {
    case TK_ANDAND: case TK_OROR:
        if (l->kind == KT_BOOL && r->kind == KT_BOOL) return c->t_bool;
        break;
    case TK_EQEQ: case TK_NE:
        if (l == r && (l->kind == KT_INT || l->kind == KT_BOOL || l->kind == KT_STRING))
            return c->t_bool;
        kc_error(c, e->u.bin.op_pos, "cannot compare %s with %s using `%s`", l->name, r->name,
                 op_text(op));
        return c->t_bool;
    case TK_LT: case TK_LE: case TK_GT: case TK_GE:
        if (l->kind == KT_INT && r->kind == KT_INT) return c->t_bool;
        kc_error(c, e->u.bin.op_pos, "operator `%s` cannot be applied to %s and %s", op_text(op),
                 l->name, r->name);
        return c->t_bool;
    case TK_PLUS:
        if (l->kind == KT_STRING || r->kind == KT_STRING) {
            kc_error(c, e->u.bin.op_pos, "string concatenation is not supported yet");
            return c->t_error;
        }
        /* fall through */
    default:
        if (l->kind == KT_INT && r->kind == KT_INT) return c->t_int;
        break;
    }
    kc_error(c, e->u.bin.op_pos, "operator `%s` cannot be applied to %s and %s", op_text(op),
             l->name, r->name);
    return op == TK_ANDAND || op == TK_OROR ? c->t_bool : c->t_error;
}

static KcType *check_expr_inner(Checker *ch, KcExpr *e) {
    Kc *c = ch->c;
    switch (e->kind) {
    case E_ERROR: return c->t_error;
    case E_INT: return c->t_int;
    case E_BOOL: return c->t_bool;
    case E_STRING: return c->t_string;
    case E_FLOAT:
        kc_error(c, e->pos, "float is not supported yet");
        return c->t_error;
    case E_INTERP:
        kc_error(c, e->pos, "string interpolation is not supported yet");
        return c->t_error;
    case E_NULL: kc_error(c, e->pos, "`null` is not supported yet"); return c->t_error;
    case E_THIS: kc_error(c, e->pos, "`this` is not supported yet"); return c->t_error;
    case E_SUPER: kc_error(c, e->pos, "`super` is not supported yet"); return c->t_error;
    case E_NAME: {
        KcName *n = e->u.name.name;
        KcLocal *l = lookup_local(ch, n);
        if (l) {
            e->u.name.local = l;
            if (l->type->kind == KT_ARRAY) {
                kc_error(c, e->pos, "arrays are not supported yet");
                return c->t_error;
            }
            return l->type;
        }
        if (name_is_function(ch, n))
            kc_error(c, e->pos, "function `%s` used as a value: function values are not supported yet",
                     n->s);
        else
            kc_error(c, e->pos, "undefined name `%s`", n->s);
        return c->t_error;
    }
    case E_UNARY: {
        KcType *t = check_value(ch, e->u.unary.operand);
        if (is_err(t)) return e->op == TK_BANG ? c->t_bool : c->t_int;
        if (e->op == TK_BANG) {
            if (t->kind == KT_BOOL) return c->t_bool;
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
        KcType *a = check_value(ch, e->u.cond.then);
        KcType *b = check_value(ch, e->u.cond.els);
        if (is_err(a)) return b;
        if (is_err(b) || a == b) return a;
        kc_error(c, e->u.cond.then->pos, "the branches of `?:` have different types: %s and %s",
                 a->name, b->name);
        return c->t_error;
    }
    case E_CALL:
        return check_call(ch, e);
    case E_MEMBER:
        kc_error(c, e->pos, "member access (`.%s`) is not supported yet",
                 e->u.member.name ? e->u.member.name->s : "");
        return c->t_error;
    case E_INDEX:
        kc_error(c, e->pos, "indexing (`a[i]`) is not supported yet");
        return c->t_error;
    case E_IS: kc_error(c, e->pos, "`is` is not supported yet"); return c->t_error;
    case E_AS: kc_error(c, e->pos, "`as` is not supported yet"); return c->t_error;
    case E_ARRAY_LIT: case E_NEW_ARRAY:
        kc_error(c, e->pos, "arrays are not supported yet");
        return c->t_error;
    case E_LAMBDA:
        kc_error(c, e->pos, "closures are not supported yet");
        return c->t_error;
    }
    return c->t_error;
}

static KcType *check_expr(Checker *ch, KcExpr *e) {
    e->ty = check_expr_inner(ch, e);
    return e->ty;
}

/* ---- statements -------------------------------------------------------------------- */

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
        int f = check_stmt(ch, s);
        if (flow != FLOW_STOPS) flow = f;
    }
    scope_end(ch);
    return flow;
}

/* The local an assignment or ++/-- writes, after checking it may be written. */
static KcLocal *check_target(Checker *ch, KcExpr *t) {
    Kc *c = ch->c;
    if (t->kind == E_ERROR) return NULL;
    if (t->kind == E_MEMBER || t->kind == E_INDEX) {
        kc_error(c, t->pos, "assignment to %s is not supported yet",
                 t->kind == E_MEMBER ? "fields" : "array elements");
        return NULL;
    }
    if (t->kind != E_NAME) {
        kc_error(c, t->pos, "cannot assign to this expression");
        return NULL;
    }
    KcLocal *l = lookup_local(ch, t->u.name.name);
    if (!l) {
        check_expr(ch, t);                          /* reports the undefined name */
        return NULL;
    }
    t->u.name.local = l;
    t->ty = l->type;
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
        break;
    }
    if (l->type->kind == KT_ARRAY) {
        kc_error(c, t->pos, "arrays are not supported yet");
        return NULL;
    }
    return l;
}

static int check_stmt(Checker *ch, KcStmt *s) {
    Kc *c = ch->c;
    switch (s->kind) {
    case S_ERROR:
        return FLOW_UNKNOWN;
    case S_BLOCK:
        return check_block(ch, s);
    case S_VAR: {
        KcType *t = c->t_error;
        if (s->u.var.keyword == TK_KW_CONST)
            kc_error(c, s->pos, "`const` is not supported yet");
        KcType *declared = s->u.var.type ? resolve_type(c, s->u.var.type) : NULL;
        if (s->u.var.init) {
            KcType *it = check_value(ch, s->u.var.init);
            if (declared) {
                expect_type(ch, s->u.var.init->pos, declared, it);
                t = declared;
            } else {
                t = it;
                if (it->kind == KT_NULL) t = c->t_error;
            }
        } else {
            kc_error(c, s->u.var.name_pos, "variable `%s` needs an initial value (`= ...`)",
                     s->u.var.name ? s->u.var.name->s : "?");
            if (declared) t = declared;
        }
        s->u.var.local = declare_local(ch, s->u.var.name, s->u.var.name_pos,
                                       s->u.var.keyword == TK_KW_VAR ? LK_VAR : LK_LET, t);
        return FLOW_CONTINUES;
    }
    case S_ASSIGN: {
        KcLocal *l = check_target(ch, s->u.assign.target);
        KcType *vt = check_value(ch, s->u.assign.value);
        if (!l) return FLOW_CONTINUES;
        if (s->u.assign.op == TK_ASSIGN) {
            expect_type(ch, s->u.assign.value->pos, l->type, vt);
        } else if (!is_err(l->type) && !is_err(vt)) {
            if (s->u.assign.op == TK_PLUS_EQ && (l->type->kind == KT_STRING || vt->kind == KT_STRING))
                kc_error(c, s->pos, "string concatenation is not supported yet");
            else if (l->type->kind != KT_INT || vt->kind != KT_INT)
                kc_error(c, s->pos, "operator `%s` cannot be applied to %s and %s",
                         kc_tok_text(s->u.assign.op), l->type->name, vt->name);
        }
        return FLOW_CONTINUES;
    }
    case S_INCDEC: {
        KcLocal *l = check_target(ch, s->u.incdec.target);
        if (l && !is_err(l->type) && l->type->kind != KT_INT)
            kc_error(c, s->pos, "`%s` needs an int variable, found %s",
                     kc_tok_text(s->u.incdec.op), l->type->name);
        return FLOW_CONTINUES;
    }
    case S_EXPR: {
        KcExpr *e = s->u.expr.e;
        check_expr(ch, e);
        if (e->kind != E_CALL && e->kind != E_ERROR && !is_err(e->ty))
            kc_error(c, e->pos, "this expression is not a statement (only calls, assignments "
                     "and `++`/`--` are)");
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
        kc_vec_push(c, &ch->loops, s);
        int f = check_block(ch, s->u.while_.body);
        ch->loops.n--;
        KcExpr *cond = s->u.while_.cond;
        if (cond->kind == E_BOOL && cond->u.bval && !s->u.while_.has_break) return FLOW_STOPS;
        return f == FLOW_UNKNOWN ? FLOW_UNKNOWN : FLOW_CONTINUES;
    }
    case S_FOR: {
        KcType *st = check_value(ch, s->u.for_.start);
        if (!s->u.for_.end) {
            if (!is_err(st))
                kc_error(c, s->u.for_.start->pos, "`for` over %s is not supported yet (only over "
                         "ranges `a..b` and `a..=b`)", st->name);
        } else {
            KcType *et = check_value(ch, s->u.for_.end);
            if (!is_err(st) && st->kind != KT_INT)
                kc_error(c, s->u.for_.start->pos, "range bounds must be int, found %s", st->name);
            if (!is_err(et) && et->kind != KT_INT)
                kc_error(c, s->u.for_.end->pos, "range bounds must be int, found %s", et->name);
        }
        scope_begin(ch);
        s->u.for_.local = declare_local(ch, s->u.for_.var, s->u.for_.var_pos, LK_LOOP, c->t_int);
        kc_vec_push(c, &ch->loops, s);
        int f = check_block(ch, s->u.for_.body);
        ch->loops.n--;
        scope_end(ch);
        return f == FLOW_UNKNOWN ? FLOW_UNKNOWN : FLOW_CONTINUES;
    }
    case S_BREAK: case S_CONTINUE: {
        if (ch->loops.n == 0) {
            kc_error(c, s->pos, "`%s` outside a loop", s->kind == S_BREAK ? "break" : "continue");
            return FLOW_STOPS;
        }
        KcStmt *loop = ch->loops.items[ch->loops.n - 1];
        s->u.jump.loop = loop;
        if (s->kind == S_BREAK) {
            if (loop->kind == S_WHILE) loop->u.while_.has_break = 1;
            else loop->u.for_.has_break = 1;
        }
        return FLOW_STOPS;
    }
    case S_RETURN: {
        KcType *want = ch->fn ? ch->fn->ret : c->t_error;
        const char *fname = ch->decl->name ? ch->decl->name->s : "?";
        if (s->u.ret.value) {
            KcType *t = check_expr(ch, s->u.ret.value);
            if (want->kind == KT_VOID) {
                kc_error(c, s->u.ret.value->pos, "function `%s` has no result, so `return` "
                         "cannot have a value", fname);
            } else if (t->kind == KT_VOID) {
                check_value(ch, s->u.ret.value);
            } else {
                expect_type(ch, s->u.ret.value->pos, want, t);
            }
        } else if (want->kind != KT_VOID && !is_err(want)) {
            kc_error(c, s->pos, "`return` needs a value of type %s in function `%s`", want->name,
                     fname);
        }
        return FLOW_STOPS;
    }
    case S_THROW:
        kc_error(c, s->pos, "`throw` is not supported yet");
        return FLOW_STOPS;
    case S_TRY:
        kc_error(c, s->pos, "`try` is not supported yet");
        return FLOW_UNKNOWN;
    }
    return FLOW_CONTINUES;
}

static void check_function(Kc *c, KcModule *m, KcDecl *d) {
    Checker ch;
    memset(&ch, 0, sizeof ch);
    ch.c = c;
    ch.mod = m;
    ch.decl = d;
    ch.fn = d->fn;
    scope_begin(&ch);
    for (int i = 0; i < d->nparams; i++) {
        KcParam *pa = &d->params[i];
        KcType *t = d->fn ? d->fn->params[i] : c->t_error;
        int dup = 0;
        for (int j = 0; j < i && !dup; j++) dup = pa->name && d->params[j].name == pa->name;
        if (dup) {
            kc_error(c, pa->pos, "duplicate parameter `%s`", pa->name->s);
            pa->local = declare_local(&ch, NULL, pa->pos, LK_PARAM, t);
        } else {
            pa->local = declare_local(&ch, pa->name, pa->pos, LK_PARAM, t);
        }
    }
    if (!d->body) return;
    int flow = check_block(&ch, d->body);
    if (flow == FLOW_CONTINUES && d->fn && d->fn->ret->kind != KT_VOID && !is_err(d->fn->ret) &&
        !d->syntax_error)
        kc_error(c, d->body->u.block.rbrace, "missing `return`: function `%s` must return %s on "
                 "every path", d->name->s, d->fn->ret->name);
}

void kc_check(Kc *c) {
    for (int i = 0; i < c->nsrcs; i++) {
        KcSrc *s = &c->srcs[i];
        for (int k = 0; k < s->ast->ndecls; k++) {
            KcDecl *d = s->ast->decls[k];
            if (d->kind == D_FUN && d->name) check_function(c, s->module, d);
        }
    }
}
