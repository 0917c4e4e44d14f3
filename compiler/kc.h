/*
** compiler/kc.h — the Kiln compiler's interface: source text in, class files out.
**
** kc_compile compiles a set of sources together (each source is one module; a
** module compiles to its module class, named like the module, and one class per
** class or interface it declares, "module.Name"). Every compilation sees the
** declarations of std.core (the prelude, stdlib/std/core.kl, embedded in the
** compiler) but emits only the classes of its own sources. It keeps no state between
** calls and none outside the call, so several compilations may run in one process,
** even at the same time on different threads.
**
** Ownership: everything reachable from a KcResult is malloc'd by kc_compile and
** released by kc_result_free; the caller's sources are only read, and only during
** the call.
**
** Diagnostics: every error is one entry of the form
**     path:line:col: message
**     <the source line>
**     <spaces>^
** with path exactly as given in KcSource.path, line and col 1-based, col counting
** bytes. Entries are sorted by source, then position. The compiler reports and
** continues, so one run lists every independent error.
*/
#ifndef KILN_KC_H
#define KILN_KC_H

#include <stddef.h>
#include <stdint.h>

/* Functions shared between the compiler's files but not exported from libkiln. */
#define KC_FUNC __attribute__((visibility("hidden")))

typedef struct { const char *path; const char *text; size_t len; } KcSource;

typedef struct {
    char    *name;       /* qualified class name, e.g. "fib" or "geometry.shapes" */
    uint8_t *data;       /* the class file (docs/classfile.md) */
    size_t   len;
} KcClass;

typedef struct {
    KcClass *classes; int nclasses;   /* only when there were no errors; each module's
                                         module class first, then its classes */
    char *main_module;   /* module name of the first source (file base name without .kl
                            unless `module` given); NULL when nsrcs == 0 */
    char *diagnostics;   /* NUL-terminated text of every error, or NULL when none */
    int nerrors;
} KcResult;

/* Compiles the sources together. Returns 0 when there were no errors (then
** out->classes holds one class per module), nonzero otherwise (then nerrors > 0
** and out->diagnostics says why; out->classes is empty). Never exits, aborts or
** crashes on any input; running out of memory is reported as an error.
** All memory in *out is malloc'd and released by kc_result_free. */
int  kc_compile(const KcSource *srcs, int nsrcs, KcResult *out);

/* Supplies the source of an imported module that is not among the sources:
** returns malloc'd text (its length in *len) and sets *path to a malloc'd path
** used in messages (may be left NULL), or returns NULL when there is no such
** module. The compiler frees both with free(). */
typedef char *(*KcLoadFn)(void *ud, const char *module, size_t *len, char **path);

/* kc_compile, plus: imports of modules that are neither among the sources nor
** std.core are fetched through load (if not NULL) and compiled with them (their
** classes are part of the result). Without a loader such imports are errors
** ("module a.b not found"). */
int  kc_compile_ex(const KcSource *srcs, int nsrcs, KcLoadFn load, void *ud, KcResult *out);

/* Compiles std.core itself (stdlib/std/core.kl, built into the compiler): its
** module class "std.core" and its classes "std.core.Object", ... The VM loads
** them at start. Same result conventions as kc_compile. */
int  kc_compile_prelude(KcResult *out);

/* Releases everything in *r and zeroes it. r may be NULL. */
void kc_result_free(KcResult *r);

#endif
