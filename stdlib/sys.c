/*
** stdlib/sys.c — std.sys's natives (stdlib/std/sys.kl).
**
** exit(code) never calls exit(): it records the request in vm->api, asks for an
** interrupt (so a script that catches the error it raises gets it again at its
** next safepoint, as with kiln_interrupt) and raises InterruptedError("exit").
** kiln_run_main then returns KILN_OK with the code as the exit status; a host's
** kiln_call sees KILN_RUNTIME_ERROR with that InterruptedError.
**
** currentTier() reads the calling frame's method (see s_tier); tierPolicy() the
** VM's KilnConfig.tier.
*/
#include <stdlib.h>
#include <time.h>
#include "stdlib.h"
#include "../interp/interp.h"

static KSlot s_args(KVM *vm, KSlot *a)
{
    (void)a;
    if (vm->api->sys_args) return STD_SLOT(vm->api->sys_args);
    KClass *ac = vm_array_class(vm, "[" STD_S);
    KArray *arr = ac ? vm_new_array(vm, ac, 0) : NULL;
    return STD_SLOT(arr);
}

static KSlot s_env(KVM *vm, KSlot *a)
{
    KString *name = STD_STR(a[0]);
    if (!name) return vm_throw(vm, vm->c_null_error, "env: name is null");
    if (vm->cfg.sandbox) return std_sandbox_error(vm, "env");
    if (memchr(name->data, 0, (size_t)name->len)) return 0;
    const char *v = getenv(name->data);
    return v ? STD_SLOT(vm_string_cstr(vm, v)) : 0;
}

static KSlot s_exit(KVM *vm, KSlot *a)
{
    if (vm->cfg.sandbox) return std_sandbox_error(vm, "exit");
    vm->api->exit_requested = 1;
    vm->api->exit_code = (int)((uint64_t)a[0] & 0xff);
    vm_request_interrupt(vm);
    KClass *c = vm->c_interrupted_error ? vm->c_interrupted_error : vm->c_error;
    return vm_throw(vm, c, "exit(%d)", vm->api->exit_code);
}

static KSlot s_nano(KVM *vm, KSlot *a)
{
    (void)vm; (void)a;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (KSlot)((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static KSlot s_millis(KVM *vm, KSlot *a)
{
    (void)vm; (void)a;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (KSlot)((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static KSlot s_heap(KVM *vm, KSlot *a) { (void)vm; (void)a; return (KSlot)(int64_t)gc_heap_size(); }
static KSlot s_gcs(KVM *vm, KSlot *a) { (void)vm; (void)a; return (KSlot)(int64_t)gc_collections(); }

/* currentTier(): the tier of the calling function's code, read from the frame
** that called this native (natives link no frame of their own, so vm->frame is
** the caller's): 1 when its method's entry is tier 1's machine code, else 0.
** That is the method's state, which an activation shares except in one case: an
** activation that was already running interpreted when its method got compiled
** (by calls from elsewhere, e.g. recursion) goes on interpreted, yet reads 1. */
static KSlot s_tier(KVM *vm, KSlot *a)
{
    (void)a;
    const KMethod *m = vm->frame ? vm->frame->method : NULL;
    return m && m->tier == KTIER_1 && m->jit_code ? 1 : 0;
}

/* tierPolicy(): the VM's tier option as `kiln --tier=` spells it. */
static KSlot s_policy(KVM *vm, KSlot *a)
{
    (void)a;
    const char *p = vm->cfg.tier == KILN_TIER_INTERP ? "0" : vm->cfg.tier == KILN_TIER_1 ? "1" : "auto";
    return STD_SLOT(vm_string_cstr(vm, p));
}

static const StdNative natives[] = {
    { "std.sys", "args",     "()[" STD_S,        s_args },
    { "std.sys", "env",      "(" STD_S ")" STD_S, s_env },
    { "std.sys", "exit",     "(I)V",             s_exit },
    { "std.sys", "nanoTime", "()I",              s_nano },
    { "std.sys", "currentTimeMillis", "()I",     s_millis },
    { "std.sys", "heapSize", "()I",              s_heap },
    { "std.sys", "gcCount",  "()I",              s_gcs },
    { "std.sys", "currentTier", "()I",           s_tier },
    { "std.sys", "tierPolicy", "()" STD_S,       s_policy },
};

int std_sys_register(KVM *vm)
{
    return std_register_table(vm, natives, sizeof natives / sizeof natives[0]);
}
