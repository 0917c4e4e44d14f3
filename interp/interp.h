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

/* Frees interpreter data of m. */
K_FUNC void in_free_method(KMethod *m);

#endif
