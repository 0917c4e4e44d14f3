/*
** tests/fuzz/fuzz_asm.c — libFuzzer target: .kasm text in.
**
** Assembles the input; when that succeeds, the result must disassemble whenever
** its layout decodes, and the disassembly must assemble back to the same bytes.
** The assembler reads untrusted text too (it is the CLI's `kiln asm`).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vm/vm.h"
#include "../../loader/asm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *bytes = NULL, *back = NULL;
    size_t n = 0, m = 0;
    char err[1024];
    if (ld_assemble((const char *)data, size, "fuzz.kasm", &bytes, &n, err, sizeof err) != 0)
        return 0;
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    if (!f) { free(bytes); return 0; }
    int rc = ld_dis_kasm(bytes, n, f);
    fclose(f);
    if (rc == 0) {
        if (ld_assemble(text, tlen, "dis.kasm", &back, &m, err, sizeof err) != 0) {
            fprintf(stderr, "asm round trip: the disassembly does not assemble: %s\n%s\n", err, text);
            abort();
        }
        if (m != n || memcmp(back, bytes, n) != 0) {
            fprintf(stderr, "asm round trip: different bytes\n%s\n", text);
            abort();
        }
    }
    free(back);
    free(text);
    free(bytes);
    return 0;
}
