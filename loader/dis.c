/*
** loader/dis.c — `kiln dis`: a class file as .kasm text (docs/assembler.md).
**
** The listing is the assembler's input language, chosen so that assembling it
** gives back the identical bytes: the constant pool is printed entry by entry
** with its indices, and everything else refers to it by content (a name, a
** string) only where the assembler would pick that same entry (the first with
** that content), else by #index. Instructions carry their pc as a numeric
** label; branch targets and handler ranges are absolute pcs; constant operands
** are #index with the constant in a comment. Bytes that do not decode are printed
** with `.byte`.
**
** The bytes are walked again here rather than taken from a KClass, because a
** KClass does not keep everything a file holds (indices, interfaces, unknown
** attributes). Every read is bounds-checked, so a file that ld_parse_class did
** not accept prints as far as it goes and returns -1.
*/
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "asm.h"

typedef struct {
    uint8_t        tag;
    uint16_t       a, b;
    uint64_t       v;
    const uint8_t *s;
    uint32_t       len;
} DEnt;

typedef struct {
    const uint8_t *p;
    size_t         len, pos;
    int            bad;
    DEnt          *cp;
    uint32_t       ncp;
    FILE          *out;
} Dis;

static uint64_t rd(Dis *d, int n)
{
    if (d->bad || (size_t)n > d->len - d->pos) { d->bad = 1; return 0; }
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v |= (uint64_t)d->p[d->pos + (size_t)i] << (8 * i);
    d->pos += (size_t)n;
    return v;
}

static void skip(Dis *d, size_t n)
{
    if (d->bad || n > d->len - d->pos) { d->bad = 1; return; }
    d->pos += n;
}

static void print_str(FILE *out, const uint8_t *s, uint32_t len)
{
    fputc('"', out);
    for (uint32_t i = 0; i < len; i++) {
        unsigned ch = s[i];
        if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
        else if (ch == '\n') fputs("\\n", out);
        else if (ch == '\t') fputs("\\t", out);
        else if (ch < 32 || ch == 127) fprintf(out, "\\x%02x", ch);
        else fputc((int)ch, out);
    }
    fputc('"', out);
}

/* Bytes inside a comment: control characters escaped, so the comment ends at the
** end of its line. */
static void print_plain(FILE *out, const uint8_t *s, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] < 32 || s[i] == 127) fprintf(out, "\\x%02x", s[i]);
        else fputc(s[i], out);
    }
}

static int is_utf8(const Dis *d, uint32_t i) { return i > 0 && i < d->ncp && d->cp[i].tag == KCP_UTF8; }

static int same_utf8(const Dis *d, uint32_t i, uint32_t j)
{
    return is_utf8(d, i) && is_utf8(d, j) && d->cp[i].len == d->cp[j].len &&
           memcmp(d->cp[i].s, d->cp[j].s, d->cp[i].len) == 0;
}

/* Whether the utf8 bytes can be written as a bare word that the assembler reads
** back unchanged. */
static int wordable(const uint8_t *s, uint32_t len)
{
    if (len == 0 || s[0] == '#' || s[0] == '"' || s[0] == ';' || s[0] == '/' || s[len - 1] == ':')
        return 0;
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] <= ' ' || s[i] >= 127 || s[i] == '"' || s[i] == ',') return 0;
        if (s[i] == '(' && i > 0) return 0;
    }
    return !(len == 3 && memcmp(s, "any", 3) == 0);
}

/* A utf8 operand: its content when the assembler's lookup (the first utf8 entry
** with that content) gives back index i, else #i. */
static void print_utf8_op(Dis *d, uint32_t i)
{
    if (is_utf8(d, i)) {
        uint32_t first = 1;
        while (!same_utf8(d, first, i)) first++;
        if (first == i) {
            if (wordable(d->cp[i].s, d->cp[i].len)) fwrite(d->cp[i].s, 1, d->cp[i].len, d->out);
            else print_str(d->out, d->cp[i].s, d->cp[i].len);
            return;
        }
    }
    fprintf(d->out, "#%u", i);
}

/* A class operand: the class name when the first CLASS entry with that name is i. */
static void print_class_op(Dis *d, uint32_t i)
{
    if (i > 0 && i < d->ncp && d->cp[i].tag == KCP_CLASS && is_utf8(d, d->cp[i].a)) {
        uint32_t first = 1;
        while (!(d->cp[first].tag == KCP_CLASS && same_utf8(d, d->cp[first].a, d->cp[i].a))) first++;
        const DEnt *u = &d->cp[d->cp[i].a];
        if (first == i && wordable(u->s, u->len)) {
            fwrite(u->s, 1, u->len, d->out);
            return;
        }
    }
    fprintf(d->out, "#%u", i);
}

static void print_flags(FILE *out, unsigned f)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        { KACC_STATIC, "static" }, { KACC_PRIVATE, "private" }, { KACC_ABSTRACT, "abstract" },
        { KACC_NATIVE, "native" }, { KACC_FINAL, "final" }, { KACC_INTERFACE, "interface" },
        { KACC_MODULE, "module" }, { KACC_LET, "let" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (f & names[i].bit) { fprintf(out, " %s", names[i].name); f &= ~names[i].bit; }
    if (f) fprintf(out, " 0x%x", f);
}

static void print_float(FILE *out, uint64_t bits)
{
    double f;
    char buf[64];
    memcpy(&f, &bits, 8);
    snprintf(buf, sizeof buf, "%.17g", f);
    double back = strtod(buf, NULL);
    uint64_t bb;
    memcpy(&bb, &back, 8);
    if (bb == bits) fputs(buf, out);
    else fprintf(out, "bits 0x%016" PRIx64, bits);
}

/* Short description of constant i, for comments. */
static void describe(Dis *d, uint32_t i, int depth)
{
    FILE *out = d->out;
    if (i == 0 || i >= d->ncp || depth > 3) { fprintf(out, "<bad constant>"); return; }
    const DEnt *e = &d->cp[i];
    switch (e->tag) {
    case KCP_UTF8:   print_str(out, e->s, e->len); break;
    case KCP_INT:    fprintf(out, "%" PRId64, (int64_t)e->v); break;
    case KCP_FLOAT:  fputs("float ", out); print_float(out, e->v); break;
    case KCP_STRING: describe(d, e->a, depth + 1); break;
    case KCP_CLASS:
        if (is_utf8(d, e->a)) print_plain(out, d->cp[e->a].s, d->cp[e->a].len);
        else fprintf(out, "<bad class>");
        break;
    case KCP_NAMETYPE:
        if (is_utf8(d, e->a) && is_utf8(d, e->b)) {
            print_plain(out, d->cp[e->a].s, d->cp[e->a].len);
            fputc(' ', out);
            print_plain(out, d->cp[e->b].s, d->cp[e->b].len);
        }
        break;
    default:
        if (e->a < d->ncp && d->cp[e->a].tag == KCP_CLASS) describe(d, e->a, depth + 1);
        fputc('.', out);
        if (e->b < d->ncp && d->cp[e->b].tag == KCP_NAMETYPE) describe(d, e->b, depth + 1);
        break;
    }
}

static void print_pool(Dis *d)
{
    static const char *const kind[] = { "?", "utf8", "int", "float", "string", "class",
                                        "nametype", "field", "method", "imethod" };
    for (uint32_t i = 1; i < d->ncp; i++) {
        const DEnt *e = &d->cp[i];
        fprintf(d->out, ".const #%-4u %-8s ", i, kind[e->tag]);
        switch (e->tag) {
        case KCP_UTF8:  print_str(d->out, e->s, e->len); break;
        case KCP_INT:   fprintf(d->out, "%" PRId64, (int64_t)e->v); break;
        case KCP_FLOAT: print_float(d->out, e->v); break;
        case KCP_STRING: case KCP_CLASS:
            fprintf(d->out, "#%u    // ", e->a);
            describe(d, i, 0);
            break;
        default:
            fprintf(d->out, "#%u #%u    // ", e->a, e->b);
            describe(d, i, 0);
            break;
        }
        fputc('\n', d->out);
    }
}

static int read_pool(Dis *d)
{
    uint32_t n = (uint32_t)rd(d, 2);
    if (d->bad || n == 0) return -1;
    d->cp = calloc(n, sizeof *d->cp);
    if (!d->cp) return -1;
    d->ncp = n;
    for (uint32_t i = 1; i < n && !d->bad; i++) {
        DEnt *e = &d->cp[i];
        e->tag = (uint8_t)rd(d, 1);
        switch (e->tag) {
        case KCP_UTF8:
            e->len = (uint32_t)rd(d, 4);
            if (d->bad || e->len > d->len - d->pos) { d->bad = 1; break; }
            e->s = d->p + d->pos;
            d->pos += e->len;
            break;
        case KCP_INT: case KCP_FLOAT: e->v = rd(d, 8); break;
        case KCP_STRING: case KCP_CLASS: e->a = (uint16_t)rd(d, 2); break;
        case KCP_NAMETYPE: case KCP_FIELD: case KCP_METHOD: case KCP_IMETHOD:
            e->a = (uint16_t)rd(d, 2);
            e->b = (uint16_t)rd(d, 2);
            break;
        default: d->bad = 1; break;
        }
    }
    return d->bad ? -1 : 0;
}

/* One method: header, code, handlers, line table. */
static void dis_method(Dis *d)
{
    FILE *out = d->out;
    unsigned flags = (unsigned)rd(d, 2), name = (unsigned)rd(d, 2), desc = (unsigned)rd(d, 2);
    unsigned stack = (unsigned)rd(d, 2), locals = (unsigned)rd(d, 2);
    uint32_t len = (uint32_t)rd(d, 4);
    if (d->bad || len > d->len - d->pos) { d->bad = 1; return; }
    const uint8_t *code = d->p + d->pos;
    d->pos += len;
    unsigned nh = (unsigned)rd(d, 2);
    if (d->bad || (size_t)nh * 14 > d->len - d->pos) { d->bad = 1; return; }
    const uint8_t *h = d->p + d->pos;
    d->pos += (size_t)nh * 14;
    unsigned nl = (unsigned)rd(d, 2);
    if (d->bad || (size_t)nl * 8 > d->len - d->pos) { d->bad = 1; return; }
    const uint8_t *lines = d->p + d->pos;
    d->pos += (size_t)nl * 8;

    fputs("\n.method ", out);
    /* "name(desc)" in one word when both print as words and the split is unambiguous */
    int joined = 0;
    if (is_utf8(d, name) && is_utf8(d, desc)) {
        const DEnt *n = &d->cp[name], *ds = &d->cp[desc];
        uint32_t fn = 1, fd = 1;
        while (!same_utf8(d, fn, name)) fn++;
        while (!same_utf8(d, fd, desc)) fd++;
        joined = fn == name && fd == desc && wordable(n->s, n->len) && !memchr(n->s, '(', n->len) &&
                 wordable(ds->s, ds->len) && ds->len && ds->s[0] == '(';
        if (joined) fprintf(out, "%.*s%.*s", (int)n->len, (const char *)n->s, (int)ds->len, (const char *)ds->s);
    }
    if (!joined) { print_utf8_op(d, name); fputc(' ', out); print_utf8_op(d, desc); }
    print_flags(out, flags);
    fprintf(out, "\n    .stack %u\n    .locals %u\n", stack, locals);

    /* Instruction starts, for deciding whether line entries print inline. */
    uint8_t *start = calloc(len ? len : 1, 1);
    if (!start) { d->bad = 1; return; }
    for (uint32_t pc = 0; pc < len;) {
        start[pc] = 1;
        unsigned op = code[pc];
        uint32_t size = op < OP__COUNT ? (uint32_t)k_opinfo[op].size : 1;
        pc += size <= len - pc ? size : 1;
    }
    int inline_lines = 1;
    for (unsigned i = 0; i < nl; i++) {
        uint32_t pc = k_rd_u32(lines + 8 * i);
        if (pc >= len || !start[pc] || (i && pc < k_rd_u32(lines + 8 * (i - 1)))) inline_lines = 0;
    }
    unsigned li = 0;
    for (uint32_t pc = 0; pc < len;) {
        while (inline_lines && li < nl && k_rd_u32(lines + 8 * li) == pc)
            fprintf(out, "    .line %u\n", k_rd_u32(lines + 8 * li++ + 4));
        unsigned op = code[pc];
        const KOpInfo *in = op < OP__COUNT ? &k_opinfo[op] : NULL;
        if (!in || (uint32_t)in->size > len - pc) {
            fprintf(out, "%9u: .byte %u%s\n", pc, op, in ? "    // truncated instruction" : "    // not an opcode");
            pc++;
            continue;
        }
        const uint8_t *o = code + pc + 1;
        fprintf(out, "%9u: %s", pc, in->mnemonic);
        switch (in->fmt) {
        case KFMT_NONE: break;
        case KFMT_I32:  fprintf(out, " %d", k_rd_i32(o)); break;
        case KFMT_U8:   fprintf(out, " %u", o[0]); break;
        case KFMT_LOC:  fprintf(out, " %u", k_rd_u16(o)); break;
        case KFMT_BR:   fprintf(out, " %" PRId64, (int64_t)pc + k_rd_i32(o)); break;
        case KFMT_IINC: fprintf(out, " %u %d", k_rd_u16(o), k_rd_i16(o + 2)); break;
        default:
            fprintf(out, " #%u", k_rd_u16(o));
            if (in->size == 4) fprintf(out, " %u", o[2]);
            fputs("    // ", out);
            describe(d, k_rd_u16(o), 0);
            break;
        }
        fputc('\n', out);
        pc += (uint32_t)in->size;
    }
    free(start);
    for (unsigned i = 0; !inline_lines && i < nl; i++)
        fprintf(out, "    .line %u at %u\n", k_rd_u32(lines + 8 * i + 4), k_rd_u32(lines + 8 * i));
    for (unsigned i = 0; i < nh; i++) {
        const uint8_t *x = h + 14 * i;
        unsigned cls = k_rd_u16(x + 12);
        fprintf(out, "    .catch %u %u %u ", k_rd_u32(x), k_rd_u32(x + 4), k_rd_u32(x + 8));
        if (cls) print_class_op(d, cls);
        else fputs("any", out);
        fputc('\n', out);
    }
    fputs(".end\n", out);
}

int ld_dis_kasm(const uint8_t *data, size_t len, FILE *out)
{
    Dis d = { data, len, 0, 0, NULL, 0, out };
    if (len < 8 || memcmp(data, KCF_MAGIC, 4) != 0) { fputs("// not a Kiln class file\n", out); return -1; }
    d.pos = 4;
    unsigned major = (unsigned)rd(&d, 2), minor = (unsigned)rd(&d, 2);
    if (read_pool(&d) < 0) { fputs("// bad constant pool\n", out); free(d.cp); return -1; }
    unsigned flags = (unsigned)rd(&d, 2), this_cls = (unsigned)rd(&d, 2), super = (unsigned)rd(&d, 2);
    if (d.bad) { fputs("// truncated class header\n", out); free(d.cp); return -1; }

    fputs(".class ", out);
    print_class_op(&d, this_cls);
    print_flags(out, flags);
    fputc('\n', out);
    if (major != KCF_MAJOR || minor != KCF_MINOR) fprintf(out, ".version %u %u\n", major, minor);
    if (super) { fputs(".super ", out); print_class_op(&d, super); fputc('\n', out); }
    unsigned nif = (unsigned)rd(&d, 2);
    for (unsigned i = 0; i < nif && !d.bad; i++) {
        unsigned c = (unsigned)rd(&d, 2);
        if (d.bad) break;
        fputs(".implements ", out);
        print_class_op(&d, c);
        fputc('\n', out);
    }
    /* Skip fields and methods to print the attributes near the top. */
    size_t members = d.pos;
    unsigned nf = (unsigned)rd(&d, 2);
    skip(&d, (size_t)nf * 6);
    unsigned nm = (unsigned)rd(&d, 2);
    for (unsigned i = 0; i < nm && !d.bad; i++) {
        skip(&d, 10);
        uint32_t cl = (uint32_t)rd(&d, 4);
        if (d.bad || cl > len - d.pos) { d.bad = 1; break; }
        d.pos += cl;
        size_t hn = (size_t)rd(&d, 2) * 14;
        if (d.bad || hn > len - d.pos) { d.bad = 1; break; }
        d.pos += hn;
        size_t ln = (size_t)rd(&d, 2) * 8;
        if (d.bad || ln > len - d.pos) { d.bad = 1; break; }
        d.pos += ln;
    }
    unsigned na = (unsigned)rd(&d, 2);
    for (unsigned i = 0; i < na && !d.bad; i++) {
        unsigned an = (unsigned)rd(&d, 2);
        uint32_t al = (uint32_t)rd(&d, 4);
        if (d.bad || al > len - d.pos) { d.bad = 1; break; }
        const uint8_t *ad = data + d.pos;
        d.pos += al;
        uint32_t first_sf = 1;
        while (first_sf < d.ncp && !(is_utf8(&d, first_sf) && d.cp[first_sf].len == 10 &&
                                     memcmp(d.cp[first_sf].s, "SourceFile", 10) == 0))
            first_sf++;
        if (first_sf < d.ncp && an == first_sf && al == 2) {
            fputs(".source ", out);
            print_utf8_op(&d, k_rd_u16(ad));
        } else {
            fputs(".attribute ", out);
            print_utf8_op(&d, an);
            fputc(' ', out);
            print_str(out, ad, al);
        }
        fputc('\n', out);
    }
    int trailing = !d.bad && d.pos != len;

    fputc('\n', out);
    print_pool(&d);
    if (d.bad) { fputs("// truncated class file\n", out); free(d.cp); return -1; }

    d.pos = members;
    nf = (unsigned)rd(&d, 2);
    if (nf) fputc('\n', out);
    for (unsigned i = 0; i < nf && !d.bad; i++) {
        unsigned fl = (unsigned)rd(&d, 2), fn = (unsigned)rd(&d, 2), fd = (unsigned)rd(&d, 2);
        fputs(".field ", out);
        print_utf8_op(&d, fn);
        fputc(' ', out);
        print_utf8_op(&d, fd);
        print_flags(out, fl);
        fputc('\n', out);
    }
    nm = (unsigned)rd(&d, 2);
    for (unsigned i = 0; i < nm && !d.bad; i++) dis_method(&d);
    free(d.cp);
    if (d.bad) { fputs("// truncated class file\n", out); return -1; }
    if (trailing) { fputs("// trailing bytes after the class are not shown\n", out); return -1; }
    return 0;
}
