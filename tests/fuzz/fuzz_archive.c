/*
** tests/fuzz/fuzz_archive.c — libFuzzer target: one .kar archive in.
**
** The bytes go to a temporary file (the loader opens archives by path); then the
** archive is put on a fresh VM's class path (manifest checks), every class entry
** is parsed and defined (linking, verification), and the main module, if the
** manifest names one, is looked up through the class path.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../vm/vm.h"
#include "../../loader/loader.h"
#include "fuzz_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(void *ud, const char *entry, const uint8_t *data, size_t len)
{
    KVM *vm = ud;
    char err[1024];
    KClass *c = ld_parse_class(vm, data, len, entry, err, sizeof err);
    if (c && !vm_find_class(vm, c->name)) ld_define_class(vm, c, err, sizeof err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/kiln-fuzz-XXXXXX.kar";
    int fd = mkstemps(path, 4);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "wb");
    if (!f) { close(fd); unlink(path); return 0; }
    size_t wrote = fwrite(data, 1, size, f);
    fclose(f);
    if (wrote == size) {
        KVM *vm = fuzz_vm_new();
        char err[1024];
        if (vm && ld_add_path(vm, path, err, sizeof err) == 0) {
            ld_archive_each(path, each, vm, err, sizeof err);
            const char *mod = ld_main_module(vm);
            if (mod) ld_find_class(vm, mod, err, sizeof err);
        }
        fuzz_vm_free(vm);
    }
    unlink(path);
    return 0;
}
