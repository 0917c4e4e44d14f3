/*
** interp/interp.h — the direct-threaded interpreter.
*/
#ifndef KILN_INTERP_H
#define KILN_INTERP_H

#include "../vm/vm.h"

/* The entry of every method not (yet) compiled: counts the call, compiles the
** method when the tier policy says so, and otherwise interprets it. */
K_FUNC KSlot in_entry(KVM *vm, KMethod *m, KSlot *args);

/* Resolves the METHOD constant idx of class `from` and calls it with args: the
** slow path for call sites the JIT could not resolve at compile time. */
K_FUNC KSlot in_call_unresolved(KVM *vm, KClass *from, uint16_t idx, KSlot *args);

/* ---- safepoints (docs/architecture.md, "Safepoints") ---- */

/* Asks the running code to stop with InterruptedError("interrupted") at its next
** safepoint. One atomic OR: safe from another thread and from a signal handler. */
K_FUNC void vm_request_interrupt(KVM *vm);

/* Gives the VM a budget of n safepoint ticks (loop back-edges taken and method
** entries) per outermost call; past it the code throws
** InterruptedError("execution budget exhausted"). n = 0 removes the budget. */
K_FUNC void vm_set_budget(KVM *vm, int64_t n);

/* Clears a pending interrupt request and refills the budget: called when an
** outermost call returns to the embedder. */
K_FUNC void vm_safepoint_reset(KVM *vm);

/* The slow path of a safepoint (both tiers), entered when vm->interrupt != 0 with
** the frame's pc current: 0 to continue, or 1 with an InterruptedError pending. */
K_FUNC int in_safepoint(KVM *vm);

/* in_safepoint in two steps, for callers that make the pc current only when needed:
** the tick (counts the budget) says what to throw (0: nothing, else KINTR_REQUEST or
** KINTR_BUDGET), and the throw throws it. */
K_FUNC int  in_safepoint_tick(KVM *vm);
K_FUNC void in_safepoint_throw(KVM *vm, int why);

/* Loop back-edges a method runs interpreted, in auto mode, before the interpreter
** moves the activation into compiled code (on-stack replacement at the loop header),
** unless KVM.osr_threshold says otherwise. */
#define IN_DEFAULT_OSR_THRESHOLD 1000

/* Frees interpreter data of m. */
K_FUNC void in_free_method(KMethod *m);

#endif
