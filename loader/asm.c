/*
** loader/asm.c — the Kiln assembler: .kasm text in, class-file bytes out
** (docs/assembler.md describes the syntax; docs/classfile.md the output).
**
** Two passes over the lines: the first takes only `.const` lines, which fill the
** constant pool at the indices they state (so a disassembled pool is reproduced
** entry for entry); the second takes everything else. Operands written by value
** ("hello", 42, std.core.println (I)V) use the first pool entry with that content
** and append one when there is none. Branches and handler ranges name labels or
** absolute pcs and are patched at `.end`.
**
** Nothing here is checked beyond what the syntax needs: the assembler writes bad
** indices, bad code and bad flags as asked, so tests can hand the loader and the
** verifier exactly the file they want. The first error sticks; memory is malloc'd
** and released before returning.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "asm.h"

#define MAX_TOKS   64
#define MAX_COUNT  65535u
#define DEF_STACK  16

typedef struct { uint8_t *p; size_t len, cap; int oom; } Buf;

typedef struct {
    uint8_t  tag;
    uint16_t a, b;
    uint64_t v;             /* INT / FLOAT bits */
    uint8_t *s;             /* UTF8 bytes (malloc'd) */
    uint32_t len;
} Ent;

enum { T_WORD, T_STR, T_REF };
typedef struct {
    int         type;
    const char *s;          /* T_WORD: into the source; T_STR: decoded, malloc'd */
    size_t      len;
    long        ref;        /* T_REF */
} Tok;

typedef struct { char *name; uint32_t pc; } Label;
enum { FIX_BR, FIX_U32 };
typedef struct {
    int      kind;
    Buf     *buf;           /* where the value goes */
    size_t   at;
    uint32_t pc;            /* FIX_BR: the branch's pc */
    char    *label;         /* NULL: the absolute value below */
    int64_t  value;
    int      line;
} Fix;

typedef struct {
    const char *path;
    int         line, failed;
    char       *err;
    size_t      errlen;

    Ent        *cp;
    uint32_t    ncp, cpcap;             /* entries 1 .. ncp-1 */
    uint16_t    major, minor, flags, this_cls, super_cls;
    int         have_class;
    Buf         ifaces, fields, methods, attrs;
    uint32_t    nifaces, nfields, nmethods, nattrs;

    /* the method being assembled */
    int         in_method;
    int         m_line;
    uint16_t    m_flags, m_name, m_desc, m_stack, m_locals;
    int         has_stack, has_locals, m_nargs;
    Buf         code, handlers, lines;
    uint32_t    nhandlers, nlines;
    Label      *labels;
    uint32_t    nlabels, labcap;
    Fix        *fixes;
    uint32_t    nfixes, fixcap;

    Tok         t[MAX_TOKS];
    int         nt;
} Asm;

static void fail(Asm *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(Asm *a, const char *fmt, ...)
{
    if (a->failed) return;
    a->failed = 1;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (a->err && a->errlen) snprintf(a->err, a->errlen, "%s:%d: %s", a->path, a->line, msg);
}

/* ---- buffers ----------------------------------------------------------------- */

static void put(Buf *b, const void *p, size_t n)
{
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (!np) { b->oom = 1; return; }
        b->p = np;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
}
static void put8(Buf *b, unsigned v) { uint8_t x = (uint8_t)v; put(b, &x, 1); }
static void put16(Buf *b, unsigned v) { uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) }; put(b, x, 2); }
static void put32(Buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    put(b, x, 4);
}
static void put64(Buf *b, uint64_t v) { put32(b, (uint32_t)v); put32(b, (uint32_t)(v >> 32)); }
static void set32(Buf *b, size_t at, uint32_t v)
{
    if (b->oom || at + 4 > b->len) return;
    for (int i = 0; i < 4; i++) b->p[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* ---- tokens ------------------------------------------------------------------- */

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static void free_toks(Asm *a)
{
    for (int i = 0; i < a->nt; i++)
        if (a->t[i].type == T_STR) free((char *)a->t[i].s);
    a->nt = 0;
}

/* Splits one line [p, end) into tokens; comments start with ';' or '//' at the
** start of a token. */
static void tokenize(Asm *a, const char *p, const char *end)
{
    free_toks(a);
    while (!a->failed) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == ',')) p++;
        if (p >= end || *p == ';' || (*p == '/' && p + 1 < end && p[1] == '/')) return;
        if (a->nt == MAX_TOKS) { fail(a, "too many tokens on one line"); return; }
        Tok *t = &a->t[a->nt];
        if (*p == '"') {
            char *s = malloc((size_t)(end - p) + 1);
            size_t n = 0;
            if (!s) { fail(a, "out of memory"); return; }
            p++;
            while (p < end && *p != '"') {
                if (*p != '\\') { s[n++] = *p++; continue; }
                if (++p >= end) break;
                char e = *p++;
                switch (e) {
                case 'n': s[n++] = '\n'; break;
                case 't': s[n++] = '\t'; break;
                case 'r': s[n++] = '\r'; break;
                case '0': s[n++] = 0; break;
                case '\\': case '"': case '\'': s[n++] = e; break;
                case 'x': {
                    int h = p + 1 < end ? hexval(p[0]) : -1, l = p + 1 < end ? hexval(p[1]) : -1;
                    if (h < 0 || l < 0) { free(s); fail(a, "bad \\x escape (two hex digits)"); return; }
                    s[n++] = (char)(h * 16 + l);
                    p += 2;
                    break;
                }
                default: free(s); fail(a, "unknown escape \\%c", e); return;
                }
            }
            if (p >= end) { free(s); fail(a, "unterminated string"); return; }
            p++;
            s[n] = 0;
            *t = (Tok){ T_STR, s, n, 0 };
            a->nt++;
            continue;
        }
        const char *s = p;
        while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != ',') p++;
        if (*s == '#') {
            char *e;
            errno = 0;
            unsigned long v = strtoul(s + 1, &e, 10);
            if (e != p || s + 1 == p || errno || v > MAX_COUNT) {
                fail(a, "bad constant reference '%.*s' (#0 .. #65535)", (int)(p - s), s);
                return;
            }
            *t = (Tok){ T_REF, s, (size_t)(p - s), (long)v };
        } else {
            *t = (Tok){ T_WORD, s, (size_t)(p - s), 0 };
        }
        a->nt++;
    }
}

static int is_word(const Tok *t, const char *w)
{
    return t->type == T_WORD && t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

/* A copy of a word or string token as a NUL-terminated C string (malloc'd). */
static char *tok_dup(Asm *a, const Tok *t)
{
    char *s = malloc(t->len + 1);
    if (!s) { fail(a, "out of memory"); return NULL; }
    memcpy(s, t->s, t->len);
    s[t->len] = 0;
    return s;
}

/* Integer operand in [lo, hi]. */
static int64_t tok_int(Asm *a, const Tok *t, int64_t lo, int64_t hi, const char *what)
{
    if (a->failed) return 0;
    if (t->type != T_WORD) { fail(a, "%s: expected a number", what); return 0; }
    char buf[64];
    if (t->len >= sizeof buf) { fail(a, "%s: number too long", what); return 0; }
    memcpy(buf, t->s, t->len);
    buf[t->len] = 0;
    char *e;
    errno = 0;
    long long v;
    if (buf[0] == '-') v = strtoll(buf, &e, 0);
    else { unsigned long long u = strtoull(buf, &e, 0); v = (long long)u;
           if (u > (unsigned long long)INT64_MAX && hi == INT64_MAX) v = (long long)u; }
    if (*e || e == buf || errno) { fail(a, "%s: '%s' is not a number", what, buf); return 0; }
    if ((int64_t)v < lo || (int64_t)v > hi) {
        fail(a, "%s: %s is out of range (%lld .. %lld)", what, buf, (long long)lo, (long long)hi);
        return 0;
    }
    return (int64_t)v;
}

static int looks_numeric(const Tok *t)
{
    if (t->type != T_WORD || t->len == 0) return 0;
    const char *s = t->s;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    return i < t->len && s[i] >= '0' && s[i] <= '9';
}

static int looks_float(const Tok *t)
{
    if (!looks_numeric(t)) {
        return is_word(t, "inf") || is_word(t, "-inf") || is_word(t, "nan") || is_word(t, "-nan");
    }
    if (t->len > 1 && (t->s[1] == 'x' || t->s[1] == 'X' || (t->len > 2 && (t->s[2] == 'x' || t->s[2] == 'X'))))
        return 0;
    return memchr(t->s, '.', t->len) || memchr(t->s, 'e', t->len) || memchr(t->s, 'E', t->len);
}

/* ---- the constant pool ------------------------------------------------------------ */

static uint16_t add_ent(Asm *a, Ent e)
{
    if (a->failed) { free(e.s); return 0; }
    if (a->ncp == 0) a->ncp = 1;
    if (a->ncp >= MAX_COUNT) {                       /* indices 1..65534: the count fits u16 */
        free(e.s);
        fail(a, "constant pool is full (65534 entries)");
        return 0;
    }
    if (a->ncp >= a->cpcap) {
        uint32_t cap = a->cpcap ? a->cpcap * 2 : 64;
        Ent *n = realloc(a->cp, cap * sizeof *n);
        if (!n) { free(e.s); fail(a, "out of memory"); return 0; }
        if (!a->cp) memset(&n[0], 0, sizeof n[0]);      /* entry 0: never used, never read */
        a->cp = n;
        a->cpcap = cap;
    }
    a->cp[a->ncp] = e;
    return (uint16_t)a->ncp++;
}

static int utf8_is(const Asm *a, uint32_t i, const void *s, size_t len)
{
    return i > 0 && i < a->ncp && a->cp[i].tag == KCP_UTF8 && a->cp[i].len == len &&
           memcmp(a->cp[i].s, s, len) == 0;
}

static uint16_t cp_utf8(Asm *a, const void *s, size_t len)
{
    for (uint32_t i = 1; i < a->ncp; i++)
        if (utf8_is(a, i, s, len)) return (uint16_t)i;
    if (len > 0xffffffffu) { fail(a, "string too long"); return 0; }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) { fail(a, "out of memory"); return 0; }
    memcpy(copy, s, len);
    return add_ent(a, (Ent){ KCP_UTF8, 0, 0, 0, copy, (uint32_t)len });
}

/* STRING or CLASS entry whose utf8 has this content. */
static uint16_t cp_ref1(Asm *a, int tag, const void *s, size_t len)
{
    for (uint32_t i = 1; i < a->ncp; i++)
        if (a->cp[i].tag == tag && utf8_is(a, a->cp[i].a, s, len)) return (uint16_t)i;
    uint16_t u = cp_utf8(a, s, len);
    return add_ent(a, (Ent){ (uint8_t)tag, u, 0, 0, NULL, 0 });
}

static int nametype_is(const Asm *a, uint32_t i, const char *n, const char *d)
{
    return i > 0 && i < a->ncp && a->cp[i].tag == KCP_NAMETYPE &&
           utf8_is(a, a->cp[i].a, n, strlen(n)) && utf8_is(a, a->cp[i].b, d, strlen(d));
}

static uint16_t cp_nametype(Asm *a, const char *n, const char *d)
{
    for (uint32_t i = 1; i < a->ncp; i++)
        if (nametype_is(a, i, n, d)) return (uint16_t)i;
    uint16_t un = cp_utf8(a, n, strlen(n)), ud = cp_utf8(a, d, strlen(d));
    return add_ent(a, (Ent){ KCP_NAMETYPE, un, ud, 0, NULL, 0 });
}

static uint16_t cp_member(Asm *a, int tag, const char *cls, const char *n, const char *d)
{
    for (uint32_t i = 1; i < a->ncp; i++) {
        const Ent *e = &a->cp[i];
        if (e->tag == tag && e->a > 0 && e->a < a->ncp && a->cp[e->a].tag == KCP_CLASS &&
            utf8_is(a, a->cp[e->a].a, cls, strlen(cls)) && nametype_is(a, e->b, n, d))
            return (uint16_t)i;
    }
    uint16_t c = cp_ref1(a, KCP_CLASS, cls, strlen(cls));
    uint16_t nt = cp_nametype(a, n, d);
    return add_ent(a, (Ent){ (uint8_t)tag, c, nt, 0, NULL, 0 });
}

static uint16_t cp_num(Asm *a, int tag, uint64_t v)
{
    for (uint32_t i = 1; i < a->ncp; i++)
        if (a->cp[i].tag == tag && a->cp[i].v == v) return (uint16_t)i;
    return add_ent(a, (Ent){ (uint8_t)tag, 0, 0, v, NULL, 0 });
}

static uint64_t parse_float(Asm *a, const Tok *toks, int n, int *used)
{
    *used = 1;
    if (n >= 2 && is_word(&toks[0], "bits")) {
        *used = 2;
        return (uint64_t)tok_int(a, &toks[1], INT64_MIN, INT64_MAX, "float bits");
    }
    if (n < 1 || toks[0].type != T_WORD) { fail(a, "expected a float"); return 0; }
    char buf[80];
    if (toks[0].len >= sizeof buf) { fail(a, "float too long"); return 0; }
    memcpy(buf, toks[0].s, toks[0].len);
    buf[toks[0].len] = 0;
    char *e;
    double d = strtod(buf, &e);
    if (*e || e == buf) { fail(a, "'%s' is not a float", buf); return 0; }
    uint64_t bits;
    memcpy(&bits, &d, 8);
    return bits;
}

/* "a.b.C.name" -> class "a.b.C", member "name" (malloc'd both). */
static int split_member(Asm *a, const Tok *t, char **cls, char **name)
{
    char *s = tok_dup(a, t);
    if (!s) return -1;
    char *dot = strrchr(s, '.');
    if (!dot || dot == s || !dot[1]) {
        fail(a, "'%s' is not CLASS.MEMBER", s);
        free(s);
        return -1;
    }
    *dot = 0;
    *cls = s;
    *name = strdup(dot + 1);
    if (!*name) { free(s); fail(a, "out of memory"); return -1; }
    return 0;
}

/* utf8 operand: #N, a word or a string. */
static uint16_t op_utf8(Asm *a, const Tok *t)
{
    if (t->type == T_REF) return (uint16_t)t->ref;
    return cp_utf8(a, t->s, t->len);
}

/* class operand: #N, or a class name. */
static uint16_t op_class(Asm *a, const Tok *t)
{
    if (t->type == T_REF) return (uint16_t)t->ref;
    return cp_ref1(a, KCP_CLASS, t->s, t->len);
}

/* A constant written by kind: "int 5", "class a.B", "method a.B.f (I)V", ... or,
** with no kind word, by shape. Uses toks[0..n); sets *used. default_member is the
** tag for "C.m (desc)" (METHOD or IMETHOD). */
static uint16_t op_const(Asm *a, const Tok *toks, int n, int *used, int default_member)
{
    *used = 1;
    if (n < 1) { fail(a, "missing constant operand"); return 0; }
    const Tok *t = &toks[0];
    if (t->type == T_REF) return (uint16_t)t->ref;
    if (t->type == T_STR) return cp_ref1(a, KCP_STRING, t->s, t->len);
    static const struct { const char *w; int tag; } kinds[] = {
        { "utf8", KCP_UTF8 }, { "int", KCP_INT }, { "float", KCP_FLOAT }, { "string", KCP_STRING },
        { "class", KCP_CLASS }, { "nametype", KCP_NAMETYPE }, { "field", KCP_FIELD },
        { "method", KCP_METHOD }, { "imethod", KCP_IMETHOD },
    };
    int tag = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (n >= 2 && is_word(t, kinds[k].w)) tag = kinds[k].tag;
    int off = tag ? 1 : 0;
    const Tok *x = &toks[off];
    int rest = n - off;
    if (!tag) {
        if (looks_float(t)) tag = KCP_FLOAT;
        else if (looks_numeric(t)) tag = KCP_INT;
        else if (n >= 2 && toks[1].type != T_REF) tag = toks[1].len && toks[1].s[0] == '(' ? default_member : KCP_FIELD;
        else if (t->len && t->s[0] == '(') tag = KCP_UTF8;
        else tag = KCP_CLASS;
    }
    int u;
    switch (tag) {
    case KCP_UTF8:   *used = off + 1; return op_utf8(a, x);
    case KCP_INT:    *used = off + 1; return cp_num(a, KCP_INT, (uint64_t)tok_int(a, x, INT64_MIN, INT64_MAX, "int constant"));
    case KCP_FLOAT:  { uint64_t b = parse_float(a, x, rest, &u); *used = off + u; return cp_num(a, KCP_FLOAT, b); }
    case KCP_STRING: case KCP_CLASS:
        *used = off + 1;
        if (x->type == T_REF) return add_ent(a, (Ent){ (uint8_t)tag, (uint16_t)x->ref, 0, 0, NULL, 0 });
        return cp_ref1(a, tag, x->s, x->len);
    default: break;
    }
    if (rest < 2) { fail(a, "constant needs two operands"); return 0; }
    *used = off + 2;
    if (x[0].type == T_REF || x[1].type == T_REF) {
        uint16_t p = tag == KCP_NAMETYPE ? op_utf8(a, &x[0]) : op_class(a, &x[0]);
        uint16_t q = tag == KCP_NAMETYPE ? op_utf8(a, &x[1]) : (x[1].type == T_REF ? (uint16_t)x[1].ref : 0);
        if (tag != KCP_NAMETYPE && x[1].type != T_REF) { fail(a, "expected #NAMETYPE"); return 0; }
        return add_ent(a, (Ent){ (uint8_t)tag, p, q, 0, NULL, 0 });
    }
    char *d = tok_dup(a, &x[1]);
    if (!d) return 0;
    uint16_t r = 0;
    if (tag == KCP_NAMETYPE) {
        char *nm = tok_dup(a, &x[0]);
        if (nm) r = cp_nametype(a, nm, d);
        free(nm);
    } else {
        char *cls, *nm;
        if (split_member(a, &x[0], &cls, &nm) == 0) {
            r = cp_member(a, tag, cls, nm, d);
            free(cls);
            free(nm);
        }
    }
    free(d);
    return r;
}

/* `.const #N KIND ...`: the entry must be the next index. Explicit references
** (#M) are taken as written; by-content ones find or append entries. */
static void do_const(Asm *a)
{
    if (a->nt < 3 || a->t[1].type != T_REF) { fail(a, "usage: .const #N KIND VALUE..."); return; }
    if (a->ncp == 0) a->ncp = 1;
    if ((uint32_t)a->t[1].ref != a->ncp) {
        fail(a, "constant #%ld is out of order: the next index is #%u", a->t[1].ref, a->ncp);
        return;
    }
    const Tok *k = &a->t[2];
    const Tok *x = &a->t[3];
    int rest = a->nt - 3, u = 0;
    if (rest < 1) { fail(a, "missing value"); return; }
    uint16_t got = 0;
    if (is_word(k, "utf8")) {
        if (x->type == T_REF) { fail(a, "utf8 needs a string"); return; }
        uint8_t *copy = malloc(x->len ? x->len : 1);
        if (!copy) { fail(a, "out of memory"); return; }
        memcpy(copy, x->s, x->len);
        got = add_ent(a, (Ent){ KCP_UTF8, 0, 0, 0, copy, (uint32_t)x->len });
        u = 1;
    } else if (is_word(k, "int")) {
        got = add_ent(a, (Ent){ KCP_INT, 0, 0, (uint64_t)tok_int(a, x, INT64_MIN, INT64_MAX, "int"), NULL, 0 });
        u = 1;
    } else if (is_word(k, "float")) {
        uint64_t b = parse_float(a, x, rest, &u);
        got = add_ent(a, (Ent){ KCP_FLOAT, 0, 0, b, NULL, 0 });
    } else if (is_word(k, "string") || is_word(k, "class")) {
        int tag = is_word(k, "string") ? KCP_STRING : KCP_CLASS;
        got = add_ent(a, (Ent){ (uint8_t)tag, op_utf8(a, x), 0, 0, NULL, 0 });
        u = 1;
    } else if (is_word(k, "nametype") || is_word(k, "field") || is_word(k, "method") ||
               is_word(k, "imethod")) {
        int tag = is_word(k, "nametype") ? KCP_NAMETYPE : is_word(k, "field") ? KCP_FIELD
                : is_word(k, "method") ? KCP_METHOD : KCP_IMETHOD;
        if (rest < 2) { fail(a, "missing operand"); return; }
        uint16_t p, q;
        if (tag == KCP_NAMETYPE) {
            p = op_utf8(a, &x[0]);
            q = op_utf8(a, &x[1]);
        } else if (x[1].type == T_REF) {
            p = op_class(a, &x[0]);
            q = (uint16_t)x[1].ref;
        } else {
            char *cls, *nm, *d = tok_dup(a, &x[1]);
            p = q = 0;
            if (d && split_member(a, &x[0], &cls, &nm) == 0) {
                p = cp_ref1(a, KCP_CLASS, cls, strlen(cls));
                q = cp_nametype(a, nm, d);
                free(cls);
                free(nm);
            }
            free(d);
        }
        got = add_ent(a, (Ent){ (uint8_t)tag, p, q, 0, NULL, 0 });
        u = 2;
    } else {
        fail(a, "unknown constant kind '%.*s'", (int)k->len, k->s);
        return;
    }
    if (!a->failed && got != (uint16_t)a->t[1].ref)
        fail(a, "constant #%ld: its operands added entries before it; refer to them by #N "
             "or define them first", a->t[1].ref);
    if (!a->failed && 3 + u != a->nt) fail(a, "extra operands after the constant");
}

/* ---- flags, methods, labels ---------------------------------------------------- */

static uint16_t parse_flags(Asm *a, int from)
{
    static const struct { const char *w; uint16_t bit; } names[] = {
        { "static", KACC_STATIC }, { "private", KACC_PRIVATE }, { "abstract", KACC_ABSTRACT },
        { "native", KACC_NATIVE }, { "final", KACC_FINAL }, { "interface", KACC_INTERFACE },
        { "module", KACC_MODULE }, { "let", KACC_LET },
    };
    unsigned f = 0;
    for (int i = from; i < a->nt && !a->failed; i++) {
        size_t k = 0;
        for (; k < sizeof names / sizeof names[0]; k++)
            if (is_word(&a->t[i], names[k].w)) { f |= names[k].bit; break; }
        if (k == sizeof names / sizeof names[0]) f |= (unsigned)tok_int(a, &a->t[i], 0, 0xffff, "flags");
    }
    return (uint16_t)f;
}

static Label *find_label(Asm *a, const char *s, size_t n)
{
    for (uint32_t i = 0; i < a->nlabels; i++)
        if (strlen(a->labels[i].name) == n && memcmp(a->labels[i].name, s, n) == 0)
            return &a->labels[i];
    return NULL;
}

static void define_label(Asm *a, const char *s, size_t n)
{
    uint32_t pc = (uint32_t)a->code.len;
    if (n && s[0] >= '0' && s[0] <= '9') {
        Tok t = { T_WORD, s, n, 0 };
        int64_t v = tok_int(a, &t, 0, UINT32_MAX, "pc label");
        if (!a->failed && v != pc) fail(a, "label %.*s: the code is at pc %u here", (int)n, s, pc);
        return;
    }
    if (find_label(a, s, n)) { fail(a, "label %.*s is defined twice", (int)n, s); return; }
    if (a->nlabels == a->labcap) {
        uint32_t cap = a->labcap ? a->labcap * 2 : 32;
        Label *nl = realloc(a->labels, cap * sizeof *nl);
        if (!nl) { fail(a, "out of memory"); return; }
        a->labels = nl;
        a->labcap = cap;
    }
    char *name = malloc(n + 1);
    if (!name) { fail(a, "out of memory"); return; }
    memcpy(name, s, n);
    name[n] = 0;
    a->labels[a->nlabels++] = (Label){ name, pc };
}

/* A position operand (label or absolute pc) whose value goes into buf at `at`. */
static void add_fix(Asm *a, int kind, Buf *buf, size_t at, uint32_t pc, const Tok *t)
{
    if (a->failed) return;
    Fix f = { kind, buf, at, pc, NULL, 0, a->line };
    if (t->type != T_WORD) { fail(a, "expected a label or a pc"); return; }
    if (looks_numeric(t)) {
        f.value = tok_int(a, t, kind == FIX_BR ? INT32_MIN : 0, kind == FIX_BR ? (int64_t)UINT32_MAX : UINT32_MAX, "pc");
    } else {
        f.label = tok_dup(a, t);
        if (!f.label) return;
    }
    if (a->nfixes == a->fixcap) {
        uint32_t cap = a->fixcap ? a->fixcap * 2 : 32;
        Fix *nf = realloc(a->fixes, cap * sizeof *nf);
        if (!nf) { free(f.label); fail(a, "out of memory"); return; }
        a->fixes = nf;
        a->fixcap = cap;
    }
    a->fixes[a->nfixes++] = f;
}

static void reset_method(Asm *a)
{
    for (uint32_t i = 0; i < a->nlabels; i++) free(a->labels[i].name);
    for (uint32_t i = 0; i < a->nfixes; i++) free(a->fixes[i].label);
    a->nlabels = a->nfixes = 0;
    a->code.len = a->handlers.len = a->lines.len = 0;
    a->nhandlers = a->nlines = 0;
    a->in_method = 0;
}

static void begin_method(Asm *a)
{
    if (a->in_method) { fail(a, ".method inside a method (missing .end)"); return; }
    int i = 1;
    if (a->nt < 2) { fail(a, "usage: .method NAME DESC [flags]"); return; }
    const Tok *t = &a->t[1];
    const char *paren = t->type == T_WORD ? memchr(t->s, '(', t->len) : NULL;
    reset_method(a);
    a->m_line = a->line;
    if (paren && paren > t->s) {               /* name(desc) in one word */
        a->m_name = cp_utf8(a, t->s, (size_t)(paren - t->s));
        a->m_desc = cp_utf8(a, paren, t->len - (size_t)(paren - t->s));
        i = 2;
    } else {
        if (a->nt < 3) { fail(a, "usage: .method NAME DESC [flags]"); return; }
        a->m_name = op_utf8(a, &a->t[1]);
        a->m_desc = op_utf8(a, &a->t[2]);
        i = 3;
    }
    a->m_flags = parse_flags(a, i);
    a->has_stack = a->has_locals = 0;
    a->m_nargs = 0;
    if (!a->failed && a->m_desc > 0 && a->m_desc < a->ncp && a->cp[a->m_desc].tag == KCP_UTF8) {
        char *d = malloc(a->cp[a->m_desc].len + 1);
        if (d) {
            memcpy(d, a->cp[a->m_desc].s, a->cp[a->m_desc].len);
            d[a->cp[a->m_desc].len] = 0;
            int n = memchr(d, 0, a->cp[a->m_desc].len) ? -1 : vm_desc_nargs(d);
            a->m_nargs = n < 0 ? 0 : n + ((a->m_flags & KACC_STATIC) ? 0 : 1);
            free(d);
        }
    }
    a->in_method = 1;
}

static void end_method(Asm *a)
{
    if (!a->in_method) { fail(a, ".end outside a method"); return; }
    for (uint32_t i = 0; i < a->nfixes && !a->failed; i++) {
        Fix *f = &a->fixes[i];
        int64_t target = f->value;
        if (f->label) {
            Label *l = find_label(a, f->label, strlen(f->label));
            if (!l) { a->line = f->line; fail(a, "undefined label %s", f->label); break; }
            target = l->pc;
        }
        if (f->kind == FIX_BR) {
            int64_t off = target - (int64_t)f->pc;
            if (off < INT32_MIN || off > INT32_MAX) { a->line = f->line; fail(a, "branch too far"); break; }
            set32(f->buf, f->at, (uint32_t)(int32_t)off);
        } else {
            set32(f->buf, f->at, (uint32_t)target);
        }
    }
    if (a->failed) return;
    if (a->code.len > 0xffffffffu) { fail(a, "code too long"); return; }
    if (a->nhandlers > MAX_COUNT || a->nlines > MAX_COUNT) { fail(a, "too many handlers or lines"); return; }
    if (++a->nmethods > MAX_COUNT) { fail(a, "too many methods"); return; }
    Buf *b = &a->methods;
    put16(b, a->m_flags);
    put16(b, a->m_name);
    put16(b, a->m_desc);
    put16(b, a->has_stack ? a->m_stack : DEF_STACK);
    put16(b, a->has_locals ? a->m_locals : (unsigned)(a->m_nargs > 0xffff ? 0xffff : a->m_nargs));
    put32(b, (uint32_t)a->code.len);
    put(b, a->code.p, a->code.len);
    put16(b, a->nhandlers);
    put(b, a->handlers.p, a->handlers.len);
    put16(b, a->nlines);
    put(b, a->lines.p, a->lines.len);
    if (a->code.oom || a->handlers.oom || a->lines.oom) fail(a, "out of memory");
    reset_method(a);
}

static const KOpInfo *find_op(const Tok *t, int *op)
{
    if (t->type != T_WORD) return NULL;
    for (int i = 0; i < OP__COUNT; i++)
        if (is_word(t, k_opinfo[i].mnemonic)) { *op = i; return &k_opinfo[i]; }
    return NULL;
}

static void instruction(Asm *a, int first)
{
    int op;
    const KOpInfo *in = find_op(&a->t[first], &op);
    if (!in) { fail(a, "unknown instruction '%.*s'", (int)a->t[first].len, a->t[first].s); return; }
    const Tok *x = &a->t[first + 1];
    int n = a->nt - first - 1, used = 0;
    uint32_t pc = (uint32_t)a->code.len;
    Buf *c = &a->code;
    put8(c, (unsigned)op);
    switch (in->fmt) {
    case KFMT_NONE: break;
    case KFMT_I32:
        if (n >= 1) put32(c, (uint32_t)(int32_t)tok_int(a, x, INT32_MIN, INT32_MAX, in->mnemonic));
        used = 1;
        break;
    case KFMT_U8:
        if (n >= 1) {
            if (is_word(x, "true")) put8(c, 1);
            else if (is_word(x, "false")) put8(c, 0);
            else put8(c, (unsigned)tok_int(a, x, 0, 255, in->mnemonic));
        }
        used = 1;
        break;
    case KFMT_LOC:
        if (n >= 1) put16(c, (unsigned)tok_int(a, x, 0, 65535, "local"));
        used = 1;
        break;
    case KFMT_IINC:
        if (n >= 2) {
            put16(c, (unsigned)tok_int(a, &x[0], 0, 65535, "local"));
            put16(c, (unsigned)(uint16_t)(int16_t)tok_int(a, &x[1], INT16_MIN, INT16_MAX, "increment"));
        }
        used = 2;
        break;
    case KFMT_BR:
        if (n >= 1) {
            put32(c, 0);
            add_fix(a, FIX_BR, c, pc + 1, pc, x);
        }
        used = 1;
        break;
    default:   /* constant-pool operands, with a trailing u8 count for some */
        if (k_fmt_size(in->fmt) == 4) {
            if (n < 2) { fail(a, "%s needs a constant and a count", in->mnemonic); return; }
            int cnt = (int)tok_int(a, &x[n - 1], 0, 255, "count");
            uint16_t k = op_const(a, x, n - 1, &used, strstr(in->mnemonic, "interface") ? KCP_IMETHOD : KCP_METHOD);
            put16(c, k);
            put8(c, (unsigned)cnt);
            used++;
        } else if (k_fmt_size(in->fmt) == 3) {
            uint16_t k = op_const(a, x, n, &used, strstr(in->mnemonic, "interface") ? KCP_IMETHOD : KCP_METHOD);
            put16(c, k);
        } else {
            fail(a, "%s: operand format not supported by the assembler", in->mnemonic);
        }
        break;
    }
    if (a->failed) return;
    if (n < used) fail(a, "%s: missing operand", in->mnemonic);
    else if (n > used) fail(a, "%s: too many operands", in->mnemonic);
    else if (c->len != pc + (size_t)k_fmt_size(in->fmt)) fail(a, "%s: bad operands", in->mnemonic);
}

/* ---- directives ------------------------------------------------------------------ */

static void method_line(Asm *a, int first)
{
    const Tok *d = &a->t[first];
    int n = a->nt - first;
    if (is_word(d, ".end")) { end_method(a); return; }
    if (is_word(d, ".stack") || is_word(d, ".locals")) {
        if (n != 2) { fail(a, "usage: %.*s N", (int)d->len, d->s); return; }
        uint16_t v = (uint16_t)tok_int(a, &a->t[first + 1], 0, 65535, "count");
        if (is_word(d, ".stack")) { a->m_stack = v; a->has_stack = 1; }
        else { a->m_locals = v; a->has_locals = 1; }
        return;
    }
    if (is_word(d, ".line")) {
        if (n != 2 && !(n == 4 && is_word(&a->t[first + 2], "at"))) {
            fail(a, "usage: .line N [at PC]");
            return;
        }
        uint32_t ln = (uint32_t)tok_int(a, &a->t[first + 1], 0, UINT32_MAX, "line");
        size_t at = a->lines.len;
        put32(&a->lines, (uint32_t)a->code.len);
        put32(&a->lines, ln);
        if (n == 4) add_fix(a, FIX_U32, &a->lines, at, 0, &a->t[first + 3]);
        a->nlines++;
        return;
    }
    if (is_word(d, ".catch")) {
        if (n != 5) { fail(a, "usage: .catch START END HANDLER CLASS|any"); return; }
        size_t at = a->handlers.len;
        put32(&a->handlers, 0); put32(&a->handlers, 0); put32(&a->handlers, 0);
        for (int k = 0; k < 3; k++) add_fix(a, FIX_U32, &a->handlers, at + 4 * (size_t)k, 0, &a->t[first + 1 + k]);
        const Tok *cl = &a->t[first + 4];
        put16(&a->handlers, is_word(cl, "any") ? 0 : op_class(a, cl));
        a->nhandlers++;
        return;
    }
    if (is_word(d, ".byte")) {
        for (int k = first + 1; k < a->nt; k++) put8(&a->code, (unsigned)tok_int(a, &a->t[k], 0, 255, "byte"));
        return;
    }
    if (d->type == T_WORD && d->len && d->s[0] == '.') {
        fail(a, "%.*s is not allowed inside a method", (int)d->len, d->s);
        return;
    }
    instruction(a, first);
}

static void class_line(Asm *a)
{
    const Tok *d = &a->t[0];
    if (is_word(d, ".const")) return;               /* pass 1 */
    if (is_word(d, ".class")) {
        if (a->have_class) { fail(a, ".class given twice"); return; }
        if (a->nt < 2) { fail(a, "usage: .class NAME [flags]"); return; }
        a->this_cls = op_class(a, &a->t[1]);
        a->flags = parse_flags(a, 2);
        a->have_class = 1;
    } else if (is_word(d, ".super")) {
        if (a->nt != 2) { fail(a, "usage: .super CLASS"); return; }
        a->super_cls = op_class(a, &a->t[1]);
    } else if (is_word(d, ".implements")) {
        if (a->nt != 2) { fail(a, "usage: .implements CLASS"); return; }
        if (++a->nifaces > MAX_COUNT) { fail(a, "too many interfaces"); return; }
        put16(&a->ifaces, op_class(a, &a->t[1]));
    } else if (is_word(d, ".version")) {
        if (a->nt != 3) { fail(a, "usage: .version MAJOR MINOR"); return; }
        a->major = (uint16_t)tok_int(a, &a->t[1], 0, 65535, "major");
        a->minor = (uint16_t)tok_int(a, &a->t[2], 0, 65535, "minor");
    } else if (is_word(d, ".field")) {
        if (a->nt < 3) { fail(a, "usage: .field NAME DESC [flags]"); return; }
        if (++a->nfields > MAX_COUNT) { fail(a, "too many fields"); return; }
        uint16_t nm = op_utf8(a, &a->t[1]), ds = op_utf8(a, &a->t[2]);
        put16(&a->fields, parse_flags(a, 3));
        put16(&a->fields, nm);
        put16(&a->fields, ds);
    } else if (is_word(d, ".source")) {
        if (a->nt != 2) { fail(a, "usage: .source NAME"); return; }
        if (++a->nattrs > MAX_COUNT) { fail(a, "too many attributes"); return; }
        uint16_t an = cp_utf8(a, "SourceFile", 10);
        put16(&a->attrs, an);
        put32(&a->attrs, 2);
        put16(&a->attrs, op_utf8(a, &a->t[1]));
    } else if (is_word(d, ".attribute")) {
        if (a->nt != 3 || a->t[2].type != T_STR) { fail(a, "usage: .attribute NAME \"data\""); return; }
        if (++a->nattrs > MAX_COUNT) { fail(a, "too many attributes"); return; }
        put16(&a->attrs, op_utf8(a, &a->t[1]));
        put32(&a->attrs, (uint32_t)a->t[2].len);
        put(&a->attrs, a->t[2].s, a->t[2].len);
    } else if (is_word(d, ".method")) {
        begin_method(a);
    } else {
        fail(a, "expected a directive (.class, .super, .implements, .field, .method, .const, "
             ".source, .attribute, .version), found '%.*s'", (int)d->len, d->s);
    }
}

static void assemble_line(Asm *a, int pass)
{
    if (a->nt == 0) return;
    if (pass == 1) {
        if (is_word(&a->t[0], ".const")) do_const(a);
        return;
    }
    int first = 0;
    if (a->in_method) {
        while (first < a->nt && a->t[first].type == T_WORD && a->t[first].len > 1 &&
               a->t[first].s[a->t[first].len - 1] == ':') {
            define_label(a, a->t[first].s, a->t[first].len - 1);
            first++;
        }
        if (first < a->nt && !a->failed) method_line(a, first);
        return;
    }
    class_line(a);
}

static void finish(Asm *a, Buf *out)
{
    if (!a->have_class) { fail(a, "no .class directive"); return; }
    if (a->ncp == 0) a->ncp = 1;
    put(out, KCF_MAGIC, 4);
    put16(out, a->major);
    put16(out, a->minor);
    put16(out, a->ncp);
    for (uint32_t i = 1; i < a->ncp; i++) {
        const Ent *e = &a->cp[i];
        put8(out, e->tag);
        switch (e->tag) {
        case KCP_UTF8: put32(out, e->len); put(out, e->s, e->len); break;
        case KCP_INT: case KCP_FLOAT: put64(out, e->v); break;
        case KCP_STRING: case KCP_CLASS: put16(out, e->a); break;
        default: put16(out, e->a); put16(out, e->b); break;
        }
    }
    put16(out, a->flags);
    put16(out, a->this_cls);
    put16(out, a->super_cls);
    put16(out, a->nifaces);
    put(out, a->ifaces.p, a->ifaces.len);
    put16(out, a->nfields);
    put(out, a->fields.p, a->fields.len);
    put16(out, a->nmethods);
    put(out, a->methods.p, a->methods.len);
    put16(out, a->nattrs);
    put(out, a->attrs.p, a->attrs.len);
    if (out->oom || a->ifaces.oom || a->fields.oom || a->methods.oom || a->attrs.oom)
        fail(a, "out of memory");
}

int ld_assemble(const char *src, size_t len, const char *path, uint8_t **out, size_t *outlen,
                char *err, size_t errlen)
{
    Asm *a = calloc(1, sizeof *a);
    if (!a) { if (err && errlen) snprintf(err, errlen, "%s: out of memory", path); return -1; }
    a->path = path;
    a->err = err;
    a->errlen = errlen;
    a->major = KCF_MAJOR;
    a->minor = KCF_MINOR;
    a->ncp = 1;
    for (int pass = 1; pass <= 2 && !a->failed; pass++) {
        const char *p = src, *end = src + len;
        a->line = 0;
        while (p < end && !a->failed) {
            const char *eol = memchr(p, '\n', (size_t)(end - p));
            if (!eol) eol = end;
            a->line++;
            tokenize(a, p, eol);
            if (!a->failed) assemble_line(a, pass);
            p = eol + 1;
        }
        free_toks(a);
    }
    if (!a->failed && a->in_method) { a->line = a->m_line; fail(a, "method has no .end"); }
    Buf o = { 0 };
    if (!a->failed) finish(a, &o);
    int rc = a->failed ? -1 : 0;
    if (rc == 0) { *out = o.p; *outlen = o.len; }
    else free(o.p);
    free_toks(a);
    reset_method(a);
    for (uint32_t i = 1; i < a->ncp && a->cp; i++) free(a->cp[i].s);
    free(a->cp);
    free(a->ifaces.p); free(a->fields.p); free(a->methods.p); free(a->attrs.p);
    free(a->code.p); free(a->handlers.p); free(a->lines.p);
    free(a->labels); free(a->fixes);
    free(a);
    return rc;
}
