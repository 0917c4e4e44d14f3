/*
** vm/vm.c — the class registry, the classes built into the VM (std.core),
** native methods, program output and method descriptors.
*/
#include <inttypes.h>
#include <string.h>
#include "vm.h"

/* ---- output ------------------------------------------------------------ */

void vm_write_out(KVM *vm, const char *s, size_t n)
{
    if (vm->cfg.write_out) vm->cfg.write_out(vm->cfg.write_userdata, s, n);
    else fwrite(s, 1, n, stdout);
}

void vm_flush_out(KVM *vm)
{
    if (!vm->cfg.write_out) fflush(stdout);
}

/* ---- descriptors ------------------------------------------------------- */

/* Skips one field type at *p; returns 0 on success. */
static int skip_type(const char **p)
{
    const char *s = *p;
    int dims = 0;
    while (*s == '[') { s++; if (++dims > 255) return -1; }
    switch (*s) {
    case 'I': case 'F': case 'Z': s++; break;
    case 'B': if (!dims) return -1; s++; break;
    case 'L': {
        const char *e = strchr(s, ';');
        if (!e || e == s + 1) return -1;
        s = e + 1;
        break;
    }
    default: return -1;
    }
    *p = s;
    return 0;
}

int vm_desc_nargs(const char *desc)
{
    if (!desc || *desc != '(') return -1;
    const char *p = desc + 1;
    int n = 0;
    while (*p != ')') {
        if (skip_type(&p)) return -1;
        if (++n > 255) return -1;
    }
    p++;
    if (*p == 'V') { if (p[1]) return -1; return n; }
    if (skip_type(&p) || *p) return -1;
    return n;
}

char vm_desc_ret(const char *desc)
{
    const char *r = strchr(desc, ')');
    if (!r) return 'V';
    switch (r[1]) {
    case 'I': return 'I';
    case 'F': return 'F';
    case 'Z': return 'Z';
    case 'V': return 'V';
    default:  return 'L';
    }
}

/* ---- classes ----------------------------------------------------------- */

KClass *vm_find_class(KVM *vm, const char *name)
{
    for (KClass *c = vm->classes; c; c = c->next)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

void vm_add_class(KVM *vm, KClass *c)
{
    c->next = vm->classes;
    vm->classes = c;
}

KMethod *vm_find_method(KClass *c, const char *name, const char *desc)
{
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0 && strcmp(c->methods[i].desc, desc) == 0)
            return &c->methods[i];
    return NULL;
}

KMethod *vm_find_method_named(KClass *c, const char *name)
{
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0) return &c->methods[i];
    return NULL;
}

/* Natives are called with the argument slots; no frame is linked for them. */
KSlot vm_native_entry(KVM *vm, KMethod *m, KSlot *args)
{
    return m->native(vm, args);
}

/* ---- std.core natives --------------------------------------------------- */

static void put_int(KVM *vm, int64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%" PRId64, v);
    vm_write_out(vm, b, (size_t)n);
}

static void put_str(KVM *vm, const KString *s)
{
    if (s) vm_write_out(vm, s->data, (size_t)s->len);
    else vm_write_out(vm, "null", 4);
}

static KSlot n_print_i(KVM *vm, KSlot *a)   { put_int(vm, (int64_t)a[0]); return 0; }
static KSlot n_print_z(KVM *vm, KSlot *a)   { vm_write_out(vm, a[0] ? "true" : "false", a[0] ? 4 : 5); return 0; }
static KSlot n_print_s(KVM *vm, KSlot *a)   { put_str(vm, (const KString *)(uintptr_t)a[0]); return 0; }
static KSlot n_println(KVM *vm, KSlot *a)   { (void)a; vm_write_out(vm, "\n", 1); return 0; }
static KSlot n_println_i(KVM *vm, KSlot *a) { n_print_i(vm, a); return n_println(vm, a); }
static KSlot n_println_z(KVM *vm, KSlot *a) { n_print_z(vm, a); return n_println(vm, a); }
static KSlot n_println_s(KVM *vm, KSlot *a) { n_print_s(vm, a); return n_println(vm, a); }

typedef struct { const char *name, *desc; KNativeFn fn; } NativeDef;

static const NativeDef core_natives[] = {
    { "print",   "(I)V",                  n_print_i },
    { "print",   "(Z)V",                  n_print_z },
    { "print",   "(Lstd.core.String;)V",  n_print_s },
    { "println", "()V",                   n_println },
    { "println", "(I)V",                  n_println_i },
    { "println", "(Z)V",                  n_println_z },
    { "println", "(Lstd.core.String;)V",  n_println_s },
};

static KClass *builtin_class(KVM *vm, const char *name, KClass *super, uint16_t flags)
{
    KClass *c = gc_alloc(sizeof(KClass));
    c->name = name;
    c->super = super;
    c->super_name = super ? super->name : NULL;
    c->flags = flags;
    c->source_file = "<builtin>";
    c->builtin = 1;
    vm_add_class(vm, c);
    return c;
}

void vm_init_builtins(KVM *vm)
{
    vm->c_object = builtin_class(vm, "std.core.Object", NULL, 0);
    vm->c_string = builtin_class(vm, "std.core.String", vm->c_object, KACC_FINAL);
    vm->c_error = builtin_class(vm, "std.core.Error", vm->c_object, 0);
    vm->c_arith_error = builtin_class(vm, "std.core.ArithmeticError", vm->c_error, 0);
    vm->c_stack_error = builtin_class(vm, "std.core.StackOverflowError", vm->c_error, 0);
    vm->c_link_error = builtin_class(vm, "std.core.LinkError", vm->c_error, 0);
    vm->c_null_error = builtin_class(vm, "std.core.NullError", vm->c_error, 0);

    KClass *core = builtin_class(vm, "std.core", NULL, KACC_MODULE);
    int n = (int)(sizeof core_natives / sizeof core_natives[0]);
    core->methods = gc_alloc(sizeof(KMethod) * (size_t)n);
    core->nmethods = (uint16_t)n;
    for (int i = 0; i < n; i++) {
        KMethod *m = &core->methods[i];
        m->cls = core;
        m->name = core_natives[i].name;
        m->desc = core_natives[i].desc;
        m->flags = KACC_STATIC | KACC_NATIVE;
        m->nargs = (uint16_t)vm_desc_nargs(m->desc);
        m->ret = vm_desc_ret(m->desc);
        m->native = core_natives[i].fn;
        m->entry = vm_native_entry;
        m->verified = 1;
    }
    vm->c_core = core;
}
