/*
** vm/api.h — the embedding API's internal state (KVM.api) and the pieces of
** gc/ and vm/ it is built from. Only vm/api*.c, vm/natives.c, gc/ and the
** allocation helpers include it.
**
** Invariants
** - KApi is GC memory reachable from the (uncollectable) KVM, so everything it
**   points to in GC memory stays alive: pinned result strings, the last error.
** - Owned handles are uncollectable cells on a doubly linked list (kiln_free
**   releases what is left). Borrowed handles (a native's arguments) live in the
**   native trampoline's C frame; `owned` tells them apart.
** - Bindings: one list per VM, newest first; the first match wins. A binding
**   with a NULL desc matches every overload of its name. The standard
**   library's natives are bindings with `raw` set (the internal signature).
** - Host-object records are malloc'd (they must not keep their object alive);
**   their lists are only touched under gc/'s finalization lock.
*/
#ifndef KILN_API_H
#define KILN_API_H

#include "vm.h"

struct KilnHandle {
    KObject           *obj;
    KVM               *vm;
    struct KilnHandle *prev, *next;   /* owned handles: vm->api->handles */
    int                owned;
};

typedef struct KBinding {
    struct KBinding *next;
    const char *cls, *name, *desc;    /* desc NULL: any overload */
    KNativeFn    raw;                 /* std natives: internal signature */
    KilnNativeFn fn;                  /* host natives */
    void        *ud;
} KBinding;

/* A host object's finalization record (malloc memory). */
typedef struct KHostRec {
    struct KHostRec *prev, *next;     /* vm's live list, or its ready list (next only) */
    KVM          *vm;                 /* NULL once kiln_free ran the finalizer */
    void         *obj;                /* the object (malloc memory: not a root) */
    void         *ptr;
    KilnFinalizer fin;
    void         *ud;
} KHostRec;

typedef struct KApi {
    /* heap limit (gc/gc.c) */
    size_t       heap_limit;          /* 0: none */
    size_t       heap_used;           /* live at the last count + allocated since */
    int          heap_counting;       /* inside the limit's slow path or its throw */
    KObject     *oom_error;           /* thrown when even the error cannot be made */
    KClass      *c_oom;

    KBinding    *bindings;
    struct KilnHandle *handles;

    /* host objects: guarded by gc/'s finalization lock */
    KHostRec    *host_live, *host_ready;

    /* string results pinned until the next outermost call starts */
    KString    **pins;
    size_t       npins, cappins;

    /* last runtime error */
    KObject     *err_obj;
    const char  *err_type, *err_text, *err_trace;

    /* C stack bounds, cached per thread */
    unsigned long stack_thread;
    void        *stack_limit;
    int          calls;               /* API calls running Kiln code (nesting) */
    int          scrub;               /* clear the dead stack when the call returns */
    /* std.sys (stdlib/sys.c): main's arguments, and a pending sys.exit(code) that
    ** kiln_run_main turns into its exit status */
    KArray      *sys_args;
    int          exit_requested, exit_code;
} KApi;

/* ---- gc/gc.c ---------------------------------------------------------------- */

/* Allocates a Kiln object of n bytes for vm, counted against its heap limit:
** zeroed and scanned / zeroed and not scanned. NULL with an OutOfMemoryError
** pending past the limit or when the collector has no memory left. */
K_FUNC void  *gc_new_obj(KVM *vm, size_t n);
K_FUNC void  *gc_new_atomic(KVM *vm, size_t n);
/* Full collection; then this VM's host-object finalizers that are due run. */
K_FUNC void   gc_collect(KVM *vm);
/* Registers a host record for obj: its finalizer runs after obj is collected. */
K_FUNC void   gc_host_register(KVM *vm, KObject *obj, KHostRec *r);
/* Runs the host finalizers of vm that are due (outside Kiln code). */
K_FUNC void   gc_run_host_finalizers(KVM *vm);
/* kiln_free: runs every remaining host finalizer of vm and detaches the records. */
K_FUNC void   gc_host_release_all(KVM *vm);
K_FUNC int    gc_thread_attach(void);
K_FUNC void   gc_thread_detach(void);
K_FUNC int    gc_initialised(void);
/* Bytes of the GC block at p (its start): at least what was asked for. */
K_FUNC size_t gc_object_size(const void *p);

/* ---- vm/api*.c ------------------------------------------------------------- */

/* Records a runtime error (vm->exc, which is cleared) for kiln_error_*. */
K_FUNC KilnStatus api_runtime_error(KVM *vm);
/* Sets the error text for a non-runtime failure and returns st. */
K_FUNC KilnStatus api_fail(KVM *vm, KilnStatus st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Brackets every API call that runs Kiln code: the stack limit, the budget, and on
** the way out of the outermost one, output flush, interrupt reset, finalizers. */
K_FUNC void   api_enter(KVM *vm);
K_FUNC void   api_leave(KVM *vm);
/* The std.core natives (vm/natives.c) as raw bindings. */
K_FUNC int    vm_register_core_natives(KVM *vm);
/* Adds a binding and applies it to the classes already defined. */
K_FUNC int    api_add_binding(KVM *vm, const char *cls, const char *name, const char *desc,
                              KNativeFn raw, KilnNativeFn fn, void *ud);
/* Binds native method m from the VM's bindings (loader/link.c, when its class is
** defined). Returns 0, or -1 if nothing binds it (m->entry is left alone). */
K_FUNC int    vm_bind_method_native(KVM *vm, KMethod *m);

#endif
