/*
** compiler/classwriter.h — building one class file (docs/classfile.md).
**
** The constant pool is deduplicated: asking twice for the same constant returns
** the same index. Methods are added whole (code, limits, line table); kc_cw_finish
** lays out the file. More than 65535 constants sets `overflow` (sticky); the
** indexes returned after that are 0 and the caller reports the error once.
*/
#ifndef KILN_CLASSWRITER_H
#define KILN_CLASSWRITER_H

#include "kcint.h"

typedef struct {
    int         access;         /* KACC_* */
    const char *name, *desc;
    int         max_stack, max_locals;
    KcBuf       code;
    KcBuf       lines;          /* u32 pc, u32 line pairs, little-endian, sorted by pc */
    int         nlines;
    KcBuf       handlers;       /* u32 start, u32 end, u32 handler, u16 class */
    int         nhandlers;
} KcMethodOut;

typedef struct { int access; const char *name, *desc; } KcFieldOut;

typedef struct {
    Kc       *c;
    KcBuf     pool;             /* encoded entries, in index order */
    uint32_t *offs, *lens;      /* entry i (1-based) at pool.p + offs[i], lens[i] bytes */
    int       count;            /* next index (entries are 1 .. count-1) */
    int       cap;
    int      *table;            /* open addressing: entry index or 0 */
    int       table_cap;
    KcVec     methods;          /* KcMethodOut* */
    KcVec     fields;           /* KcFieldOut* */
    int       overflow;
} KcCw;

KC_FUNC void kc_cw_init(Kc *c, KcCw *cw);
KC_FUNC int  kc_cp_utf8(KcCw *cw, const char *s, size_t len);
KC_FUNC int  kc_cp_int(KcCw *cw, int64_t v);
KC_FUNC int  kc_cp_string(KcCw *cw, const char *s, size_t len);
KC_FUNC int  kc_cp_class(KcCw *cw, const char *name);
KC_FUNC int  kc_cp_float(KcCw *cw, double v);
KC_FUNC int  kc_cp_method(KcCw *cw, const char *cls, const char *name, const char *desc);
KC_FUNC int  kc_cp_imethod(KcCw *cw, const char *cls, const char *name, const char *desc);
KC_FUNC int  kc_cp_field(KcCw *cw, const char *cls, const char *name, const char *desc);
KC_FUNC void kc_cw_add_method(KcCw *cw, KcMethodOut *m);
KC_FUNC void kc_cw_add_field(KcCw *cw, int access, const char *name, const char *desc);
/* Lays out the class: this_class `name`, super_class `super` (NULL: none), the
** interfaces, the SourceFile attribute. Methods with the ABSTRACT or NATIVE flag
** have no code. */
KC_FUNC void kc_cw_finish(KcCw *cw, int access, const char *name, const char *super,
                          const char *const *ifaces, int nifaces, const char *source_file,
                          uint8_t **data, size_t *len);

#endif
