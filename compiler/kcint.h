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
};
KC_FUNC KcName *kc_name(Kc *c, const char *s, size_t len);
KC_FUNC KcName *kc_name_cstr(Kc *c, const char *s);

/* ---- diagnostics ----------------------------------------------------------- */

KC_FUNC void kc_error(Kc *c, KcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
KC_FUNC void kc_verror(Kc *c, KcPos pos, const char *fmt, va_list ap);

/* ---- types ----------------------------------------------------------------- */

typedef enum {
    KT_ERROR, KT_VOID, KT_INT, KT_FLOAT, KT_BOOL, KT_BYTE, KT_STRING, KT_NULL,
    KT_ARRAY, KT_CLASS, KT_FUNC
} KcTypeKind;

struct KcType {
    KcTypeKind  kind;
    const char *name;       /* as shown in messages: "int", "String", "String[]" */
    const char *desc;       /* descriptor: "I", "Lstd.core.String;", "[I" */
    KcType     *elem;       /* KT_ARRAY: element type */
    KcType     *array_of;   /* cache: the type elem[] of this type */
};
KC_FUNC KcType *kc_array_type(Kc *c, KcType *elem);

/* ---- symbols --------------------------------------------------------------- */

/* A function: a module's top-level function or a built-in of std.core.
** Functions of one name are chained through next_same_name from KcName.funcs. */
struct KcFunc {
    KcName     *name;
    KcModule   *module;         /* NULL for built-ins */
    const char *owner;          /* class holding the method: module name or "std.core" */
    KcType    **params;
    int         nparams;
    KcType     *ret;            /* t_void when no result */
    const char *desc;           /* method descriptor, e.g. "(I)I" */
    int         access;         /* KACC_* */
    struct KcDecl *decl;        /* NULL for built-ins */
    KcFunc     *next_same_name;
    KcPos       pos;
};

struct KcModule {
    KcName   *name;             /* qualified, e.g. "geometry.shapes" */
    KcSrc    *src;
    KcVec     funcs;            /* KcFunc*, in declaration order */
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
    KcFunc       *builtins;     /* std.core functions (chained by next_same_name too) */
    KcType       *t_error, *t_void, *t_int, *t_float, *t_bool, *t_byte, *t_string, *t_null;
    KcName       *n_print, *n_println, *n_main, *n_int, *n_float, *n_bool, *n_byte,
                 *n_string, *n_init;
};

/* ---- the stages (one file each) ------------------------------------------- */

struct KcFile;
struct KcTokens;
KC_FUNC void kc_lex(Kc *c, KcSrc *src, struct KcTokens *out);      /* lexer.c */
KC_FUNC struct KcFile *kc_parse(Kc *c, KcSrc *src);                /* parser.c */
KC_FUNC void kc_declare(Kc *c);                                    /* check.c: modules, signatures */
KC_FUNC void kc_check(Kc *c);                                      /* check.c: bodies */
/* codegen.c: the class file of one module, in the arena. */
KC_FUNC void kc_gen_module(Kc *c, KcModule *m, uint8_t **data, size_t *len);

#endif
