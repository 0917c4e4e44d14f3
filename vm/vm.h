/*
** vm/vm.h — the runtime: the VM struct, the object model, classes and methods,
** frames, the calling convention and the one throw path.
**
** Invariants
** - Every Kiln value is one 64-bit KSlot: int64, IEEE double bits, bool (0/1) or a
**   pointer to a GC-allocated object (NULL is null).
** - Every heap object starts with a KObject header whose `cls` is never NULL.
** - Runtime structures (classes, methods, constant pools, names) are GC memory
**   reachable from the KVM, which is allocated uncollectable: Boehm sees all of them.
** - Calling convention, the same for every tier:
**       KSlot entry(KVM *vm, KMethod *m, KSlot *args)
**   args[0..nargs-1] are the arguments (the receiver first for instance methods);
**   the callee must not write to args. A method whose result is void returns 0.
**   On a Kiln error the callee leaves vm->exc set (non-NULL) and returns 0; every
**   caller checks vm->exc after a call and unwinds. Nothing longjmps.
**   Callers always call through m->entry, so a method compiled later is picked up.
** - Every activation (interpreted or compiled) links a KFrame into vm->frame on
**   entry and unlinks it on exit, and stores the bytecode pc into frame->pc before
**   anything that can throw or call: stack traces come from this chain in every tier.
*/
#ifndef KILN_VM_H
#define KILN_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "bytecode.h"
#include "../include/kiln.h"

#define K_FUNC __attribute__((visibility("hidden")))

typedef uint64_t KSlot;

typedef struct KVM KVM;
typedef struct KClass KClass;
typedef struct KMethod KMethod;

typedef KSlot (*KEntry)(KVM *vm, KMethod *m, KSlot *args);
typedef KSlot (*KNativeFn)(KVM *vm, KSlot *args);

/* ---- objects ----------------------------------------------------------- */

typedef struct KObject {
    KClass *cls;
} KObject;

/* Strings are immutable byte sequences; data is NUL-terminated for C's sake
** (the NUL is not part of the string). Allocated atomic: no pointers inside. */
typedef struct KString {
    KObject  hdr;
    int64_t  len;
    uint64_t hash;        /* hashCode() once computed; 0 = not yet (or 0, recomputed) */
    char     data[];
} KString;

/* Instances: the header, then one 8-byte slot per instance field, superclass
** fields first. A field's `offset` is its byte offset from the object's start. */
#define K_FIELDS(o) ((KSlot *)((KObject *)(o) + 1))

/* Instances of std.core.Error and its subclasses: Error declares `message` and
** then `trace` as its first two fields (stdlib prelude), so this overlays them. */
typedef struct KError {
    KObject  hdr;
    KString *message;
    KString *trace;       /* "  at m.f (file:line)\n" lines, innermost first */
} KError;

/* Arrays. Elements of int, float, bool and reference arrays are 8-byte slots;
** byte[] elements are bytes ((uint8_t *)data). Reference arrays are scanned by
** the collector, the others are atomic. */
typedef struct KArray {
    KObject hdr;
    int64_t length;
    KSlot   data[];
} KArray;

/* Closures: a static method and the values it captured, which are passed as its
** first arguments, before the call's own. */
typedef struct KClosure {
    KObject  hdr;
    KMethod *fn;
    int64_t  ncap;
    KSlot    cap[];
} KClosure;

/* Boxes (std.core.Int, Float, Bool): one field, the value. */
typedef struct KBox {
    KObject hdr;
    KSlot   value;
} KBox;

/* ---- classes ----------------------------------------------------------- */

typedef struct {
    uint8_t tag;          /* KCP_* */
    uint16_t a, b;        /* indices for STRING/CLASS/NAMETYPE/FIELD/METHOD */
    union {
        int64_t  i;
        double   f;
        struct { const char *s; uint32_t len; } utf8;   /* NUL-terminated copy */
    } v;
    void *resolved;       /* KString* for STRING, KClass* for CLASS, KMethod* for METHOD */
} KConst;

typedef struct {
    uint32_t start, end, handler;
    uint16_t catch_class;
} KHandler;

typedef struct {
    uint32_t pc, line;
} KLine;

typedef struct {
    const char *name, *desc;
    uint16_t flags;
    KClass  *owner;
    uint32_t offset;      /* instance: byte offset in the object; static: index in owner->statics */
    char     kind;        /* 'I' 'F' 'Z' or 'L' (references, arrays) */
} KField;

enum { KTIER_INTERP = 0, KTIER_1 = 1 };

struct KMethod {
    KEntry      entry;        /* FIRST: callers call [m->entry] */
    KClass     *cls;
    const char *name;
    const char *desc;         /* "(I)I" */
    uint16_t    flags;        /* KACC_* */
    uint16_t    max_stack, max_locals;
    uint16_t    nargs;        /* argument slots, receiver included */
    char        ret;          /* 'V' 'I' 'F' 'Z' or 'L' (any reference) */
    uint8_t    *code;
    uint32_t    code_len;
    KHandler   *handlers;
    uint16_t    nhandlers;
    KLine      *lines;
    uint32_t    nlines;
    KNativeFn   native;       /* NATIVE methods, once bound */
    void       *native_data;  /* host natives: their binding (vm/api_native.c) */
    int32_t     vindex;       /* vtable slot of a virtual method, -1 otherwise */
    const char *closure_desc; /* last call-site descriptor found to fit (vm_call_closure) */

    /* verifier */
    uint8_t     verified;     /* 1 = passed */
    uint8_t    *loop_header;  /* code_len bytes: 1 where a back-edge lands (stack empty) */

    /* interpreter */
    void       *threaded;     /* pre-decoded code, built on first call */
    uint64_t    invocations;
    uint64_t    backedges;

    /* jit */
    void       *jit_code;     /* executable code, or NULL */
    size_t      jit_size;
    uint8_t     tier;         /* KTIER_* currently in use */
    uint8_t     jit_failed;   /* tier 1 refused the method */
    const char *jit_reason;   /* why it refused (for --stats) */
    double      compile_ms;
    void       *jit_data;     /* tier 1: inline caches and OSR entries (GC memory), or NULL */

    /* tier-up and OSR (interp/, jit/) */
    uint64_t    osr_at;       /* back-edge count at which the interpreter tries OSR;
                                 UINT64_MAX = never */
    uint64_t    osr_entries;  /* interpreted activations moved into compiled code */
    uint32_t    osr_pc;       /* when osr_compiled: the loop header whose OSR caused it */
    uint8_t     osr_compiled; /* the compilation was triggered by OSR, not by calls */
};

struct KClass {
    const char *name;         /* "a.b.Point" */
    uint16_t    flags;
    KClass     *super;
    const char *super_name;   /* as in the file, before linking */
    KConst     *cp;
    uint16_t    ncp;
    KField     *fields;
    uint16_t    nfields;
    KMethod    *methods;
    uint16_t    nmethods;
    const char *source_file;  /* base name, or "?" */
    KClass     *next;         /* in vm->classes */
    uint8_t     builtin;      /* made by the VM in C, not loaded */

    /* linking (loader/) */
    KClass    **interfaces;   /* direct superinterfaces */
    uint16_t    ninterfaces;
    const char **interface_names;
    uint32_t    instance_size;   /* bytes, header included */
    KMethod   **vtable;       /* virtual methods by vindex, superclass slots first */
    uint32_t    vtable_len;
    KSlot      *statics;      /* static fields (and module globals) */
    uint32_t    nstatics;
    uint8_t     init_state;   /* KINIT_*: the static initializer "<clinit>" */
    uint8_t     linked;

    /* arrays: name is the descriptor, e.g. "[I" or "[Lstd.core.String;" */
    uint8_t     is_array;
    char        elem_kind;    /* 'I' 'F' 'Z' 'B' or 'L' */
    KClass     *elem;         /* element class for reference elements, else NULL */
};

enum { KINIT_NONE = 0, KINIT_RUNNING = 1, KINIT_DONE = 2 };

/* ---- frames ------------------------------------------------------------ */

typedef struct KFrame {
    struct KFrame *prev;
    KMethod       *method;
    uint32_t       pc;        /* bytecode offset of the current instruction */
} KFrame;

/* ---- the VM ------------------------------------------------------------ */

typedef struct KStats KStats;

/* Bits of KVM.interrupt. */
enum {
    KINTR_REQUEST = 1,        /* vm_request_interrupt: throw InterruptedError("interrupted") */
    KINTR_BUDGET  = 2         /* a budget is set: every safepoint counts a tick */
};

struct KVM {
    /* Hot fields first: the JIT addresses them by offsetof. */
    KObject    *exc;          /* pending Kiln error, or NULL */
    KFrame     *frame;        /* innermost activation */
    int64_t     depth;        /* activations on the stack */
    int64_t     max_depth;    /* StackOverflowError past this */
    volatile int interrupt;   /* KINTR_* bits: nonzero sends every safepoint (loop
                                 back-edge, call) to its slow path; docs/architecture.md */
    void       *stack_limit;  /* lowest safe C stack address for Kiln frames */

    KilnConfig  cfg;
    KClass     *classes;      /* every class known, loaded or built in */
    KClass     *pending;      /* parsed, defined on first lookup (loader/link.c) */
    void       *defining;     /* classes being defined, innermost first (cycle check) */
    char      **class_path;
    int         nclass_path;
    void       *archives;     /* class-path entries, open .kar files (loader/) */
    const char *main_module;  /* named by the last archive or source loaded */

    /* well-known classes */
    KClass     *c_object, *c_string, *c_error;
    KClass     *c_arith_error, *c_stack_error, *c_link_error, *c_null_error;
    KClass     *c_index_error, *c_cast_error, *c_format_error, *c_assert_error;
    KClass     *c_int, *c_float, *c_bool;     /* boxes */
    KClass     *c_closure;
    int32_t     tostring_vindex;   /* Object.toString's vtable slot, -1 before the prelude */
    KClass     *c_core;       /* std.core module */

    /* last error for the API, formatted "Uncaught T: msg\n  at ..." */
    const char *error_text;
    int         exit_code;

    /* safepoints and tier-up (interp/interp.c) */
    int64_t     budget;       /* safepoint ticks allowed per outermost call; 0 = none */
    int64_t     budget_left;  /* ticks left before "execution budget exhausted" */
    uint64_t    osr_threshold;   /* back-edges before OSR in auto mode; 0 = the default */
    KClass     *c_interrupted_error;   /* std.core.InterruptedError, found on first use */

    /* the embedding API's state: handles, bindings, heap limit (vm/api.h) */
    struct KApi *api;

    /* output buffer for stdout */
    char        outbuf[8192];
    size_t      outlen;
};

/* ---- vm/ functions used across folders ---------------------------------- */

/* Memory (gc/). Zeroed, scanned / not scanned by the collector. */
K_FUNC void   *gc_alloc(size_t n);
K_FUNC void   *gc_alloc_atomic(size_t n);
K_FUNC char   *gc_strdup(const char *s);
K_FUNC char   *gc_strndup(const char *s, size_t n);
K_FUNC void    gc_init(void);
K_FUNC void   *gc_alloc_root(size_t n);          /* uncollectable, scanned */
K_FUNC void    gc_free_root(void *p);
K_FUNC size_t  gc_heap_size(void);
K_FUNC size_t  gc_collections(void);
K_FUNC int     gc_run_with_stack(size_t size, void (*fn)(void *), void *arg);
/* Zeroes 64 KB of the C stack below the caller's frame, where dead frames leave
** stale pointers that the conservative collector would take for live ones. */
K_FUNC void    gc_scrub_stack(void);

/* Strings (vm/string.c). */
K_FUNC KString *vm_string_new(KVM *vm, const char *s, size_t len);
K_FUNC KString *vm_string_cstr(KVM *vm, const char *s);
K_FUNC int      vm_string_eq(const KString *a, const KString *b);

/* Errors (vm/error.c): the one throw path. Each sets vm->exc to a new error of
** the class with a trace taken from vm->frame, and returns 0 so callers can write
** `return vm_throw(...)`. The innermost frame's pc must be current. */
K_FUNC KSlot vm_throw(KVM *vm, KClass *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
K_FUNC KSlot vm_throw_div_zero(KVM *vm);
/* The trace of the current frames; skip_error_inits drops the constructors of
** the error being made (Error.init and its subclasses' inits) from the top. */
K_FUNC KString *vm_capture_trace(KVM *vm, int skip_error_inits);
/* obj.toString() by virtual dispatch, "null" for NULL; NULL with an error pending. */
K_FUNC KString *vm_to_string(KVM *vm, KObject *obj);
K_FUNC KSlot vm_throw_stack_overflow(KVM *vm);
K_FUNC int   vm_line_of(const KMethod *m, uint32_t pc);
K_FUNC char *vm_format_uncaught(KVM *vm, KObject *exc);   /* GC string */
K_FUNC int   vm_is_subclass(const KClass *c, const KClass *of);

/* Objects (vm/object.c). Each returns NULL with an error pending on failure.
** The JIT calls these directly; they never unwind past their caller. */
K_FUNC KObject *vm_new_object(KVM *vm, KClass *c);          /* zeroed instance */
K_FUNC KArray  *vm_new_array(KVM *vm, KClass *array_class, int64_t length);
K_FUNC KArray  *vm_new_multiarray(KVM *vm, KClass *array_class, int dims, const KSlot *lengths);
K_FUNC KClass  *vm_array_class(KVM *vm, const char *desc);   /* "[I" etc., made on demand */
K_FUNC KClosure *vm_new_closure(KVM *vm, KMethod *fn, int n, const KSlot *captured);
K_FUNC KObject *vm_box_int(KVM *vm, int64_t v);
K_FUNC KObject *vm_box_float(KVM *vm, double v);
K_FUNC KObject *vm_box_bool(KVM *vm, int v);
K_FUNC int      vm_instanceof(const KObject *o, const KClass *c);   /* null -> 0 */
K_FUNC int      vm_is_assignable(const KClass *from, const KClass *to);
K_FUNC int      vm_obj_eq(KVM *vm, const KObject *a, const KObject *b);  /* OEQ semantics */
K_FUNC KString *vm_concat(KVM *vm, const KString *a, const KString *b);  /* null as "null" */
K_FUNC KMethod *vm_find_interface_impl(KVM *vm, KClass *cls, const KMethod *im); /* NULL + LinkError */
K_FUNC double   vm_fmod(double a, double b);
K_FUNC int64_t  vm_f2i(double f);                              /* trunc, NaN 0, saturating */
K_FUNC int      vm_format_float(double f, char *buf, size_t n);  /* shortest round-trip text */

/* Error helpers: set vm->exc and return 0. */
K_FUNC KSlot vm_throw_null(KVM *vm, const char *what);                  /* NullError */
K_FUNC KSlot vm_throw_index(KVM *vm, int64_t index, int64_t length);    /* IndexError */
K_FUNC KSlot vm_throw_cast(KVM *vm, const KObject *o, const KClass *to); /* CastError */
K_FUNC KSlot vm_throw_negative_size(KVM *vm, int64_t n);                /* IndexError */

/* Calls a closure at a call site whose descriptor is `desc` (the INVOKECLOSURE
** constant, e.g. "(I)I"): args are the call's own arguments. The closure's method,
** after its captured parameters, must take exactly those arguments and give that
** result, else CastError (checked once per method and call-site descriptor). */
K_FUNC KSlot vm_call_closure(KVM *vm, KClosure *c, KSlot *args, const char *desc);

/* Output (vm/vm.c). */
K_FUNC void vm_write_out(KVM *vm, const char *s, size_t n);
K_FUNC void vm_flush_out(KVM *vm);

/* Classes (vm/vm.c). */
K_FUNC KClass  *vm_find_class(KVM *vm, const char *name);      /* known ones only */
K_FUNC void     vm_add_class(KVM *vm, KClass *c);
K_FUNC KMethod *vm_find_method(KClass *c, const char *name, const char *desc);
K_FUNC KMethod *vm_find_method_named(KClass *c, const char *name);
K_FUNC KSlot    vm_native_entry(KVM *vm, KMethod *m, KSlot *args);

/* Descriptors (vm/vm.c): argument slot count of "(...)R", -1 if malformed;
** the result kind 'V' 'I' 'F' 'Z' 'L'. */
K_FUNC int  vm_desc_nargs(const char *desc);
K_FUNC char vm_desc_ret(const char *desc);

#endif
