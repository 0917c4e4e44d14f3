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

/* On-stack replacement. The machine address of loop header `pc` of m, compiling m
** first if it has no code yet (the compilation is then reported as OSR); NULL when
** tier 1 refuses m. Never leaves vm->exc set. */
K_FUNC void *jit_osr_target(KVM *vm, KMethod *m, uint32_t pc);

/* Continues an activation of m in its compiled code at `target` (from
** jit_osr_target), with the interpreter's locals; returns the method's result (0 with
** vm->exc set on an uncaught error). The caller has unlinked its own frame. */
K_FUNC KSlot jit_osr_enter(KVM *vm, KMethod *m, KSlot *locals, void *target);

/* Per-method statistics and totals (calls, back-edges, tier, OSR entries, compile
** time, code size, compile speed) for --stats / kiln_print_stats. */
K_FUNC void jit_print_stats(KVM *vm, FILE *out);

/* Releases m's machine code (when the VM is freed). */
K_FUNC void jit_free_method(KMethod *m);

/* Writes a listing of m's machine code (hex bytes with offsets, or an objdump
** disassembly when available) to out. Returns 0, or -1 when m has no code. */
K_FUNC int jit_dump(KVM *vm, KMethod *m, FILE *out);

#endif
