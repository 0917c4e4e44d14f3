/*
** tools/mkcoreimage.c — writes the build-time image of std.core (format in
** stdlib/core_image.c): `mkcoreimage OUT`.
**
** Linked with the library's objects but an empty image, so kiln_new here compiles
** std.core from source. The tool compiles it twice (the image must be what the
** compiler makes, every time), checks that a VM starts, loading and verifying those
** very classes, and writes OUT (through a temporary file, so a failed run leaves
** no half image). Exit status 1 with a message on any failure.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln.h"
#include "../compiler/kc.h"

static int same(const KcResult *a, const KcResult *b)
{
    if (a->nclasses != b->nclasses) return 0;
    for (int i = 0; i < a->nclasses; i++)
        if (strcmp(a->classes[i].name, b->classes[i].name) != 0 || a->classes[i].len != b->classes[i].len ||
            memcmp(a->classes[i].data, b->classes[i].data, a->classes[i].len) != 0)
            return 0;
    return 1;
}

static void put_le(FILE *f, uint32_t v, int n)
{
    for (int i = 0; i < n; i++) fputc((int)(v >> (8 * i) & 0xff), f);
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: mkcoreimage OUT\n"); return 1; }
    KcResult r, again;
    if (kc_compile_prelude(&r) != 0 || kc_compile_prelude(&again) != 0) {
        fprintf(stderr, "mkcoreimage: std.core does not compile:\n%s\n",
                r.diagnostics ? r.diagnostics : again.diagnostics ? again.diagnostics : "");
        return 1;
    }
    if (!same(&r, &again)) {
        fprintf(stderr, "mkcoreimage: two compilations of std.core differ\n");
        return 1;
    }
    kc_result_free(&again);
    KilnVM *vm = kiln_new(NULL);       /* compiles, loads and verifies the same classes */
    if (!vm) { fprintf(stderr, "mkcoreimage: a VM does not start with std.core from source\n"); return 1; }
    kiln_free(vm);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *f = fopen(tmp, "wb");
    if (!f) { perror(tmp); return 1; }
    fwrite("KCIMG1\0\0", 1, 8, f);
    put_le(f, (uint32_t)r.nclasses, 4);
    for (int i = 0; i < r.nclasses; i++) {
        size_t nl = strlen(r.classes[i].name);
        if (nl > 0xffff || r.classes[i].len > 0xffffffffu) { fprintf(stderr, "mkcoreimage: class too big\n"); return 1; }
        put_le(f, (uint32_t)nl, 2);
        fwrite(r.classes[i].name, 1, nl, f);
        put_le(f, (uint32_t)r.classes[i].len, 4);
        fwrite(r.classes[i].data, 1, r.classes[i].len, f);
    }
    if (ferror(f) | fclose(f) || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        remove(tmp);
        return 1;
    }
    kc_result_free(&r);
    return 0;
}
