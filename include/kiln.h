/*
** kiln.h — the public C interface of the Kiln VM.
**
** One opaque handle, KilnVM, is passed first to every call. A VM is configured
** by a KilnConfig that kiln_new copies; kiln_config_init fills the defaults.
** Several VMs may live in one process; nothing here keeps global state beyond
** the process-wide garbage collector, which kiln_new initialises once.
**
** Errors: every call that can fail returns a KilnStatus; the details of the
** last failure (a compile error listing, a load/verify error, or an uncaught
** Kiln error with its stack trace) are returned by kiln_error_message. No call
** exits the process, aborts, or longjmps out of the library for a user's mistake.
*/
#ifndef KILN_H
#define KILN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_VERSION "0.1.0"

typedef struct KVM KilnVM;

typedef enum {
    KILN_OK = 0,
    KILN_COMPILE_ERROR = 1,   /* source did not compile: diagnostics in kiln_error_message */
    KILN_LOAD_ERROR = 2,      /* bad class file or archive, verification failure, missing class */
    KILN_RUNTIME_ERROR = 3,   /* uncaught Kiln error: "Uncaught T: msg" and its trace */
    KILN_USAGE_ERROR = 4      /* bad arguments to this API (NULL VM, unknown module ...) */
} KilnStatus;

/* Tier policy. */
enum {
    KILN_TIER_AUTO = -1,      /* interpret, compile hot methods with tier 1 (default) */
    KILN_TIER_INTERP = 0,     /* interpreter only */
    KILN_TIER_1 = 1           /* compile every method with tier 1 before its first run
                                 (methods tier 1 refuses stay interpreted) */
};

/* Receives output text; `text` is valid only during the call. */
typedef void (*KilnWriteFn)(void *userdata, const char *text, size_t len);

typedef struct {
    int   tier;               /* KILN_TIER_*; default KILN_TIER_AUTO */
    long  jit_threshold;      /* calls before a method is compiled in auto mode; default 1000 */
    long  max_depth;          /* nested Kiln calls before StackOverflowError; default 100000 */
    int   trace_jit;          /* nonzero: a line per compilation to the error output */
    KilnWriteFn write_out;    /* program output; default: the process's stdout */
    KilnWriteFn write_err;    /* diagnostics (trace-jit); default: stderr */
    void *write_userdata;     /* passed to both callbacks */
} KilnConfig;

/* Fills *cfg with the defaults above. */
void kiln_config_init(KilnConfig *cfg);

/* Creates a VM; cfg may be NULL for the defaults. Returns NULL only when memory
** is exhausted. Release with kiln_free. */
KilnVM *kiln_new(const KilnConfig *cfg);

/* Releases the VM and everything it created. vm may be NULL. */
void kiln_free(KilnVM *vm);

/* Adds a class-path entry: a directory of .klc files, a .kar archive, or a single
** .klc file (loaded at once). An archive's manifest may name a main module, which
** kiln_main_module then returns. */
KilnStatus kiln_load_path(KilnVM *vm, const char *path);

/* Compiles Kiln source text and loads its classes. `name` is the file name used
** in messages and for the default module name ("fib.kl" -> module fib). */
KilnStatus kiln_load_source(KilnVM *vm, const char *name, const char *src, size_t len);

/* The main module named by the last archive or source loaded, or NULL. The string
** belongs to the VM and lives as long as it. */
const char *kiln_main_module(KilnVM *vm);

/* Runs `module.main`, passing argv[0..argc-1] as `args` if main takes them.
** On KILN_OK, *exit_code is main's int result (low 8 bits) or 0. */
KilnStatus kiln_run_main(KilnVM *vm, const char *module, int argc, const char *const *argv,
                         int *exit_code);

/* Text of the last failure, or "" when there was none. Owned by the VM; valid
** until the next call on it. */
const char *kiln_error_message(KilnVM *vm);

/* Prints per-method statistics (calls, loop back-edges, tier, compile time, code
** size) and totals to `out` (a FILE*, passed as void* to keep stdio out of
** this header). */
void kiln_print_stats(KilnVM *vm, void *out);

#ifdef __cplusplus
}
#endif
#endif
