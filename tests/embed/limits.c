/*
** tests/embed/limits.c — stopping a runaway script and bounding its memory:
** kiln_interrupt from another thread and from a signal handler, in tier 0, tier 1
** and auto, against loops with and without calls and a script that catches
** InterruptedError to carry on; the execution budget; the heap limit raising
** OutOfMemoryError while garbage-heavy code under the same limit runs fine. After
** each stop the same VM answers a normal call.
*/
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "host.h"

typedef struct { KilnVM *vm; int ms; } Stopper;

static void *stopper(void *p)
{
    Stopper *s = p;
    struct timespec t = { s->ms / 1000, (long)(s->ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
    kiln_interrupt(s->vm);      /* this thread is not registered: it needs not be */
    return NULL;
}

static KilnVM *signal_vm;
static void on_alarm(int sig) { (void)sig; kiln_interrupt(signal_vm); }

static void expect_quick(KilnVM *vm)
{
    KilnValue r, one = kiln_int(1);
    CHECK_ST(vm, kiln_call(vm, "limits", "quick", &one, 1, &r), KILN_OK);
    CHECK(r.type == KILN_INT && r.as.i == 2);
}

static void interrupt_from_thread(KilnVM *vm, const char *fn)
{
    Stopper s = { vm, 150 };
    pthread_t th;
    CHECK(pthread_create(&th, NULL, stopper, &s) == 0);
    KilnValue r;
    CHECK_ST(vm, kiln_call(vm, "limits", fn, NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.InterruptedError");
    CHECK_STR(kiln_error_text(vm), "interrupted");
    CHECK_HAS(kiln_error_trace(vm), "at limits.");
    pthread_join(th, NULL);
    expect_quick(vm);
}

static void interrupts(int tier)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.tier = tier;
    cfg.jit_threshold = 2;
    KilnVM *vm = kiln_new(&cfg);
    if (!vm || load_script(vm, "tests/embed/limits.kl")) { failures++; return; }
    expect_quick(vm);
    interrupt_from_thread(vm, "spin");
    interrupt_from_thread(vm, "spinCalls");
    interrupt_from_thread(vm, "swallow");         /* catching it does not help */
    /* from a signal handler */
    signal_vm = vm;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    KilnValue r;
    CHECK_ST(vm, kiln_call(vm, "limits", "spin", NULL, 0, &r), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.InterruptedError");
    signal(SIGALRM, SIG_DFL);
    expect_quick(vm);
    /* an interrupt between calls stops the next one, then is gone */
    kiln_interrupt(vm);
    CHECK_ST(vm, kiln_call(vm, "limits", "spin", NULL, 0, &r), KILN_RUNTIME_ERROR);
    expect_quick(vm);
    kiln_free(vm);
}

static void budget(int tier)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.tier = tier;
    cfg.jit_threshold = 2;
    cfg.budget = 1000000;
    KilnVM *vm = kiln_new(&cfg);
    if (!vm || load_script(vm, "tests/embed/limits.kl")) { failures++; return; }
    KilnValue r, n = kiln_int(1000);
    for (int i = 0; i < 3; i++) {                  /* renewed for every outermost call */
        CHECK_ST(vm, kiln_call(vm, "limits", "work", &n, 1, &r), KILN_OK);
        CHECK_ST(vm, kiln_call(vm, "limits", "spin", NULL, 0, &r), KILN_RUNTIME_ERROR);
        CHECK_STR(kiln_error_type(vm), "std.core.InterruptedError");
        CHECK_STR(kiln_error_text(vm), "execution budget exhausted");
        CHECK_ST(vm, kiln_call(vm, "limits", "spinCalls", NULL, 0, &r), KILN_RUNTIME_ERROR);
        CHECK_ST(vm, kiln_call(vm, "limits", "swallow", NULL, 0, &r), KILN_RUNTIME_ERROR);
        CHECK_STR(kiln_error_text(vm), "execution budget exhausted");
        expect_quick(vm);
    }
    kiln_free(vm);
}

static void heap_limit(int tier)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    cfg.tier = tier;
    cfg.jit_threshold = 2;
    cfg.max_heap = 32u << 20;
    KilnVM *vm = kiln_new(&cfg);
    if (!vm || load_script(vm, "tests/embed/limits.kl")) { failures++; return; }
    KilnValue r;
    /* 800 MB of garbage in 80 KB pieces under a 32 MB limit */
    KilnValue rounds = kiln_int(10000);
    CHECK_ST(vm, kiln_call(vm, "limits", "churn", &rounds, 1, &r), KILN_OK);
    CHECK(r.as.i == 100000000);
    CHECK(kiln_heap_used(vm) > 0 && kiln_heap_used(vm) <= cfg.max_heap);
    for (int i = 0; i < 2; i++) {
        CHECK_ST(vm, kiln_call(vm, "limits", "hog", NULL, 0, &r), KILN_RUNTIME_ERROR);
        CHECK_STR(kiln_error_type(vm), "std.core.OutOfMemoryError");
        CHECK_HAS(kiln_error_text(vm), "heap limit");
        expect_quick(vm);
    }
    CHECK_ST(vm, kiln_call(vm, "limits", "hogCaught", NULL, 0, &r), KILN_OK);
    CHECK_STR(r.as.s.chars, "caught");
    /* the host's own allocations obey it too */
    KilnValue big;
    CHECK_ST(vm, kiln_new_array(vm, "int", 8 << 20, &big), KILN_RUNTIME_ERROR);
    CHECK_STR(kiln_error_type(vm), "std.core.OutOfMemoryError");
    /* ... and once the program dropped what it held, the next allocation fits:
    ** nothing of hog's list survives in a stale stack slot (api_leave scrubs). */
    CHECK_ST(vm, kiln_new_array(vm, "int", 1000, &big), KILN_OK);
    kiln_release_value(vm, &big);
    expect_quick(vm);
    kiln_free(vm);
}

int main(void)
{
    for (int tier = -1; tier <= 1; tier++) {
        interrupts(tier);
        budget(tier);
        heap_limit(tier);
    }
    return finish("limits");
}
