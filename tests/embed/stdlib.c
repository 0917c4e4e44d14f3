/*
** tests/embed/stdlib.c — the standard modules through the embedding API: with
** KilnConfig.sandbox set, std.io and std.sys refuse files, the environment and
** exit with IOError while std.math works; without it they work.
*/
#include "host.h"

static void run(int sandbox)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.sandbox = sandbox;
    KilnVM *vm = kiln_new(&cfg);
    CHECK(vm != NULL);
    if (!vm) return;
    if (load_script(vm, "tests/embed/stdlib.kl")) { failures++; kiln_free(vm); return; }
    KilnValue r;
    CHECK_ST(vm, kiln_call(vm, "stdlib", "readIt", NULL, 0, &r), KILN_OK);
    CHECK(r.type == KILN_STRING);
    if (sandbox) CHECK_HAS(r.as.s.chars, "denied by the sandbox");
    else CHECK(strstr(r.as.s.chars, "sandbox") == NULL);
    CHECK_ST(vm, kiln_call(vm, "stdlib", "envIt", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, sandbox ? "env: denied by the sandbox" : "env");
    CHECK_ST(vm, kiln_call(vm, "stdlib", "listIt", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, sandbox ? "/: denied by the sandbox" : "listed");
    if (sandbox) {
        CHECK_ST(vm, kiln_call(vm, "stdlib", "exitIt", NULL, 0, &r), KILN_OK);
        CHECK_STR(r.as.s.chars, "exit: denied by the sandbox");
    } else {
        /* Outside kiln_run_main, exit surfaces as an InterruptedError. */
        CHECK_ST(vm, kiln_call(vm, "stdlib", "exitIt", NULL, 0, &r), KILN_RUNTIME_ERROR);
        CHECK_STR(kiln_error_type(vm), "std.core.InterruptedError");
    }
    KilnValue four = kiln_float(4.0);
    CHECK_ST(vm, kiln_call(vm, "stdlib", "root", &four, 1, &r), KILN_OK);
    CHECK(r.type == KILN_FLOAT && r.as.f == 2.0);
    kiln_free(vm);
}

int main(void)
{
    run(1);
    run(0);
    return finish("stdlib");
}
