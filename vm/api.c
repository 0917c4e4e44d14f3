/*
** vm/api.c — the public API of include/kiln.h.
**
** The API sits on top of every stage: it compiles (compiler/), loads and
** verifies (loader/, verifier/) and runs (interp/, jit/). Errors are returned
** as KilnStatus with the text kept in vm->error_text.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../loader/loader.h"
#include "../jit/jit.h"
#include "../interp/interp.h"
#include "../compiler/kc.h"

void kiln_config_init(KilnConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->tier = KILN_TIER_AUTO;
    cfg->jit_threshold = 1000;
    cfg->max_depth = 100000;
}

KilnVM *kiln_new(const KilnConfig *cfg)
{
    gc_init();
    KVM *vm = gc_alloc_root(sizeof(KVM));
    if (!vm) return NULL;
    if (cfg) vm->cfg = *cfg;
    else kiln_config_init(&vm->cfg);
    if (vm->cfg.jit_threshold < 1) vm->cfg.jit_threshold = 1;
    if (vm->cfg.max_depth < 1) vm->cfg.max_depth = 1;
    vm->max_depth = vm->cfg.max_depth;
    vm->error_text = "";
    vm_init_builtins(vm);
    return vm;
}

void kiln_free(KilnVM *vm)
{
    if (!vm) return;
    for (KClass *c = vm->classes; c; c = c->next)
        for (int i = 0; i < c->nmethods; i++) {
            jit_free_method(&c->methods[i]);
            in_free_method(&c->methods[i]);
        }
    ld_close(vm);
    gc_free_root(vm);
}

static KilnStatus fail(KVM *vm, KilnStatus st, const char *text)
{
    vm->error_text = gc_strdup(text);
    return st;
}

KilnStatus kiln_load_path(KilnVM *vm, const char *path)
{
    if (!vm || !path) return KILN_USAGE_ERROR;
    char err[1024];
    if (ld_add_path(vm, path, err, sizeof err)) return fail(vm, KILN_LOAD_ERROR, err);
    return KILN_OK;
}

KilnStatus kiln_load_source(KilnVM *vm, const char *name, const char *src, size_t len)
{
    if (!vm || !name || !src) return KILN_USAGE_ERROR;
    KcSource s = { name, src, len };
    KcResult r;
    if (kc_compile(&s, 1, &r) != 0) {
        KilnStatus st = fail(vm, KILN_COMPILE_ERROR, r.diagnostics ? r.diagnostics : "compile error");
        kc_result_free(&r);
        return st;
    }
    char err[1024];
    KilnStatus st = KILN_OK;
    KClass **parsed = calloc((size_t)r.nclasses + 1, sizeof *parsed);
    for (int i = 0; parsed && i < r.nclasses; i++) {
        parsed[i] = ld_parse_class(vm, r.classes[i].data, r.classes[i].len, r.classes[i].name,
                                   err, sizeof err);
        if (!parsed[i]) { st = fail(vm, KILN_LOAD_ERROR, err); break; }
    }
    for (int i = 0; parsed && st == KILN_OK && i < r.nclasses; i++)
        if (ld_define_class(vm, parsed[i], err, sizeof err)) st = fail(vm, KILN_LOAD_ERROR, err);
    if (!parsed) st = fail(vm, KILN_LOAD_ERROR, "out of memory");
    if (st == KILN_OK && r.main_module) vm->main_module = gc_strdup(r.main_module);
    free(parsed);
    kc_result_free(&r);
    return st;
}

const char *kiln_main_module(KilnVM *vm)
{
    return vm ? vm->main_module : NULL;
}

const char *kiln_error_message(KilnVM *vm)
{
    return vm && vm->error_text ? vm->error_text : "";
}

/* The lowest C stack address Kiln frames may use on this thread. */
static void *stack_limit_here(void)
{
    pthread_attr_t a;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &a) != 0) return NULL;
    pthread_attr_getstack(&a, &addr, &size);
    pthread_attr_destroy(&a);
    size_t margin = size / 16 > (256u << 10) ? size / 16 : (256u << 10);
    return size > margin ? (char *)addr + margin : NULL;
}

KilnStatus kiln_run_main(KilnVM *vm, const char *module, int argc, const char *const *argv,
                         int *exit_code)
{
    if (!vm || !module) return KILN_USAGE_ERROR;
    (void)argc; (void)argv;
    char err[1024];
    KClass *c = ld_find_class(vm, module, err, sizeof err);
    if (!c) return fail(vm, KILN_LOAD_ERROR, err);
    static const char *const descs[] = { "()V", "()I", "([Lstd.core.String;)V", "([Lstd.core.String;)I" };
    KMethod *m = NULL;
    for (size_t i = 0; !m && i < sizeof descs / sizeof descs[0]; i++) m = vm_find_method(c, "main", descs[i]);
    if (!m || !(m->flags & KACC_STATIC)) {
        snprintf(err, sizeof err, "module %s has no function main() or main(args: String[])", module);
        return fail(vm, KILN_LOAD_ERROR, err);
    }
    if (vm->depth == 0) vm->stack_limit = stack_limit_here();
    KSlot args[1] = { 0 };      /* args: String[] arrive with arrays (issue 3) */
    KSlot r = m->entry(vm, m, args);
    vm_flush_out(vm);
    if (vm->exc) {
        KObject *e = vm->exc;
        vm->exc = NULL;
        vm->error_text = vm_format_uncaught(vm, e);
        return KILN_RUNTIME_ERROR;
    }
    if (exit_code) *exit_code = m->ret == 'I' ? (int)((uint64_t)r & 0xff) : 0;
    return KILN_OK;
}

void kiln_print_stats(KilnVM *vm, void *outp)
{
    FILE *out = outp;
    if (!vm || !out) return;
    uint64_t calls = 0, compiled = 0, refused = 0;
    size_t native = 0;
    double ms = 0;
    fprintf(out, "%-40s %10s %10s %4s %9s %8s  %s\n", "method", "calls", "backedges", "tier",
            "compile", "native", "note");
    for (KClass *c = vm->classes; c; c = c->next) {
        if (c->builtin) continue;
        for (int i = 0; i < c->nmethods; i++) {
            KMethod *m = &c->methods[i];
            char name[512];
            snprintf(name, sizeof name, "%s.%s%s", c->name, m->name, m->desc);
            fprintf(out, "%-40s %10llu %10llu %4d %7.3fms %7zuB  %s\n", name,
                    (unsigned long long)m->invocations, (unsigned long long)m->backedges,
                    m->tier, m->compile_ms, m->jit_size,
                    m->jit_failed ? (m->jit_reason ? m->jit_reason : "tier 1 refused") : "");
            calls += m->invocations;
            if (m->jit_code) { compiled++; native += m->jit_size; ms += m->compile_ms; }
            if (m->jit_failed) refused++;
        }
    }
    fprintf(out, "total: %llu interpreted calls, %llu methods compiled (%zu B native, %.3f ms), "
                 "%llu refused by tier 1\n",
            (unsigned long long)calls, (unsigned long long)compiled, native, ms,
            (unsigned long long)refused);
}
