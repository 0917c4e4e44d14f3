/*
** compiler/kc.c — the compiler's driver and its shared services: the arena,
** interned names, diagnostics, built-in types and functions, and kc_compile.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vm/bytecode.h"
#include "ast.h"
#include "lexer.h"

/* ---- arena -------------------------------------------------------------------- */

struct KcArenaBlock {
    KcArenaBlock *next;
    size_t        size, used;
    max_align_t   data[];
};

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN (sizeof(max_align_t))

void *kc_alloc(Kc *c, size_t n) {
    n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (n == 0) n = ARENA_ALIGN;
    KcArenaBlock *b = c->arena;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        if (size > SIZE_MAX - sizeof(KcArenaBlock)) longjmp(c->oom, 1);
        KcArenaBlock *nb = malloc(sizeof(KcArenaBlock) + size);
        if (!nb) longjmp(c->oom, 1);
        nb->size = size;
        nb->used = 0;
        if (b && size != ARENA_BLOCK) {
            /* A large block goes behind the current one, which keeps its free space. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            c->arena = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

static void arena_free(Kc *c) {
    KcArenaBlock *b = c->arena;
    while (b) {
        KcArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    c->arena = NULL;
}

char *kc_strndup(Kc *c, const char *s, size_t n) {
    char *d = kc_alloc(c, n + 1);
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static char *kc_vsprintf(Kc *c, const char *fmt, va_list ap) {
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof small) return kc_strndup(c, small, (size_t)n);
    char *s = kc_alloc(c, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *kc_sprintf(Kc *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = kc_vsprintf(c, fmt, ap);
    va_end(ap);
    return s;
}

void kc_buf_put(Kc *c, KcBuf *b, const void *data, size_t n) {
    if (b->cap - b->len < n) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap - b->len < n) {
            if (ncap > SIZE_MAX / 2) longjmp(c->oom, 1);
            ncap *= 2;
        }
        uint8_t *np = kc_alloc(c, ncap);
        if (b->len) memcpy(np, b->p, b->len);
        b->p = np;
        b->cap = ncap;
    }
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
}

void kc_buf_u8(Kc *c, KcBuf *b, unsigned v) {
    uint8_t x = (uint8_t)v;
    kc_buf_put(c, b, &x, 1);
}
void kc_buf_u16(Kc *c, KcBuf *b, unsigned v) {
    uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    kc_buf_put(c, b, x, 2);
}
void kc_buf_u32(Kc *c, KcBuf *b, uint32_t v) {
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    kc_buf_put(c, b, x, 4);
}
void kc_buf_u64(Kc *c, KcBuf *b, uint64_t v) {
    kc_buf_u32(c, b, (uint32_t)v);
    kc_buf_u32(c, b, (uint32_t)(v >> 32));
}
void kc_buf_str(Kc *c, KcBuf *b, const char *s) { kc_buf_put(c, b, s, strlen(s)); }

void kc_vec_push(Kc *c, KcVec *v, void *item) {
    if (v->n == v->cap) {
        int ncap = v->cap ? v->cap * 2 : 8;
        void **ni = kc_alloc(c, sizeof(void *) * (size_t)ncap);
        if (v->n) memcpy(ni, v->items, sizeof(void *) * (size_t)v->n);
        v->items = ni;
        v->cap = ncap;
    }
    v->items[v->n++] = item;
}

/* ---- interned names ------------------------------------------------------------ */

static uint32_t hash_bytes(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

KcName *kc_name(Kc *c, const char *s, size_t len) {
    uint32_t h = hash_bytes(s, len);
    if (c->names_count * 4 >= c->names_cap * 3) {
        size_t ncap = c->names_cap ? c->names_cap * 2 : 1024;
        KcName **nt = kc_alloc(c, sizeof(KcName *) * ncap);
        for (size_t i = 0; i < c->names_cap; i++) {
            KcName *n = c->names[i];
            while (n) {
                KcName *next = n->chain;
                size_t k = n->hash & (ncap - 1);
                n->chain = nt[k];
                nt[k] = n;
                n = next;
            }
        }
        c->names = nt;
        c->names_cap = ncap;
    }
    size_t k = h & (c->names_cap - 1);
    for (KcName *n = c->names[k]; n; n = n->chain)
        if (n->hash == h && n->len == len && memcmp(n->s, s, len) == 0) return n;
    KcName *n = kc_alloc(c, sizeof *n);
    n->s = kc_strndup(c, s, len);
    n->len = (uint32_t)len;
    n->hash = h;
    n->chain = c->names[k];
    c->names[k] = n;
    c->names_count++;
    return n;
}

KcName *kc_name_cstr(Kc *c, const char *s) { return kc_name(c, s, strlen(s)); }

/* ---- diagnostics ---------------------------------------------------------------- */

#define MAX_STORED_DIAGS 10000

void kc_verror(Kc *c, KcPos pos, const char *fmt, va_list ap) {
    c->nerrors++;
    if (c->ndiags >= MAX_STORED_DIAGS) return;
    if (c->ndiags == c->diags_cap) {
        int ncap = c->diags_cap ? c->diags_cap * 2 : 32;
        KcDiag *nd = kc_alloc(c, sizeof(KcDiag) * (size_t)ncap);
        if (c->ndiags) memcpy(nd, c->diags, sizeof(KcDiag) * (size_t)c->ndiags);
        c->diags = nd;
        c->diags_cap = ncap;
    }
    KcDiag *d = &c->diags[c->ndiags++];
    d->src = pos.src;
    d->line = pos.line;
    d->col = pos.col;
    d->off = pos.off;
    d->msg = kc_vsprintf(c, fmt, ap);
}

void kc_error(Kc *c, KcPos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kc_verror(c, pos, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *a, const void *b) {
    const KcDiag *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Appends "path:line:col: msg", the source line and a caret line. */
static void format_diag(Kc *c, KcBuf *out, const KcDiag *d) {
    const KcSrc *s = d->src >= 0 && d->src < c->nsrcs ? &c->srcs[d->src] : NULL;
    char head[64];
    if (s) kc_buf_str(c, out, s->path);
    snprintf(head, sizeof head, ":%d:%d: ", d->line, d->col);
    kc_buf_str(c, out, head);
    kc_buf_str(c, out, d->msg);
    kc_buf_u8(c, out, '\n');
    if (!s) return;
    size_t off = d->off <= s->len ? d->off : s->len;
    size_t ls = off >= (size_t)(d->col - 1) ? off - (size_t)(d->col - 1) : 0;
    size_t le = ls;
    while (le < s->len && s->text[le] != '\n') le++;
    size_t shown = le;
    if (shown > ls && s->text[shown - 1] == '\r') shown--;
    kc_buf_put(c, out, s->text + ls, shown - ls);
    kc_buf_u8(c, out, '\n');
    /* The caret under the column: tabs copied, one space per UTF-8 character. */
    for (size_t i = ls; i < off && i < le; i++) {
        unsigned char ch = (unsigned char)s->text[i];
        if ((ch & 0xC0) == 0x80) continue;
        kc_buf_u8(c, out, ch == '\t' ? '\t' : ' ');
    }
    kc_buf_str(c, out, "^\n");
}

/* ---- context ---------------------------------------------------------------------- */

static KcType *new_type(Kc *c, KcTypeKind kind, const char *name, const char *desc) {
    KcType *t = kc_alloc(c, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->desc = desc;
    return t;
}

static void init_context(Kc *c) {
    static const struct { const char *s; int kind; } keywords[] = {
#define K(name, text) { text, TK_KW_##name },
        KC_KEYWORDS(K)
#undef K
    };
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        kc_name_cstr(c, keywords[i].s)->keyword = keywords[i].kind;

    c->t_error = new_type(c, KT_ERROR, "<error>", "Lstd.core.Object;");
    c->t_void = new_type(c, KT_VOID, "nothing", "V");
    c->t_int = new_type(c, KT_INT, "int", "I");
    c->t_float = new_type(c, KT_FLOAT, "float", "F");
    c->t_bool = new_type(c, KT_BOOL, "bool", "Z");
    c->t_byte = new_type(c, KT_BYTE, "byte", "B");
    c->t_string = new_type(c, KT_STRING, "String", "Lstd.core.String;");
    c->t_null = new_type(c, KT_NULL, "null", "Lstd.core.Object;");
    /* Until the prelude declares them (it always does). */
    c->t_object = new_type(c, KT_CLASS, "Object", "Lstd.core.Object;");
    c->t_function = new_type(c, KT_CLASS, "Function", "Lstd.core.Function;");

    c->n_print = kc_name_cstr(c, "print");
    c->n_println = kc_name_cstr(c, "println");
    c->n_main = kc_name_cstr(c, "main");
    c->n_int = kc_name_cstr(c, "int");
    c->n_float = kc_name_cstr(c, "float");
    c->n_bool = kc_name_cstr(c, "bool");
    c->n_byte = kc_name_cstr(c, "byte");
    c->n_string = kc_name_cstr(c, "String");
    c->n_init = kc_name_cstr(c, "init");
    c->n_this = kc_name_cstr(c, "this");
    c->n_super = kc_name_cstr(c, "super");
    c->n_length = kc_name_cstr(c, "length");
    c->n_str = kc_name_cstr(c, "str");
    c->n_value = kc_name_cstr(c, "value");
    c->n_iterator = kc_name_cstr(c, "iterator");
    c->n_has_next = kc_name_cstr(c, "hasNext");
    c->n_next = kc_name_cstr(c, "next");
}

/* ---- kc_compile --------------------------------------------------------------------- */

static char *dup_c(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static void set_oom(KcResult *out) {
    kc_result_free(out);
    out->nerrors = 1;
    out->diagnostics = dup_c("error: out of memory\n", 21);
}

extern const char kc_prelude_text[];

#define MAX_LOADED 1024
#define PRELUDE_PATH "<std.core>"

typedef struct {
    KcVec      outs;        /* KcOut* */
    KcBuf      diag;
    const char *main_module;
} Outputs;

typedef struct { KcLoadFn load; void *ud; int prelude_only; } Options;

static void init_src(KcSrc *s, int index, const char *path, const char *text, size_t len) {
    s->index = index;
    s->path = path ? path : "<input>";
    s->text = text ? text : "";
    s->len = text ? len : 0;
    const char *slash = strrchr(s->path, '/');
    s->basename = slash ? slash + 1 : s->path;
}

/* The module name a parsed source declares (or its file's base name). */
KcName *kc_src_module_name(Kc *c, KcSrc *s) {
    if (s->ast->module_name) return s->ast->module_name;
    size_t n = strlen(s->basename);
    if (n > 3 && memcmp(s->basename + n - 3, ".kl", 3) == 0) n -= 3;
    return kc_name(c, s->basename, n);
}

/* Fetches imported modules that no source provides, through the loader. */
static void load_imports(Kc *c, const Options *opt) {
    for (int i = 0; i < c->nsrcs; i++) {
        KcFile *f = c->srcs[i].ast;
        for (int k = 0; k < f->ndecls; k++) {
            KcDecl *d = f->decls[k];
            if (d->kind != D_IMPORT || !d->name || strcmp(d->name->s, "std.core") == 0) continue;
            int have = 0;
            for (int j = 0; j < c->nsrcs && !have; j++) have = kc_src_module_name(c, &c->srcs[j]) == d->name;
            if (have || !opt->load) continue;
            if (c->nsrcs >= MAX_LOADED) {
                kc_error(c, d->name_pos, "too many imported modules (more than %d)", MAX_LOADED);
                return;
            }
            size_t len = 0;
            char *path = NULL;
            char *text = opt->load(opt->ud, d->name->s, &len, &path);
            if (!text) {
                free(path);
                continue;
            }
            char *t = kc_alloc(c, len + 1);
            memcpy(t, text, len);
            char *pth = kc_strndup(c, path ? path : d->name->s, strlen(path ? path : d->name->s));
            free(text);
            free(path);
            KcSrc *s = &c->srcs[c->nsrcs];
            init_src(s, c->nsrcs, pth, t, len);
            c->nsrcs++;
            s->ast = kc_parse(c, s);
            /* A file that declares another module name does not provide this one. */
            if (kc_src_module_name(c, s) != d->name && s->ast->module_name)
                kc_error(c, s->ast->module_pos, "module `%s` was expected in this file, found `%s`",
                         d->name->s, s->ast->module_name->s);
        }
    }
}

/* Everything of a compilation that allocates from the arena, in one function so
** that the out-of-memory longjmp lands in kc_compile with nothing malloc'd aside. */
static void run(Kc *c, const KcSource *srcs, int nsrcs, const Options *opt, Outputs *o) {
    init_context(c);
    c->srcs = kc_alloc(c, sizeof(KcSrc) * (size_t)(nsrcs + MAX_LOADED + 2));
    for (int i = 0; i < nsrcs; i++) init_src(&c->srcs[i], i, srcs[i].path, srcs[i].text, srcs[i].len);
    c->nsrcs = nsrcs;
    for (int i = 0; i < nsrcs; i++) c->srcs[i].ast = kc_parse(c, &c->srcs[i]);
    load_imports(c, opt);
    /* The prelude, last. */
    KcSrc *ps = &c->srcs[c->nsrcs];
    init_src(ps, c->nsrcs, PRELUDE_PATH, kc_prelude_text, strlen(kc_prelude_text));
    ps->basename = "core.kl";
    c->nsrcs++;
    ps->ast = kc_parse(c, ps);
    kc_declare(c);
    kc_check(c);
    if (nsrcs > 0 && c->srcs[0].module) o->main_module = c->srcs[0].module->name->s;
    if (c->nerrors == 0) {
        for (KcModule *m = c->modules; m; m = m->next)
            if (m->is_prelude == opt->prelude_only) kc_gen_module(c, m, &o->outs);
    }
    if (c->nerrors > 0) {
        qsort(c->diags, (size_t)c->ndiags, sizeof(KcDiag), diag_cmp);
        int shown = 0;
        for (int i = 0; i < c->ndiags && shown < KC_MAX_DIAGS; i++) {
            const KcDiag *d = &c->diags[i];
            if (i > 0 && d->src == d[-1].src && d->off == d[-1].off && strcmp(d->msg, d[-1].msg) == 0)
                continue;                   /* the same error twice */
            format_diag(c, &o->diag, d);
            shown++;
        }
        if (c->nerrors > shown) {
            char tail[96];
            snprintf(tail, sizeof tail, "(%d errors in all; only the first %d are shown)\n",
                     c->nerrors, shown);
            kc_buf_str(c, &o->diag, tail);
        }
    }
}

/* run() under the out-of-memory guard; returns 0 when memory ran out. */
static int run_guarded(Kc *c, const KcSource *srcs, int nsrcs, const Options *opt, Outputs *o) {
    if (setjmp(c->oom)) return 0;
    run(c, srcs, nsrcs, opt, o);
    return 1;
}

static int compile(const KcSource *srcs, int nsrcs, const Options *opt, KcResult *out) {
    memset(out, 0, sizeof *out);
    Kc *c = calloc(1, sizeof *c);
    if (!c) {
        set_oom(out);
        return 1;
    }
    if (nsrcs < 0 || (nsrcs > 0 && !srcs)) nsrcs = 0;

    /* Phase 1: front end, code generation and diagnostics, all in the arena. */
    Outputs o;
    memset(&o, 0, sizeof o);
    if (!run_guarded(c, srcs, nsrcs, opt, &o)) {
        arena_free(c);
        free(c);
        set_oom(out);
        return 1;
    }

    /* Phase 2: copy the results out with malloc (no longjmp from here on). */
    int ok = 1;
    out->nerrors = c->nerrors;
    if (c->nerrors > 0) {
        out->diagnostics = dup_c((const char *)o.diag.p, o.diag.len);
        ok = out->diagnostics != NULL;
    }
    if (ok && o.main_module) {
        out->main_module = dup_c(o.main_module, strlen(o.main_module));
        ok = out->main_module != NULL;
    }
    if (ok && c->nerrors == 0 && o.outs.n > 0) {
        out->classes = calloc((size_t)o.outs.n, sizeof(KcClass));
        ok = out->classes != NULL;
        for (int k = 0; ok && k < o.outs.n; k++) {
            KcOut *ko = o.outs.items[k];
            KcClass *cl = &out->classes[k];
            out->nclasses = k + 1;
            cl->name = dup_c(ko->name, strlen(ko->name));
            cl->data = malloc(ko->len ? ko->len : 1);
            ok = cl->name && cl->data;
            if (ok) {
                memcpy(cl->data, ko->data, ko->len);
                cl->len = ko->len;
            }
        }
    }
    arena_free(c);
    free(c);
    if (!ok) {
        set_oom(out);
        return 1;
    }
    return out->nerrors > 0;
}

int kc_compile(const KcSource *srcs, int nsrcs, KcResult *out) {
    Options opt = { NULL, NULL, 0 };
    return compile(srcs, nsrcs, &opt, out);
}

int kc_compile_ex(const KcSource *srcs, int nsrcs, KcLoadFn load, void *ud, KcResult *out) {
    Options opt = { load, ud, 0 };
    return compile(srcs, nsrcs, &opt, out);
}

int kc_compile_prelude(KcResult *out) {
    Options opt = { NULL, NULL, 1 };
    return compile(NULL, 0, &opt, out);
}

void kc_result_free(KcResult *r) {
    if (!r) return;
    for (int i = 0; i < r->nclasses; i++) {
        free(r->classes[i].name);
        free(r->classes[i].data);
    }
    free(r->classes);
    free(r->main_module);
    free(r->diagnostics);
    memset(r, 0, sizeof *r);
}
