/*
** kiln.h — the public C interface of the Kiln VM: embedding and native functions.
**
** This header is self-contained (it needs only <stddef.h> and <stdint.h>) and is
** the whole contract between a host program and the library (libkiln.a,
** libkiln.so; `pkg-config --cflags --libs kiln`). docs/embedding.md is the guide.
**
** The model
** - One opaque handle, KilnVM, is passed first to every call. A VM is configured
**   by a KilnConfig that kiln_new copies; kiln_config_init fills the defaults.
** - Several VMs may live in one process and are independent: classes, globals,
**   natives, handles, errors, limits and interrupts are per VM. The only thing
**   they share is the process-wide garbage collector (Boehm GC), which kiln_new
**   initialises on first use. See "Threads" for what that means for the host.
** - Errors: every call that can fail returns a KilnStatus. The details of the last
**   failure on a VM — a compile error listing, a load or verify error, a misuse of
**   this API, or an uncaught Kiln error with its type, message and stack trace —
**   are read with kiln_error_message and friends. No call exits the process,
**   aborts, or longjmps out of the library for a script's or a host's mistake.
** - Values cross the boundary as tagged KilnValues. Objects are reached through
**   KilnHandles, which keep them alive (C memory is not scanned by the collector,
**   so a raw object pointer kept by the host would not).
**
** Ownership, in one place
** - Strings passed INTO Kiln (arguments, kiln_new_string, array stores) are copied;
**   the host keeps ownership of its buffer.
** - Strings coming OUT of Kiln (results, array loads, native arguments) point
**   into the VM's own string objects: they are NUL-terminated, valid at least
**   until the next kiln_call / kiln_call_method / kiln_new_object on the same VM
**   starts (for native arguments: until the native returns), and must not be
**   written or freed. Copy them to keep them longer.
** - Handles returned by a function are owned by the caller and released with
**   kiln_release (or kiln_release_value). Handles in a native's arguments are
**   borrowed: valid until the native returns, released automatically; use
**   kiln_retain to keep one. kiln_free releases every handle of the VM.
** - Every `const char *` this header returns (error texts, names) belongs to the
**   VM and is valid until the next call on that VM unless said otherwise.
**
** Threads
** - A VM is used by one thread at a time (no locking inside); different VMs may
**   run on different threads at once. kiln_interrupt is the one exception: it
**   may be called from any thread or a signal handler.
** - The collector must know every thread that touches Kiln objects. The thread
**   that first calls kiln_new is registered by it; any other thread calls
**   kiln_thread_attach before its first kiln_* call and kiln_thread_detach before
**   it exits. (Threads made with Boehm's GC_pthread_create need neither.)
** - The collector's heap is one per process: GC_set_max_heap_size and the like
**   apply to every VM. Per-VM memory limits are KilnConfig.max_heap.
*/
#ifndef KILN_H
#define KILN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KILN_API __attribute__((visibility("default")))
#define KILN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KILN_API
#define KILN_PRINTF(f, a)
#endif

#define KILN_VERSION "0.1.0"
#define KILN_VERSION_NUMBER 100      /* major * 10000 + minor * 100 + patch */

typedef struct KVM KilnVM;

/* Results of the calls that can fail. */
typedef enum {
    KILN_OK = 0,
    KILN_COMPILE_ERROR = 1,   /* source did not compile: diagnostics in kiln_error_message */
    KILN_LOAD_ERROR = 2,      /* bad class file or archive, verification failure, missing
                                 class or module */
    KILN_RUNTIME_ERROR = 3,   /* uncaught Kiln error: kiln_error_type/_text/_trace, and
                                 "Uncaught T: msg\n  at ..." in kiln_error_message */
    KILN_USAGE_ERROR = 4      /* bad arguments to this API: NULL VM or handle, unknown
                                 function, wrong argument count or types ... */
} KilnStatus;

/* Tier policy (KilnConfig.tier). */
enum {
    KILN_TIER_AUTO = -1,      /* interpret, compile hot methods with tier 1 (default) */
    KILN_TIER_INTERP = 0,     /* interpreter only */
    KILN_TIER_1 = 1           /* compile every method with tier 1 before its first run
                                 (methods tier 1 refuses stay interpreted) */
};

/* Receives output text: `text` holds `len` bytes (not NUL-terminated) and is
** valid only during the call. */
typedef void (*KilnWriteFn)(void *userdata, const char *text, size_t len);

/* ==== Configuration ======================================================== */

typedef struct {
    /* Tier policy: KILN_TIER_*. Default KILN_TIER_AUTO. */
    int   tier;
    /* Calls before a method is compiled in auto mode. Default 1000; values below 1
    ** count as 1. */
    long  jit_threshold;
    /* Loop back-edges in one interpreted activation before the method is compiled
    ** and the activation moves into compiled code at the loop header (on-stack
    ** replacement), in auto mode. Default 1000; values below 1 count as 1. */
    long  osr_threshold;
    /* Nested Kiln calls before StackOverflowError. Default 100000. The C stack of
    ** the calling thread is also checked, so deep recursion needs a big stack. */
    long  max_depth;
    /* Nonzero: a line per compilation to write_err. Default 0. */
    int   trace_jit;
    /* Program output (print, println) and diagnostics. Default NULL: the process's
    ** stdout and stderr. Both receive write_userdata. */
    KilnWriteFn write_out;
    KilnWriteFn write_err;
    void *write_userdata;

    /* Class path: entries separated by ':' — directories of .klc files, .kar
    ** archives, single .klc files — added in order as by kiln_load_path. NULL or
    ** "" for none (default). The string is copied. kiln_new fails (NULL) if an
    ** entry cannot be opened, after writing the reason to write_err. */
    const char *class_path;
    /* Per-VM heap limit in bytes for Kiln objects (instances, arrays, strings,
    ** closures, boxes; not code or class data). An allocation that would pass it
    ** raises OutOfMemoryError in the script; the VM stays usable. 0 = no limit
    ** (default). How it is counted: docs/embedding.md, "Memory limit". */
    size_t max_heap;
    /* Execution budget: safepoint ticks (loop back-edges and calls) one outermost
    ** call may run before InterruptedError("execution budget exhausted") is
    ** raised. Renewed at the start of every outermost call. 0 = none (default). */
    int64_t budget;
    /* Sandbox switch: nonzero forbids std.io and std.sys to touch files, the
    ** environment and processes — their functions raise IOError instead. The
    ** print functions of std.core always work (they go to write_out). Default 0. */
    int   sandbox;
    /* Host data for the natives: kiln_get_userdata returns it. Default NULL. */
    void *userdata;
} KilnConfig;

/* Fills *cfg with the defaults above. */
KILN_API void kiln_config_init(KilnConfig *cfg);

/* ==== VMs ================================================================== */

/* Creates a VM from a copy of *cfg (NULL: the defaults) with std.core loaded and
** its natives bound. Returns NULL when memory is exhausted or a class-path entry
** cannot be opened. Release with kiln_free. */
KILN_API KilnVM *kiln_new(const KilnConfig *cfg);

/* Releases the VM and everything it made: classes, compiled code, class-path
** entries, every handle not yet released (they become invalid), and runs the
** finalizers of its host objects that have not run yet. vm may be NULL. No
** kiln_* call may be running on this VM (from a native, say). */
KILN_API void kiln_free(KilnVM *vm);

/* KilnConfig.userdata of the VM, or NULL. */
KILN_API void *kiln_get_userdata(KilnVM *vm);

/* Registers the calling thread with the garbage collector so it may use VMs
** (see "Threads" above). Idempotent. KILN_OK, or KILN_USAGE_ERROR if no VM was
** ever created in this process (the collector is not initialised yet). */
KILN_API KilnStatus kiln_thread_attach(void);

/* Unregisters a thread registered by kiln_thread_attach; call it before the thread
** exits, with no Kiln objects in use on it. Harmless on other threads. */
KILN_API void kiln_thread_detach(void);

/* ==== Loading ============================================================== */

/* Adds a class-path entry: a directory of .klc files, a .kar archive, or a single
** .klc file (loaded at once). Classes are then loaded on first use. An archive's
** manifest may name a main module, which kiln_main_module then returns.
** KILN_LOAD_ERROR if it cannot be opened or read. */
KILN_API KilnStatus kiln_load_path(KilnVM *vm, const char *path);

/* Loads one class file from memory (the bytes are copied; `data` may be freed on
** return). It is parsed now and defined (linked, verified) on first use, like a
** class-path class; `origin` names it in error messages (may be NULL).
** KILN_LOAD_ERROR for a malformed file or a class already known. */
KILN_API KilnStatus kiln_load_class(KilnVM *vm, const void *data, size_t len, const char *origin);

/* Compiles Kiln source text and loads its classes. `name` is the file name used
** in messages and for the default module name ("fib.kl" -> module fib). `src`
** need not be NUL-terminated. KILN_COMPILE_ERROR with every diagnostic in
** kiln_error_message, or KILN_LOAD_ERROR. */
KILN_API KilnStatus kiln_load_source(KilnVM *vm, const char *name, const char *src, size_t len);

/* The main module named by the last archive or source loaded, or NULL. The string
** belongs to the VM and lives as long as it. */
KILN_API const char *kiln_main_module(KilnVM *vm);

/* Runs `module.main`, passing argv[0..argc-1] as `args` if main takes them.
** On KILN_OK, *exit_code (may be NULL) is main's int result (low 8 bits) or 0. */
KILN_API KilnStatus kiln_run_main(KilnVM *vm, const char *module, int argc,
                                  const char *const *argv, int *exit_code);

/* ==== Values =============================================================== */

/* A Kiln object kept alive for the host. Opaque; valid until released. */
typedef struct KilnHandle KilnHandle;

typedef enum {
    KILN_NULL = 0,            /* null, or "no value" (the result of a void function) */
    KILN_INT,                 /* as.i: a Kiln int (64-bit) */
    KILN_FLOAT,               /* as.f: a Kiln float (double) */
    KILN_BOOL,                /* as.b: 0 or 1 */
    KILN_STRING,              /* as.s: bytes and length (see "Ownership" above) */
    KILN_OBJECT,              /* as.h: any other object (instances, boxes, closures) */
    KILN_ARRAY                /* as.h: an array of any element type */
} KilnType;

typedef struct {
    KilnType type;
    union {
        int64_t     i;
        double      f;
        int         b;
        struct { const char *chars; size_t len; } s;
        KilnHandle *h;
    } as;
} KilnValue;

/* Value constructors, for arguments. kiln_str takes a NUL-terminated string. */
static inline KilnValue kiln_null(void) { KilnValue v; v.type = KILN_NULL; v.as.i = 0; return v; }
static inline KilnValue kiln_int(int64_t i) { KilnValue v; v.type = KILN_INT; v.as.i = i; return v; }
static inline KilnValue kiln_float(double f) { KilnValue v; v.type = KILN_FLOAT; v.as.f = f; return v; }
static inline KilnValue kiln_bool(int b) { KilnValue v; v.type = KILN_BOOL; v.as.b = b != 0; return v; }
static inline KilnValue kiln_strn(const char *s, size_t n)
{ KilnValue v; v.type = KILN_STRING; v.as.s.chars = s; v.as.s.len = n; return v; }
static inline KilnValue kiln_str(const char *s) { return kiln_strn(s, strlen(s)); }
static inline KilnValue kiln_obj(KilnHandle *h)
{ KilnValue v; v.type = KILN_OBJECT; v.as.h = h; return v; }

/* ==== Calling Kiln ========================================================= */

/* Calls function `fn` of module `module` (e.g. "game.rules", "update"); a static
** method of a class is called as ("module.Class", "method"). Arguments are
** matched against the function's overloads: INT to int, FLOAT to float (an INT
** is accepted where only a float fits), BOOL to bool, STRING to String or
** Object, OBJECT/ARRAY handles to any type their object is an instance of,
** NULL to any reference type. The module is loaded and initialised on first use.
** On KILN_OK, *result (may be NULL) receives the result: KILN_NULL for a void
** function; object and array results come with a new handle owned by the caller.
** Failures: KILN_USAGE_ERROR (NULL vm or names, nargs < 0, args NULL with
** nargs > 0, no such function, no overload taking these arguments),
** KILN_LOAD_ERROR (module not found or not loadable), KILN_RUNTIME_ERROR (an
** uncaught Kiln error; see kiln_error_type). *result is KILN_NULL on failure.
** May be called from inside a native (reentrancy): the call runs on top of the
** current Kiln frames, whose traces then continue into the outer ones. */
KILN_API KilnStatus kiln_call(KilnVM *vm, const char *module, const char *fn,
                              const KilnValue *args, int nargs, KilnValue *result);

/* Calls method `method` on the object of `receiver` with virtual dispatch, the
** arguments matched as by kiln_call (the receiver is not among args). */
KILN_API KilnStatus kiln_call_method(KilnVM *vm, KilnHandle *receiver, const char *method,
                                     const KilnValue *args, int nargs, KilnValue *result);

/* Constructs an instance of class `cls` ("module.Class") by its `init` taking
** these arguments. On KILN_OK *result is a KILN_OBJECT with a new handle. */
KILN_API KilnStatus kiln_new_object(KilnVM *vm, const char *cls, const KilnValue *args,
                                    int nargs, KilnValue *result);

/* ==== Handles, strings and arrays ========================================== */

/* A new handle, owned by the caller, to the object of h (to keep a borrowed
** handle of a native's arguments, say). NULL if h is NULL or memory is out. */
KILN_API KilnHandle *kiln_retain(KilnVM *vm, KilnHandle *h);

/* Releases a handle the caller owns; the object may then be collected. NULL and
** borrowed handles are ignored. */
KILN_API void kiln_release(KilnVM *vm, KilnHandle *h);

/* Releases v's handle if it holds one (KILN_OBJECT, KILN_ARRAY) and sets *v to
** KILN_NULL. */
KILN_API void kiln_release_value(KilnVM *vm, KilnValue *v);

/* Qualified class name of h's object ("game.Point", "[I" for int[]), or NULL.
** Valid as long as the VM. */
KILN_API const char *kiln_class_name(KilnVM *vm, KilnHandle *h);

/* Makes a Kiln string of `len` bytes copied from `s`, as a KILN_STRING value
** whose chars point into the VM (see "Ownership"). Meant for a native's result
** built in a stack buffer. KILN_USAGE_ERROR, or KILN_RUNTIME_ERROR when the heap
** limit is reached. */
KILN_API KilnStatus kiln_new_string(KilnVM *vm, const char *s, size_t len, KilnValue *out);

/* Makes an array of `length` elements (zero, false or null) whose element type
** is "int", "float", "bool", "byte", "String", a class name ("game.Point") or
** an array type ("int[]"). On KILN_OK *out is a KILN_ARRAY with a new handle. */
KILN_API KilnStatus kiln_new_array(KilnVM *vm, const char *elem_type, int64_t length,
                                   KilnValue *out);

/* Number of elements of h's array, or -1 if h is not an array. */
KILN_API int64_t kiln_array_length(KilnVM *vm, KilnHandle *h);

/* Element i of h's array into *out (byte elements as KILN_INT 0..255; object
** elements with a new handle). KILN_USAGE_ERROR if h is not an array or i is out
** of range. */
KILN_API KilnStatus kiln_array_get(KilnVM *vm, KilnHandle *h, int64_t i, KilnValue *out);

/* Stores v as element i, converted as kiln_call converts arguments.
** KILN_USAGE_ERROR if the value does not fit the element type. */
KILN_API KilnStatus kiln_array_set(KilnVM *vm, KilnHandle *h, int64_t i, const KilnValue *v);

/* ==== Natives: calling C from Kiln ======================================== */

/* A native function. args[0..nargs-1] are the arguments (the receiver first for
** instance methods, as a KILN_OBJECT), typed from the declaration; their strings
** and handles are borrowed (valid until return). The native stores its result in
** *result, which starts as KILN_NULL: it must fit the declared result type
** (KILN_INT for int, KILN_FLOAT or KILN_INT for float, KILN_BOOL for bool,
** KILN_NULL, KILN_STRING or a handle for references), else the call raises
** CastError. A string result is copied when the native returns, so it must not
** point into the native's own stack frame (use kiln_new_string for that). A
** handle result may be borrowed (an argument) or owned (from kiln_new_array,
** kiln_call ...): an owned one passes to the VM, which releases it on return.
** To fail, call kiln_throw and return. A native may call back into the VM
** (kiln_call and the rest) — not kiln_free. */
typedef void (*KilnNativeFn)(KilnVM *vm, const KilnValue *args, int nargs,
                             KilnValue *result, void *userdata);

/* Binds `native fun` declarations named `qualified_name`: "module.function" or
** "module.Class.method" (module names may have dots: the last dot separates the
** function), optionally followed by a descriptor to pick one overload, as in
** "std.core.print(I)V"; without one, every native overload of that name is bound.
** The binding applies to classes already loaded and to every class loaded later;
** binding a name again replaces the function. The standard library's natives
** are bound the same way when the VM is made (a host may replace them).
** A native nothing binds raises LinkError when called. KILN_USAGE_ERROR for a
** NULL argument or a malformed name. */
KILN_API KilnStatus kiln_bind_native(KilnVM *vm, const char *qualified_name, KilnNativeFn fn,
                                     void *userdata);

/* Raises a Kiln error of class `error_class` ("std.core.IOError", or a script's
** own subclass of std.core.Error whose init takes a String; NULL for
** std.core.Error) with a printf-formatted message. Called by a native, which
** then returns: the error propagates from the native's call site, catchable by
** Kiln code. An unknown class raises std.core.Error with the message. Outside a
** native call it only records the error (status KILN_RUNTIME_ERROR). */
KILN_API KilnStatus kiln_throw(KilnVM *vm, const char *error_class, const char *fmt, ...)
    KILN_PRINTF(3, 4);

/* Raises again, from a native, the Kiln error of the last failed kiln_call /
** kiln_call_method / kiln_new_object on this VM (so an error crosses a native
** unchanged). KILN_USAGE_ERROR if there is none. */
KILN_API KilnStatus kiln_rethrow(KilnVM *vm);

/* ==== Host objects ========================================================= */

/* Called once when a host object has been collected (or by kiln_free), with its
** host pointer and the finalizer's userdata. It runs on the thread of a later
** kiln_* call on the same VM, between Kiln calls, never inside Kiln code, and must
** not call into the VM. */
typedef void (*KilnFinalizer)(void *host_ptr, void *userdata);

/* Wraps host pointer `ptr` as a new instance of class `cls` ("module.Class", a
** concrete class declared in Kiln, usually with native methods and a private
** init so scripts cannot make one). The instance's fields start zeroed; no init
** runs. `fin` (may be NULL) is called when the object is collected. On KILN_OK
** *out is a KILN_OBJECT with a new handle. */
KILN_API KilnStatus kiln_new_host_object(KilnVM *vm, const char *cls, void *ptr,
                                         KilnFinalizer fin, void *fin_userdata, KilnValue *out);

/* The host pointer of h's object, or NULL if it is not a host object. */
KILN_API void *kiln_host_pointer(KilnVM *vm, KilnHandle *h);

/* ==== Stopping a run ======================================================= */

/* Asks the running (or next) outermost call on vm to stop: at its next safepoint
** (loop back-edge or call, in every tier) Kiln code gets InterruptedError
** ("interrupted"). The request stays pending until that outermost call returns,
** so a script that catches the error gets it again at its next safepoint and
** cannot go on forever; the call then fails with KILN_RUNTIME_ERROR and the VM is
** ready for the next call. Async-signal-safe and thread-safe: it only sets a flag. */
KILN_API void kiln_interrupt(KilnVM *vm);

/* ==== Errors and statistics =============================================== */

/* Text of the last failure: a compile listing, a load error, a usage message, or
** "Uncaught T: msg\n" and the stack trace. "" when there was none. */
KILN_API const char *kiln_error_message(KilnVM *vm);

/* For the last KILN_RUNTIME_ERROR: the qualified class of the Kiln error
** ("std.core.InterruptedError"), its message, and its stack trace (lines
** "  at module.fn (file:line)", innermost first). "" otherwise. */
KILN_API const char *kiln_error_type(KilnVM *vm);
KILN_API const char *kiln_error_text(KilnVM *vm);
KILN_API const char *kiln_error_trace(KilnVM *vm);

/* Runs a full collection, then the finalizers of this VM's host objects found
** unreachable. (A host never has to; the collector runs by itself.) */
KILN_API void kiln_collect(KilnVM *vm);

/* Bytes of Kiln objects counted against max_heap: the VM's live bytes at its last
** count plus what it allocated since. 0 when the VM has no limit. */
KILN_API size_t kiln_heap_used(KilnVM *vm);

/* Prints per-method statistics (calls, loop back-edges, tier, compile time, code
** size) and totals to `out` (a FILE*, passed as void* to keep stdio out of
** this header), then a line "gc: N collections, heap S MB" for the process's
** collector (shared by all VMs of the process). */
KILN_API void kiln_print_stats(KilnVM *vm, void *out);

#ifdef __cplusplus
}
#endif
#endif
