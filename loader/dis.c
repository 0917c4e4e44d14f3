/*
** loader/dis.c — `kiln dis`: a readable listing of a class file.
*/
#include <inttypes.h>
#include <string.h>
#include <zip.h>
#include "loader.h"

static void print_escaped(FILE *out, const char *s, uint32_t len)
{
    fputc('"', out);
    for (uint32_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
        else if (ch == '\n') fputs("\\n", out);
        else if (ch == '\t') fputs("\\t", out);
        else if (ch < 32 || ch == 127) fprintf(out, "\\x%02x", ch);
        else fputc(ch, out);
    }
    fputc('"', out);
}

static void print_const(FILE *out, const KClass *c, uint16_t i)
{
    const KConst *k = &c->cp[i];
    const char *cn, *mn, *md;
    switch (k->tag) {
    case KCP_UTF8:   fprintf(out, "utf8     "); print_escaped(out, k->v.utf8.s, k->v.utf8.len); break;
    case KCP_INT:    fprintf(out, "int      %" PRId64, k->v.i); break;
    case KCP_FLOAT:  fprintf(out, "float    %.17g", k->v.f); break;
    case KCP_STRING: fprintf(out, "string   #%u ", k->a);
                     print_escaped(out, c->cp[k->a].v.utf8.s, c->cp[k->a].v.utf8.len); break;
    case KCP_CLASS:  fprintf(out, "class    #%u %s", k->a, c->cp[k->a].v.utf8.s); break;
    case KCP_NAMETYPE:
        fprintf(out, "nametype #%u:#%u %s %s", k->a, k->b, c->cp[k->a].v.utf8.s, c->cp[k->b].v.utf8.s);
        break;
    case KCP_FIELD: case KCP_METHOD: case KCP_IMETHOD:
        ld_member_ref(c, i, &cn, &mn, &md);
        fprintf(out, "%s #%u.#%u %s.%s %s",
                k->tag == KCP_FIELD ? "field   " : k->tag == KCP_METHOD ? "method  " : "imethod ",
                k->a, k->b, cn, mn, md);
        break;
    default: fprintf(out, "?"); break;
    }
}

/* Short form of a constant for instruction comments. */
static void print_operand_const(FILE *out, const KClass *c, uint16_t i)
{
    if (i == 0 || i >= c->ncp) { fprintf(out, "<bad constant>"); return; }
    const KConst *k = &c->cp[i];
    const char *cn, *mn, *md;
    switch (k->tag) {
    case KCP_INT:    fprintf(out, "%" PRId64, k->v.i); break;
    case KCP_FLOAT:  fprintf(out, "%.17g", k->v.f); break;
    case KCP_STRING: print_escaped(out, c->cp[k->a].v.utf8.s, c->cp[k->a].v.utf8.len); break;
    case KCP_METHOD: case KCP_IMETHOD: case KCP_FIELD:
        ld_member_ref(c, i, &cn, &mn, &md);
        fprintf(out, "%s.%s %s", cn, mn, md);
        break;
    case KCP_CLASS:  fprintf(out, "%s", c->cp[k->a].v.utf8.s); break;
    default:         fprintf(out, "<%u>", k->tag); break;
    }
}

static void flags_text(char *buf, size_t n, uint16_t f)
{
    static const struct { uint16_t bit; const char *name; } names[] = {
        { KACC_STATIC, "static" }, { KACC_PRIVATE, "private" }, { KACC_ABSTRACT, "abstract" },
        { KACC_NATIVE, "native" }, { KACC_FINAL, "final" }, { KACC_INTERFACE, "interface" },
        { KACC_MODULE, "module" }, { KACC_LET, "let" },
    };
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (f & names[i].bit) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? " " : "", names[i].name);
        }
}

static void dis_code(FILE *out, const KClass *c, const KMethod *m)
{
    uint32_t line_i = 0;
    for (uint32_t pc = 0; pc < m->code_len;) {
        int op = m->code[pc];
        while (line_i < m->nlines && m->lines[line_i].pc <= pc) {
            fprintf(out, "      ; line %u\n", m->lines[line_i].line);
            line_i++;
        }
        if (op >= OP__COUNT) { fprintf(out, "    %5u: <bad opcode %u>\n", pc, op); return; }
        const KOpInfo *oi = &k_opinfo[op];
        if (pc + (uint32_t)oi->size > m->code_len) {
            fprintf(out, "    %5u: %s <truncated>\n", pc, oi->mnemonic);
            return;
        }
        const uint8_t *o = m->code + pc + 1;
        fprintf(out, "    %5u: %-13s", pc, oi->mnemonic);
        switch (oi->fmt) {
        case KFMT_NONE: break;
        case KFMT_I32:  fprintf(out, " %d", k_rd_i32(o)); break;
        case KFMT_U8:   fprintf(out, " %u", o[0]); break;
        case KFMT_LOC:  fprintf(out, " %u", k_rd_u16(o)); break;
        case KFMT_BR:   fprintf(out, " %" PRId64, (int64_t)pc + k_rd_i32(o)); break;
        case KFMT_IINC: fprintf(out, " %u %d", k_rd_u16(o), k_rd_i16(o + 2)); break;
        case KFMT_CP:
            fprintf(out, " #%u    // ", k_rd_u16(o));
            print_operand_const(out, c, k_rd_u16(o));
            break;
        }
        fputc('\n', out);
        pc += (uint32_t)oi->size;
    }
    for (int i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        fprintf(out, "    handler [%u, %u) -> %u catch %s\n", h->start, h->end, h->handler,
                h->catch_class ? c->cp[c->cp[h->catch_class].a].v.utf8.s : "any");
    }
}

void ld_disassemble(KClass *c, FILE *out)
{
    char fl[128];
    flags_text(fl, sizeof fl, c->flags);
    fprintf(out, "class %s%s%s%s%s\n", c->name, fl[0] ? " (" : "", fl, fl[0] ? ")" : "",
            "");
    if (c->super_name) fprintf(out, "  extends %s\n", c->super_name);
    fprintf(out, "  source %s\n", c->source_file ? c->source_file : "?");
    fprintf(out, "  constants (%u)\n", c->ncp ? c->ncp - 1u : 0u);
    for (uint16_t i = 1; i < c->ncp; i++) {
        fprintf(out, "    #%-4u ", i);
        print_const(out, c, i);
        fputc('\n', out);
    }
    for (int i = 0; i < c->nfields; i++) {
        flags_text(fl, sizeof fl, c->fields[i].flags);
        fprintf(out, "  field %s %s%s%s\n", c->fields[i].name, c->fields[i].desc, fl[0] ? " " : "", fl);
    }
    for (int i = 0; i < c->nmethods; i++) {
        const KMethod *m = &c->methods[i];
        flags_text(fl, sizeof fl, m->flags);
        fprintf(out, "\n  method %s%s%s%s  stack=%u locals=%u code=%u\n", m->name, m->desc,
                fl[0] ? " " : "", fl, m->max_stack, m->max_locals, m->code_len);
        dis_code(out, c, m);
    }
}
