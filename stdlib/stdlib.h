/*
** stdlib/stdlib.h — the standard modules beyond std.core: std.math, std.sys,
** std.io, std.text (docs/stdlib.md).
**
** Their sources (stdlib/std/NAME.kl) are embedded in the library (stdlib/embed.c)
** and served when a program imports them and no class-path entry provides the
** module (vm/api.c's import callback), or when the VM looks up one of their
** classes that is not loaded (loader/classpath.c, ld_find_class).
** Their natives are raw bindings in the VM's native registry, added by kiln_new
** exactly like std.core's (vm/natives.c): a host may replace any of them with
** kiln_bind_native.
*/
#ifndef KILN_STDLIB_H
#define KILN_STDLIB_H
#include "../vm/api.h"

/* std.core's class files, compiled at build time (stdlib/core_image.c, which
** describes the format); empty in tools/mkcoreimage, which makes them. */
extern const unsigned char kiln_core_image[] __attribute__((visibility("hidden")));
extern const unsigned char kiln_core_image_end[] __attribute__((visibility("hidden")));

/* The embedded source of standard module `module` ("std.math"), with its length
** in *len, or NULL if there is no such module. Read-only, lives as long as the
** process; not NUL-terminated past *len is not guaranteed: it is NUL-terminated. */
K_FUNC const char *std_module_source(const char *module, size_t *len);

/* Whether `cls` names a class of an embedded standard module ("std.math" or
** "std.math.Random"): returns that module's name (static storage), or NULL. */
K_FUNC const char *std_module_of_class(const char *cls);

/* Compiles embedded module `module` and adds its classes to vm's pending list
** (defined on first lookup). 0, or -1 with a message in err. */
K_FUNC int std_load_module(KVM *vm, const char *module, char *err, size_t errlen);

/* Registers the natives of every standard module (kiln_new). 0, or -1 when out
** of memory. */
K_FUNC int std_register_natives(KVM *vm);

/* One native of a table: class ("std.math"), name, descriptor, function. */
typedef struct { const char *cls, *name, *desc; KNativeFn fn; } StdNative;
K_FUNC int std_register_table(KVM *vm, const StdNative *t, size_t n);

/* Per-module registration (stdlib/math.c, sys.c, io.c, text.c). */
K_FUNC int std_math_register(KVM *vm);
K_FUNC int std_sys_register(KVM *vm);
K_FUNC int std_io_register(KVM *vm);
K_FUNC int std_text_register(KVM *vm);

/* IOError for a sandboxed VM ("what: denied by the sandbox"); returns 0. */
K_FUNC KSlot std_sandbox_error(KVM *vm, const char *what);

#define STD_S "Lstd.core.String;"
#define STD_STR(s)  ((KString *)(uintptr_t)(s))
#define STD_OBJ(s)  ((KObject *)(uintptr_t)(s))
#define STD_SLOT(p) ((KSlot)(uintptr_t)(p))
static inline double std_f(KSlot s) { double d; memcpy(&d, &s, 8); return d; }
static inline KSlot  std_s(double d) { KSlot s; memcpy(&s, &d, 8); return s; }

#endif
