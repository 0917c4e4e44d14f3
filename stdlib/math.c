/*
** stdlib/math.c — std.math's natives (stdlib/std/math.kl): C's libm, one call
** per function (no fused or reassociated operations).
*/
#include <math.h>
#include "stdlib.h"

#define F1(n, f) static KSlot n(KVM *vm, KSlot *a) { (void)vm; return std_s(f(std_f(a[0]))); }
F1(m_sqrt, sqrt)
F1(m_sin, sin)
F1(m_cos, cos)
F1(m_tan, tan)
F1(m_exp, exp)
F1(m_log, log)
F1(m_floor, floor)
F1(m_ceil, ceil)
F1(m_fabs, fabs)

static KSlot m_atan2(KVM *vm, KSlot *a) { (void)vm; return std_s(atan2(std_f(a[0]), std_f(a[1]))); }
static KSlot m_pow(KVM *vm, KSlot *a) { (void)vm; return std_s(pow(std_f(a[0]), std_f(a[1]))); }

/* min/max of floats: NaN if either is NaN; -0.0 below 0.0 (as Java's Math.min). */
static KSlot m_fmin(KVM *vm, KSlot *a)
{
    (void)vm;
    double x = std_f(a[0]), y = std_f(a[1]);
    if (isnan(x) || isnan(y)) return std_s(NAN);
    if (x == y) return std_s(signbit(x) ? x : y);
    return std_s(x < y ? x : y);
}

static KSlot m_fmax(KVM *vm, KSlot *a)
{
    (void)vm;
    double x = std_f(a[0]), y = std_f(a[1]);
    if (isnan(x) || isnan(y)) return std_s(NAN);
    if (x == y) return std_s(signbit(x) ? y : x);
    return std_s(x > y ? x : y);
}

static const StdNative natives[] = {
    { "std.math", "sqrt",  "(F)F",  m_sqrt },
    { "std.math", "sin",   "(F)F",  m_sin },
    { "std.math", "cos",   "(F)F",  m_cos },
    { "std.math", "tan",   "(F)F",  m_tan },
    { "std.math", "exp",   "(F)F",  m_exp },
    { "std.math", "log",   "(F)F",  m_log },
    { "std.math", "floor", "(F)F",  m_floor },
    { "std.math", "ceil",  "(F)F",  m_ceil },
    { "std.math", "abs",   "(F)F",  m_fabs },
    { "std.math", "atan2", "(FF)F", m_atan2 },
    { "std.math", "pow",   "(FF)F", m_pow },
    { "std.math", "min",   "(FF)F", m_fmin },
    { "std.math", "max",   "(FF)F", m_fmax },
};

int std_math_register(KVM *vm)
{
    return std_register_table(vm, natives, sizeof natives / sizeof natives[0]);
}
