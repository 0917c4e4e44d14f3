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
    uint32_t hash;        /* 0 = not computed yet */
    uint32_t hash_done;
    char     data[];
} KString;

/* Instances of Error and its subclasses. */
typedef struct KError {
    KObject  hdr;
    KString *message;
    KString *trace;       /* "  at m.f (file:line)\n" lines, innermost first */
} KError;

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
};

/* ---- frames ------------------------------------------------------------ */

typedef struct KFrame {
    struct KFrame *prev;
    KMethod       *method;
    uint32_t       pc;        /* bytecode offset of the current instruction */
} KFrame;

/* ---- the VM ------------------------------------------------------------ */

typedef struct KStats KStats;

struct KVM {
    /* Hot fields first: the JIT addresses them by offsetof. */
    KObject    *exc;          /* pending Kiln error, or NULL */
    KFrame     *frame;        /* innermost activation */
    int64_t     depth;        /* activations on the stack */
    int64_t     max_depth;    /* StackOverflowError past this */
    volatile int interrupt;   /* set by kiln_interrupt (later issues) */
    void       *stack_limit;  /* lowest safe C stack address for Kiln frames */

    KilnConfig  cfg;
    KClass     *classes;      /* every class known, loaded or built in */
    char      **class_path;
    int         nclass_path;
    void       *archives;     /* class-path entries, open .kar files (loader/) */
    const char *main_module;  /* named by the last archive or source loaded */

    /* well-known classes */
    KClass     *c_object, *c_string, *c_error;
    KClass     *c_arith_error, *c_stack_error, *c_link_error, *c_null_error;
    KClass     *c_core;       /* std.core module */

    /* last error for the API, formatted "Uncaught T: msg\n  at ..." */
    const char *error_text;
    int         exit_code;

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
K_FUNC KSlot vm_throw_stack_overflow(KVM *vm);
K_FUNC int   vm_line_of(const KMethod *m, uint32_t pc);
K_FUNC char *vm_format_uncaught(KVM *vm, KObject *exc);   /* GC string */
K_FUNC int   vm_is_subclass(const KClass *c, const KClass *of);

/* Output (vm/vm.c). */
K_FUNC void vm_write_out(KVM *vm, const char *s, size_t n);
K_FUNC void vm_flush_out(KVM *vm);

/* Classes (vm/vm.c). */
K_FUNC KClass  *vm_find_class(KVM *vm, const char *name);      /* known ones only */
K_FUNC void     vm_add_class(KVM *vm, KClass *c);
K_FUNC KMethod *vm_find_method(KClass *c, const char *name, const char *desc);
K_FUNC KMethod *vm_find_method_named(KClass *c, const char *name);
K_FUNC void     vm_init_builtins(KVM *vm);
K_FUNC KSlot    vm_native_entry(KVM *vm, KMethod *m, KSlot *args);

/* Descriptors (vm/vm.c): argument slot count of "(...)R", -1 if malformed;
** the result kind 'V' 'I' 'F' 'Z' 'L'. */
K_FUNC int  vm_desc_nargs(const char *desc);
K_FUNC char vm_desc_ret(const char *desc);

#endif
