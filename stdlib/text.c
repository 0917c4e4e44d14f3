/*
** stdlib/text.c — std.text's natives (stdlib/std/text.kl).
*/
#include <math.h>
#include <stdlib.h>
#include "stdlib.h"

/* fixed(x, decimals): "%.*f", decimals clamped to 0..100; NaN and the
** infinities as Kiln prints them. */
static KSlot t_fixed(KVM *vm, KSlot *a)
{
    double x = std_f(a[0]);
    int64_t d = (int64_t)a[1];
    if (d < 0) d = 0;
    if (d > 100) d = 100;
    if (isnan(x)) return STD_SLOT(vm_string_cstr(vm, "NaN"));
    if (isinf(x)) return STD_SLOT(vm_string_cstr(vm, x > 0 ? "Infinity" : "-Infinity"));
    int n = snprintf(NULL, 0, "%.*f", (int)d, x);
    if (n < 0) return 0;
    char *b = malloc((size_t)n + 1);
    if (!b) return vm_throw(vm, vm->c_error, "out of memory");
    snprintf(b, (size_t)n + 1, "%.*f", (int)d, x);
    KString *s = vm_string_new(vm, b, (size_t)n);
    free(b);
    return STD_SLOT(s);
}

static const StdNative natives[] = {
    { "std.text", "fixed", "(FI)" STD_S, t_fixed },
};

int std_text_register(KVM *vm)
{
    return std_register_table(vm, natives, sizeof natives / sizeof natives[0]);
}
