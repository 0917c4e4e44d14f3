/*
** tests/embed/natives.c — calling C from Kiln: natives bound before and after
** their classes load, std.core's natives replaced through the same registry,
** argument and result conversion, natives allocating strings and arrays,
** reentrancy (Kiln -> C -> Kiln, recursively), natives throwing Kiln errors and
** errors crossing natives, host objects and their finalizers, handles keeping
** objects alive across collections.
*/
#include <ctype.h>
#include "host.h"

static int ud_tag;

static void n_twice(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)vm;
    CHECK(n == 1 && a[0].type == KILN_INT && ud == &ud_tag);
    *r = kiln_int(a[0].as.i * 2);
}

static void n_join(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    char buf[64];
    snprintf(buf, sizeof buf, "%s%s", a[0].as.s.chars, a[1].as.s.chars);
    kiln_new_string(vm, buf, strlen(buf), r);        /* buf is on this stack frame */
}

static void n_upper(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    char buf[64];
    size_t len = a[0].as.s.len < 63 ? a[0].as.s.len : 63;
    for (size_t i = 0; i < len; i++) buf[i] = (char)toupper((unsigned char)a[0].as.s.chars[i]);
    kiln_new_string(vm, buf, len, r);
}

static void n_scale(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    CHECK(a[0].type == KILN_ARRAY && a[1].type == KILN_FLOAT);
    int64_t len = kiln_array_length(vm, a[0].as.h);
    KilnValue out;
    if (kiln_new_array(vm, "float", len, &out) != KILN_OK) return;
    for (int64_t i = 0; i < len; i++) {
        KilnValue x;
        kiln_array_get(vm, a[0].as.h, i, &x);
        x.as.f *= a[1].as.f;
        kiln_array_set(vm, out.as.h, i, &x);
    }
    *r = out;   /* an owned handle: it passes to the VM, which releases it */
}

static void n_fail(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n; (void)r;
    kiln_throw(vm, "std.core.IOError", "native says %s", a[0].as.s.chars);
}

static int max_depth_seen;

static void n_callback(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    if (a[0].as.i > max_depth_seen) max_depth_seen = (int)a[0].as.i;
    KilnValue res;
    if (kiln_call(vm, "natives", "recurse", a, 1, &res) != KILN_OK) { kiln_rethrow(vm); return; }
    *r = res;
}

static void n_late(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)vm; (void)a; (void)n; (void)ud;
    *r = kiln_int(99);
}

static void n_bad(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)vm; (void)a; (void)n; (void)ud;
    *r = kiln_str("not an int");
}

static void n_pass(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    if (kiln_call(vm, "natives", "thrower", a, 1, r) != KILN_OK) kiln_rethrow(vm);
}

/* Host objects: a counter struct per object; the finalizer marks it. */
typedef struct { int64_t value; int finalized; } Counter;
static Counter counters[200];
static int next_counter, finalized_total;

static void counter_fin(void *p, void *ud)
{
    (void)ud;
    Counter *c = p;
    CHECK(!c->finalized);
    c->finalized = 1;
    finalized_total++;
}

static void n_make_counter(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    Counter *c = &counters[next_counter++];
    c->value = a[0].as.i;
    KilnValue o;
    if (kiln_new_host_object(vm, "natives.Counter", c, counter_fin, NULL, &o) != KILN_OK) {
        kiln_rethrow(vm);
        return;
    }
    *r = o;
}

static void n_counter_add(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    Counter *c = kiln_host_pointer(vm, a[0].as.h);
    if (!c) { kiln_throw(vm, "std.core.NullError", "not a host counter"); return; }
    c->value += a[1].as.i;
    *r = kiln_int(c->value);
}

static void n_counter_get(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)ud; (void)n;
    Counter *c = kiln_host_pointer(vm, a[0].as.h);
    *r = kiln_int(c ? c->value : -1);
}

static Captured printed;
static void n_println(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)vm; (void)n; (void)r;
    capture(ud, "host: ", 6);
    capture(ud, a[0].as.s.chars, a[0].as.s.len);
}

/* Makes and drops host objects in a frame of its own so no stale pointer to them
** stays in this frame's stack slots. */
static void __attribute__((noinline)) make_garbage(KilnVM *vm, int n)
{
    for (int i = 0; i < n; i++) {
        KilnValue o;
        CHECK_ST(vm, kiln_new_host_object(vm, "natives.Counter", &counters[next_counter++],
                                          counter_fin, NULL, &o), KILN_OK);
        kiln_release_value(vm, &o);
    }
}

static void __attribute__((noinline)) clobber_stack(void)
{
    volatile char junk[65536];
    memset((char *)junk, 0, sizeof junk);
}

static void run(int tier)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.tier = tier;
    cfg.jit_threshold = 1;
    KilnVM *vm = kiln_new(&cfg);
    CHECK(vm != NULL);
    if (!vm) return;
    memset(counters, 0, sizeof counters);
    next_counter = finalized_total = 0;
    /* bound before the module is loaded */
    CHECK_ST(vm, kiln_bind_native(vm, "natives.twice", n_twice, &ud_tag), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.join", n_join, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.upper(Lstd.core.String;)Lstd.core.String;", n_upper, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.scale", n_scale, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.fail", n_fail, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.callback", n_callback, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.badResult", n_bad, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.passThrough", n_pass, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.makeCounter", n_make_counter, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.Counter.add", n_counter_add, NULL), KILN_OK);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.Counter.get", n_counter_get, NULL), KILN_OK);
    /* bad names */
    CHECK_ST(vm, kiln_bind_native(vm, "nodot", n_late, NULL), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_bind_native(vm, "a.b(", n_late, NULL), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_bind_native(vm, "a.", n_late, NULL), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_bind_native(vm, NULL, n_late, NULL), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_bind_native(vm, "a.b", NULL, NULL), KILN_USAGE_ERROR);
    if (load_script(vm, "tests/embed/natives.kl")) { failures++; kiln_free(vm); return; }

    KilnValue r, x = kiln_int(20);
    CHECK_ST(vm, kiln_call(vm, "natives", "useTwice", &x, 1, &r), KILN_OK);
    CHECK(r.as.i == 41);
    CHECK_ST(vm, kiln_call(vm, "natives", "useJoin", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "abcd!");
    KilnValue s = kiln_str("quiet");
    CHECK_ST(vm, kiln_call(vm, "natives", "shout", &s, 1, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "QUIET");
    CHECK_ST(vm, kiln_call(vm, "natives", "sumScaled", NULL, 0, &r), KILN_OK);
    CHECK(r.type == KILN_FLOAT && r.as.f == 12.0);

    /* reentrancy: 200 levels of Kiln -> C -> Kiln */
    KilnValue depth = kiln_int(200);
    max_depth_seen = 0;
    CHECK_ST(vm, kiln_call(vm, "natives", "recurse", &depth, 1, &r), KILN_OK);
    CHECK(r.as.i == 200 && max_depth_seen == 199);

    /* natives throwing: caught in Kiln, and uncaught with the Kiln caller in the trace */
    CHECK_ST(vm, kiln_call(vm, "natives", "catchFail", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "caught native says boom");
    CHECK_ST(vm, kiln_call(vm, "natives", "failThrough", NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.IOError");
    CHECK_STR(kiln_error_text(vm), "native says deep");
    CHECK_HAS(kiln_error_trace(vm), "at natives.failThrough (natives.kl:");
    /* an error thrown by Kiln under a native crosses it with its full trace */
    KilnValue zero = kiln_int(0), seven = kiln_int(7);
    CHECK_ST(vm, kiln_call(vm, "natives", "viaNative", &seven, 1, &r), KILN_OK);
    CHECK(r.as.i == 7);
    CHECK_ST(vm, kiln_call(vm, "natives", "viaNative", &zero, 1, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.ArithmeticError");
    CHECK_HAS(kiln_error_trace(vm), "at natives.thrower (natives.kl:");
    CHECK_HAS(kiln_error_trace(vm), "at natives.viaNative (natives.kl:");
    CHECK_ST(vm, kiln_call(vm, "natives", "viaNativeCaught", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "caught inner failure");
    /* a result of the wrong type is a CastError, not a crash */
    CHECK_ST(vm, kiln_call(vm, "natives", "callBad", NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.CastError");
    /* unbound: LinkError; bound after the class was loaded: works */
    CHECK_ST(vm, kiln_call(vm, "natives", "callUnbound", NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.LinkError");
    CHECK_HAS(kiln_error_text(vm), "natives.unbound");
    CHECK_ST(vm, kiln_call(vm, "natives", "callLate", NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_ST(vm, kiln_bind_native(vm, "natives.late", n_late, NULL), KILN_OK);
    CHECK_ST(vm, kiln_call(vm, "natives", "callLate", NULL, 0, &r), KILN_OK);
    CHECK(r.as.i == 99);
    /* kiln_throw outside a native just records the error */
    CHECK_ST(vm, kiln_throw(vm, NULL, "by hand %d", 1), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.Error");
    CHECK_STR(kiln_error_text(vm), "by hand 1");

    /* std.core's natives go through the same registry: replace println(String) */
    memset(&printed, 0, sizeof printed);
    CHECK_ST(vm, kiln_bind_native(vm, "std.core.println(Lstd.core.String;)V", n_println, &printed), KILN_OK);
    KilnValue msg = kiln_str("hi");
    CHECK_ST(vm, kiln_call(vm, "natives", "say", &msg, 1, NULL), KILN_OK);
    CHECK_STR(printed.text, "host: hi");

    /* host objects */
    KilnValue c, start = kiln_int(1);
    CHECK_ST(vm, kiln_call(vm, "natives", "countFresh", NULL, 0, &r), KILN_OK);
    CHECK(r.as.i == 11);
    int mine = next_counter;
    counters[mine].value = 100;
    CHECK_ST(vm, kiln_new_host_object(vm, "natives.Counter", &counters[mine], counter_fin, NULL, &c), KILN_OK);
    next_counter++;
    CHECK(kiln_host_pointer(vm, c.as.h) == &counters[mine]);
    CHECK_ST(vm, kiln_call(vm, "natives", "useCounter", &c, 1, &r), KILN_OK);
    CHECK(r.as.i == 105);
    CHECK_ST(vm, kiln_new_host_object(vm, "natives.Nope", NULL, NULL, NULL, &r), KILN_LOAD_ERROR);
    CHECK_ST(vm, kiln_new_host_object(vm, "natives", NULL, NULL, NULL, &r), KILN_USAGE_ERROR);
    (void)start;

    /* handles keep objects alive across collections; unheld objects are collected */
    KilnValue box, v42 = kiln_int(42);
    CHECK_ST(vm, kiln_call(vm, "natives", "makeBox", &v42, 1, &box), KILN_OK);
    CHECK(kiln_host_pointer(vm, box.as.h) == NULL);      /* not a host object */
    make_garbage(vm, 100);
    clobber_stack();
    KilnValue lots = kiln_int(20000);
    for (int i = 0; i < 5; i++) {
        CHECK_ST(vm, kiln_call(vm, "natives", "churn", &lots, 1, &r), KILN_OK);
        kiln_collect(vm);
    }
    CHECK_ST(vm, kiln_call(vm, "natives", "boxValue", &box, 1, &r), KILN_OK);
    CHECK(r.as.i == 42);
    /* conservative scanning may keep a few, never most */
    CHECK(finalized_total >= 80);
    CHECK(!counters[mine].finalized);                      /* held by a handle */
    CHECK_ST(vm, kiln_call(vm, "natives", "useCounter", &c, 1, &r), KILN_OK);
    CHECK(r.as.i == 110);
    kiln_release_value(vm, &box);
    int before_free = finalized_total;
    kiln_free(vm);                                          /* runs the rest */
    CHECK(finalized_total == next_counter);
    CHECK(counters[mine].finalized && finalized_total > before_free);
}

int main(void)
{
    for (int tier = -1; tier <= 1; tier++) run(tier);
    return finish("natives");
}
