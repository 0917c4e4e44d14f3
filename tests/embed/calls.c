/*
** tests/embed/calls.c — calling Kiln from C: every value type in both directions,
** overloads, methods with virtual dispatch, constructors, arrays and strings,
** errors with type, message and trace, misuse of the API, and loading from a
** class directory, a .kar, a .klc file and a class file in memory.
*/
#include <math.h>
#include "host.h"

#ifndef API_DATA
#define API_DATA "build/embed/data"
#endif

static void values(KilnVM *vm)
{
    KilnValue r;
    KilnValue a2[2] = { kiln_int(40), kiln_int(2) };
    CHECK_ST(vm, kiln_call(vm, "calls", "add", a2, 2, &r), KILN_OK);
    CHECK(r.type == KILN_INT && r.as.i == 42);
    KilnValue f = kiln_float(5.0);
    CHECK_ST(vm, kiln_call(vm, "calls", "half", &f, 1, &r), KILN_OK);
    CHECK(r.type == KILN_FLOAT && r.as.f == 2.5);
    KilnValue i = kiln_int(3);                      /* an int where only a float fits */
    CHECK_ST(vm, kiln_call(vm, "calls", "half", &i, 1, &r), KILN_OK);
    CHECK(r.type == KILN_FLOAT && r.as.f == 1.5);
    KilnValue b = kiln_bool(0);
    CHECK_ST(vm, kiln_call(vm, "calls", "not", &b, 1, &r), KILN_OK);
    CHECK(r.type == KILN_BOOL && r.as.b == 1);
    KilnValue s = kiln_str("world");
    CHECK_ST(vm, kiln_call(vm, "calls", "greet", &s, 1, &r), KILN_OK);
    CHECK(r.type == KILN_STRING && r.as.s.len == 12);
    CHECK_STR(r.as.s.chars, "hello, world");
    KilnValue embedded = kiln_strn("a\0b", 3);      /* strings are byte sequences */
    CHECK_ST(vm, kiln_call(vm, "calls", "greet", &embedded, 1, &r), KILN_OK);
    CHECK(r.as.s.len == 10 && memcmp(r.as.s.chars, "hello, a\0b", 10) == 0);
    KilnValue nul = kiln_null();
    CHECK_ST(vm, kiln_call(vm, "calls", "maybe", &nul, 1, &r), KILN_OK);
    CHECK(r.type == KILN_NULL);
    /* void functions give KILN_NULL; module state persists between calls */
    CHECK_ST(vm, kiln_call(vm, "calls", "nothing", NULL, 0, &r), KILN_OK);
    CHECK(r.type == KILN_NULL);
    CHECK_ST(vm, kiln_call(vm, "calls", "nothing", NULL, 0, NULL), KILN_OK);
    CHECK_ST(vm, kiln_call(vm, "calls", "count", NULL, 0, &r), KILN_OK);
    CHECK(r.type == KILN_INT && r.as.i == 2);
    /* overloads chosen by the values' types */
    KilnValue k[3] = { kiln_int(1), kiln_float(1), kiln_str("x") };
    const char *want[3] = { "int", "float", "String" };
    for (int j = 0; j < 3; j++) {
        CHECK_ST(vm, kiln_call(vm, "calls", "kind", &k[j], 1, &r), KILN_OK);
        CHECK_STR(r.as.s.chars, want[j]);
    }
}

static void arrays(KilnVM *vm)
{
    KilnValue arr, r;
    CHECK_ST(vm, kiln_new_array(vm, "int", 4, &arr), KILN_OK);
    CHECK(arr.type == KILN_ARRAY && kiln_array_length(vm, arr.as.h) == 4);
    for (int i = 0; i < 4; i++) {
        KilnValue v = kiln_int(i + 1);
        CHECK_ST(vm, kiln_array_set(vm, arr.as.h, i, &v), KILN_OK);
    }
    CHECK_ST(vm, kiln_call(vm, "calls", "sum", &arr, 1, &r), KILN_OK);
    CHECK(r.as.i == 10);
    KilnValue bad = kiln_str("no");
    CHECK_ST(vm, kiln_array_set(vm, arr.as.h, 0, &bad), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_array_get(vm, arr.as.h, 4, &r), KILN_USAGE_ERROR);
    CHECK_HAS(kiln_error_message(vm), "out of bounds");
    kiln_release_value(vm, &arr);
    CHECK(arr.type == KILN_NULL);

    KilnValue n = kiln_int(5);
    CHECK_ST(vm, kiln_call(vm, "calls", "squares", &n, 1, &arr), KILN_OK);
    CHECK(arr.type == KILN_ARRAY && kiln_array_length(vm, arr.as.h) == 5);
    CHECK_ST(vm, kiln_array_get(vm, arr.as.h, 4, &r), KILN_OK);
    CHECK(r.type == KILN_INT && r.as.i == 16);
    CHECK_STR(kiln_class_name(vm, arr.as.h), "[I");
    kiln_release_value(vm, &arr);

    KilnValue s = kiln_str("a bb ccc");
    CHECK_ST(vm, kiln_call(vm, "calls", "words", &s, 1, &arr), KILN_OK);
    CHECK(kiln_array_length(vm, arr.as.h) == 3);
    CHECK_ST(vm, kiln_array_get(vm, arr.as.h, 2, &r), KILN_OK);
    CHECK(r.type == KILN_STRING);
    CHECK_STR(r.as.s.chars, "ccc");
    kiln_release_value(vm, &arr);

    CHECK_ST(vm, kiln_new_array(vm, "String", 2, &arr), KILN_OK);
    KilnValue e = kiln_str("x");
    CHECK_ST(vm, kiln_array_set(vm, arr.as.h, 1, &e), KILN_OK);
    CHECK_ST(vm, kiln_array_get(vm, arr.as.h, 0, &r), KILN_OK);
    CHECK(r.type == KILN_NULL);
    kiln_release_value(vm, &arr);
    CHECK_ST(vm, kiln_new_array(vm, "calls.Point[]", 3, &arr), KILN_OK);
    CHECK_STR(kiln_class_name(vm, arr.as.h), "[[Lcalls.Point;");
    kiln_release_value(vm, &arr);
    CHECK_ST(vm, kiln_new_array(vm, "nosuch.Type", 1, &arr), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_new_array(vm, "int", -1, &arr), KILN_USAGE_ERROR);
}

static void objects(KilnVM *vm)
{
    KilnValue p, q, r;
    KilnValue xy[2] = { kiln_int(1), kiln_int(-2) };
    CHECK_ST(vm, kiln_new_object(vm, "calls.Point", xy, 2, &p), KILN_OK);
    CHECK(p.type == KILN_OBJECT);
    CHECK_STR(kiln_class_name(vm, p.as.h), "calls.Point");
    KilnValue xyz[3] = { kiln_int(1), kiln_int(2), kiln_int(-3) };
    CHECK_ST(vm, kiln_new_object(vm, "calls.Point3", xyz, 3, &q), KILN_OK);
    CHECK_ST(vm, kiln_call_method(vm, p.as.h, "norm1", NULL, 0, &r), KILN_OK);
    CHECK(r.as.i == 3);
    CHECK_ST(vm, kiln_call_method(vm, q.as.h, "norm1", NULL, 0, &r), KILN_OK);   /* virtual */
    CHECK(r.as.i == 6);
    KilnValue sum;
    CHECK_ST(vm, kiln_call_method(vm, p.as.h, "plus", &q, 1, &sum), KILN_OK);    /* subclass arg */
    CHECK(sum.type == KILN_OBJECT);
    CHECK_ST(vm, kiln_call_method(vm, sum.as.h, "toString", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "(2, 0)");
    CHECK_ST(vm, kiln_call(vm, "calls", "describe", &sum, 1, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "obj (2, 0)");
    KilnValue o;
    CHECK_ST(vm, kiln_call(vm, "calls", "origin", NULL, 0, &o), KILN_OK);
    CHECK_STR(kiln_class_name(vm, o.as.h), "calls.Point");
    /* a retained copy outlives the original handle */
    KilnHandle *keep = kiln_retain(vm, o.as.h);
    kiln_release_value(vm, &o);
    CHECK_ST(vm, kiln_call_method(vm, keep, "norm1", NULL, 0, &r), KILN_OK);
    CHECK(r.as.i == 0);
    kiln_release(vm, keep);
    /* wrong arguments for methods and constructors */
    CHECK_ST(vm, kiln_call_method(vm, p.as.h, "plus", xy, 1, &r), KILN_USAGE_ERROR);
    CHECK_HAS(kiln_error_message(vm), "no calls.Point.plus takes (int)");
    CHECK_ST(vm, kiln_call_method(vm, p.as.h, "nosuch", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_new_object(vm, "calls.Point", xy, 1, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_new_object(vm, "calls", NULL, 0, &r), KILN_USAGE_ERROR);
    kiln_release_value(vm, &p);
    kiln_release_value(vm, &q);
    kiln_release_value(vm, &sum);
}

static void errors(KilnVM *vm)
{
    KilnValue r;
    KilnValue big = kiln_int(5), zero = kiln_int(0);
    CHECK_ST(vm, kiln_call(vm, "calls", "fails", &big, 1, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "calls.BadThing");
    CHECK_STR(kiln_error_text(vm), "too big: 5");
    CHECK_HAS(kiln_error_trace(vm), "at calls.fails (calls.kl:");
    CHECK_HAS(kiln_error_message(vm), "Uncaught BadThing: too big: 5");
    CHECK(r.type == KILN_NULL);
    CHECK_ST(vm, kiln_call(vm, "calls", "fails", &zero, 1, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.ArithmeticError");
    CHECK_HAS(kiln_error_trace(vm), "at calls.inner (calls.kl:");
    CHECK_HAS(kiln_error_trace(vm), "at calls.fails (calls.kl:");
    /* the VM is fine afterwards */
    KilnValue one = kiln_int(1);
    CHECK_ST(vm, kiln_call(vm, "calls", "fails", &one, 1, &r), KILN_OK);
    CHECK(r.as.i == 10);
    CHECK_STR(kiln_error_type(vm), "std.core.ArithmeticError");   /* kept until the next failure */

    /* misuse: a status and a message, never a crash */
    CHECK_ST(NULL, kiln_call(NULL, "calls", "add", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_call(vm, NULL, "add", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_call(vm, "calls", "add", NULL, 2, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_call(vm, "calls", "add", NULL, -1, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_call(vm, "nosuch.module", "f", NULL, 0, &r), KILN_LOAD_ERROR);
    CHECK(kiln_error_message(vm)[0] != 0);
    CHECK_STR(kiln_error_type(vm), "");
    CHECK_ST(vm, kiln_call(vm, "calls", "nosuch", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_HAS(kiln_error_message(vm), "module calls has no function nosuch");
    KilnValue wrong[2] = { kiln_int(1), kiln_str("2") };
    CHECK_ST(vm, kiln_call(vm, "calls", "add", wrong, 2, &r), KILN_USAGE_ERROR);
    CHECK_HAS(kiln_error_message(vm), "no calls.add takes (int, String)");
    CHECK_ST(vm, kiln_call(vm, "calls", "add", wrong, 1, &r), KILN_USAGE_ERROR);
    KilnValue bogus; bogus.type = (KilnType)99; bogus.as.i = 0;
    CHECK_ST(vm, kiln_call(vm, "calls", "add", &bogus, 1, &r), KILN_USAGE_ERROR);
    KilnValue dangling = kiln_obj(NULL);
    CHECK_ST(vm, kiln_call(vm, "calls", "describe", &dangling, 1, &r), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_call_method(vm, NULL, "x", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_ST(NULL, kiln_load_source(NULL, "x.kl", "", 0), KILN_USAGE_ERROR);
    CHECK_ST(vm, kiln_load_source(vm, "broken.kl", "fun f( {", 9), KILN_COMPILE_ERROR);
    CHECK_HAS(kiln_error_message(vm), "broken.kl:1:");
    CHECK_ST(vm, kiln_load_path(vm, "/nonexistent/dir.kar"), KILN_LOAD_ERROR);
    CHECK_ST(vm, kiln_load_class(vm, "KILNjunk", 8, "junk"), KILN_LOAD_ERROR);
    CHECK(kiln_array_length(vm, NULL) == -1);
    CHECK(kiln_host_pointer(vm, NULL) == NULL);
    CHECK(kiln_error_message(NULL)[0] == 0);
    kiln_free(NULL);
    kiln_interrupt(NULL);
    kiln_release(vm, NULL);
}

static void output(void)
{
    Captured out = { .len = 0 };
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.write_out = capture;
    cfg.write_userdata = &out;
    KilnVM *vm = kiln_new(&cfg);
    CHECK(vm != NULL);
    if (!vm || load_script(vm, "tests/embed/calls.kl")) { failures++; return; }
    KilnValue s = kiln_str("to the callback");
    CHECK_ST(vm, kiln_call(vm, "calls", "say", &s, 1, NULL), KILN_OK);
    CHECK_STR(out.text, "to the callback\n");
    kiln_free(vm);
}

static void loading(void)
{
    KilnValue r, wh[2] = { kiln_int(6), kiln_int(7) };
    /* a class directory, through the config's class path */
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.class_path = "/nonexistent-but-ignored-if-empty-entries::" API_DATA "/dir";
    KilnVM *vm = kiln_new(&cfg);
    CHECK(vm == NULL);                              /* a bad entry fails kiln_new */
    cfg.class_path = API_DATA "/dir";
    vm = kiln_new(&cfg);
    CHECK(vm != NULL);
    if (vm) {
        CHECK_ST(vm, kiln_call(vm, "geom", "area", wh, 2, &r), KILN_OK);
        CHECK(r.as.i == 42);
        kiln_free(vm);
    }
    /* an archive; its manifest names the main module */
    vm = kiln_new(NULL);
    CHECK_ST(vm, kiln_load_path(vm, API_DATA "/geom.kar"), KILN_OK);
    CHECK_STR(kiln_main_module(vm), "geom");
    int code = 0;
    CHECK_ST(vm, kiln_run_main(vm, "geom", 0, NULL, &code), KILN_OK);
    CHECK(code == 7);
    kiln_free(vm);
    /* a single .klc file */
    vm = kiln_new(NULL);
    CHECK_ST(vm, kiln_load_path(vm, API_DATA "/dir/geom.klc"), KILN_OK);
    CHECK_ST(vm, kiln_call(vm, "geom", "area", wh, 2, &r), KILN_OK);
    CHECK(r.as.i == 42);
    kiln_free(vm);
    /* a class file from memory (the buffer is freed right after) */
    vm = kiln_new(NULL);
    size_t n;
    char *bytes = read_file(API_DATA "/dir/geom.klc", &n);
    CHECK(bytes != NULL);
    if (bytes) {
        CHECK_ST(vm, kiln_load_class(vm, bytes, n, "geom.klc"), KILN_OK);
        memset(bytes, 0, n);
        free(bytes);
        CHECK_ST(vm, kiln_call(vm, "geom", "area", wh, 2, &r), KILN_OK);
        CHECK(r.as.i == 42);
        bytes = read_file(API_DATA "/dir/geom.klc", &n);
        CHECK_ST(vm, kiln_load_class(vm, bytes, n, "again"), KILN_LOAD_ERROR);
        free(bytes);
    }
    kiln_free(vm);
}

/* kiln_print_stats names the methods that ran, with the tier each reached. */
static void stats(KilnVM *vm, int tier)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f) return;
    kiln_print_stats(vm, f);
    kiln_print_stats(NULL, f);                       /* a NULL VM prints nothing */
    rewind(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    CHECK(strstr(buf, "method") != NULL && strstr(buf, "total:") != NULL);
    CHECK(strstr(buf, "\ncalls.") != NULL);          /* a method of the calls module */
    if (tier == KILN_TIER_1) CHECK(strstr(buf, "refused by tier 1") != NULL);
}

int main(void)
{
    KilnConfig cfg;
    for (int tier = -1; tier <= 1; tier++) {       /* every tier: auto, 0, 1 */
        kiln_config_init(&cfg);
        cfg.tier = tier;
        cfg.jit_threshold = 1;
        KilnVM *vm = kiln_new(&cfg);
        CHECK(vm != NULL);
        if (!vm || load_script(vm, "tests/embed/calls.kl")) return 1;
        values(vm);
        arrays(vm);
        objects(vm);
        errors(vm);
        stats(vm, tier);
        kiln_free(vm);
    }
    output();
    loading();
    return finish("calls");
}
