/*
** vm/bytecode.h — opcodes, operand formats and the class-file format constants.
**
** Everything here is expanded from vm/opcodes.def or is a constant of the
** class-file format described in docs/classfile.md. The compiler may include
** this header (and only this one from vm/).
*/
#ifndef KILN_BYTECODE_H
#define KILN_BYTECODE_H

#include <stdint.h>

/* Operand formats; the size of an instruction follows from its format. */
typedef enum {
    KFMT_NONE, KFMT_I32, KFMT_U8, KFMT_LOC, KFMT_CP, KFMT_BR, KFMT_IINC, KFMT_CPU8
} KOpFmt;

/* Instruction size by format, opcode byte included. */
#define KSZ_NONE 1
#define KSZ_U8   2
#define KSZ_LOC  3
#define KSZ_CP   3
#define KSZ_I32  5
#define KSZ_BR   5
#define KSZ_IINC 5
#define KSZ_CPU8 4

enum { K_BRANCH = 1, K_END = 2, K_THROWS = 4, K_CALL = 8 };

typedef enum {
#define OP(name, mn, fmt, sig, flags) OP_##name,
#include "opcodes.def"
#undef OP
    OP__COUNT
} KOpcode;

_Static_assert(OP__COUNT <= 256, "opcodes are one byte");
_Static_assert(OP_NOP == 0, "opcode 0 is nop");

typedef struct {
    const char *mnemonic;
    KOpFmt      fmt;
    const char *sig;    /* "pops:pushes" or "*"; see opcodes.def */
    int         flags;
    int         size;   /* bytes including the opcode */
} KOpInfo;

/* The table, indexed by opcode (defined in vm/bytecode.c). */
extern const KOpInfo k_opinfo[OP__COUNT];

static inline int k_fmt_size(KOpFmt f) {
    switch (f) {
    case KFMT_NONE: return 1;
    case KFMT_U8:   return 2;
    case KFMT_LOC:  case KFMT_CP: return 3;
    case KFMT_CPU8: return 4;
    case KFMT_I32:  case KFMT_BR: case KFMT_IINC: return 5;
    }
    return 1;
}

/* Little-endian operand readers (code is not aligned). */
static inline uint16_t k_rd_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline int16_t  k_rd_i16(const uint8_t *p) { return (int16_t)k_rd_u16(p); }
static inline uint32_t k_rd_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline int32_t  k_rd_i32(const uint8_t *p) { return (int32_t)k_rd_u32(p); }
static inline uint64_t k_rd_u64(const uint8_t *p) {
    return (uint64_t)k_rd_u32(p) | ((uint64_t)k_rd_u32(p + 4) << 32);
}

/* ---- class-file format (docs/classfile.md) ---------------------------- */

#define KCF_MAGIC   "KILN"
#define KCF_MAJOR   0
#define KCF_MINOR   1

/* Constant-pool tags. Index 0 is never a valid entry. */
enum {
    KCP_UTF8 = 1,       /* u32 len, bytes                         */
    KCP_INT = 2,        /* i64                                    */
    KCP_FLOAT = 3,      /* u64 IEEE bits                          */
    KCP_STRING = 4,     /* u16 utf8                               */
    KCP_CLASS = 5,      /* u16 utf8: qualified name "a.b.Point"   */
    KCP_NAMETYPE = 6,   /* u16 name utf8, u16 descriptor utf8     */
    KCP_FIELD = 7,      /* u16 class, u16 nametype                */
    KCP_METHOD = 8,     /* u16 class, u16 nametype                */
    KCP_IMETHOD = 9     /* u16 class, u16 nametype                */
};

/* Access flags for classes, fields and methods. */
enum {
    KACC_STATIC    = 0x0001,
    KACC_PRIVATE   = 0x0002,
    KACC_ABSTRACT  = 0x0004,
    KACC_NATIVE    = 0x0008,
    KACC_FINAL     = 0x0010,
    KACC_INTERFACE = 0x0020,
    KACC_MODULE    = 0x0040,   /* class holding a module's functions and globals */
    KACC_LET       = 0x0080    /* field assigned only in init / module init      */
};

/* Archive layout: a class "a.b.C" is the entry "a/b/C.klc"; the manifest names
** the main module. */
#define KAR_MANIFEST      "META-INF/KILN.MF"
#define KAR_MAIN_KEY      "Main-Module: "
#define KCF_EXT           ".klc"

/* Limits the loader enforces (a file beyond them is rejected, not truncated). */
#define KCF_MAX_CODE      (1u << 24)
#define KCF_MAX_NAME      4096

#endif
