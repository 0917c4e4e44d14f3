/*
** tests/embed/shared/shared_host.c — a host built the way a user builds one:
** `cc host.c $(pkg-config --cflags --libs kiln)` against an installed
** libkiln.so (the Makefile stages `make install` and uses its kiln.pc). Binds a
** native and calls a script function with arguments.
*/
#include <stdio.h>
#include <string.h>
#include <kiln.h>

static void scale(KilnVM *vm, const KilnValue *args, int nargs, KilnValue *result, void *ud)
{
    (void)vm; (void)nargs;
    *result = kiln_int(args[0].as.i * *(int *)ud);
}

static const char script[] =
    "module app\n"
    "native fun scale(x: int): int\n"
    "fun run(a: int, b: int): String { return \"got \" + scale(a + b) }\n";

int main(void)
{
    KilnVM *vm = kiln_new(NULL);
    if (!vm) return 1;
    int factor = 3;
    if (kiln_bind_native(vm, "app.scale", scale, &factor) != KILN_OK ||
        kiln_load_source(vm, "app.kl", script, strlen(script)) != KILN_OK) {
        fprintf(stderr, "%s\n", kiln_error_message(vm));
        return 1;
    }
    KilnValue args[2] = { kiln_int(4), kiln_int(10) }, r;
    if (kiln_call(vm, "app", "run", args, 2, &r) != KILN_OK) {
        fprintf(stderr, "%s\n", kiln_error_message(vm));
        return 1;
    }
    int ok = r.type == KILN_STRING && strcmp(r.as.s.chars, "got 42") == 0;
    if (!ok) fprintf(stderr, "shared_host: unexpected result\n");
    kiln_free(vm);
    return ok ? 0 : 1;
}
