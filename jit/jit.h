/*
** jit/jit.h — tier 1: one pass from verified bytecode to machine code via sljit.
** Only jit/ includes sljit's headers.
*/
#ifndef KILN_JIT_H
#define KILN_JIT_H

#include "../vm/vm.h"

/* Compiles m (verified) with tier 1. On success sets m->jit_code, m->jit_size,
** m->compile_ms, m->tier = KTIER_1 and m->entry to the code, and returns 0.
** If tier 1 cannot compile it, sets m->jit_failed and m->jit_reason and returns -1;
** the method keeps running in the interpreter. Never leaves vm->exc set. */
K_FUNC int jit_compile(KVM *vm, KMethod *m);

/* Releases m's machine code (when the VM is freed). */
K_FUNC void jit_free_method(KMethod *m);

/* Writes a listing of m's machine code (hex bytes with offsets, or an objdump
** disassembly when available) to out. Returns 0, or -1 when m has no code. */
K_FUNC int jit_dump(KVM *vm, KMethod *m, FILE *out);

#endif
