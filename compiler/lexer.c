/*
** compiler/lexer.c — source text to tokens (LANGUAGE.md §1 and §7 "Literals").
**
** One pass over the source produces the whole token array. Errors are reported
** and lexing continues with a best guess (the bad character is skipped, an
** unterminated string ends at the end of its line), so the parser sees a usable
** token stream.
*/
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

typedef struct {
    int   depth;        /* open `{` inside this interpolation */
    KcPos start;        /* the string's opening quote */
} Interp;

typedef struct {
    Kc         *c;
    KcSrc      *src;
    const char *text, *p, *end, *line_start;
    int         line;
    int         nl;             /* line break since the previous token */
    KcToken    *toks;
    int         n, cap;
    Interp      istack[KC_MAX_NEST];
    int         isp;
    KcBuf       sb;             /* decoded bytes of the string being lexed */
} Lexer;

static const char *const tok_texts[TK__COUNT] = {
#define T(name, text) [TK_##name] = text,
    KC_TOKENS(T)
#undef T
#define K(name, text) [TK_KW_##name] = text,
    KC_KEYWORDS(K)
#undef K
};

const char *kc_tok_text(int kind) {
    if (kind < 0 || kind >= TK__COUNT) return "?";
    return tok_texts[kind];
}

static KcPos pos_at(Lexer *L, const char *p) {
    KcPos pos;
    pos.src = L->src->index;
    pos.line = L->line;
    pos.col = (int)(p - L->line_start) + 1;
    pos.off = (uint32_t)(p - L->text);
    return pos;
}

static KcToken *push_tok(Lexer *L, int kind, const char *start) {
    if (L->n == L->cap) {
        int ncap = L->cap ? L->cap * 2 : 256;
        KcToken *nt = kc_alloc(L->c, sizeof(KcToken) * (size_t)ncap);
        if (L->n) memcpy(nt, L->toks, sizeof(KcToken) * (size_t)L->n);
        L->toks = nt;
        L->cap = ncap;
    }
    KcToken *t = &L->toks[L->n++];
    memset(t, 0, sizeof *t);
    t->kind = (uint16_t)kind;
    t->nl_before = (uint8_t)L->nl;
    t->pos = pos_at(L, start);
    t->len = (uint32_t)(L->p - start);
    L->nl = 0;
    return t;
}

static int is_ident_start(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }
static int is_ident_char(int ch) { return is_ident_start(ch) || is_digit(ch); }
static int hex_val(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static void newline(Lexer *L, const char *nl_char) {
    L->line++;
    L->line_start = nl_char + 1;
    L->nl = 1;
}

/* Length of the UTF-8 sequence at p (1 for an invalid byte), and its code point. */
static int utf8_decode(const char *p, const char *end, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)p;
    unsigned b = s[0];
    int n;
    uint32_t v, min;
    if (b < 0x80) { *cp = b; return 1; }
    if ((b & 0xE0) == 0xC0) { n = 2; v = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { n = 3; v = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { n = 4; v = b & 0x07; min = 0x10000; }
    else { *cp = 0xFFFFFFFFu; return 1; }
    if (end - p < n) { *cp = 0xFFFFFFFFu; return 1; }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFFFFFFu; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = 0xFFFFFFFFu; return 1; }
    *cp = v;
    return n;
}

static void utf8_encode(Lexer *L, uint32_t cp) {
    uint8_t b[4];
    int n;
    if (cp < 0x80) { b[0] = (uint8_t)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (uint8_t)(0xC0 | (cp >> 6)); b[1] = (uint8_t)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (uint8_t)(0xE0 | (cp >> 12)); b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (uint8_t)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        b[0] = (uint8_t)(0xF0 | (cp >> 18)); b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (uint8_t)(0x80 | (cp & 0x3F)); n = 4;
    }
    kc_buf_put(L->c, &L->sb, b, (size_t)n);
}

/* Skips blanks and comments, noting line breaks. */
static void skip_space(Lexer *L) {
    while (L->p < L->end) {
        char ch = *L->p;
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            L->p++;
        } else if (ch == '\n') {
            newline(L, L->p);
            L->p++;
        } else if (ch == '/' && L->p + 1 < L->end && L->p[1] == '/') {
            while (L->p < L->end && *L->p != '\n') L->p++;
        } else if (ch == '/' && L->p + 1 < L->end && L->p[1] == '*') {
            KcPos start = pos_at(L, L->p);
            int depth = 0;
            while (L->p < L->end) {
                if (*L->p == '/' && L->p + 1 < L->end && L->p[1] == '*') {
                    depth++;
                    L->p += 2;
                } else if (*L->p == '*' && L->p + 1 < L->end && L->p[1] == '/') {
                    L->p += 2;
                    if (--depth == 0) break;
                } else {
                    if (*L->p == '\n') newline(L, L->p);
                    L->p++;
                }
            }
            if (depth > 0) kc_error(L->c, start, "unterminated comment");
        } else {
            break;
        }
    }
}

/* Reads the escape after a backslash at L->p into the string buffer; returns
** the code point for character literals, or -1 after an error. */
static long lex_escape(Lexer *L) {
    const char *bs = L->p;
    L->p++;                                     /* the backslash */
    if (L->p >= L->end || *L->p == '\n') {
        kc_error(L->c, pos_at(L, bs), "invalid escape at end of line");
        return -1;
    }
    char ch = *L->p++;
    switch (ch) {
    case 'n': kc_buf_u8(L->c, &L->sb, '\n'); return '\n';
    case 't': kc_buf_u8(L->c, &L->sb, '\t'); return '\t';
    case 'r': kc_buf_u8(L->c, &L->sb, '\r'); return '\r';
    case '0': kc_buf_u8(L->c, &L->sb, 0); return 0;
    case '\\': case '"': case '\'': case '$':
        kc_buf_u8(L->c, &L->sb, (unsigned char)ch);
        return ch;
    case 'u': {
        uint32_t v = 0;
        int digits = 0, ok = 1;
        if (L->p < L->end && *L->p == '{') {
            L->p++;
            while (L->p < L->end && hex_val(*L->p) >= 0) {
                if (digits < 8) v = v * 16 + (uint32_t)hex_val(*L->p);
                digits++;
                L->p++;
            }
            if (L->p < L->end && *L->p == '}') L->p++; else ok = 0;
        } else {
            ok = 0;
        }
        if (!ok || digits == 0 || digits > 6 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            kc_error(L->c, pos_at(L, bs), "invalid unicode escape (expected \\u{X} with 1 to 6 hex "
                     "digits naming a code point up to 10FFFF, not a surrogate)");
            return -1;
        }
        utf8_encode(L, v);
        return (long)v;
    }
    default: {
        uint32_t cp;
        int n = utf8_decode(L->p - 1, L->end, &cp);
        L->p += n - 1;
        if (cp < 0x80 && cp >= 0x20)
            kc_error(L->c, pos_at(L, bs), "invalid escape `\\%c`", (char)cp);
        else
            kc_error(L->c, pos_at(L, bs), "invalid escape");
        return -1;
    }
    }
}

/* Lexes string text from L->p (just after `"` or the `}` closing an interpolation)
** up to `"` or `${`. `first` is nonzero after `"`; tok_start is the token's start. */
static void lex_string_part(Lexer *L, const char *tok_start, int first, KcPos str_start) {
    L->sb.len = 0;
    for (;;) {
        if (L->p >= L->end || *L->p == '\n') {
            kc_error(L->c, str_start, "unterminated string");
            KcToken *t = push_tok(L, first ? TK_STRING : TK_ISTR_END, tok_start);
            t->v.str.s = kc_strndup(L->c, (const char *)L->sb.p, L->sb.len);
            t->v.str.len = L->sb.len;
            push_tok(L, TK_ERROR, L->p);
            return;
        }
        char ch = *L->p;
        if (ch == '"') {
            L->p++;
            KcToken *t = push_tok(L, first ? TK_STRING : TK_ISTR_END, tok_start);
            t->v.str.s = kc_strndup(L->c, (const char *)L->sb.p, L->sb.len);
            t->v.str.len = L->sb.len;
            return;
        }
        if (ch == '$' && L->p + 1 < L->end && L->p[1] == '{') {
            if (L->isp == KC_MAX_NEST) {
                kc_error(L->c, pos_at(L, L->p), "string interpolation is nested too deeply");
                kc_buf_u8(L->c, &L->sb, '$');
                L->p++;
                continue;
            }
            L->p += 2;
            KcToken *t = push_tok(L, first ? TK_ISTR_BEGIN : TK_ISTR_MID, tok_start);
            t->v.str.s = kc_strndup(L->c, (const char *)L->sb.p, L->sb.len);
            t->v.str.len = L->sb.len;
            L->istack[L->isp].depth = 0;
            L->istack[L->isp].start = str_start;
            L->isp++;
            return;
        }
        if (ch == '\\') {
            lex_escape(L);
            continue;
        }
        kc_buf_u8(L->c, &L->sb, (unsigned char)ch);
        L->p++;
    }
}

static void lex_char(Lexer *L) {
    const char *start = L->p;
    long cp = -1;
    int count = 0, bad = 0, unterminated = 0;
    L->p++;                                     /* the opening quote */
    L->sb.len = 0;
    while (L->p < L->end && *L->p != '\'' && *L->p != '\n') {
        if (*L->p == '\\') {
            long v = lex_escape(L);
            if (v < 0) bad = 1;
            if (count == 0) cp = v;
        } else {
            uint32_t v;
            int n = utf8_decode(L->p, L->end, &v);
            if (v == 0xFFFFFFFFu) {
                if (!bad) kc_error(L->c, pos_at(L, L->p), "invalid UTF-8 in character literal");
                bad = 1;
            }
            if (count == 0) cp = (long)v;
            L->p += n;
        }
        count++;
    }
    if (L->p >= L->end || *L->p != '\'') {
        kc_error(L->c, pos_at(L, start), "unterminated character literal");
        bad = unterminated = 1;
    } else {
        L->p++;
        if (count == 0) {
            kc_error(L->c, pos_at(L, start), "empty character literal");
            bad = 1;
        } else if (count > 1 && !bad) {
            kc_error(L->c, pos_at(L, start), "character literal must contain exactly one character");
            bad = 1;
        }
    }
    KcToken *t = push_tok(L, TK_INT, start);
    t->is_char = 1;
    t->v.ival = bad || cp < 0 ? 0 : (uint64_t)cp;
    if (unterminated) push_tok(L, TK_ERROR, L->p);
}

static void lex_number(Lexer *L) {
    const char *start = L->p;
    int base = 10;
    if (*L->p == '0' && L->p + 1 < L->end && (L->p[1] == 'x' || L->p[1] == 'X')) base = 16;
    else if (*L->p == '0' && L->p + 1 < L->end && (L->p[1] == 'b' || L->p[1] == 'B')) base = 2;
    if (base != 10) L->p += 2;

    uint64_t v = 0;
    int digits = 0, overflow = 0, bad_us = 0, is_float = 0;
    const char *prev = NULL;            /* previous character: digit or '_' */
    for (;;) {
        if (L->p >= L->end) break;
        char ch = *L->p;
        int d = hex_val(ch);
        if (ch == '_') {
            if (!prev) bad_us = 1;      /* right after the prefix */
            prev = L->p++;
            continue;
        }
        if (d < 0 || d >= base) break;
        if (base == 10) {
            if (v > (UINT64_MAX - (uint64_t)d) / 10) overflow = 1;
            else v = v * 10 + (uint64_t)d;
        } else {
            int bits = base == 16 ? 4 : 1;
            if (v >> (64 - bits)) overflow = 1;
            else v = (v << bits) | (uint64_t)d;
        }
        digits++;
        prev = L->p++;
    }
    if (prev && *prev == '_') bad_us = 1;       /* trailing underscore */

    /* A float: digits '.' digit, or an exponent. */
    if (base == 10 && L->p < L->end) {
        const char *q = L->p;
        if (*q == '.' && q + 1 < L->end && is_digit(q[1])) {
            is_float = 1;
            q++;
            while (q < L->end && (is_digit(*q) || *q == '_')) q++;
        }
        if (q < L->end && (*q == 'e' || *q == 'E')) {
            const char *r = q + 1;
            if (r < L->end && (*r == '+' || *r == '-')) r++;
            if (r < L->end && is_digit(*r)) {
                is_float = 1;
                q = r;
                while (q < L->end && (is_digit(*q) || *q == '_')) q++;
            }
        }
        L->p = q;
    }

    if (L->p < L->end && is_ident_char(*L->p)) {
        const char *bad = L->p;
        while (L->p < L->end && is_ident_char(*L->p)) L->p++;
        kc_error(L->c, pos_at(L, bad), "invalid character `%c` in number literal", *bad);
        push_tok(L, TK_INT, start);
        return;
    }
    if (is_float) {
        /* Digits without underscores, parsed by strtod (floats are checked later). */
        size_t n = (size_t)(L->p - start);
        char *tmp = kc_alloc(L->c, n + 1);
        size_t k = 0;
        for (const char *s = start; s < L->p; s++) if (*s != '_') tmp[k++] = *s;
        tmp[k] = 0;
        KcToken *t = push_tok(L, TK_FLOAT, start);
        t->v.fval = strtod(tmp, NULL);
        return;
    }
    KcToken *t = push_tok(L, TK_INT, start);
    if (digits == 0) {
        kc_error(L->c, t->pos, "%s literal has no digits", base == 16 ? "hex" : "binary");
    } else if (bad_us) {
        kc_error(L->c, t->pos, "`_` in a number literal must stand between digits");
    } else if (overflow || (base == 10 && v > (uint64_t)1 << 63)) {
        kc_error(L->c, t->pos, "integer literal is too large");
    } else if (base == 10 && v == (uint64_t)1 << 63) {
        t->too_big = 1;                 /* the parser accepts it after unary minus */
    }
    t->v.ival = v;
}

static void lex_ident(Lexer *L) {
    const char *start = L->p;
    while (L->p < L->end && is_ident_char(*L->p)) L->p++;
    KcName *name = kc_name(L->c, start, (size_t)(L->p - start));
    KcToken *t = push_tok(L, name->keyword ? name->keyword : TK_IDENT, start);
    t->v.name = name;
}

/* Matches the longest operator at L->p; returns its kind or -1. */
static int match_op(Lexer *L) {
    const char *p = L->p;
    char c0 = p[0];
    char c1 = p + 1 < L->end ? p[1] : 0;
    char c2 = p + 2 < L->end ? p[2] : 0;
    char c3 = p + 3 < L->end ? p[3] : 0;
#define R(n, k) do { L->p += (n); return (k); } while (0)
    switch (c0) {
    case '(': R(1, TK_LPAREN);
    case ')': R(1, TK_RPAREN);
    case '{': R(1, TK_LBRACE);
    case '}': R(1, TK_RBRACE);
    case '[': R(1, TK_LBRACKET);
    case ']': R(1, TK_RBRACKET);
    case ',': R(1, TK_COMMA);
    case ';': R(1, TK_SEMI);
    case ':': R(1, TK_COLON);
    case '?': R(1, TK_QUESTION);
    case '~': R(1, TK_TILDE);
    case '.':
        if (c1 == '.' && c2 == '=') R(3, TK_DOTDOTEQ);
        if (c1 == '.') R(2, TK_DOTDOT);
        R(1, TK_DOT);
    case '+':
        if (c1 == '+') R(2, TK_PLUSPLUS);
        if (c1 == '=') R(2, TK_PLUS_EQ);
        R(1, TK_PLUS);
    case '-':
        if (c1 == '-') R(2, TK_MINUSMINUS);
        if (c1 == '=') R(2, TK_MINUS_EQ);
        R(1, TK_MINUS);
    case '*': if (c1 == '=') R(2, TK_STAR_EQ); R(1, TK_STAR);
    case '/': if (c1 == '=') R(2, TK_SLASH_EQ); R(1, TK_SLASH);
    case '%': if (c1 == '=') R(2, TK_PERCENT_EQ); R(1, TK_PERCENT);
    case '^': if (c1 == '=') R(2, TK_CARET_EQ); R(1, TK_CARET);
    case '&':
        if (c1 == '&') R(2, TK_ANDAND);
        if (c1 == '=') R(2, TK_AMP_EQ);
        R(1, TK_AMP);
    case '|':
        if (c1 == '|') R(2, TK_OROR);
        if (c1 == '=') R(2, TK_PIPE_EQ);
        R(1, TK_PIPE);
    case '!': if (c1 == '=') R(2, TK_NE); R(1, TK_BANG);
    case '=':
        if (c1 == '=') R(2, TK_EQEQ);
        if (c1 == '>') R(2, TK_ARROW);
        R(1, TK_ASSIGN);
    case '<':
        if (c1 == '<' && c2 == '=') R(3, TK_SHL_EQ);
        if (c1 == '<') R(2, TK_SHL);
        if (c1 == '=') R(2, TK_LE);
        R(1, TK_LT);
    case '>':
        if (c1 == '>' && c2 == '>' && c3 == '=') R(4, TK_USHR_EQ);
        if (c1 == '>' && c2 == '>') R(3, TK_USHR);
        if (c1 == '>' && c2 == '=') R(3, TK_SHR_EQ);
        if (c1 == '>') R(2, TK_SHR);
        if (c1 == '=') R(2, TK_GE);
        R(1, TK_GT);
    default:
        return -1;
    }
#undef R
}

void kc_lex(Kc *c, KcSrc *src, KcTokens *out) {
    Lexer L;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.src = src;
    L.text = L.p = L.line_start = src->text;
    L.end = src->text + src->len;
    L.line = 1;
    /* A UTF-8 byte-order mark is skipped. */
    if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0) L.p += 3;

    for (;;) {
        skip_space(&L);
        if (L.p >= L.end) break;
        const char *start = L.p;
        unsigned char ch = (unsigned char)*L.p;
        if (is_ident_start(ch)) {
            lex_ident(&L);
        } else if (is_digit(ch)) {
            lex_number(&L);
        } else if (ch == '"') {
            L.p++;
            lex_string_part(&L, start, 1, pos_at(&L, start));
        } else if (ch == '\'') {
            lex_char(&L);
        } else if (ch == '}' && L.isp > 0 && L.istack[L.isp - 1].depth == 0) {
            /* The end of an interpolation: the string continues. */
            KcPos str_start = L.istack[--L.isp].start;
            L.p++;
            lex_string_part(&L, start, 0, str_start);
        } else {
            int kind = match_op(&L);
            if (kind < 0) {
                uint32_t cp;
                int n = utf8_decode(L.p, L.end, &cp);
                if (ch >= 0x21 && ch < 0x7F)
                    kc_error(c, pos_at(&L, start), "unexpected character `%c`", ch);
                else if (cp == 0xFFFFFFFFu)
                    kc_error(c, pos_at(&L, start), "invalid UTF-8 byte 0x%02X", ch);
                else
                    kc_error(c, pos_at(&L, start), "unexpected character U+%04X", (unsigned)cp);
                L.p += n;
                if (L.n == 0 || L.toks[L.n - 1].kind != TK_ERROR || L.nl) push_tok(&L, TK_ERROR, start);
                continue;
            }
            if (L.isp > 0) {
                if (kind == TK_LBRACE) L.istack[L.isp - 1].depth++;
                else if (kind == TK_RBRACE) L.istack[L.isp - 1].depth--;
            }
            push_tok(&L, kind, start);
        }
    }
    if (L.isp > 0) kc_error(c, L.istack[0].start, "unterminated string interpolation");
    L.nl = 1;
    push_tok(&L, TK_EOF, L.p);
    out->toks = L.toks;
    out->n = L.n;
}
