/*
** tests/fuzz/fuzz_vm.h — a fresh VM per fuzz input, cheaply.
**
** kiln_new compiles and defines std.core every time (tens of milliseconds under
** ASan), which would slow the fuzzers to a few dozen inputs a second. So the first
** call makes one template VM with kiln_new, and every input gets a copy of that KVM
** struct whose class list starts with the template's classes: the list only grows
** at its head (vm_add_class), so classes an input defines never reach the template,
** and the next input starts again from the prelude alone. Inputs never run code, so
** the shared prelude classes are not changed (no threaded or compiled code, no
** initialisers). A copy is released with ld_close (archives it opened) and
** gc_free_root, not kiln_free, which would also free the shared classes' code.
** This knows the KVM's fields: keep it in step with vm/vm.h.
*/
#ifndef KILN_FUZZ_VM_H
#define KILN_FUZZ_VM_H

#include <string.h>
#include "../../vm/vm.h"
#include "../../loader/loader.h"

static KVM *fuzz_template;

static KVM *fuzz_vm_new(void)
{
    if (!fuzz_template) fuzz_template = kiln_new(NULL);
    if (!fuzz_template) return NULL;
    KVM *vm = gc_alloc_root(sizeof(KVM));
    if (!vm) return NULL;
    memcpy(vm, fuzz_template, sizeof *vm);
    vm->exc = NULL;
    vm->frame = NULL;
    vm->depth = 0;
    vm->pending = NULL;
    vm->defining = NULL;
    vm->class_path = NULL;
    vm->nclass_path = 0;
    vm->archives = NULL;
    vm->main_module = NULL;
    vm->error_text = "";
    vm->outlen = 0;
    return vm;
}

static void fuzz_vm_free(KVM *vm)
{
    if (!vm) return;
    ld_close(vm);
    gc_free_root(vm);
}

#endif
