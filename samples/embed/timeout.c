/*
** samples/embed/timeout.c — a host that stops a runaway script after a time
** limit: a timer thread calls kiln_interrupt (safe from any thread: it only sets
** a flag that every tier checks at loop back-edges and calls). The script cannot
** swallow the InterruptedError, and the VM is usable afterwards.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <kiln.h>

static const char script[] =
    "module spin\n"
    "fun forever(): int {\n"
    "    var n = 0\n"
    "    while true {\n"
    "        try { n += 1 } catch e: InterruptedError { println(\"trying to ignore it\") }\n"
    "    }\n"
    "}\n"
    "fun quick(): int { return 42 }\n";

static void *timer(void *p)
{
    struct timespec t = { 0, 200 * 1000 * 1000 };   /* 200 ms */
    nanosleep(&t, NULL);
    kiln_interrupt(p);
    return NULL;
}

int main(int argc, char **argv)
{
    KilnConfig cfg;
    kiln_config_init(&cfg);
    if (argc > 1 && strcmp(argv[1], "--tier=0") == 0) cfg.tier = KILN_TIER_INTERP;
    if (argc > 1 && strcmp(argv[1], "--tier=1") == 0) cfg.tier = KILN_TIER_1;
    KilnVM *vm = kiln_new(&cfg);
    if (!vm || kiln_load_source(vm, "spin.kl", script, strlen(script)) != KILN_OK) return 1;
    pthread_t th;
    if (pthread_create(&th, NULL, timer, vm) != 0) return 1;
    KilnValue r;
    KilnStatus st = kiln_call(vm, "spin", "forever", NULL, 0, &r);
    pthread_join(th, NULL);
    if (st == KILN_RUNTIME_ERROR) printf("stopped: %s: %s\n", kiln_error_type(vm), kiln_error_text(vm));
    else printf("not stopped (status %d)\n", st);
    st = kiln_call(vm, "spin", "quick", NULL, 0, &r);     /* the VM is still usable */
    if (st == KILN_OK) printf("next call: %lld\n", (long long)r.as.i);
    kiln_free(vm);
    return st == KILN_OK ? 0 : 1;
}
