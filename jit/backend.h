/*
** jit/backend.h — what the JIT tiers share: sljit, the native frame layout and
** the conversions between sljit's code pointers and Kiln entry points.
**
** Only jit/ includes this header (and so only jit/ knows sljit's names). Every
** file that includes it must be compiled with the same -DSLJIT_* flags as
** third_party/sljit/sljitLir.c: the compiler struct's layout depends on them.
**
** Native frame of a compiled method (the sljit local area, addressed from SP):
**
**     SP + 0                    KFrame  (prev, method, pc) linked into vm->frame
**     SP + JB_SLOT(0)           slots of the locals that do not live in registers
**     SP + JB_SLOT(L)           then the operand stack, max_stack slots
**
** Every slot is 8 bytes (one KSlot); L is the number of locals kept in memory (tier 1
** keeps locals 0..4 in saved registers; see jit/tier1.c). The collector scans this frame
** conservatively like any C frame, so no stack maps are needed.
*/
#ifndef KILN_JIT_BACKEND_H
#define KILN_JIT_BACKEND_H

#include <stddef.h>
#include <string.h>
#include "sljitLir.h"
#include "../vm/vm.h"

/* Offsets in the local area. */
#define JB_FRAME        0
#define JB_FRAME_PREV   (JB_FRAME + (sljit_sw)offsetof(KFrame, prev))
#define JB_FRAME_METHOD (JB_FRAME + (sljit_sw)offsetof(KFrame, method))
#define JB_FRAME_PC     (JB_FRAME + (sljit_sw)offsetof(KFrame, pc))
#define JB_SLOTS        ((sljit_sw)((sizeof(KFrame) + 7) & ~(size_t)7))
#define JB_SLOT(i)      (JB_SLOTS + (sljit_sw)(i) * 8)

/* Offsets of the hot KVM fields the generated code touches. */
#define JB_VM_EXC       ((sljit_sw)offsetof(KVM, exc))
#define JB_VM_FRAME     ((sljit_sw)offsetof(KVM, frame))
#define JB_VM_DEPTH     ((sljit_sw)offsetof(KVM, depth))
#define JB_VM_MAXDEPTH  ((sljit_sw)offsetof(KVM, max_depth))
#define JB_VM_STACK_LIMIT ((sljit_sw)offsetof(KVM, stack_limit))

_Static_assert(sizeof(KSlot) == sizeof(sljit_sw), "a slot is one machine word");
_Static_assert(sizeof(void *) == sizeof(sljit_sw), "64-bit targets only");
_Static_assert(offsetof(KMethod, entry) == 0, "callers call [m->entry]");
_Static_assert(sizeof(((KFrame *)0)->pc) == 4, "frame.pc is stored with a 32-bit move");

/* Function pointers and data pointers converted without a cast (ISO C does not
** define the cast; -Wpedantic complains). */
static inline KEntry jb_code_to_entry(void *code) {
    KEntry e;
    memcpy(&e, &code, sizeof e);
    return e;
}

static inline void *jb_entry_to_code(KEntry e) {
    void *p;
    memcpy(&p, &e, sizeof p);
    return p;
}

/* The machine name used in code dumps. */
#if defined(SLJIT_CONFIG_X86_64) && SLJIT_CONFIG_X86_64
#define JB_ARCH_NAME    "x86-64"
#define JB_OBJDUMP_ARCH "i386:x86-64"
#elif defined(SLJIT_CONFIG_ARM_64) && SLJIT_CONFIG_ARM_64
#define JB_ARCH_NAME    "arm64"
#define JB_OBJDUMP_ARCH "aarch64"
#else
#define JB_ARCH_NAME    "native"
#define JB_OBJDUMP_ARCH NULL
#endif

/* What compiled code keeps beside it (m->jit_data, GC memory): the inline caches
** (kept alive from here) and the OSR entry. The OSR entry is a second function in
** the same code, with the same frame layout as the normal entry:
**     KSlot osr(KVM *vm, KMethod *m, KSlot *locals, void *target)
** it links a frame for m, loads every local from locals[0..max_locals-1] and jumps
** to target, the machine address of a loop header (found in osr[] by bytecode pc);
** the operand stack is empty there. */
typedef struct {
    uint32_t pc;
    void    *addr;
} JOsrTarget;

typedef struct {
    void       *ics;          /* tier 1's inline caches, or NULL */
    void       *osr_entry;    /* NULL when the method has no loop header */
    uint32_t    nosr;
    JOsrTarget  osr[];
} JitData;

typedef KSlot (*JOsrEntry)(KVM *vm, KMethod *m, KSlot *locals, void *target);

static inline JOsrEntry jb_code_to_osr(void *code) {
    JOsrEntry e;
    memcpy(&e, &code, sizeof e);
    return e;
}

#define JB_VM_INTERRUPT ((sljit_sw)offsetof(KVM, interrupt))
_Static_assert(sizeof(((KVM *)0)->interrupt) == 4, "the safepoint flag is read with a 32-bit compare");

/* Tier 1 (jit/tier1.c): compiles m into *code / *size. Returns NULL on success,
** or a static string saying why the method was refused. */
K_FUNC const char *jit_t1_compile(KVM *vm, KMethod *m, void **code, size_t *size);

#endif
