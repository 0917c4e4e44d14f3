/*
** samples/embed/minimal.c — the smallest useful host: load a script from a
** string, call one of its functions with arguments, print the result.
** Build: make samples (then build/samples/minimal).
*/
#include <stdio.h>
#include <string.h>
#include <kiln.h>

static const char script[] =
    "module greet\n"
    "fun greeting(name: String, times: int): String {\n"
    "    var s = \"\"\n"
    "    for i in 0..times { s = s + \"hello \" }\n"
    "    return s + name\n"
    "}\n";

int main(void)
{
    KilnVM *vm = kiln_new(NULL);                 /* NULL: the default configuration */
    if (!vm) return 1;
    if (kiln_load_source(vm, "greet.kl", script, strlen(script)) != KILN_OK) {
        fprintf(stderr, "%s", kiln_error_message(vm));
        kiln_free(vm);
        return 1;
    }
    KilnValue args[2] = { kiln_str("Kiln"), kiln_int(2) }, r;
    int rc = 0;
    if (kiln_call(vm, "greet", "greeting", args, 2, &r) == KILN_OK) {
        printf("%.*s\n", (int)r.as.s.len, r.as.s.chars);   /* valid until the next call */
    } else {
        fprintf(stderr, "%s\n", kiln_error_message(vm));
        rc = 1;
    }
    kiln_free(vm);
    return rc;
}
