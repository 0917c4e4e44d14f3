/*
** loader/classfile.c — reads a class file (docs/classfile.md) into a KClass.
**
** The reader trusts nothing: every count, length and index is checked against
** the buffer before use. The first error sticks (sljit style): later reads return
** zeros and the caller checks once. Messages name the byte offset.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    const char *origin;
    char *err;
    size_t errlen;
    int failed;
    const KClass *pool_class;  /* with pool_at: the constant whose references are */
    uint16_t pool_at;          /* checked, named in errors when `what` is NULL */
} Reader;

static void fail(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(Reader *r, const char *fmt, ...)
{
    if (r->failed) return;
    r->failed = 1;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->err) snprintf(r->err, r->errlen, "%s: %s at offset %zu", r->origin, msg, r->pos);
}

static int need(Reader *r, size_t n, const char *what)
{
    if (r->failed) return 0;
    if (n > r->len - r->pos) {
        fail(r, "truncated class file: %s needs %zu bytes, %zu left", what, n, r->len - r->pos);
        return 0;
    }
    return 1;
}

static uint8_t u8(Reader *r, const char *what)
{
    if (!need(r, 1, what)) return 0;
    return r->p[r->pos++];
}

static uint16_t u16(Reader *r, const char *what)
{
    if (!need(r, 2, what)) return 0;
    uint16_t v = k_rd_u16(r->p + r->pos);
    r->pos += 2;
    return v;
}

static uint32_t u32(Reader *r, const char *what)
{
    if (!need(r, 4, what)) return 0;
    uint32_t v = k_rd_u32(r->p + r->pos);
    r->pos += 4;
    return v;
}

static uint64_t u64(Reader *r, const char *what)
{
    if (!need(r, 8, what)) return 0;
    uint64_t v = k_rd_u64(r->p + r->pos);
    r->pos += 8;
    return v;
}

static const char *tag_name(int tag)
{
    static const char *const names[] = { "none", "utf8", "int", "float", "string", "class",
                                         "nametype", "field", "method", "imethod" };
    return tag >= 0 && tag <= KCP_IMETHOD ? names[tag] : "unknown";
}

/* Checks that idx names an entry of kind tag; returns idx or 0 after failing. */
/* `what` for an error message: the given text, or "constant N (TAG)" for the pool
** entry being checked (formatted only on failure: the pool pass is hot). */
static const char *what_of(const Reader *r, const char *what, char *buf, size_t n)
{
    if (what) return what;
    if (!r->pool_class) return "constant";
    snprintf(buf, n, "constant %u (%s)", r->pool_at, tag_name(r->pool_class->cp[r->pool_at].tag));
    return buf;
}

static uint16_t cp_ref(Reader *r, KClass *c, uint16_t idx, int tag, const char *what)
{
    char wb[48];
    if (r->failed) return 0;
    if (idx == 0 || idx >= c->ncp) {
        fail(r, "%s: constant index %u out of range (pool has %u entries)", what_of(r, what, wb, sizeof wb), idx,
             c->ncp ? c->ncp - 1u : 0u);
        return 0;
    }
    if (c->cp[idx].tag != tag) {
        fail(r, "%s: constant %u is %s, expected %s", what_of(r, what, wb, sizeof wb), idx, tag_name(c->cp[idx].tag),
             tag_name(tag));
        return 0;
    }
    return idx;
}

/* A utf8 constant used as a name or descriptor: no NUL bytes, bounded length. */
static const char *cp_name(Reader *r, KClass *c, uint16_t idx, const char *what)
{
    char wb[48];
    if (!cp_ref(r, c, idx, KCP_UTF8, what)) return NULL;
    KConst *k = &c->cp[idx];
    if (k->v.utf8.len == 0 || k->v.utf8.len > KCF_MAX_NAME || strlen(k->v.utf8.s) != k->v.utf8.len) {
        fail(r, "%s: constant %u is not a valid name", what_of(r, what, wb, sizeof wb), idx);
        return NULL;
    }
    return k->v.utf8.s;
}

/* Descriptors (docs/classfile.md): I F Z, B only as an array element, V only as a
** method's result, Lname; with a nonempty name free of ( ) [ ;, and at most
** KCF_MAX_DIMS array dimensions. Returns the position after one type, or NULL. */
#define KCF_MAX_DIMS 255
static const char *desc_type(const char *d, int result)
{
    int dims = 0;
    while (*d == '[') { if (++dims > KCF_MAX_DIMS) return NULL; d++; }
    switch (*d) {
    case 'I': case 'F': case 'Z': return d + 1;
    case 'B': return dims ? d + 1 : NULL;
    case 'V': return result && !dims ? d + 1 : NULL;
    case 'L': {
        const char *e = d + 1;
        while (*e && *e != ';' && *e != '(' && *e != ')' && *e != '[') e++;
        return *e == ';' && e > d + 1 ? e + 1 : NULL;
    }
    default: return NULL;
    }
}

/* A whole field (method = 0) or method (method = 1) descriptor. */
static int desc_ok(const char *d, int method)
{
    if (!method) { d = desc_type(d, 0); return d && !*d; }
    if (*d++ != '(') return 0;
    while (*d != ')') if (!(d = desc_type(d, 0))) return 0;
    d = desc_type(d + 1, 1);
    return d && !*d;
}

typedef struct { const char *name, *desc; } Member;

static int cmp_member(const void *a, const void *b)
{
    const Member *x = a, *y = b;
    int k = strcmp(x->name, y->name);
    return k ? k : strcmp(x->desc, y->desc);
}

/* Index in m[0..n) (sorted in place) of a member equal to its predecessor, by name
** and, when by_desc, descriptor; -1 when all differ. */
static int find_duplicate(Member *m, int n, int by_desc)
{
    if (!by_desc) for (int i = 0; i < n; i++) m[i].desc = "";
    qsort(m, (size_t)n, sizeof *m, cmp_member);
    for (int i = 1; i < n; i++)
        if (cmp_member(&m[i - 1], &m[i]) == 0) return i;
    return -1;
}

static void read_pool(Reader *r, KVM *vm, KClass *c)
{
    (void)vm;
    uint16_t n = u16(r, "constant pool count");
    if (r->failed) return;
    if (n == 0) { fail(r, "constant pool count is 0 (must count entry 0)"); return; }
    if (!need(r, (size_t)(n - 1) * 3, "constant pool")) return;   /* 3 bytes per entry at least */
    c->ncp = n;
    c->cp = gc_alloc(sizeof(KConst) * n);
    for (uint16_t i = 1; i < n && !r->failed; i++) {
        KConst *k = &c->cp[i];
        size_t at = r->pos;
        k->tag = u8(r, "constant tag");
        switch (k->tag) {
        case KCP_UTF8: {
            uint32_t len = u32(r, "utf8 length");
            if (!need(r, len, "utf8 bytes")) break;
            k->v.utf8.s = gc_strndup((const char *)r->p + r->pos, len);
            k->v.utf8.len = len;
            r->pos += len;
            break;
        }
        case KCP_INT:   k->v.i = (int64_t)u64(r, "int constant"); break;
        case KCP_FLOAT: { uint64_t b = u64(r, "float constant"); memcpy(&k->v.f, &b, 8); break; }
        case KCP_STRING: case KCP_CLASS:
            k->a = u16(r, "constant operand");
            break;
        case KCP_NAMETYPE: case KCP_FIELD: case KCP_METHOD: case KCP_IMETHOD:
            k->a = u16(r, "constant operand");
            k->b = u16(r, "constant operand");
            break;
        default:
            r->pos = at;
            fail(r, "constant %u has unknown tag %u", i, k->tag);
        }
    }
    /* Second pass: cross references, now that every entry is known. */
    for (uint16_t i = 1; i < n && !r->failed; i++) {
        KConst *k = &c->cp[i];
        const char *what = NULL;        /* "constant i (TAG)", see what_of */
        r->pool_class = c;
        r->pool_at = i;
        switch (k->tag) {
        case KCP_STRING:   cp_ref(r, c, k->a, KCP_UTF8, what); break;
        case KCP_CLASS:    cp_name(r, c, k->a, what); break;
        case KCP_NAMETYPE: cp_name(r, c, k->a, what); cp_name(r, c, k->b, what); break;
        case KCP_FIELD: case KCP_METHOD: case KCP_IMETHOD:
            cp_ref(r, c, k->a, KCP_CLASS, what);
            cp_ref(r, c, k->b, KCP_NAMETYPE, what);
            if (!r->failed && k->tag != KCP_FIELD) {
                /* The nametype may come later in the pool, unchecked yet: check its
                ** descriptor index here before following it. */
                const char *desc = cp_name(r, c, c->cp[k->b].b, what);
                if (desc && (vm_desc_nargs(desc) < 0 || !desc_ok(desc, 1)))
                    fail(r, "constant %u (%s): bad method descriptor '%s'", i, tag_name(k->tag), desc);
            }
            break;
        default: break;
        }
    }
}

static const char *class_name_at(Reader *r, KClass *c, uint16_t idx, const char *what)
{
    if (!cp_ref(r, c, idx, KCP_CLASS, what)) return NULL;
    return c->cp[c->cp[idx].a].v.utf8.s;
}

static void read_method(Reader *r, KClass *c, KMethod *m)
{
    m->cls = c;
    m->flags = u16(r, "method flags");
    m->name = cp_name(r, c, u16(r, "method name"), "method name");
    m->desc = cp_name(r, c, u16(r, "method descriptor"), "method descriptor");
    m->max_stack = u16(r, "max_stack");
    m->max_locals = u16(r, "max_locals");
    uint32_t len = u32(r, "code length");
    if (r->failed) return;
    int nargs = vm_desc_nargs(m->desc);
    if (nargs < 0 || !desc_ok(m->desc, 1)) {
        fail(r, "method %s: bad descriptor '%s'", m->name, m->desc);
        return;
    }
    m->nargs = (uint16_t)(nargs + ((m->flags & KACC_STATIC) ? 0 : 1));
    m->ret = vm_desc_ret(m->desc);
    if (len > KCF_MAX_CODE) { fail(r, "method %s: code length %u exceeds the limit", m->name, len); return; }
    if (!need(r, len, "method code")) return;
    m->code_len = len;
    if (len) {
        m->code = gc_alloc_atomic(len);
        memcpy(m->code, r->p + r->pos, len);
    }
    r->pos += len;
    m->nhandlers = u16(r, "handler count");
    if (!need(r, (size_t)m->nhandlers * 14, "exception handlers")) return;
    m->handlers = gc_alloc_atomic(sizeof(KHandler) * (m->nhandlers ? m->nhandlers : 1));
    for (int i = 0; i < m->nhandlers; i++) {
        KHandler *h = &m->handlers[i];
        h->start = u32(r, "handler start");
        h->end = u32(r, "handler end");
        h->handler = u32(r, "handler pc");
        h->catch_class = u16(r, "handler class");
        if (h->catch_class) class_name_at(r, c, h->catch_class, "handler class");
    }
    m->nlines = u16(r, "line count");
    if (!need(r, (size_t)m->nlines * 8, "line table")) return;
    m->lines = gc_alloc_atomic(sizeof(KLine) * (m->nlines ? m->nlines : 1));
    for (uint32_t i = 0; i < m->nlines; i++) {
        m->lines[i].pc = u32(r, "line pc");
        m->lines[i].line = u32(r, "line number");
    }
}

KClass *ld_parse_class(KVM *vm, const uint8_t *data, size_t len, const char *origin,
                       char *err, size_t errlen)
{
    Reader r = { data, len, 0, origin, err, errlen, 0, NULL, 0 };
    KClass *c = gc_alloc(sizeof(KClass));
    if (!c) { fail(&r, "out of memory"); return NULL; }

    if (!need(&r, 4, "magic")) return NULL;
    if (memcmp(data, KCF_MAGIC, 4) != 0) { fail(&r, "bad magic (not a Kiln class file)"); return NULL; }
    r.pos = 4;
    uint16_t major = u16(&r, "version"), minor = u16(&r, "version");
    if (!r.failed && (major != KCF_MAJOR || minor != KCF_MINOR)) {
        r.pos = 4;
        fail(&r, "unsupported class file version %u.%u (this VM reads %u.%u)", major, minor,
             KCF_MAJOR, KCF_MINOR);
        return NULL;
    }
    read_pool(&r, vm, c);
    c->flags = u16(&r, "class flags");
    c->name = class_name_at(&r, c, u16(&r, "this_class"), "this_class");
    uint16_t super = u16(&r, "super_class");
    if (super) c->super_name = class_name_at(&r, c, super, "super_class");
    uint16_t nif = u16(&r, "interfaces count");
    if (!need(&r, (size_t)nif * 2, "interfaces")) return NULL;
    c->ninterfaces = nif;
    c->interface_names = gc_alloc(sizeof(char *) * (nif ? nif : 1));
    for (int i = 0; i < nif && !r.failed; i++)
        c->interface_names[i] = class_name_at(&r, c, u16(&r, "interface"), "interface");

    c->nfields = u16(&r, "fields count");
    if (!need(&r, (size_t)c->nfields * 6, "fields")) return NULL;
    c->fields = gc_alloc(sizeof(KField) * (c->nfields ? c->nfields : 1));
    for (int i = 0; i < c->nfields && !r.failed; i++) {
        c->fields[i].flags = u16(&r, "field flags");
        c->fields[i].name = cp_name(&r, c, u16(&r, "field name"), "field name");
        c->fields[i].desc = cp_name(&r, c, u16(&r, "field descriptor"), "field descriptor");
        if (!r.failed && !desc_ok(c->fields[i].desc, 0))
            fail(&r, "field %s: bad descriptor '%s'", c->fields[i].name, c->fields[i].desc);
    }
    if (!r.failed && c->nfields > 1) {
        Member *mm = malloc(sizeof *mm * c->nfields);
        if (!mm) { fail(&r, "out of memory"); return NULL; }
        for (int i = 0; i < c->nfields; i++) mm[i] = (Member){ c->fields[i].name, c->fields[i].desc };
        int d = find_duplicate(mm, c->nfields, 0);
        if (d >= 0) fail(&r, "duplicate field %s", mm[d].name);
        free(mm);
    }

    c->nmethods = u16(&r, "methods count");
    if (!need(&r, (size_t)c->nmethods * 18, "methods")) return NULL;   /* 18 bytes each at least */
    c->methods = gc_alloc(sizeof(KMethod) * (c->nmethods ? c->nmethods : 1));
    for (int i = 0; i < c->nmethods && !r.failed; i++) read_method(&r, c, &c->methods[i]);
    if (!r.failed && c->nmethods > 1) {
        Member *mm = malloc(sizeof *mm * c->nmethods);
        if (!mm) { fail(&r, "out of memory"); return NULL; }
        for (int i = 0; i < c->nmethods; i++) mm[i] = (Member){ c->methods[i].name, c->methods[i].desc };
        int d = find_duplicate(mm, c->nmethods, 1);
        if (d >= 0) fail(&r, "duplicate method %s%s", mm[d].name, mm[d].desc);
        free(mm);
    }

    c->source_file = "?";
    uint16_t nattr = u16(&r, "attributes count");
    for (int i = 0; i < nattr && !r.failed; i++) {
        const char *an = cp_name(&r, c, u16(&r, "attribute name"), "attribute name");
        uint32_t alen = u32(&r, "attribute length");
        if (!need(&r, alen, "attribute data")) break;
        if (an && strcmp(an, "SourceFile") == 0) {
            if (alen != 2) { fail(&r, "SourceFile attribute has length %u, expected 2", alen); break; }
            const char *sf = cp_name(&r, c, k_rd_u16(r.p + r.pos), "SourceFile");
            if (sf) c->source_file = sf;
        }
        r.pos += alen;
    }
    if (!r.failed && r.pos != r.len) fail(&r, "%zu trailing bytes after the class", r.len - r.pos);
    return r.failed ? NULL : c;
}
