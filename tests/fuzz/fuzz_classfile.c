/*
** tests/fuzz/fuzz_classfile.c — libFuzzer target: one class file in.
**
** Disassembles the input to .kasm; whenever that succeeds (the reader need not
** accept the file, only its layout must decode), assembling the text must give
** back the identical bytes. If the reader accepts the file, it must disassemble,
** and it is defined in a fresh VM (fuzz_vm.h): linking and verification. Any
** crash, sanitizer report or round-trip difference is a finding. Built by
** `make fuzz`; replayed over the corpus and the regressions by tests/fuzz/replay.c
** in `make test`.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vm/vm.h"
#include "../../loader/loader.h"
#include "../../loader/asm.h"
#include "fuzz_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Returns whether the bytes disassembled. */
static int round_trip(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    if (!f) return 0;
    int rc = ld_dis_kasm(data, size, f);
    fclose(f);
    if (rc == 0) {
        uint8_t *back = NULL;
        size_t blen = 0;
        char err[1024];
        if (ld_assemble(text, tlen, "dis.kasm", &back, &blen, err, sizeof err) != 0) {
            fprintf(stderr, "round trip: the disassembly does not assemble: %s\n%s\n", err, text);
            abort();
        }
        if (blen != size || memcmp(back, data, size) != 0) {
            fprintf(stderr, "round trip: different bytes (%zu vs %zu)\n%s\n", blen, size, text);
            abort();
        }
        free(back);
    }
    free(text);
    return rc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    KVM *vm = fuzz_vm_new();
    if (!vm) return 0;
    char err[1024];
    int printed = round_trip(data, size);
    KClass *c = ld_parse_class(vm, data, size, "fuzz", err, sizeof err);
    if (c) {
        if (!printed) {
            fprintf(stderr, "round trip: the reader accepted a file dis cannot print\n");
            abort();
        }
        ld_define_class(vm, c, err, sizeof err);
    }
    fuzz_vm_free(vm);
    return 0;
}
