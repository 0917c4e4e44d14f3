/*
** compiler/kc.h — the Kiln compiler's interface: source text in, class files out.
**
** kc_compile compiles a set of sources together (each source is one module; a
** module compiles to one class, named like the module). It keeps no state between
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
    KcClass *classes; int nclasses;   /* only when there were no errors */
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

/* Releases everything in *r and zeroes it. r may be NULL. */
void kc_result_free(KcResult *r);

#endif
