/*
** compiler/lexer.h — tokens of the whole language (LANGUAGE.md §1).
**
** The lexer turns a source into an array of tokens ending with TK_EOF. Every
** keyword and operator of the language is lexed, even where the parser does not
** support the construct yet.
**
** Newlines are not tokens: each token records whether a line break (possibly
** inside a comment) came between it and the previous token (nl_before); the
** parser decides whether that ends a statement.
**
** String interpolation "a${x}b${y}c" lexes as
**     ISTR_BEGIN("a")  tokens of x  ISTR_MID("b")  tokens of y  ISTR_END("c")
** and a string without interpolation as one TK_STRING. Character literals are
** TK_INT tokens with is_char set.
**
** Where the lexer reported an error that leaves the token stream broken (a bad
** character, the rest of the line after an unterminated string) it emits TK_ERROR;
** the parser recovers at it without reporting again.
*/
#ifndef KILN_LEXER_H
#define KILN_LEXER_H

#include "kcint.h"

/* TOK(name, text shown in messages) */
#define KC_TOKENS(TOK) \
    TOK(EOF, "end of file") \
    TOK(ERROR, "invalid token") \
    TOK(IDENT, "identifier") \
    TOK(INT, "integer literal") \
    TOK(FLOAT, "float literal") \
    TOK(STRING, "string literal") \
    TOK(ISTR_BEGIN, "string literal") \
    TOK(ISTR_MID, "string literal") \
    TOK(ISTR_END, "string literal") \
    TOK(LPAREN, "(") TOK(RPAREN, ")") TOK(LBRACE, "{") TOK(RBRACE, "}") \
    TOK(LBRACKET, "[") TOK(RBRACKET, "]") \
    TOK(COMMA, ",") TOK(DOT, ".") TOK(COLON, ":") TOK(SEMI, ";") TOK(QUESTION, "?") \
    TOK(ARROW, "=>") TOK(DOTDOT, "..") TOK(DOTDOTEQ, "..=") \
    TOK(PLUS, "+") TOK(MINUS, "-") TOK(STAR, "*") TOK(SLASH, "/") TOK(PERCENT, "%") \
    TOK(AMP, "&") TOK(PIPE, "|") TOK(CARET, "^") TOK(TILDE, "~") TOK(BANG, "!") \
    TOK(SHL, "<<") TOK(SHR, ">>") TOK(USHR, ">>>") \
    TOK(LT, "<") TOK(LE, "<=") TOK(GT, ">") TOK(GE, ">=") TOK(EQEQ, "==") TOK(NE, "!=") \
    TOK(ANDAND, "&&") TOK(OROR, "||") \
    TOK(ASSIGN, "=") TOK(PLUS_EQ, "+=") TOK(MINUS_EQ, "-=") TOK(STAR_EQ, "*=") \
    TOK(SLASH_EQ, "/=") TOK(PERCENT_EQ, "%=") TOK(AMP_EQ, "&=") TOK(PIPE_EQ, "|=") \
    TOK(CARET_EQ, "^=") TOK(SHL_EQ, "<<=") TOK(SHR_EQ, ">>=") TOK(USHR_EQ, ">>>=") \
    TOK(PLUSPLUS, "++") TOK(MINUSMINUS, "--")

/* KW(name, spelling): the keywords of LANGUAGE.md §1, in its order. */
#define KC_KEYWORDS(KW) \
    KW(MODULE, "module") KW(IMPORT, "import") KW(CLASS, "class") KW(INTERFACE, "interface") \
    KW(EXTENDS, "extends") KW(IMPLEMENTS, "implements") KW(ABSTRACT, "abstract") \
    KW(OVERRIDE, "override") KW(STATIC, "static") KW(PRIVATE, "private") KW(NATIVE, "native") \
    KW(FUN, "fun") KW(VAR, "var") KW(LET, "let") KW(CONST, "const") KW(IF, "if") \
    KW(ELSE, "else") KW(WHILE, "while") KW(FOR, "for") KW(IN, "in") KW(RETURN, "return") \
    KW(BREAK, "break") KW(CONTINUE, "continue") KW(NEW, "new") KW(NULL, "null") \
    KW(TRUE, "true") KW(FALSE, "false") KW(THIS, "this") KW(SUPER, "super") \
    KW(THROW, "throw") KW(TRY, "try") KW(CATCH, "catch") KW(FINALLY, "finally") \
    KW(IS, "is") KW(AS, "as")

typedef enum {
#define KC_TOK_ENUM(name, text) TK_##name,
    KC_TOKENS(KC_TOK_ENUM)
#define KC_KW_ENUM(name, text) TK_KW_##name,
    KC_KEYWORDS(KC_KW_ENUM)
#undef KC_TOK_ENUM
#undef KC_KW_ENUM
    TK__COUNT
} KcTokKind;

typedef struct {
    uint16_t kind;          /* KcTokKind */
    uint8_t  nl_before;     /* a line break precedes this token */
    uint8_t  is_char;       /* TK_INT written as a character literal */
    uint8_t  too_big;       /* TK_INT: decimal 9223372036854775808 (valid only after unary -) */
    KcPos    pos;
    uint32_t len;           /* bytes of source text */
    union {
        uint64_t ival;                              /* TK_INT (two's complement) */
        double   fval;                              /* TK_FLOAT */
        struct { const char *s; size_t len; } str;  /* strings: decoded bytes */
        KcName  *name;                              /* TK_IDENT and keywords */
    } v;
} KcToken;

typedef struct KcTokens { KcToken *toks; int n; } KcTokens;

/* Text of a token kind for messages, e.g. "`+`" or "identifier". */
KC_FUNC const char *kc_tok_text(int kind);

#endif
