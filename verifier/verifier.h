/*
** verifier/verifier.h — proves bytecode safe before it runs (DESIGN.md §5).
*/
#ifndef KILN_VERIFIER_H
#define KILN_VERIFIER_H

#include "../vm/vm.h"

/* Verifies every method of c. Returns 0 and marks each method verified (and fills
** m->loop_header), or -1 with a one-line message in err:
**   "verify error: CLASS.METHOD DESC at pc N: reason"                           */
K_FUNC int vf_verify_class(KVM *vm, KClass *c, char *err, size_t errlen);

#endif
