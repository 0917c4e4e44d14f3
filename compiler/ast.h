/*
** compiler/ast.h — the syntax tree.
**
** The parser builds it (all nodes in the compilation's arena); the checker fills
** the semantic fields marked "checker" (types, resolved locals and functions);
** the code generator reads both. The tree covers the whole language's syntax
** where the parser already accepts it (member access, indexing, `is`/`as`, array
** literals, `new`, closures, `throw`, `try`, interpolation): the checker reports
** the parts the code generator cannot compile yet, so growing the language means
** filling in checker and code generator cases, not reshaping the tree.
**
** Invariants:
** - Every node has a position (its first token; binary operators also record
**   the operator's position).
** - An expression or statement the parser could not read is E_ERROR / S_ERROR,
**   already reported; later stages skip it silently.
** - KcExpr.depth is the height of the expression's tree (1 for a leaf); the parser
**   keeps it below KC_MAX_EXPR_DEPTH so recursive walks stay shallow.
*/
#ifndef KILN_AST_H
#define KILN_AST_H

#include "kcint.h"

typedef struct KcTypeExpr KcTypeExpr;
typedef struct KcExpr KcExpr;
typedef struct KcStmt KcStmt;
typedef struct KcDecl KcDecl;

/* ---- type syntax ------------------------------------------------------------ */

typedef enum { TX_NAME, TX_ARRAY, TX_FUNC } KcTypeExprKind;

struct KcTypeExpr {
    KcTypeExprKind kind;
    KcPos          pos;
    KcName       **parts;     /* TX_NAME: a.b.C as parts a, b, C */
    int            nparts;
    KcTypeExpr   **args;      /* TX_NAME: type arguments; TX_FUNC: parameter types */
    int            nargs;
    KcTypeExpr    *elem;      /* TX_ARRAY: element type */
    KcTypeExpr    *ret;       /* TX_FUNC: result, NULL for none */
};

/* ---- locals ----------------------------------------------------------------- */

typedef enum { LK_LET, LK_VAR, LK_PARAM, LK_LOOP } KcLocalKind;

typedef struct KcLocal {
    KcName     *name;
    KcType     *type;         /* checker */
    KcPos       pos;
    KcLocalKind kind;
    int         slot;         /* code generator: local-variable index */
    int         cell;         /* checker: a captured `var`, kept in a 1-element array */
    int         fdepth;       /* checker: nesting depth of the function declaring it */
    int         is_const;     /* local `const`: value in cexpr */
    int         is_fun;       /* a local function (read-only, in scope in its own body) */
    struct KcExpr *cexpr;
} KcLocal;

/* A closure's captured variable: `outer` in the enclosing function is passed as
** the closure method's leading parameter `inner`. */
typedef struct { KcLocal *outer, *inner; } KcCapture;

/* How a name or member resolved (checker). */
enum {
    NR_NONE, NR_LOCAL, NR_FIELD, NR_STATIC, NR_CONST, NR_FUNC, NR_CLASS, NR_MODULE,
    NR_ARRAY_LENGTH, NR_STRING_LENGTH, NR_BOUND_METHOD
};

/* How a call is made (checker). */
enum {
    CK_NONE, CK_STATIC, CK_VIRTUAL, CK_INTERFACE, CK_SPECIAL, CK_NEW, CK_SUPER_INIT,
    CK_CLOSURE, CK_CONVERT
};

/* ---- expressions ------------------------------------------------------------ */

typedef enum {
    E_ERROR, E_INT, E_FLOAT, E_STRING, E_INTERP, E_BOOL, E_NULL, E_THIS, E_SUPER,
    E_NAME, E_UNARY, E_BINARY, E_COND, E_CALL, E_MEMBER, E_INDEX, E_IS, E_AS,
    E_ARRAY_LIT, E_NEW_ARRAY, E_LAMBDA, E_PAREN
} KcExprKind;

struct KcExpr {
    KcExprKind kind;
    int        op;            /* E_UNARY, E_BINARY: the operator's token kind */
    int        depth;
    KcPos      pos;
    KcType    *ty;            /* checker: the expression's type */
    KcType    *decl_ty;       /* checker: the declared type of a member or call result
                                 when it differs (a type parameter): the code generator
                                 unboxes or casts from it to ty */
    KcType    *cast_ty;       /* checker: E_IS / E_AS target type */
    union {
        int64_t ival;                                         /* E_INT */
        double  fval;                                         /* E_FLOAT */
        int     bval;                                         /* E_BOOL */
        struct { const char *s; size_t len; } str;            /* E_STRING */
        struct { KcExpr **parts; int n; } interp;             /* E_INTERP: strings and exprs */
        struct { KcName *name; KcLocal *local;                /* E_NAME; the rest: checker */
                 KcTypeExpr **targs; int ntargs;              /*   explicit type arguments */
                 int what; KcField *field; KcFunc *fn; KcCls *cls; KcModule *mod;
                 KcLocal *this_local; } name;
        struct { KcExpr *operand; } unary;                    /* E_UNARY */
        struct { KcExpr *l, *r; KcPos op_pos; } bin;          /* E_BINARY (&& and || too) */
        struct { KcExpr *cond, *then, *els; } cond;           /* E_COND: cond ? then : els */
        struct { KcExpr *callee; KcExpr **args; int nargs;    /* E_CALL */
                 KcFunc *fn; int how; KcExpr *recv;           /*   checker: CK_*, receiver */
                 KcType *recv_type; KcType *fntype;           /*   CK_CLOSURE: the function type */
                 KcType **ptypes;                             /*   parameter types, substituted */
                 KcCls *cls; KcLocal *this_local; } call;   /*   CK_NEW: class */
        struct { KcExpr *obj; KcName *name;                   /* E_MEMBER: obj.name */
                 KcTypeExpr **targs; int ntargs;
                 int what; KcField *field; KcFunc *fn; KcCls *cls; KcModule *mod; } member;
        struct { KcExpr *obj, *index; } index;                /* E_INDEX: obj[index] */
        struct { KcExpr *e; KcTypeExpr *type; } is_as;        /* E_IS, E_AS */
        struct { KcExpr **items; int n; } array;              /* E_ARRAY_LIT */
        struct { KcTypeExpr *elem; KcExpr **dims; int ndims;  /* E_NEW_ARRAY: new T[d]..[] */
                 int extra_dims; } new_array;
        struct { KcDecl *fn; } lambda;                        /* E_LAMBDA */
        struct { KcExpr *e; } paren;                          /* E_PAREN: (e) */
    } u;
};

/* ---- statements ------------------------------------------------------------- */

typedef enum {
    S_ERROR, S_BLOCK, S_VAR, S_ASSIGN, S_INCDEC, S_EXPR, S_IF, S_WHILE, S_FOR,
    S_BREAK, S_CONTINUE, S_RETURN, S_THROW, S_TRY
} KcStmtKind;

typedef struct { KcName *name; KcPos pos; KcTypeExpr *type; KcStmt *body;
                 KcLocal *local; KcCls *cls; } KcCatch;      /* local, cls: checker */

enum { FOR_RANGE, FOR_ARRAY, FOR_ITER };

struct KcStmt {
    KcStmtKind kind;
    KcPos      pos;
    union {
        struct { KcStmt **stmts; int n; KcPos rbrace; } block;
        struct { int keyword;                      /* TK_KW_LET, _VAR, _CONST, or _FUN
                                                      for a local function (init: E_LAMBDA) */
                 KcName *name; KcPos name_pos; KcTypeExpr *type; KcExpr *init;
                 KcLocal *local; } var;            /* local: checker */
        struct { int op; KcExpr *target, *value; } assign;   /* op: TK_ASSIGN, TK_PLUS_EQ ... */
        struct { int op; KcExpr *target; } incdec;           /* op: TK_PLUSPLUS, TK_MINUSMINUS */
        struct { KcExpr *e; } expr;
        struct { KcExpr *cond; KcStmt *then, *els; } if_;    /* els: block, S_IF or NULL */
        struct { KcExpr *cond; KcStmt *body; int has_break; } while_;
        struct { KcName *var; KcPos var_pos; KcExpr *start;  /* for var in start..end */
                 KcExpr *end;                 /* NULL: for var in start (an iterable) */
                 int inclusive;               /* ..= */
                 KcStmt *body; KcLocal *local; int has_break;
                 int how; KcType *elem; KcType *decl_elem; } for_;   /* checker: FOR_* */
        struct { KcStmt *loop; } jump;                       /* S_BREAK/S_CONTINUE; checker */
        struct { KcExpr *value; } ret;                       /* S_RETURN, S_THROW */
        struct { KcStmt *body; KcCatch *catches; int ncatches; KcStmt *finally_; } try_;
    } u;
};

/* ---- declarations ----------------------------------------------------------- */

typedef enum { D_FUN, D_CLASS, D_INTERFACE, D_IMPORT, D_VAR, D_CONST } KcDeclKind;

enum {
    MOD_PRIVATE = 1, MOD_NATIVE = 2, MOD_STATIC = 4, MOD_ABSTRACT = 8, MOD_OVERRIDE = 16,
    MOD_CTOR = 32, MOD_NOBODY_OK = 64      /* parser only */
};

typedef struct { KcName *name; KcPos pos; KcTypeExpr *type; KcLocal *local; } KcParam;

struct KcDecl {
    KcDeclKind  kind;
    KcPos       pos;
    int         mods;           /* MOD_* */
    KcPos       mod_pos[5];     /* where each modifier was written (by bit index) */
    KcName     *name;
    KcPos       name_pos;
    KcName    **tparams;        /* generic type parameters <T, U> */
    int         ntparams;
    KcParam    *params;
    int         nparams;
    KcTypeExpr *ret;            /* NULL: no result */
    KcStmt     *body;           /* S_BLOCK; NULL for native or abstract */
    KcExpr     *expr_body;      /* closures written `=> e` */
    int         syntax_error;   /* the parser reported an error inside (or skipped part) */
    KcFunc     *fn;             /* checker */
    int         nlocals;        /* code generator: max_locals */
    /* classes and interfaces */
    KcTypeExpr *super;          /* extends (classes) */
    KcTypeExpr **ifaces;        /* implements / interface extends */
    int         nifaces;
    struct KcDecl **members;    /* D_FUN (init too), D_VAR, D_CONST */
    int         nmembers;
    int         is_ctor;        /* D_FUN: `init` */
    KcCls      *cls;            /* checker */
    KcField    *field;          /* checker: D_VAR, D_CONST */
    /* closures */
    KcVec       captures;       /* checker: KcCapture* */
    KcLocal    *this_local;     /* checker: `this` of a method or an init */
    struct KcDecl *outer;       /* checker: the enclosing function of a closure */
};

typedef struct KcFile {
    KcSrc   *src;
    KcName  *module_name;       /* from `module a.b`, or NULL */
    KcPos    module_pos;
    KcDecl **decls;
    int      ndecls;
} KcFile;

#endif
