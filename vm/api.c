/*
** vm/api.c — the public API of include/kiln.h.
**
** The API sits on top of every stage: it compiles (compiler/), loads and
** verifies (loader/, verifier/) and runs (interp/, jit/). Errors are returned
** as KilnStatus with the text kept in vm->error_text.
**
** This file: making and freeing VMs, loading, kiln_run_main, statistics. The
** rest of the API: vm/api_call.c (values, handles, calls into Kiln, errors,
** interrupts), vm/api_native.c (natives, host objects); vm/api.h their state.
*/
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../loader/loader.h"
#include "../jit/jit.h"
#include "../interp/interp.h"
#include "../compiler/kc.h"
#include "../stdlib/stdlib.h"

void kiln_config_init(KilnConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->tier = KILN_TIER_AUTO;
    cfg->jit_threshold = 1000;
    cfg->osr_threshold = 1000;
    cfg->max_depth = 100000;
}

/* Parses the build-time image of std.core (stdlib/core_image.c) into vm's pending
** classes: 1 if there is none (then the caller compiles the source), 0, or -1 with
** the reason in err. */
static int load_core_image(KVM *vm, char *err, size_t errlen)
{
    const unsigned char *p = kiln_core_image, *end = kiln_core_image_end;
    if (p == end) return 1;
    if (end - p < 12 || memcmp(p, "KCIMG1\0\0", 8) != 0) {
        snprintf(err, errlen, "the embedded std.core image is malformed");
        return -1;
    }
    uint32_t n = k_rd_u32(p + 8);
    p += 12;
    for (uint32_t i = 0; i < n; i++) {
        if (end - p < 2) goto bad;
        size_t nl = k_rd_u16(p);
        if ((size_t)(end - p) < 2 + nl + 4) goto bad;
        char name[KCF_MAX_NAME + 1];
        if (nl > KCF_MAX_NAME) goto bad;
        memcpy(name, p + 2, nl);
        name[nl] = 0;
        p += 2 + nl;
        size_t dl = k_rd_u32(p);
        p += 4;
        if ((size_t)(end - p) < dl) goto bad;
        KClass *c = ld_parse_class(vm, p, dl, name, err, errlen);
        if (!c) return -1;
        ld_add_pending(vm, c);
        p += dl;
    }
    return 0;
bad:
    snprintf(err, errlen, "the embedded std.core image is truncated");
    return -1;
}

/* Defines std.core's classes, from the build-time image or else compiled from
** stdlib/std/core.kl (embedded in the compiler); then the VM's well-known classes
** point at them. */
static int load_prelude(KVM *vm)
{
    char err[1024];
    int rc = load_core_image(vm, err, sizeof err);
    if (rc == 1) {
        KcResult r;
        if (kc_compile_prelude(&r) != 0) {
            vm->error_text = gc_strdup(r.diagnostics ? r.diagnostics : "std.core does not compile");
            kc_result_free(&r);
            return -1;
        }
        rc = 0;
        for (int i = 0; i < r.nclasses && rc == 0; i++) {
            KClass *c = ld_parse_class(vm, r.classes[i].data, r.classes[i].len, r.classes[i].name,
                                       err, sizeof err);
            if (!c) rc = -1;
            else ld_add_pending(vm, c);
        }
        kc_result_free(&r);
    }
    /* Object first: array classes (made while verifying) need it. */
    if (rc == 0) {
        KClass *obj = NULL;
        ld_take_pending(vm, "std.core.Object", &obj, err, sizeof err);
        vm->c_object = obj;
        if (!obj) rc = -1;
    }
    if (rc == 0 && ld_define_pending(vm, err, sizeof err)) rc = -1;
    if (rc) { vm->error_text = gc_strdup(err); return -1; }
    static const struct { const char *name; size_t off; } wk[] = {
        { "std.core.String", offsetof(KVM, c_string) },
        { "std.core.Error", offsetof(KVM, c_error) },
        { "std.core.ArithmeticError", offsetof(KVM, c_arith_error) },
        { "std.core.StackOverflowError", offsetof(KVM, c_stack_error) },
        { "std.core.LinkError", offsetof(KVM, c_link_error) },
        { "std.core.NullError", offsetof(KVM, c_null_error) },
        { "std.core.IndexError", offsetof(KVM, c_index_error) },
        { "std.core.CastError", offsetof(KVM, c_cast_error) },
        { "std.core.FormatError", offsetof(KVM, c_format_error) },
        { "std.core.AssertionError", offsetof(KVM, c_assert_error) },
        { "std.core.Int", offsetof(KVM, c_int) },
        { "std.core.Float", offsetof(KVM, c_float) },
        { "std.core.Bool", offsetof(KVM, c_bool) },
        { "std.core.Function", offsetof(KVM, c_closure) },
        { "std.core", offsetof(KVM, c_core) },
    };
    for (size_t i = 0; i < sizeof wk / sizeof wk[0]; i++) {
        KClass *c = vm_find_class(vm, wk[i].name);
        if (!c) {
            snprintf(err, sizeof err, "std.core lacks class %s", wk[i].name);
            vm->error_text = gc_strdup(err);
            return -1;
        }
        *(KClass **)((char *)vm + wk[i].off) = c;
    }
    KMethod *ts = vm_find_method(vm->c_object, "toString", "()Lstd.core.String;");
    vm->tostring_vindex = ts ? ts->vindex : -1;
    /* The prelude's classes are ready to use: none has a static initializer to run. */
    for (KClass *c = vm->classes; c; c = c->next) c->builtin = 1;
    return 0;
}

/* Writes a diagnostic to the VM's error output. */
static void write_err(const KilnConfig *cfg, const char *text)
{
    if (cfg->write_err) cfg->write_err(cfg->write_userdata, text, strlen(text));
    else fputs(text, stderr);
}

/* Adds each ':'-separated entry of cfg->class_path. */
static int add_class_path(KVM *vm)
{
    const char *p = vm->cfg.class_path;
    while (p && *p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            char *entry = gc_strndup(p, n);
            char err[1024];
            if (!entry || ld_add_path(vm, entry, err, sizeof err)) {
                char msg[1200];
                snprintf(msg, sizeof msg, "kiln: class path: %s\n", entry ? err : "out of memory");
                write_err(&vm->cfg, msg);
                return -1;
            }
        }
        p = e ? e + 1 : p + n;
    }
    return 0;
}

KilnVM *kiln_new(const KilnConfig *cfg)
{
    gc_init();
    KVM *vm = gc_alloc_root(sizeof(KVM));
    if (!vm) return NULL;
    if (cfg) vm->cfg = *cfg;
    else kiln_config_init(&vm->cfg);
    if (vm->cfg.jit_threshold < 1) vm->cfg.jit_threshold = 1;
    if (vm->cfg.osr_threshold < 1) vm->cfg.osr_threshold = 1;
    vm->osr_threshold = (uint64_t)vm->cfg.osr_threshold;
    if (vm->cfg.max_depth < 1) vm->cfg.max_depth = 1;
    if (vm->cfg.class_path) vm->cfg.class_path = gc_strdup(vm->cfg.class_path);
    vm->max_depth = vm->cfg.max_depth;
    vm->error_text = "";
    vm->tostring_vindex = -1;
    vm->api = gc_alloc(sizeof(KApi));
    if (!vm->api) { gc_free_root(vm); return NULL; }
    vm->api->err_type = vm->api->err_text = vm->api->err_trace = "";
    if (vm_register_core_natives(vm) != 0 || std_register_natives(vm) != 0) {
        gc_free_root(vm);
        return NULL;
    }
    if (load_prelude(vm) != 0) {
        /* The embedded std.core failing to load is a bug in the build, not a user error. */
        char msg[1200];
        snprintf(msg, sizeof msg, "kiln: cannot load std.core: %s\n", vm->error_text);
        write_err(&vm->cfg, msg);
        kiln_free(vm);
        return NULL;
    }
    KApi *a = vm->api;
    a->c_oom = vm_find_class(vm, "std.core.OutOfMemoryError");
    if (!vm->c_interrupted_error)
        vm->c_interrupted_error = vm_find_class(vm, "std.core.InterruptedError");
    /* Thrown as is when even a new OutOfMemoryError cannot be allocated. */
    if (a->c_oom) {
        vm_throw(vm, a->c_oom, "out of memory");
        a->oom_error = vm->exc;
        vm->exc = NULL;
    }
    vm_set_budget(vm, vm->cfg.budget);
    if (add_class_path(vm) != 0) { kiln_free(vm); return NULL; }
    /* The limit counts from here: std.core's own strings are not the script's. */
    a->heap_limit = vm->cfg.max_heap;
    return vm;
}

void kiln_free(KilnVM *vm)
{
    if (!vm) return;
    if (vm->api) {
        gc_host_release_all(vm);
        for (struct KilnHandle *h = vm->api->handles, *next; h; h = next) {
            next = h->next;
            gc_free_root(h);
        }
        vm->api->handles = NULL;
    }
    for (KClass *c = vm->classes; c; c = c->next)
        for (int i = 0; i < c->nmethods; i++) {
            jit_free_method(&c->methods[i]);
            in_free_method(&c->methods[i]);
        }
    ld_close(vm);
    gc_free_root(vm);
}

void *kiln_get_userdata(KilnVM *vm)
{
    return vm ? vm->cfg.userdata : NULL;
}

static KilnStatus fail(KVM *vm, KilnStatus st, const char *text)
{
    return api_fail(vm, st, "%s", text);
}

KilnStatus kiln_load_path(KilnVM *vm, const char *path)
{
    if (!vm || !path) return KILN_USAGE_ERROR;
    char err[1024];
    if (ld_add_path(vm, path, err, sizeof err)) return fail(vm, KILN_LOAD_ERROR, err);
    return KILN_OK;
}

KilnStatus kiln_load_class(KilnVM *vm, const void *data, size_t len, const char *origin)
{
    if (!vm) return KILN_USAGE_ERROR;
    if (!data) return fail(vm, KILN_USAGE_ERROR, "kiln_load_class: data is NULL");
    char err[1024];
    /* The reader copies what it keeps (names, code) into GC memory. */
    KClass *c = ld_parse_class(vm, data, len, origin ? origin : "<memory>", err, sizeof err);
    if (!c) return fail(vm, KILN_LOAD_ERROR, err);
    if (vm_find_class(vm, c->name)) {
        snprintf(err, sizeof err, "class %s is already defined", c->name);
        return fail(vm, KILN_LOAD_ERROR, err);
    }
    for (KClass *p = vm->pending; p; p = p->next)
        if (strcmp(p->name, c->name) == 0) {
            snprintf(err, sizeof err, "class %s is already loaded", c->name);
            return fail(vm, KILN_LOAD_ERROR, err);
        }
    ld_add_pending(vm, c);          /* defined (linked, verified) on first use */
    return KILN_OK;
}

/* The compiler's KcLoadFn: imported modules' sources (a/b.kl) from the class path,
** else the standard modules embedded in the library (stdlib/embed.c). */
static char *load_import(void *ud, const char *module, size_t *len, char **path)
{
    char *text = ld_find_source(ud, module, len, path);
    const char *std = text ? NULL : std_module_source(module, len);
    if (std && (text = malloc(*len + 1)) != NULL) memcpy(text, std, *len + 1);
    return text;
}

KilnStatus kiln_load_source(KilnVM *vm, const char *name, const char *src, size_t len)
{
    if (!vm || !name || !src) return KILN_USAGE_ERROR;
    KcSource s = { name, src, len };
    KcResult r;
    if (kc_compile_ex(&s, 1, load_import, vm, &r) != 0) {
        KilnStatus st = fail(vm, KILN_COMPILE_ERROR, r.diagnostics ? r.diagnostics : "compile error");
        kc_result_free(&r);
        return st;
    }
    char err[1024];
    KilnStatus st = KILN_OK;
    /* Parse everything first; classes of one compilation may refer to each other
    ** in any order, so they wait in the pending list until first looked up. */
    for (int i = 0; i < r.nclasses; i++) {
        KClass *c = ld_parse_class(vm, r.classes[i].data, r.classes[i].len, r.classes[i].name,
                                   err, sizeof err);
        if (!c) { st = fail(vm, KILN_LOAD_ERROR, err); break; }
        ld_add_pending(vm, c);
    }
    if (st == KILN_OK && ld_define_pending(vm, err, sizeof err)) st = fail(vm, KILN_LOAD_ERROR, err);
    vm->pending = NULL;
    if (st == KILN_OK && r.main_module) vm->main_module = gc_strdup(r.main_module);
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

KilnStatus kiln_run_main(KilnVM *vm, const char *module, int argc, const char *const *argv,
                         int *exit_code)
{
    if (!vm || !module) return KILN_USAGE_ERROR;
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
    api_enter(vm);
    KSlot args[1] = { 0 };
    vm->api->exit_requested = 0;
    {   /* std.sys.args() sees them whatever main's signature */
        KClass *ac = vm_array_class(vm, "[Lstd.core.String;");
        KArray *a = ac ? vm_new_array(vm, ac, argc > 0 ? argc : 0) : NULL;
        for (int i = 0; a && i < argc; i++) {
            KString *s = vm_string_cstr(vm, argv[i]);
            if (!s) { a = NULL; break; }
            a->data[i] = (KSlot)(uintptr_t)s;
        }
        if (!a) {
            KilnStatus st = vm->exc ? api_runtime_error(vm) : fail(vm, KILN_RUNTIME_ERROR, "out of memory");
            api_leave(vm);
            return st;
        }
        vm->api->sys_args = a;
        if (m->nargs == 1) args[0] = (KSlot)(uintptr_t)a;
    }
    KSlot r = 0;
    if (ld_ensure_init(vm, c) == 0) r = m->entry(vm, m, args);
    /* std.sys.exit(code) unwinds as an InterruptedError: the run ends normally. */
    int exiting = vm->api->exit_requested;
    if (exiting) { vm->exc = NULL; r = (KSlot)vm->api->exit_code; }
    KilnStatus st = vm->exc ? api_runtime_error(vm) : KILN_OK;
    api_leave(vm);
    vm->api->exit_requested = 0;
    if (st == KILN_OK && exit_code)
        *exit_code = exiting || m->ret == 'I' ? (int)((uint64_t)r & 0xff) : 0;
    return st;
}

void kiln_print_stats(KilnVM *vm, void *outp)
{
    FILE *out = outp;
    if (!vm || !out) return;
    jit_print_stats(vm, out);      /* jit/jit.c: per method and totals */
    fprintf(out, "gc: %zu collections, heap %.1f MB (the process's collector, shared by its VMs)\n",
            gc_collections(), (double)gc_heap_size() / (1 << 20));
}
