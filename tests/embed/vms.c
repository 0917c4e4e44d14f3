/*
** tests/embed/vms.c — several VMs in one process: two interleaved on one thread
** (separate globals, bindings, limits and interrupts), and two running at once
** on two threads of the host's own (kiln_thread_attach), allocating enough to
** make the shared collector run while both are active.
*/
#include <pthread.h>
#include "host.h"

static void n_tag(KilnVM *vm, const KilnValue *a, int n, KilnValue *r, void *ud)
{
    (void)vm; (void)a; (void)n;
    *r = kiln_str(ud);          /* a string literal outlives the call */
}

static KilnVM *make(const char *tag, size_t max_heap)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.max_heap = max_heap;
    cfg.userdata = (void *)tag;
    KilnVM *vm = kiln_new(&cfg);
    if (!vm) return NULL;
    CHECK(kiln_get_userdata(vm) == tag);
    CHECK_ST(vm, kiln_bind_native(vm, "vms.tag", n_tag, (void *)tag), KILN_OK);
    if (load_script(vm, "tests/embed/vms.kl")) { kiln_free(vm); return NULL; }
    return vm;
}

static void interleaved(void)
{
    KilnVM *a = make("A", 0), *b = make("B", 16u << 20);
    CHECK(a && b);
    if (!a || !b) return;
    KilnValue r, one = kiln_int(1), ten = kiln_int(10);
    for (int i = 0; i < 5; i++) {
        CHECK_ST(a, kiln_call(a, "vms", "add", &one, 1, &r), KILN_OK);
        CHECK(r.as.i == i + 1);
        CHECK_ST(b, kiln_call(b, "vms", "add", &ten, 1, &r), KILN_OK);
        CHECK(r.as.i == 10 * (i + 1));
    }
    CHECK_ST(a, kiln_call(a, "vms", "who", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "A");
    CHECK_ST(b, kiln_call(b, "vms", "who", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "B");
    /* a handle from one VM is refused by the other */
    KilnValue cell;
    CHECK_ST(a, kiln_new_object(a, "vms.Cell", &one, 1, &cell), KILN_OK);
    CHECK_ST(b, kiln_call_method(b, cell.as.h, "toString", NULL, 0, &r), KILN_USAGE_ERROR);
    /* an interrupt for one leaves the other alone */
    kiln_interrupt(a);
    CHECK_ST(b, kiln_call(b, "vms", "add", &one, 1, &r), KILN_OK);
    CHECK_ST(a, kiln_call(a, "vms", "add", &one, 1, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(a), "std.core.InterruptedError");
    CHECK_STR(kiln_error_type(b), "");
    /* errors are per VM */
    CHECK_ST(b, kiln_call(b, "vms", "nosuch", NULL, 0, &r), KILN_USAGE_ERROR);
    CHECK_STR(kiln_error_type(a), "std.core.InterruptedError");
    /* freeing one leaves the other working */
    kiln_release_value(a, &cell);
    kiln_free(a);
    CHECK_ST(b, kiln_call(b, "vms", "add", &one, 1, &r), KILN_OK);
    CHECK(r.as.i == 52);
    kiln_free(b);
}

typedef struct { int seed; int64_t result; int ok; } Job;

static void *worker(void *p)
{
    Job *j = p;
    if (kiln_thread_attach() != KILN_OK) return NULL;
    KilnVM *vm = make(j->seed == 1 ? "T1" : "T2", 64u << 20);
    if (vm) {
        KilnValue args[2] = { kiln_int(3000), kiln_int(j->seed) }, r;
        j->ok = kiln_call(vm, "vms", "busy", args, 2, &r) == KILN_OK;
        j->result = r.as.i;
        kiln_free(vm);
    }
    kiln_thread_detach();
    return NULL;
}

static void threads(void)
{
    /* The expected results, computed on this thread first. */
    KilnVM *vm = make("main", 0);
    if (!vm) { failures++; return; }
    int64_t want[2];
    for (int s = 1; s <= 2; s++) {
        KilnValue args[2] = { kiln_int(3000), kiln_int(s) }, r;
        CHECK_ST(vm, kiln_call(vm, "vms", "busy", args, 2, &r), KILN_OK);
        want[s - 1] = r.as.i;
    }
    Job jobs[2] = { { 1, 0, 0 }, { 2, 0, 0 } };
    pthread_t th[2];
    for (int i = 0; i < 2; i++) CHECK(pthread_create(&th[i], NULL, worker, &jobs[i]) == 0);
    /* and this thread keeps its own VM busy meanwhile */
    KilnValue args[2] = { kiln_int(200), kiln_int(3) }, r;
    CHECK_ST(vm, kiln_call(vm, "vms", "busy", args, 2, &r), KILN_OK);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        CHECK(jobs[i].ok);
        CHECK(jobs[i].result == want[i]);
    }
    kiln_free(vm);
}

int main(void)
{
    interleaved();
    threads();
    return finish("vms");
}
