/*
** compiler/parser.c — tokens to syntax tree (LANGUAGE.md §1, §3, §4).
**
** Recursive descent for statements and declarations, precedence climbing for
** binary operators. Line breaks: a token's nl_before ends a statement unless the
** parser is inside ( ) or [ ] (nl_ignore) or the construct so far is incomplete
** (after a binary operator, `=`, `,`, `.` or `(` the parser simply wants more and
** reads on). A line may also start with `.`, `&&`, `||`, `?` or `:` to continue
** the previous one (as in Kotlin and Swift), since no statement starts with those.
**
** Errors: the first syntax error of a statement is reported and the parser enters
** panic mode (further syntax errors are dropped) until it re-synchronises at the
** next statement or declaration boundary.
*/
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

enum {
    PREC_NONE, PREC_OR, PREC_AND, PREC_EQ, PREC_CMP, PREC_RANGE, PREC_BITOR,
    PREC_XOR, PREC_BITAND, PREC_SHIFT, PREC_ADD, PREC_MUL
};

typedef struct {
    Kc       *c;
    KcSrc    *src;
    KcToken  *toks;
    int       n, i;
    int       nl_ignore;    /* inside ( ) or [ ]: line breaks are insignificant */
    int       panic;        /* a syntax error was reported; drop others until sync */
    int       nest;         /* recursion depth (blocks, unary operators, parentheses) */
    int       nerrors;      /* syntax errors so far, reported or not */
} Parser;

static KcExpr *parse_expr(Parser *p);
static KcStmt *parse_block(Parser *p);
static KcStmt *parse_stmt(Parser *p);
static KcTypeExpr *parse_type(Parser *p);
static KcDecl *parse_fun(Parser *p, KcPos start, int mods, int is_lambda);


/* ---- tokens ----------------------------------------------------------------- */

static KcToken *peek(Parser *p) { return &p->toks[p->i]; }
static KcToken *peek_at(Parser *p, int k) {
    int j = p->i + k;
    return &p->toks[j < p->n ? j : p->n - 1];
}
static int at(Parser *p, int kind) { return p->toks[p->i].kind == kind; }
static KcToken *advance(Parser *p) {
    KcToken *t = &p->toks[p->i];
    if (t->kind != TK_EOF) p->i++;
    return t;
}
static int accept(Parser *p, int kind) {
    if (!at(p, kind)) return 0;
    advance(p);
    return 1;
}
/* A line break before the current token that ends the construct being parsed. */
static int nl_here(Parser *p) { return peek(p)->nl_before && !p->nl_ignore; }

/* How a token reads in a message: "`foo`", "`+`", "end of file". */
static const char *tok_desc(Parser *p, KcToken *t) {
    switch (t->kind) {
    case TK_EOF: return "end of file";
    case TK_IDENT: return kc_sprintf(p->c, "`%s`", t->v.name->s);
    case TK_INT: case TK_FLOAT:
        if (t->len <= 40)
            return kc_sprintf(p->c, "`%.*s`", (int)t->len, p->src->text + t->pos.off);
        return "number";
    case TK_STRING: case TK_ISTR_BEGIN: case TK_ISTR_MID: case TK_ISTR_END:
        return "string literal";
    default:
        return kc_sprintf(p->c, "`%s`", kc_tok_text(t->kind));
    }
}

static void perr(Parser *p, KcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(Parser *p, KcPos pos, const char *fmt, ...) {
    if (p->panic) return;
    p->panic = 1;
    p->nerrors++;
    if (peek(p)->kind == TK_ERROR) return;      /* the lexer has reported it */
    va_list ap;
    va_start(ap, fmt);
    kc_verror(p->c, pos, fmt, ap);
    va_end(ap);
}

static int expect(Parser *p, int kind, const char *context) {
    if (accept(p, kind)) return 1;
    KcToken *t = peek(p);
    if (context)
        perr(p, t->pos, "expected `%s` %s, found %s", kc_tok_text(kind), context, tok_desc(p, t));
    else
        perr(p, t->pos, "expected `%s`, found %s", kc_tok_text(kind), tok_desc(p, t));
    return 0;
}

static KcName *expect_ident(Parser *p, const char *what, KcPos *pos) {
    KcToken *t = peek(p);
    if (pos) *pos = t->pos;
    if (t->kind == TK_IDENT) {
        advance(p);
        return t->v.name;
    }
    if (t->kind >= TK_KW_MODULE)
        perr(p, t->pos, "expected %s, found keyword %s", what, tok_desc(p, t));
    else
        perr(p, t->pos, "expected %s, found %s", what, tok_desc(p, t));
    return NULL;
}

/* Names that may not be declared: the primitive type names (LANGUAGE.md §7). */
static void check_decl_name(Parser *p, KcName *name, KcPos pos) {
    Kc *c = p->c;
    if (name && (name == c->n_int || name == c->n_float || name == c->n_bool || name == c->n_byte))
        kc_error(c, pos, "`%s` is a reserved type name", name->s);
}

/* ---- error recovery ----------------------------------------------------------- */

/* Skips to the end of the current statement after a syntax error: a `;`, a line
** break, or the `}` closing the enclosing block (not consumed), all at the nesting
** level where the statement started (stmt_start is its first token). */
static void sync_stmt(Parser *p, int stmt_start) {
    if (!p->panic) return;
    int depth = 0;
    for (;;) {
        KcToken *t = peek(p);
        if (t->kind == TK_EOF) break;
        if (depth == 0) {
            if (t->kind == TK_RBRACE) break;
            if (t->kind == TK_SEMI) { advance(p); break; }
            if (t->nl_before && p->i > stmt_start) break;
        }
        if (t->kind == TK_LBRACE || t->kind == TK_LPAREN || t->kind == TK_LBRACKET) depth++;
        else if ((t->kind == TK_RBRACE || t->kind == TK_RPAREN || t->kind == TK_RBRACKET) && depth > 0)
            depth--;
        advance(p);
    }
    p->panic = 0;
}

/* Skips a top-level declaration: to the next line-start token at brace depth 0
** that does not open a block. */
static void skip_decl(Parser *p, int start) {
    int depth = 0;
    for (;;) {
        KcToken *t = peek(p);
        if (t->kind == TK_EOF) break;
        if (depth == 0 && p->i > start && (t->nl_before || t->kind == TK_SEMI) &&
            t->kind != TK_LBRACE && t->kind != TK_RBRACE) {
            if (t->kind == TK_SEMI) advance(p);
            break;
        }
        if (t->kind == TK_LBRACE || t->kind == TK_LPAREN || t->kind == TK_LBRACKET) depth++;
        else if ((t->kind == TK_RBRACE || t->kind == TK_RPAREN || t->kind == TK_RBRACKET) && depth > 0)
            depth--;
        advance(p);
    }
    p->panic = 0;
}

/* After a bad loop or `if` header: skips to the `{` of its body so that the body
** is still parsed (and checked) normally. */
static void recover_to_body(Parser *p) {
    if (!p->panic) return;
    int depth = 0;
    while (!at(p, TK_EOF)) {
        int k = peek(p)->kind;
        if (depth == 0 && (k == TK_LBRACE || k == TK_RBRACE)) break;
        if (k == TK_LPAREN || k == TK_LBRACKET) depth++;
        else if ((k == TK_RPAREN || k == TK_RBRACKET) && depth > 0) depth--;
        advance(p);
    }
    if (at(p, TK_LBRACE)) p->panic = 0;
}

/* Statements end with a line break, `;`, or before `}` or the end of the file. */
static void end_stmt(Parser *p) {
    KcToken *t = peek(p);
    if (t->kind == TK_SEMI) {
        while (at(p, TK_SEMI)) advance(p);
        return;
    }
    if (t->kind == TK_RBRACE || t->kind == TK_EOF || t->nl_before) return;
    if (t->kind == TK_PLUSPLUS || t->kind == TK_MINUSMINUS)
        perr(p, t->pos, "`%s` is a statement and cannot be used inside an expression",
             kc_tok_text(t->kind));
    else
        perr(p, t->pos, "expected a line break or `;` after the statement, found %s", tok_desc(p, t));
}

/* Entering one more level of recursion; reports once when too deep. */
static int nest_in(Parser *p, KcPos pos) {
    if (p->nest >= KC_MAX_NEST) {
        if (p->panic) return 0;
        perr(p, pos, "code is nested too deeply (more than %d levels)", KC_MAX_NEST);
        return 0;
    }
    p->nest++;
    return 1;
}

/* ---- nodes -------------------------------------------------------------------- */

static KcExpr *new_expr(Parser *p, KcExprKind kind, KcPos pos) {
    KcExpr *e = kc_alloc(p->c, sizeof *e);
    e->kind = kind;
    e->pos = pos;
    e->depth = 1;
    return e;
}

static KcExpr *error_expr(Parser *p, KcPos pos) { return new_expr(p, E_ERROR, pos); }

static KcStmt *new_stmt(Parser *p, KcStmtKind kind, KcPos pos) {
    KcStmt *s = kc_alloc(p->c, sizeof *s);
    s->kind = kind;
    s->pos = pos;
    return s;
}

/* Sets e's depth from a child; reports (once) a tree too deep to walk. */
static KcExpr *deepen(Parser *p, KcExpr *e, KcExpr *child) {
    if (child && child->depth + 1 > e->depth) e->depth = child->depth + 1;
    if (e->depth > KC_MAX_EXPR_DEPTH) {
        perr(p, e->pos, "expression is too complex (nested more than %d deep)", KC_MAX_EXPR_DEPTH);
        return error_expr(p, e->pos);
    }
    return e;
}

/* ---- types --------------------------------------------------------------------- */

/* Consumes one `>` closing a type-argument list, splitting `>>` and `>>>`. */
static void expect_close_angle(Parser *p) {
    KcToken *t = peek(p);
    if (t->kind == TK_GT) { advance(p); return; }
    if (t->kind == TK_SHR || t->kind == TK_USHR) {
        t->kind = t->kind == TK_SHR ? TK_GT : TK_SHR;
        t->pos.col++;
        t->pos.off++;
        t->len--;
        t->nl_before = 0;
        return;
    }
    perr(p, t->pos, "expected `>` to close the type arguments, found %s", tok_desc(p, t));
}

static KcTypeExpr *parse_type(Parser *p) {
    KcToken *t = peek(p);
    KcTypeExpr *ty = kc_alloc(p->c, sizeof *ty);
    ty->pos = t->pos;
    if (!nest_in(p, t->pos)) {
        ty->kind = TX_NAME;
        return ty;
    }
    if (t->kind == TK_KW_FUN) {
        advance(p);
        ty->kind = TX_FUNC;
        KcVec params = {0};
        int saved = p->nl_ignore;
        p->nl_ignore = 1;
        expect(p, TK_LPAREN, "after `fun` in a function type");
        while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->panic) {
            kc_vec_push(p->c, &params, parse_type(p));
            if (!accept(p, TK_COMMA)) break;
        }
        expect(p, TK_RPAREN, "to close the parameter types");
        p->nl_ignore = saved;
        ty->args = (KcTypeExpr **)params.items;
        ty->nargs = params.n;
        if (accept(p, TK_COLON)) ty->ret = parse_type(p);
    } else {
        ty->kind = TX_NAME;
        KcVec parts = {0};
        KcName *n = expect_ident(p, "a type", NULL);
        if (n) kc_vec_push(p->c, &parts, n);
        while (n && at(p, TK_DOT)) {
            advance(p);
            n = expect_ident(p, "a type name after `.`", NULL);
            if (n) kc_vec_push(p->c, &parts, n);
        }
        ty->parts = (KcName **)parts.items;
        ty->nparts = parts.n;
        if (at(p, TK_LT) && !nl_here(p)) {
            advance(p);
            KcVec args = {0};
            while (!p->panic) {
                kc_vec_push(p->c, &args, parse_type(p));
                if (!accept(p, TK_COMMA)) break;
            }
            expect_close_angle(p);
            ty->args = (KcTypeExpr **)args.items;
            ty->nargs = args.n;
        }
    }
    while (at(p, TK_LBRACKET) && peek_at(p, 1)->kind == TK_RBRACKET && !nl_here(p)) {
        KcTypeExpr *arr = kc_alloc(p->c, sizeof *arr);
        arr->kind = TX_ARRAY;
        arr->pos = ty->pos;
        arr->elem = ty;
        advance(p);
        advance(p);
        ty = arr;
    }
    p->nest--;
    return ty;
}

/* ---- expressions --------------------------------------------------------------- */

/* At `<`: do the tokens up to the matching `>` look like type arguments followed
** by `(`? (`first<int>(xs)`, `Box<int>(5)`; otherwise `<` is a comparison.) */
static int type_args_then_call(Parser *p) {
    int depth = 0;
    for (int k = 0; k < 256; k++) {
        KcToken *t = peek_at(p, k);
        switch (t->kind) {
        case TK_LT: depth++; break;
        case TK_GT: depth--; break;
        case TK_SHR: depth -= 2; break;
        case TK_USHR: depth -= 3; break;
        case TK_IDENT: case TK_COMMA: case TK_DOT: case TK_LBRACKET: case TK_RBRACKET:
        case TK_KW_FUN: case TK_LPAREN: case TK_RPAREN: case TK_COLON:
            break;
        default:
            return 0;
        }
        if (depth < 0) return 0;
        if (depth == 0) {
            KcToken *n = peek_at(p, k + 1);
            return n->kind == TK_LPAREN && !n->nl_before;
        }
    }
    return 0;
}

/* At the name after `new`: is this `new a.b.C<...>[` (an array) rather than a
** construction `new C(...)`? Looks ahead without consuming anything. */
static int new_array_ahead(Parser *p) {
    int k = 0;
    while (peek_at(p, k + 1)->kind == TK_DOT && peek_at(p, k + 2)->kind == TK_IDENT) k += 2;
    k++;
    if (peek_at(p, k)->kind == TK_LT) {
        int depth = 0;
        for (int n = 0; n < 256; n++, k++) {
            int kind = peek_at(p, k)->kind;
            if (kind == TK_LT) depth++;
            else if (kind == TK_GT) depth--;
            else if (kind == TK_SHR) depth -= 2;
            else if (kind == TK_USHR) depth -= 3;
            else if (kind == TK_EOF || kind == TK_LBRACE || kind == TK_SEMI) return 0;
            if (depth <= 0) break;
        }
        if (depth != 0) return 0;
        k++;
    }
    return peek_at(p, k)->kind == TK_LBRACKET;
}

static KcTypeExpr **parse_type_args(Parser *p, int *n) {
    advance(p);                                 /* `<` */
    KcVec args = {0};
    while (!p->panic) {
        kc_vec_push(p->c, &args, parse_type(p));
        if (!accept(p, TK_COMMA)) break;
    }
    expect_close_angle(p);
    *n = args.n;
    return (KcTypeExpr **)args.items;
}

static int binary_prec(int kind) {
    switch (kind) {
    case TK_OROR: return PREC_OR;
    case TK_ANDAND: return PREC_AND;
    case TK_EQEQ: case TK_NE: return PREC_EQ;
    case TK_LT: case TK_LE: case TK_GT: case TK_GE: case TK_KW_IS: case TK_KW_AS: return PREC_CMP;
    case TK_DOTDOT: case TK_DOTDOTEQ: return PREC_RANGE;
    case TK_PIPE: return PREC_BITOR;
    case TK_CARET: return PREC_XOR;
    case TK_AMP: return PREC_BITAND;
    case TK_SHL: case TK_SHR: case TK_USHR: return PREC_SHIFT;
    case TK_PLUS: case TK_MINUS: return PREC_ADD;
    case TK_STAR: case TK_SLASH: case TK_PERCENT: return PREC_MUL;
    default: return PREC_NONE;
    }
}

/* Operators that may start a line and continue the previous one. */
static int continues_line(int kind) {
    return kind == TK_ANDAND || kind == TK_OROR || kind == TK_DOT || kind == TK_QUESTION ||
           kind == TK_COLON;
}

/* Arguments of a call after `(` was consumed, up to and including `)`. */
static void parse_args(Parser *p, KcVec *args) {
    int saved = p->nl_ignore;
    p->nl_ignore = 1;
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        kc_vec_push(p->c, args, parse_expr(p));
        if (p->panic) break;
        if (!accept(p, TK_COMMA)) break;
    }
    expect(p, TK_RPAREN, "to close the argument list");
    p->nl_ignore = saved;
}

static KcExpr *parse_interp(Parser *p) {
    KcToken *t = advance(p);                    /* TK_ISTR_BEGIN */
    KcExpr *e = new_expr(p, E_INTERP, t->pos);
    KcVec parts = {0};
    int saved = p->nl_ignore;
    p->nl_ignore = 1;
    for (;;) {
        KcExpr *s = new_expr(p, E_STRING, t->pos);
        s->u.str.s = t->v.str.s;
        s->u.str.len = t->v.str.len;
        kc_vec_push(p->c, &parts, s);
        if (t->kind == TK_ISTR_END) break;
        KcExpr *x = parse_expr(p);
        kc_vec_push(p->c, &parts, x);
        e = deepen(p, e, x);
        t = peek(p);
        if (t->kind != TK_ISTR_MID && t->kind != TK_ISTR_END) {
            perr(p, t->pos, "expected `}` to close the interpolation, found %s", tok_desc(p, t));
            /* Skip to the rest of the string. */
            while (!at(p, TK_EOF) && !at(p, TK_ISTR_MID) && !at(p, TK_ISTR_END)) advance(p);
            if (at(p, TK_EOF)) break;
            t = peek(p);
        }
        advance(p);
    }
    p->nl_ignore = saved;
    if (e->kind == E_INTERP) {
        e->u.interp.parts = (KcExpr **)parts.items;
        e->u.interp.n = parts.n;
    }
    return e;
}

static KcExpr *parse_primary(Parser *p) {
    KcToken *t = peek(p);
    KcExpr *e;
    switch (t->kind) {
    case TK_INT:
        advance(p);
        e = new_expr(p, E_INT, t->pos);
        e->u.ival = (int64_t)t->v.ival;
        if (t->too_big)
            kc_error(p->c, t->pos, "integer literal is too large (9223372036854775808 is "
                     "only allowed right after unary `-`)");
        return e;
    case TK_FLOAT:
        advance(p);
        e = new_expr(p, E_FLOAT, t->pos);
        e->u.fval = t->v.fval;
        return e;
    case TK_STRING:
        advance(p);
        e = new_expr(p, E_STRING, t->pos);
        e->u.str.s = t->v.str.s;
        e->u.str.len = t->v.str.len;
        return e;
    case TK_ISTR_BEGIN:
        return parse_interp(p);
    case TK_KW_TRUE: case TK_KW_FALSE:
        advance(p);
        e = new_expr(p, E_BOOL, t->pos);
        e->u.bval = t->kind == TK_KW_TRUE;
        return e;
    case TK_KW_NULL: advance(p); return new_expr(p, E_NULL, t->pos);
    case TK_KW_THIS: advance(p); return new_expr(p, E_THIS, t->pos);
    case TK_KW_SUPER: advance(p); return new_expr(p, E_SUPER, t->pos);
    case TK_IDENT:
        advance(p);
        e = new_expr(p, E_NAME, t->pos);
        e->u.name.name = t->v.name;
        if (at(p, TK_LT) && type_args_then_call(p))
            e->u.name.targs = parse_type_args(p, &e->u.name.ntargs);
        return e;
    case TK_LPAREN: {
        advance(p);
        int saved = p->nl_ignore;
        p->nl_ignore = 1;
        e = parse_expr(p);
        expect(p, TK_RPAREN, "to close the parenthesis");
        p->nl_ignore = saved;
        if (e->kind == E_MEMBER || e->kind == E_NAME) {
            /* (obj.f)(x) calls the field f, not the method (LANGUAGE.md §7). */
            KcExpr *pe = new_expr(p, E_PAREN, t->pos);
            pe->u.paren.e = e;
            return deepen(p, pe, e);
        }
        return e;
    }
    case TK_LBRACKET: {
        advance(p);
        e = new_expr(p, E_ARRAY_LIT, t->pos);
        KcVec items = {0};
        int saved = p->nl_ignore;
        p->nl_ignore = 1;
        while (!at(p, TK_RBRACKET) && !at(p, TK_EOF)) {
            KcExpr *x = parse_expr(p);
            kc_vec_push(p->c, &items, x);
            e = deepen(p, e, x);
            if (p->panic || !accept(p, TK_COMMA)) break;
        }
        expect(p, TK_RBRACKET, "to close the array literal");
        p->nl_ignore = saved;
        if (e->kind == E_ARRAY_LIT) {
            e->u.array.items = (KcExpr **)items.items;
            e->u.array.n = items.n;
        }
        return e;
    }
    case TK_KW_NEW: {
        advance(p);
        /* new T[n]...[] makes an array; new C(args) is the same as C(args). */
        KcToken *nt = peek(p);
        if (nt->kind == TK_KW_FUN || (nt->kind == TK_IDENT && new_array_ahead(p))) {
            KcTypeExpr *elem = parse_type(p);
            if (elem->kind == TX_ARRAY)
                perr(p, elem->pos, "the array sizes come first: `new T[n][]`, not `new T[][n]`");
            if (!at(p, TK_LBRACKET)) {
                if (!p->panic) perr(p, peek(p)->pos, "expected `[` and the array size after `new %s`",
                                    nt->kind == TK_KW_FUN ? "fun(...)" : "T");
                return error_expr(p, t->pos);
            }
            e = new_expr(p, E_NEW_ARRAY, t->pos);
            e->u.new_array.elem = elem;
            KcVec dims = {0};
            while (at(p, TK_LBRACKET)) {
                advance(p);
                if (accept(p, TK_RBRACKET)) {
                    e->u.new_array.extra_dims++;
                    continue;
                }
                if (e->u.new_array.extra_dims)
                    perr(p, peek(p)->pos, "an array size cannot follow `[]`");
                int saved = p->nl_ignore;
                p->nl_ignore = 1;
                KcExpr *d = parse_expr(p);
                expect(p, TK_RBRACKET, "after the array size");
                p->nl_ignore = saved;
                kc_vec_push(p->c, &dims, d);
                e = deepen(p, e, d);
                if (e->kind != E_NEW_ARRAY) return e;
            }
            e->u.new_array.dims = (KcExpr **)dims.items;
            e->u.new_array.ndims = dims.n;
            return e;
        }
        if (nt->kind != TK_IDENT) {
            perr(p, nt->pos, "expected a class name after `new`, found %s", tok_desc(p, nt));
            return error_expr(p, t->pos);
        }
        return parse_primary(p);        /* the call is read by the postfix loop */
    }
    case TK_KW_FUN: {
        KcDecl *fn = parse_fun(p, t->pos, 0, 1);
        e = new_expr(p, E_LAMBDA, t->pos);
        e->u.lambda.fn = fn;
        return e;
    }
    case TK_ERROR:
        advance(p);
        return error_expr(p, t->pos);
    default:
        perr(p, t->pos, "expected an expression, found %s", tok_desc(p, t));
        return error_expr(p, t->pos);
    }
}

static KcExpr *parse_postfix(Parser *p) {
    KcExpr *e = parse_primary(p);
    for (;;) {
        KcToken *t = peek(p);
        if (p->panic) return e;
        if (t->kind == TK_LPAREN && !nl_here(p)) {
            advance(p);
            KcExpr *call = new_expr(p, E_CALL, e->pos);
            KcVec args = {0};
            parse_args(p, &args);
            call->u.call.callee = e;
            call->u.call.args = (KcExpr **)args.items;
            call->u.call.nargs = args.n;
            call = deepen(p, call, e);
            for (int i = 0; i < args.n && call->kind == E_CALL; i++)
                call = deepen(p, call, args.items[i]);
            e = call;
        } else if (t->kind == TK_LBRACKET && !nl_here(p)) {
            advance(p);
            int saved = p->nl_ignore;
            p->nl_ignore = 1;
            KcExpr *ix = new_expr(p, E_INDEX, e->pos);
            ix->u.index.obj = e;
            ix->u.index.index = parse_expr(p);
            expect(p, TK_RBRACKET, "to close the index");
            p->nl_ignore = saved;
            ix = deepen(p, ix, e);
            if (ix->kind == E_INDEX) ix = deepen(p, ix, ix->u.index.index);
            e = ix;
        } else if (t->kind == TK_DOT) {
            advance(p);
            KcExpr *m = new_expr(p, E_MEMBER, e->pos);
            m->u.member.obj = e;
            m->u.member.name = expect_ident(p, "a member name after `.`", NULL);
            if (m->u.member.name && at(p, TK_LT) && type_args_then_call(p))
                m->u.member.targs = parse_type_args(p, &m->u.member.ntargs);
            e = deepen(p, m, e);
        } else {
            return e;
        }
    }
}

static KcExpr *parse_unary(Parser *p) {
    KcToken *t = peek(p);
    if (t->kind != TK_MINUS && t->kind != TK_BANG && t->kind != TK_TILDE) return parse_postfix(p);
    advance(p);
    /* `-literal` is a literal: the only place 9223372036854775808 is allowed. */
    KcToken *lit = peek(p);
    if (t->kind == TK_MINUS && lit->kind == TK_INT) {
        KcToken *after = peek_at(p, 1);
        int postfix = (after->kind == TK_LPAREN || after->kind == TK_LBRACKET ||
                       after->kind == TK_DOT) && !(after->nl_before && !p->nl_ignore);
        if (!postfix) {
            advance(p);
            KcExpr *e = new_expr(p, E_INT, t->pos);
            e->u.ival = (int64_t)(0 - lit->v.ival);
            return e;
        }
    }
    if (!nest_in(p, t->pos)) return error_expr(p, t->pos);
    KcExpr *e = new_expr(p, E_UNARY, t->pos);
    e->op = t->kind;
    e->u.unary.operand = parse_unary(p);
    p->nest--;
    return deepen(p, e, e->u.unary.operand);
}

/* Binary operators binding at least as tightly as min_prec (left-associative). */
static KcExpr *parse_binary(Parser *p, int min_prec) {
    KcExpr *l = parse_unary(p);
    for (;;) {
        KcToken *t = peek(p);
        int prec = binary_prec(t->kind);
        if (prec == PREC_NONE || prec < min_prec || p->panic) return l;
        if (nl_here(p) && !continues_line(t->kind)) return l;
        advance(p);
        KcExpr *e;
        if (t->kind == TK_KW_IS || t->kind == TK_KW_AS) {
            e = new_expr(p, t->kind == TK_KW_IS ? E_IS : E_AS, l->pos);
            e->u.is_as.e = l;
            e->u.is_as.type = parse_type(p);
            l = deepen(p, e, l);
            continue;
        }
        if (prec == PREC_RANGE)
            perr(p, t->pos, "a range `%s` is only allowed in a `for` loop", kc_tok_text(t->kind));
        e = new_expr(p, E_BINARY, l->pos);
        e->op = t->kind;
        e->u.bin.op_pos = t->pos;
        e->u.bin.l = l;
        e->u.bin.r = parse_binary(p, prec + 1);
        e = deepen(p, e, l);
        if (e->kind == E_BINARY) e = deepen(p, e, e->u.bin.r);
        l = e;
    }
}

/* cond ? a : b, right-associative, the lowest precedence. */
static KcExpr *parse_expr(Parser *p) {
    KcToken *start = peek(p);
    if (!nest_in(p, start->pos)) return error_expr(p, start->pos);
    KcExpr *e = parse_binary(p, PREC_OR);
    if (at(p, TK_QUESTION) && !p->panic) {
        advance(p);
        KcExpr *q = new_expr(p, E_COND, e->pos);
        q->u.cond.cond = e;
        q->u.cond.then = parse_expr(p);
        expect(p, TK_COLON, "in the conditional expression `?:`");
        q->u.cond.els = parse_expr(p);
        q = deepen(p, q, e);
        if (q->kind == E_COND) q = deepen(p, q, q->u.cond.then);
        if (q->kind == E_COND) q = deepen(p, q, q->u.cond.els);
        e = q;
    }
    p->nest--;
    return e;
}

/* ---- statements ----------------------------------------------------------------- */

static KcStmt *parse_var(Parser *p) {
    KcToken *kw = advance(p);
    KcStmt *s = new_stmt(p, S_VAR, kw->pos);
    s->u.var.keyword = kw->kind;
    s->u.var.name = expect_ident(p, "a variable name", &s->u.var.name_pos);
    check_decl_name(p, s->u.var.name, s->u.var.name_pos);
    if (!p->panic && accept(p, TK_COLON)) s->u.var.type = parse_type(p);
    if (!p->panic && accept(p, TK_ASSIGN)) s->u.var.init = parse_expr(p);
    if (p->panic) {
        /* Still declare the name (with an unknown type), so that its uses do not
        ** report it as undefined. */
        if (!s->u.var.name) s->kind = S_ERROR;
        else s->u.var.init = error_expr(p, kw->pos);
    }
    return s;
}

/* if cond { } else if cond { } else { }: an else-if chain is built in a loop. */
static KcStmt *parse_if(Parser *p) {
    KcStmt *first = NULL, *last = NULL;
    for (;;) {
        KcToken *kw = advance(p);               /* `if` */
        KcStmt *s = new_stmt(p, S_IF, kw->pos);
        s->u.if_.cond = parse_expr(p);
        recover_to_body(p);
        s->u.if_.then = parse_block(p);
        if (last) last->u.if_.els = s; else first = s;
        last = s;
        if (p->panic || !at(p, TK_KW_ELSE)) break;
        advance(p);
        if (at(p, TK_KW_IF)) continue;
        s->u.if_.els = parse_block(p);
        break;
    }
    return first;
}

static KcStmt *parse_for(Parser *p) {
    KcToken *kw = advance(p);
    KcStmt *s = new_stmt(p, S_FOR, kw->pos);
    s->u.for_.var = expect_ident(p, "a loop variable name", &s->u.for_.var_pos);
    check_decl_name(p, s->u.for_.var, s->u.for_.var_pos);
    if (!p->panic) expect(p, TK_KW_IN, "after the loop variable");
    if (!p->panic) {
        s->u.for_.start = parse_binary(p, PREC_RANGE + 1);
        if ((at(p, TK_DOTDOT) || at(p, TK_DOTDOTEQ)) && !p->panic) {
            s->u.for_.inclusive = advance(p)->kind == TK_DOTDOTEQ;
            s->u.for_.end = parse_binary(p, PREC_RANGE + 1);
        }
    }
    if (!s->u.for_.start) s->u.for_.start = error_expr(p, kw->pos);
    recover_to_body(p);
    s->u.for_.body = parse_block(p);
    return s;
}

static KcStmt *parse_try(Parser *p) {
    KcToken *kw = advance(p);
    KcStmt *s = new_stmt(p, S_TRY, kw->pos);
    s->u.try_.body = parse_block(p);
    KcVec catches = {0};
    while (at(p, TK_KW_CATCH) && !p->panic) {
        KcCatch *k = kc_alloc(p->c, sizeof *k);
        k->pos = advance(p)->pos;
        k->name = expect_ident(p, "a name for the caught error", NULL);
        if (!p->panic) expect(p, TK_COLON, "after the caught error's name");
        if (!p->panic) k->type = parse_type(p);
        k->body = parse_block(p);
        kc_vec_push(p->c, &catches, k);
    }
    if (at(p, TK_KW_FINALLY) && !p->panic) {
        advance(p);
        s->u.try_.finally_ = parse_block(p);
    }
    s->u.try_.ncatches = catches.n;
    s->u.try_.catches = kc_alloc(p->c, sizeof(KcCatch) * (size_t)(catches.n ? catches.n : 1));
    for (int i = 0; i < catches.n; i++) s->u.try_.catches[i] = *(KcCatch *)catches.items[i];
    return s;
}

static int is_assign_op(int kind) {
    switch (kind) {
    case TK_ASSIGN: case TK_PLUS_EQ: case TK_MINUS_EQ: case TK_STAR_EQ: case TK_SLASH_EQ:
    case TK_PERCENT_EQ: case TK_AMP_EQ: case TK_PIPE_EQ: case TK_CARET_EQ: case TK_SHL_EQ:
    case TK_SHR_EQ: case TK_USHR_EQ:
        return 1;
    default:
        return 0;
    }
}

/* One statement, without its terminator. */
static KcStmt *parse_stmt_inner(Parser *p) {
    KcToken *t = peek(p);
    KcStmt *s;
    switch (t->kind) {
    case TK_KW_LET: case TK_KW_VAR: case TK_KW_CONST:
        return parse_var(p);
    case TK_KW_IF:
        return parse_if(p);
    case TK_KW_WHILE:
        advance(p);
        s = new_stmt(p, S_WHILE, t->pos);
        s->u.while_.cond = parse_expr(p);
        recover_to_body(p);
        s->u.while_.body = parse_block(p);
        return s;
    case TK_KW_FOR:
        return parse_for(p);
    case TK_KW_TRY:
        return parse_try(p);
    case TK_KW_BREAK: case TK_KW_CONTINUE:
        advance(p);
        return new_stmt(p, t->kind == TK_KW_BREAK ? S_BREAK : S_CONTINUE, t->pos);
    case TK_KW_RETURN: case TK_KW_THROW: {
        advance(p);
        s = new_stmt(p, t->kind == TK_KW_RETURN ? S_RETURN : S_THROW, t->pos);
        KcToken *n = peek(p);
        if (!(n->nl_before || n->kind == TK_SEMI || n->kind == TK_RBRACE || n->kind == TK_EOF))
            s->u.ret.value = parse_expr(p);
        else if (t->kind == TK_KW_THROW)
            perr(p, n->pos, "expected an expression after `throw`");
        return s;
    }
    case TK_LBRACE:
        return parse_block(p);
    case TK_KW_FUN:
        if (peek_at(p, 1)->kind == TK_IDENT || peek_at(p, 1)->kind == TK_LT) {
            /* A local function: a `let`-like local holding a closure that is in
            ** scope in its own body (so it may recurse). */
            s = new_stmt(p, S_VAR, t->pos);
            s->u.var.keyword = TK_KW_FUN;
            KcDecl *fn = parse_fun(p, t->pos, 0, 0);
            if (fn->ntparams > 0)
                perr(p, fn->pos, "a local function cannot be generic (declare it at the top level)");
            s->u.var.name = fn->name;
            s->u.var.name_pos = fn->name_pos;
            KcExpr *le = new_expr(p, E_LAMBDA, t->pos);
            le->u.lambda.fn = fn;
            s->u.var.init = le;
            if (!fn->name) s->kind = S_ERROR;
            else if (!fn->body && !p->panic) {
                perr(p, peek(p)->pos, "expected `{` and the body of local function `%s`", fn->name->s);
            }
            return s;
        }
        break;
    case TK_KW_CLASS: case TK_KW_INTERFACE: case TK_KW_IMPORT: case TK_KW_MODULE:
        perr(p, t->pos, "`%s` is only allowed at the top level of a file", kc_tok_text(t->kind));
        return new_stmt(p, S_ERROR, t->pos);
    default:
        break;
    }
    KcExpr *e = parse_expr(p);
    KcToken *op = peek(p);
    if (is_assign_op(op->kind) && !p->panic) {
        advance(p);
        s = new_stmt(p, S_ASSIGN, t->pos);
        s->u.assign.op = op->kind;
        s->u.assign.target = e;
        s->u.assign.value = parse_expr(p);
        return s;
    }
    if ((op->kind == TK_PLUSPLUS || op->kind == TK_MINUSMINUS) && !nl_here(p) && !p->panic) {
        advance(p);
        s = new_stmt(p, S_INCDEC, t->pos);
        s->u.incdec.op = op->kind;
        s->u.incdec.target = e;
        return s;
    }
    s = new_stmt(p, S_EXPR, t->pos);
    s->u.expr.e = e;
    return s;
}

static KcStmt *parse_stmt(Parser *p) {
    int start = p->i;
    KcStmt *s = parse_stmt_inner(p);
    if (!p->panic) end_stmt(p);
    if (p->panic) {
        sync_stmt(p, start);
        if (s->kind == S_VAR && s->u.var.name) {
            if (!s->u.var.init || s->u.var.init->kind != E_ERROR) s->u.var.init = error_expr(p, s->pos);
        } else if (s->kind != S_BLOCK && s->kind != S_IF && s->kind != S_WHILE && s->kind != S_FOR &&
                   s->kind != S_TRY) {
            s->kind = S_ERROR;
        }
    }
    return s;
}

/* A top-level declaration starts here (used to detect a missing `}`). */
static int looks_like_decl(Parser *p) {
    switch (peek(p)->kind) {
    case TK_KW_FUN: return peek_at(p, 1)->kind == TK_IDENT || peek_at(p, 1)->kind == TK_LT;
    case TK_KW_CLASS: case TK_KW_INTERFACE: case TK_KW_IMPORT: case TK_KW_MODULE:
    case TK_KW_PRIVATE: case TK_KW_NATIVE: case TK_KW_ABSTRACT:
        return 1;
    default:
        return 0;
    }
}

static KcStmt *parse_block(Parser *p) {
    KcToken *t = peek(p);
    KcStmt *b = new_stmt(p, S_BLOCK, t->pos);
    if (!at(p, TK_LBRACE)) {
        perr(p, t->pos, "expected `{`, found %s", tok_desc(p, t));
        b->u.block.rbrace = t->pos;
        return b;
    }
    advance(p);
    if (!nest_in(p, t->pos)) {
        /* Skip the whole block without recursing. */
        int depth = 1;
        while (!at(p, TK_EOF) && depth > 0) {
            int k = advance(p)->kind;
            if (k == TK_LBRACE) depth++;
            else if (k == TK_RBRACE) depth--;
        }
        return b;
    }
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    KcVec stmts = {0};
    for (;;) {
        while (accept(p, TK_SEMI)) { }
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        KcToken *st = peek(p);
        if (st->pos.col == 1 && st->nl_before && looks_like_decl(p)) {
            /* A declaration at the start of a line: most likely a `}` is missing. */
            perr(p, st->pos, "expected `}` to close the block opened at line %d before this "
                 "declaration", t->pos.line);
            break;
        }
        int before = p->i;
        kc_vec_push(p->c, &stmts, parse_stmt(p));
        if (p->i == before) advance(p);         /* always make progress */
    }
    b->u.block.stmts = (KcStmt **)stmts.items;
    b->u.block.n = stmts.n;
    b->u.block.rbrace = peek(p)->pos;
    if (!at(p, TK_RBRACE))
        perr(p, peek(p)->pos, "expected `}` to close the block opened at line %d", t->pos.line);
    else
        advance(p);
    p->nl_ignore = saved;
    p->nest--;
    return b;
}

/* ---- declarations --------------------------------------------------------------- */

/* `fun` [<T, ...>] name(params) [: R] body. For a closure (is_lambda) there is no
** name and the body may be `=> expr`. Native and abstract functions have no body. */
static KcDecl *parse_fun(Parser *p, KcPos start, int mods, int is_lambda) {
    KcDecl *d = kc_alloc(p->c, sizeof *d);
    d->kind = D_FUN;
    d->pos = start;
    d->mods = mods & ~(MOD_CTOR | MOD_NOBODY_OK);
    advance(p);                                 /* `fun` or `init` */
    if (!is_lambda && at(p, TK_LT)) {
        advance(p);
        KcVec tps = {0};
        while (!p->panic) {
            KcName *n = expect_ident(p, "a type parameter name", NULL);
            if (n) kc_vec_push(p->c, &tps, n);
            if (!accept(p, TK_COMMA)) break;
        }
        expect_close_angle(p);
        d->tparams = (KcName **)tps.items;
        d->ntparams = tps.n;
    }
    if (mods & MOD_CTOR) {
        d->name = p->c->n_init;
        d->name_pos = start;
        d->is_ctor = 1;
    } else if (!is_lambda) {
        d->name = expect_ident(p, "a function name", &d->name_pos);
        check_decl_name(p, d->name, d->name_pos);
    } else {
        d->name_pos = start;
    }
    if (p->panic) return d;
    expect(p, TK_LPAREN, is_lambda ? "to start the closure's parameters"
                                   : "to start the parameter list");
    int saved = p->nl_ignore;
    p->nl_ignore = 1;
    KcVec params = {0};
    while (!p->panic && !at(p, TK_RPAREN) && !at(p, TK_EOF)) {
        KcParam *pa = kc_alloc(p->c, sizeof *pa);
        pa->name = expect_ident(p, "a parameter name", &pa->pos);
        check_decl_name(p, pa->name, pa->pos);
        if (!p->panic) expect(p, TK_COLON, "and a type after the parameter name");
        if (!p->panic) pa->type = parse_type(p);
        kc_vec_push(p->c, &params, pa);
        if (!accept(p, TK_COMMA)) break;
    }
    if (!p->panic) expect(p, TK_RPAREN, "to close the parameter list");
    p->nl_ignore = saved;
    d->nparams = params.n;
    d->params = kc_alloc(p->c, sizeof(KcParam) * (size_t)(params.n ? params.n : 1));
    for (int i = 0; i < params.n; i++) d->params[i] = *(KcParam *)params.items[i];
    if (p->panic) return d;
    if (accept(p, TK_COLON)) d->ret = parse_type(p);
    if (p->panic) return d;
    if (is_lambda && at(p, TK_ARROW)) {
        advance(p);
        d->expr_body = parse_expr(p);
    } else if (!is_lambda && (mods & (MOD_NATIVE | MOD_ABSTRACT | MOD_NOBODY_OK)) &&
               !at(p, TK_LBRACE)) {
        /* no body */
    } else {
        int before = p->nerrors;
        d->body = parse_block(p);
        if (p->nerrors != before) d->syntax_error = 1;
    }
    return d;
}

/* a.b.c as one interned name "a.b.c". */
static KcName *parse_qualified(Parser *p, const char *what, KcPos *pos) {
    KcBuf b = {0};
    KcName *n = expect_ident(p, what, pos);
    if (!n) return NULL;
    kc_buf_put(p->c, &b, n->s, n->len);
    while (at(p, TK_DOT) && peek_at(p, 1)->kind == TK_IDENT) {
        advance(p);
        n = advance(p)->v.name;
        kc_buf_u8(p->c, &b, '.');
        kc_buf_put(p->c, &b, n->s, n->len);
    }
    return kc_name(p->c, (const char *)b.p, b.len);
}

static KcDecl *parse_import(Parser *p) {
    KcDecl *d = kc_alloc(p->c, sizeof *d);
    d->kind = D_IMPORT;
    d->pos = advance(p)->pos;
    d->name = parse_qualified(p, "a module name after `import`", &d->name_pos);
    if (!p->panic && at(p, TK_DOT) && peek_at(p, 1)->kind == TK_LBRACE) {
        advance(p);
        advance(p);
        KcVec names = {0};
        while (!p->panic && !at(p, TK_RBRACE)) {
            KcName *n = expect_ident(p, "a name to import", NULL);
            if (n) kc_vec_push(p->c, &names, n);
            if (!accept(p, TK_COMMA)) break;
        }
        expect(p, TK_RBRACE, "to close the imported names");
        d->tparams = (KcName **)names.items;        /* the names in {...} */
        d->ntparams = names.n;
    }
    return d;
}

static int modifier_bit(int kind) {
    switch (kind) {
    case TK_KW_PRIVATE: return MOD_PRIVATE;
    case TK_KW_NATIVE: return MOD_NATIVE;
    case TK_KW_STATIC: return MOD_STATIC;
    case TK_KW_ABSTRACT: return MOD_ABSTRACT;
    case TK_KW_OVERRIDE: return MOD_OVERRIDE;
    default: return 0;
    }
}

/* Skips a class member after a syntax error: to the next line-start token at
** brace depth 0, or to the `}` closing the class (not consumed). */
static void skip_member(Parser *p, int start) {
    int depth = 0;
    for (;;) {
        KcToken *t = peek(p);
        if (t->kind == TK_EOF) break;
        if (depth == 0 && t->kind == TK_RBRACE) break;
        if (depth == 0 && p->i > start && (t->nl_before || t->kind == TK_SEMI) &&
            t->kind != TK_LBRACE) {
            if (t->kind == TK_SEMI) advance(p);
            break;
        }
        if (t->kind == TK_LBRACE || t->kind == TK_LPAREN || t->kind == TK_LBRACKET) depth++;
        else if ((t->kind == TK_RBRACE || t->kind == TK_RPAREN || t->kind == TK_RBRACKET) && depth > 0)
            depth--;
        advance(p);
    }
    p->panic = 0;
}

static int modifier_bit(int kind);

/* A variable declaration (global, field or constant) as a declaration. */
static KcDecl *var_decl(Parser *p, KcPos dpos, int mods) {
    int kw = peek(p)->kind;
    KcStmt *s = parse_var(p);
    KcDecl *d = kc_alloc(p->c, sizeof *d);
    d->kind = kw == TK_KW_CONST ? D_CONST : D_VAR;
    d->pos = dpos;
    d->mods = mods;
    d->name = s->u.var.name;
    d->name_pos = s->u.var.name_pos;
    d->body = s;
    return d;
}

/* class Name<T> extends B implements I, J { members } / interface Name<T> extends I { } */
static KcDecl *parse_class(Parser *p, KcPos dpos, int mods) {
    Kc *c = p->c;
    KcToken *kw = advance(p);
    int is_iface = kw->kind == TK_KW_INTERFACE;
    KcDecl *d = kc_alloc(c, sizeof *d);
    d->kind = is_iface ? D_INTERFACE : D_CLASS;
    d->pos = dpos;
    d->mods = mods;
    d->name = expect_ident(p, is_iface ? "an interface name" : "a class name", &d->name_pos);
    check_decl_name(p, d->name, d->name_pos);
    if (p->panic) return d;
    if (at(p, TK_LT)) {
        advance(p);
        KcVec tps = {0};
        while (!p->panic) {
            KcName *n = expect_ident(p, "a type parameter name", NULL);
            if (n) kc_vec_push(c, &tps, n);
            if (!accept(p, TK_COMMA)) break;
        }
        expect_close_angle(p);
        d->tparams = (KcName **)tps.items;
        d->ntparams = tps.n;
    }
    KcVec ifs = {0};
    if (!p->panic && !is_iface && accept(p, TK_KW_EXTENDS)) d->super = parse_type(p);
    if (!p->panic && accept(p, is_iface ? TK_KW_EXTENDS : TK_KW_IMPLEMENTS)) {
        while (!p->panic) {
            kc_vec_push(c, &ifs, parse_type(p));
            if (!accept(p, TK_COMMA)) break;
        }
    }
    if (!p->panic && !is_iface && at(p, TK_KW_EXTENDS))
        perr(p, peek(p)->pos, "`extends` must come before `implements`");
    d->ifaces = (KcTypeExpr **)ifs.items;
    d->nifaces = ifs.n;
    if (p->panic) return d;
    KcToken *lb = peek(p);
    if (!expect(p, TK_LBRACE, is_iface ? "to start the interface body" : "to start the class body"))
        return d;
    KcVec members = {0};
    for (;;) {
        while (accept(p, TK_SEMI)) { }
        if (at(p, TK_RBRACE) || at(p, TK_EOF)) break;
        int start = p->i;
        KcPos mpos = peek(p)->pos;
        int mmods = 0, bit;
        while ((bit = modifier_bit(peek(p)->kind)) != 0) {
            KcToken *m = advance(p);
            if (mmods & bit) kc_error(c, m->pos, "repeated modifier `%s`", kc_tok_text(m->kind));
            mmods |= bit;
            for (int k = 0; k < 5; k++) if (bit == 1 << k) d->mod_pos[k] = m->pos;
        }
        KcToken *t = peek(p);
        KcDecl *m = NULL;
        if (t->kind == TK_KW_FUN) {
            m = parse_fun(p, mpos, mmods | (is_iface ? MOD_NOBODY_OK : 0), 0);
        } else if (t->kind == TK_IDENT && t->v.name == c->n_init && peek_at(p, 1)->kind == TK_LPAREN) {
            m = parse_fun(p, mpos, mmods | MOD_CTOR, 0);
        } else if (t->kind == TK_KW_VAR || t->kind == TK_KW_LET || t->kind == TK_KW_CONST) {
            m = var_decl(p, mpos, mmods);
        } else if (t->pos.col == 1 && t->nl_before && (t->kind == TK_KW_CLASS ||
                   t->kind == TK_KW_INTERFACE || t->kind == TK_KW_IMPORT)) {
            perr(p, t->pos, "expected `}` to close the %s opened at line %d before this declaration",
                 is_iface ? "interface" : "class", lb->pos.line);
            return d;
        } else {
            perr(p, t->pos, "expected a member declaration (`fun`, `init`, `var`, `let`), found %s",
                 tok_desc(p, t));
        }
        if (m) {
            if (p->panic) m->syntax_error = 1;
            for (int k = 0; k < 5; k++) m->mod_pos[k] = d->mod_pos[k];
            kc_vec_push(c, &members, m);
            if (!p->panic && m->kind != D_FUN) end_stmt(p);
            if (!p->panic && m->kind == D_FUN && !at(p, TK_RBRACE) && !at(p, TK_EOF) &&
                !peek(p)->nl_before && !at(p, TK_SEMI))
                perr(p, peek(p)->pos, "expected a line break after the member, found %s",
                     tok_desc(p, peek(p)));
        }
        if (p->panic) skip_member(p, start);
        if (p->i == start) advance(p);
    }
    memset(d->mod_pos, 0, sizeof d->mod_pos);
    d->members = (KcDecl **)members.items;
    d->nmembers = members.n;
    if (!at(p, TK_RBRACE))
        perr(p, peek(p)->pos, "expected `}` to close the %s opened at line %d",
             is_iface ? "interface" : "class", lb->pos.line);
    else
        advance(p);
    return d;
}

KcFile *kc_parse(Kc *c, KcSrc *src) {
    KcTokens toks;
    kc_lex(c, src, &toks);
    Parser P;
    memset(&P, 0, sizeof P);
    Parser *p = &P;
    p->c = c;
    p->src = src;
    p->toks = toks.toks;
    p->n = toks.n;

    KcFile *f = kc_alloc(c, sizeof *f);
    f->src = src;
    KcVec decls = {0};
    while (accept(p, TK_SEMI)) { }
    if (at(p, TK_KW_MODULE)) {
        int start = p->i;
        advance(p);
        f->module_name = parse_qualified(p, "a module name after `module`", &f->module_pos);
        if (!p->panic) end_stmt(p);
        if (p->panic) skip_decl(p, start);
    }
    for (;;) {
        while (accept(p, TK_SEMI)) { }
        if (at(p, TK_EOF)) break;
        int start = p->i;
        KcPos dpos = peek(p)->pos;
        int mods = 0, bit;
        KcPos mod_pos[5];
        memset(mod_pos, 0, sizeof mod_pos);
        while ((bit = modifier_bit(peek(p)->kind)) != 0) {
            KcToken *m = advance(p);
            if (mods & bit) kc_error(c, m->pos, "repeated modifier `%s`", kc_tok_text(m->kind));
            mods |= bit;
            for (int k = 0; k < 5; k++) if (bit == 1 << k) mod_pos[k] = m->pos;
        }
        KcToken *t = peek(p);
        KcDecl *d = NULL;
        switch (t->kind) {
        case TK_KW_FUN:
            d = parse_fun(p, dpos, mods, 0);
            break;
        case TK_KW_IMPORT:
            d = parse_import(p);
            break;
        case TK_KW_VAR: case TK_KW_LET: case TK_KW_CONST:
            d = var_decl(p, dpos, mods);
            break;
        case TK_KW_CLASS: case TK_KW_INTERFACE:
            d = parse_class(p, dpos, mods);
            break;
        case TK_KW_MODULE:
            perr(p, t->pos, "`module` must be the first declaration of the file");
            break;
        default:
            perr(p, t->pos, "expected a declaration (such as `fun`), found %s", tok_desc(p, t));
            break;
        }
        if (d) {
            if (p->panic) d->syntax_error = 1;
            memcpy(d->mod_pos, mod_pos, sizeof mod_pos);
            kc_vec_push(c, &decls, d);
            int blocky = d->kind == D_FUN || d->kind == D_CLASS || d->kind == D_INTERFACE;
            if (!p->panic && !blocky) end_stmt(p);
            if (!p->panic && blocky && !at(p, TK_EOF) && !peek(p)->nl_before &&
                !at(p, TK_SEMI))
                perr(p, peek(p)->pos, "expected a line break after the declaration, found %s",
                     tok_desc(p, peek(p)));
        }
        if (p->panic) skip_decl(p, start);
        if (p->i == start) advance(p);
    }
    f->decls = (KcDecl **)decls.items;
    f->ndecls = decls.n;
    return f;
}
