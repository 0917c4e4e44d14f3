/*
** vm/bytecode.c — the opcode information table, expanded from opcodes.def.
*/
#include "bytecode.h"

const KOpInfo k_opinfo[OP__COUNT] = {
#define OP(name, mn, fmt, sig, flags) \
    [OP_##name] = { mn, KFMT_##fmt, sig, flags, KSZ_##fmt },
#include "opcodes.def"
#undef OP
};
