/*
** stdlib/embed.c — the sources of the standard modules, embedded in the library
** (as compiler/prelude.c embeds std.core), and loading them on demand.
*/
#include <stdlib.h>
#include <string.h>
#include "stdlib.h"
#include "../loader/loader.h"
#include "../compiler/kc.h"

#define EMBED(sym, file)                                     \
    __asm__(".section .rodata\n"                             \
            ".global " #sym "\n"                             \
            ".hidden " #sym "\n"                             \
            #sym ":\n"                                       \
            ".incbin \"" file "\"\n"                         \
            ".global " #sym "_end\n"                         \
            ".hidden " #sym "_end\n"                         \
            #sym "_end:\n"                                   \
            ".byte 0\n"                                      \
            ".previous");                                    \
    extern const char sym[], sym##_end[]

EMBED(kiln_std_math, "stdlib/std/math.kl");
EMBED(kiln_std_sys, "stdlib/std/sys.kl");
EMBED(kiln_std_io, "stdlib/std/io.kl");
EMBED(kiln_std_text, "stdlib/std/text.kl");

static const struct { const char *name; const char *start, *end; } modules[] = {
    { "std.math", kiln_std_math, kiln_std_math_end },
    { "std.sys", kiln_std_sys, kiln_std_sys_end },
    { "std.io", kiln_std_io, kiln_std_io_end },
    { "std.text", kiln_std_text, kiln_std_text_end },
};
#define NMODULES (sizeof modules / sizeof modules[0])

const char *std_module_source(const char *module, size_t *len)
{
    for (size_t i = 0; i < NMODULES; i++)
        if (strcmp(modules[i].name, module) == 0) {
            *len = (size_t)(modules[i].end - modules[i].start);
            return modules[i].start;
        }
    return NULL;
}

const char *std_module_of_class(const char *cls)
{
    for (size_t i = 0; i < NMODULES; i++) {
        size_t n = strlen(modules[i].name);
        if (strncmp(cls, modules[i].name, n) == 0 && (cls[n] == 0 || (cls[n] == '.' && !strchr(cls + n + 1, '.'))))
            return modules[i].name;
    }
    return NULL;
}

/* The compiler's KcLoadFn for one standard module's own imports: only the
** other standard modules (malloc'd copies, as the compiler frees them). */
static char *load_std(void *ud, const char *module, size_t *len, char **path)
{
    (void)ud;
    *path = NULL;
    const char *src = std_module_source(module, len);
    if (!src) return NULL;
    char *t = malloc(*len + 1);
    if (!t) return NULL;
    memcpy(t, src, *len + 1);
    return t;
}

int std_load_module(KVM *vm, const char *module, char *err, size_t errlen)
{
    size_t len;
    const char *src = std_module_source(module, &len);
    if (!src) { snprintf(err, errlen, "no standard module %s", module); return -1; }
    char file[64];
    snprintf(file, sizeof file, "<%s>", module);
    KcSource s = { file, src, len };
    KcResult r;
    if (kc_compile_ex(&s, 1, load_std, NULL, &r) != 0) {
        snprintf(err, errlen, "%s does not compile: %s", module,
                 r.diagnostics ? r.diagnostics : "compile error");
        kc_result_free(&r);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < r.nclasses && rc == 0; i++) {
        /* Skip what is already known (a module loaded earlier with a program). */
        int known = vm_find_class(vm, r.classes[i].name) != NULL;
        for (KClass *p = vm->pending; p && !known; p = p->next)
            known = strcmp(p->name, r.classes[i].name) == 0;
        if (known) continue;
        KClass *c = ld_parse_class(vm, r.classes[i].data, r.classes[i].len, r.classes[i].name,
                                   err, errlen);
        if (!c) rc = -1;
        else ld_add_pending(vm, c);
    }
    kc_result_free(&r);
    return rc;
}

int std_register_table(KVM *vm, const StdNative *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (api_add_binding(vm, t[i].cls, t[i].name, t[i].desc, t[i].fn, NULL, NULL)) return -1;
    return 0;
}

int std_register_natives(KVM *vm)
{
    return std_math_register(vm) || std_sys_register(vm) || std_io_register(vm) ||
           std_text_register(vm) ? -1 : 0;
}

KSlot std_sandbox_error(KVM *vm, const char *what)
{
    KClass *c = vm_find_class(vm, "std.core.IOError");
    return vm_throw(vm, c ? c : vm->c_error, "%s: denied by the sandbox", what);
}
