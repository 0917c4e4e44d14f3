/*
** compiler/kcint.h — what the compiler's files share: the per-compilation context,
** its arena, interned names, diagnostics, semantic types and symbols.
**
** Invariants:
** - Everything a compilation allocates comes from its arena (kc_alloc) and is freed
**   at once when kc_compile returns; nothing is freed piecemeal. kc_alloc never
**   returns NULL: on exhaustion it longjmps to kc_compile, which reports the failure.
**   So no function may hold malloc'd memory of its own across a kc_alloc call.
** - Names are interned (kc_name): two KcName pointers are equal iff the texts are.
** - Types are unique per kind (ctx->t_int ...), array types are cached on their
**   element type, so types also compare by pointer.
** - Positions are (source index, line, col, byte offset); line and col are 1-based.
** - KT_ERROR stands for "already reported": it matches every type and operator,
**   so one mistake gives one message.
*/
#ifndef KILN_KCINT_H
#define KILN_KCINT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kc.h"

/* Nesting limit for blocks and expressions (the parser, checker and code generator
** recurse over the syntax tree; this keeps the C stack small). */
#define KC_MAX_NEST 200
/* Depth limit of an expression tree (long operator chains nest to the left). */
#define KC_MAX_EXPR_DEPTH 2000
/* Diagnostics printed before the compiler stops listing them. */
#define KC_MAX_DIAGS 100

typedef struct Kc Kc;
typedef struct KcName KcName;
typedef struct KcType KcType;
typedef struct KcFunc KcFunc;
typedef struct KcModule KcModule;
typedef struct KcSrc KcSrc;

typedef struct { int src; int line; int col; uint32_t off; } KcPos;

/* ---- arena and growable buffers ------------------------------------------- */

KC_FUNC void *kc_alloc(Kc *c, size_t n);                 /* zeroed */
KC_FUNC char *kc_strndup(Kc *c, const char *s, size_t n);  /* NUL-terminated copy */
KC_FUNC char *kc_sprintf(Kc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A byte buffer in the arena; growing abandons the old block (amortised 2x). */
typedef struct { uint8_t *p; size_t len, cap; } KcBuf;
KC_FUNC void kc_buf_put(Kc *c, KcBuf *b, const void *data, size_t n);
KC_FUNC void kc_buf_u8(Kc *c, KcBuf *b, unsigned v);
KC_FUNC void kc_buf_u16(Kc *c, KcBuf *b, unsigned v);
KC_FUNC void kc_buf_u32(Kc *c, KcBuf *b, uint32_t v);
KC_FUNC void kc_buf_u64(Kc *c, KcBuf *b, uint64_t v);
KC_FUNC void kc_buf_str(Kc *c, KcBuf *b, const char *s);

/* A growable array of pointers in the arena. */
typedef struct { void **items; int n, cap; } KcVec;
KC_FUNC void kc_vec_push(Kc *c, KcVec *v, void *item);

/* ---- names ----------------------------------------------------------------- */

struct KcName {
    const char *s;          /* NUL-terminated (names never contain NUL) */
    uint32_t    len, hash;
    KcName     *chain;      /* next in the intern table's bucket */
    int         keyword;    /* token kind if this is a keyword, else 0 */
    KcFunc     *funcs;      /* every declared function of this name (see KcFunc) */
    struct KcField *globals;    /* every module global or constant of this name */
    struct KcCls *classes;    /* every class or interface of this name */
};
KC_FUNC KcName *kc_name(Kc *c, const char *s, size_t len);
KC_FUNC KcName *kc_name_cstr(Kc *c, const char *s);
/* The module name source s declares, or else its file's base name without ".kl". */
KC_FUNC KcName *kc_src_module_name(Kc *c, KcSrc *s);

/* ---- diagnostics ----------------------------------------------------------- */

KC_FUNC void kc_error(Kc *c, KcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
KC_FUNC void kc_verror(Kc *c, KcPos pos, const char *fmt, va_list ap);

/* ---- types ----------------------------------------------------------------- */

typedef enum {
    KT_ERROR, KT_VOID, KT_INT, KT_FLOAT, KT_BOOL, KT_BYTE, KT_STRING, KT_NULL,
    KT_ARRAY, KT_CLASS, KT_FUNC, KT_TPARAM
} KcTypeKind;

typedef struct KcCls KcCls;
typedef struct KcField KcField;

/* Types are interned: array types on their element, class instantiations on their
** class (by argument list), function types in ctx->fn_types; so they compare by
** pointer. A type parameter is a KT_TPARAM type of its own (erased to Object). */
struct KcType {
    KcTypeKind  kind;
    const char *name;       /* as shown in messages: "int", "String", "List<int>" */
    const char *desc;       /* erased descriptor: "I", "Lstd.core.String;", "[I" */
    KcType     *elem;       /* KT_ARRAY: element type */
    KcType     *array_of;   /* cache: the type elem[] of this type */
    KcCls    *cls;        /* KT_CLASS (and KT_STRING once the prelude is declared) */
    KcType    **args;       /* KT_CLASS: type arguments; KT_FUNC: parameter types */
    int         nargs;
    KcType     *ret;        /* KT_FUNC: result (t_void when none) */
    KcType     *next;       /* interning chain */
    int         tindex;     /* KT_TPARAM: index in its owner's parameter list */
    int         tmethod;    /* KT_TPARAM: 1 if a generic function's parameter */
};
KC_FUNC KcType *kc_array_type(Kc *c, KcType *elem);
KC_FUNC KcType *kc_class_type(Kc *c, KcCls *cls, KcType **args, int nargs);
KC_FUNC KcType *kc_func_type(Kc *c, KcType **params, int nparams, KcType *ret);

/* types.c: substitution of type parameters (from[i] -> to[i]). */
typedef struct { KcType **from, **to; int n; } KcSubst;
KC_FUNC KcType *kc_subst(Kc *c, KcType *t, const KcSubst *s);
/* The instantiation of `target` that t is a subtype of (t itself included), or NULL. */
KC_FUNC KcType *kc_super_as(Kc *c, KcType *t, KcCls *target);
/* The substitution of owner's parameters seen from a receiver of type recv. */
KC_FUNC KcSubst kc_recv_subst(Kc *c, KcType *recv, KcCls *owner);
KC_FUNC int  kc_is_subclass(KcCls *a, KcCls *b);
KC_FUNC int  kc_is_ref(KcType *t);
KC_FUNC int  kc_is_prim(KcType *t);
KC_FUNC int  kc_assignable(Kc *c, KcType *from, KcType *to);
KC_FUNC int  kc_has_tparam(KcType *t);
KC_FUNC const char *kc_type_list(Kc *c, KcType **ts, int n);
KC_FUNC const char *kc_method_desc(Kc *c, KcType **params, int n, KcType *ret, KcType **pre, int npre);

/* ---- symbols --------------------------------------------------------------- */

/* A function: a module's top-level function, a method, a constructor (`init`), a
** closure's synthetic method, or a built-in. Top-level functions of one name are
** chained through next_same_name from KcName.funcs. */
struct KcFunc {
    KcName     *name;
    KcModule   *module;         /* the declaring module */
    const char *owner;          /* class holding the method: "m" or "m.Class" */
    KcCls    *cls;            /* NULL for module functions */
    KcType    **params;         /* declared types (may mention type parameters) */
    int         nparams;
    KcType     *ret;            /* t_void when no result */
    KcType    **tparams;        /* generic function: its KT_TPARAM types */
    int         ntparams;
    const char *desc;           /* erased method descriptor, e.g. "(I)I" */
    int         access;         /* KACC_* */
    int         is_ctor;
    int         is_override;
    int         ncaptures;      /* closures: leading captured parameters */
    const char *mname;          /* name in the class file (closures: "f.<lambda>") */
    struct KcDecl *decl;        /* NULL for synthetic functions */
    KcFunc     *next_same_name;
    KcFunc     *overrides;      /* the method of a supertype it replaces, if any */
    KcFunc     *target;         /* bridges and adapters: the function they call */
    KcType     *adapt_from;     /* adapters: the closure's own function type */
    int         synth;          /* SYN_* for functions without a declaration */
    KcPos       pos;
};

enum { SYN_NONE, SYN_DEFAULT_INIT, SYN_BRIDGE, SYN_ADAPTER, SYN_LAMBDA, SYN_METHOD_REF };

/* A field, a static field, a module global or a constant. */
struct KcField {
    KcName     *name;
    KcType     *type;           /* declared (may mention class type parameters) */
    KcCls    *cls;            /* NULL for module globals */
    KcModule   *module;
    const char *owner;          /* "m" or "m.Class" */
    int         access;         /* KACC_STATIC, KACC_PRIVATE, KACC_LET */
    int         is_const;
    struct KcExpr *init;        /* initializer or NULL */
    struct KcDecl *decl;
    KcPos       pos;
    struct KcField *next_same_name;
    int         typing;         /* inferring its type right now (cycle guard) */
    int         typed;          /* its type is known */
    /* constants */
    KcType     *cval_type;
    int64_t     ival;
    double      fval;
    const char *sval; size_t slen;
};

struct KcCls {
    KcName     *name;           /* simple name */
    const char *qname;          /* "m.Name" */
    KcModule   *module;
    struct KcDecl *decl;        /* NULL for none */
    int         is_interface, is_abstract, is_final;
    KcType     *type;           /* the class's own type, its parameters as arguments */
    KcType    **tparams;
    int         ntparams;
    KcType     *super_type;     /* NULL for Object and interfaces */
    KcType    **ifaces;         /* direct superinterfaces */
    int         nifaces;
    KcVec       fields;         /* KcField* */
    KcVec       methods;        /* KcFunc*, constructors included */
    KcVec       lambdas;        /* KcFunc* of closures and adapters, generated with it */
    int         nlambdas;
    int         header_state;   /* 0 not yet, 1 resolving, 2 done */
    int         checked;
    KcPos       pos;
    struct KcCls *next_same_name;
};

typedef struct {
    KcName   *alias;            /* last part of the module name: `import a.b` -> b */
    KcModule *module;
    KcName  **names;            /* import a.b.{X, Y}: X, Y; NULL otherwise */
    int       nnames;
    KcPos     pos;
} KcImport;

struct KcModule {
    KcName   *name;             /* qualified, e.g. "geometry.shapes" */
    KcSrc    *src;
    KcVec     funcs;            /* KcFunc*, in declaration order */
    KcVec     classes;          /* KcCls* */
    KcVec     globals;          /* KcField* (globals and constants), source order */
    KcVec     lambdas;          /* KcFunc* of closures in module functions */
    int       nlambdas;
    KcImport *imports;
    int       nimports;
    int       is_prelude;
    KcModule *next;
};

struct KcSrc {
    int         index;
    const char *path;
    const char *text;
    size_t      len;
    const char *basename;       /* "fib.kl" */
    struct KcFile *ast;
    KcModule   *module;
};

/* ---- the compilation ------------------------------------------------------- */

typedef struct KcArenaBlock KcArenaBlock;

typedef struct {
    int src; int line; int col; uint32_t off; char *msg;
} KcDiag;

typedef char *(*KcLoadFnInt)(void *ud, const char *module, size_t *len, char **path);

struct Kc {
    jmp_buf       oom;          /* kc_alloc longjmps here when memory runs out */
    KcArenaBlock *arena;
    KcName      **names;        /* intern table, power-of-two buckets */
    size_t        names_cap, names_count;
    KcSrc        *srcs;
    int           nsrcs;
    KcDiag       *diags;        /* in the arena */
    int           ndiags, diags_cap, nerrors;
    KcModule     *modules;      /* in source order */
    KcModule     *core;         /* std.core (the prelude) */
    KcFunc       *builtins;     /* unused: std.core functions live in the prelude */
    KcType       *fn_types;     /* interned function types */
    KcType       *t_error, *t_void, *t_int, *t_float, *t_bool, *t_byte, *t_string, *t_null;
    KcType       *t_object, *t_function;
    KcCls      *c_object, *c_string, *c_error, *c_int, *c_float, *c_bool, *c_function,
                 *c_iterable, *c_iterator, *c_map;
    KcName       *n_print, *n_println, *n_main, *n_int, *n_float, *n_bool, *n_byte,
                 *n_string, *n_init, *n_this, *n_length, *n_str, *n_value, *n_iterator,
                 *n_has_next, *n_next, *n_super;
};

/* ---- the stages (one file each) ------------------------------------------- */

struct KcFile;
struct KcTokens;
KC_FUNC void kc_lex(Kc *c, KcSrc *src, struct KcTokens *out);      /* lexer.c */
KC_FUNC struct KcFile *kc_parse(Kc *c, KcSrc *src);                /* parser.c */
KC_FUNC void kc_declare(Kc *c);                                    /* check.c: modules, signatures */
KC_FUNC void kc_check(Kc *c);                                      /* check.c: bodies */
/* codegen.c: the class files of one module (its module class first, then its
** classes), in the arena, appended to outs as KcOut*. */
typedef struct { const char *name; uint8_t *data; size_t len; } KcOut;
KC_FUNC void kc_gen_module(Kc *c, KcModule *m, KcVec *outs);

#endif
