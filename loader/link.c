/*
** loader/link.c — defining classes: superclass and interfaces, field layout,
** vtables, static storage, native binding, verification; class initialisation;
** lazy resolution of constant-pool references.
**
** A class is added to vm->classes once its layout is known and before its
** methods are verified, so classes that refer to each other verify; if
** verification fails it is taken out again.
*/
#include <string.h>
#include "loader.h"
#include "../verifier/verifier.h"
#include "../interp/interp.h"
#include "../vm/api.h"

/* ---- pending classes --------------------------------------------------------- */

void ld_add_pending(KVM *vm, KClass *c)
{
    c->next = vm->pending;
    vm->pending = c;
}

int ld_take_pending(KVM *vm, const char *name, KClass **out, char *err, size_t errlen)
{
    for (KClass **p = &vm->pending; *p; p = &(*p)->next) {
        if (strcmp((*p)->name, name) != 0) continue;
        KClass *c = *p;
        *p = c->next;
        c->next = NULL;
        *out = ld_define_class(vm, c, err, errlen) == 0 ? c : NULL;
        return 1;
    }
    return 0;
}

int ld_define_pending(KVM *vm, char *err, size_t errlen)
{
    while (vm->pending) {
        KClass *c;
        if (ld_take_pending(vm, vm->pending->name, &c, err, errlen) && !c) {
            vm->pending = NULL;     /* the rest belong to a failed load */
            return -1;
        }
    }
    return 0;
}

/* ---- defining ------------------------------------------------------------------ */

typedef struct Defining { struct Defining *prev; const char *name; } Defining;

/* Entry of a native method nothing has bound: calling it is a LinkError. */
static KSlot unbound_native(KVM *vm, KMethod *m, KSlot *args)
{
    (void)args;
    return vm_throw(vm, vm->c_link_error, "native function %s.%s is not bound", m->cls->name,
                    m->name);
}

static int is_special_name(const char *n)
{
    return strcmp(n, "init") == 0 || strcmp(n, "<clinit>") == 0;
}

static int vtable_find(const KClass *c, const char *name, const char *desc)
{
    for (uint32_t i = 0; i < c->vtable_len; i++)
        if (strcmp(c->vtable[i]->name, name) == 0 && strcmp(c->vtable[i]->desc, desc) == 0)
            return (int)i;
    return -1;
}

static int vtable_add(KClass *c, KMethod *m, uint32_t *cap)
{
    if (c->vtable_len == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        KMethod **nv = gc_alloc(sizeof(KMethod *) * ncap);
        if (!nv) return -1;
        if (c->vtable_len) memcpy(nv, c->vtable, sizeof(KMethod *) * c->vtable_len);
        c->vtable = nv;
        *cap = ncap;
    }
    c->vtable[c->vtable_len++] = m;
    return 0;
}

/* Appends the methods of interface `in` (and its superinterfaces) that c's vtable
** lacks: defaults become callable through the class, abstract ones mark a hole. */
static int add_interface_methods(KClass *c, KClass *in, uint32_t *cap)
{
    for (int i = 0; i < in->nmethods; i++) {
        KMethod *im = &in->methods[i];
        if ((im->flags & KACC_STATIC) || is_special_name(im->name)) continue;
        if (vtable_find(c, im->name, im->desc) >= 0) continue;
        /* A per-class copy: vindex is a slot of this class's vtable. */
        KMethod *copy = gc_alloc(sizeof(KMethod));
        if (!copy) return -1;
        *copy = *im;
        copy->vindex = (int32_t)c->vtable_len;
        if (vtable_add(c, copy, cap)) return -1;
    }
    for (int i = 0; i < in->ninterfaces; i++)
        if (add_interface_methods(c, in->interfaces[i], cap)) return -1;
    return 0;
}

static int layout(KClass *c, char *err, size_t errlen)
{
    KClass *s = c->super;
    c->instance_size = s ? s->instance_size : (uint32_t)sizeof(KObject);
    uint32_t nstatic = 0;
    for (int i = 0; i < c->nfields; i++) {
        KField *f = &c->fields[i];
        f->owner = c;
        f->kind = (f->desc[0] == 'L' || f->desc[0] == '[') ? 'L' : f->desc[0];
        for (int j = 0; j < i; j++)
            if (strcmp(c->fields[j].name, f->name) == 0) {
                snprintf(err, errlen, "LinkError: class %s has two fields named %s", c->name, f->name);
                return -1;
            }
        if (f->flags & KACC_STATIC) f->offset = nstatic++;
        else { f->offset = c->instance_size; c->instance_size += sizeof(KSlot); }
    }
    c->nstatics = nstatic;
    c->statics = gc_alloc(sizeof(KSlot) * (nstatic ? nstatic : 1));

    uint32_t cap = 0;
    c->vtable = NULL;
    c->vtable_len = 0;
    if (s) for (uint32_t i = 0; i < s->vtable_len; i++) if (vtable_add(c, s->vtable[i], &cap)) goto oom;
    for (int i = 0; i < c->nmethods; i++) {
        KMethod *m = &c->methods[i];
        m->cls = c;
        m->vindex = -1;
        if ((m->flags & (KACC_STATIC | KACC_PRIVATE)) || is_special_name(m->name)) continue;
        int at = vtable_find(c, m->name, m->desc);
        if (at >= 0) {
            KMethod *old = c->vtable[at];
            if (old->flags & KACC_FINAL) {
                snprintf(err, errlen, "LinkError: %s.%s%s overrides final method of %s", c->name,
                         m->name, m->desc, old->cls->name);
                return -1;
            }
            c->vtable[at] = m;
            m->vindex = at;
        } else {
            m->vindex = (int32_t)c->vtable_len;
            if (vtable_add(c, m, &cap)) goto oom;
        }
    }
    for (int i = 0; i < c->ninterfaces; i++)
        if (add_interface_methods(c, c->interfaces[i], &cap)) goto oom;
    /* A concrete class must implement every abstract method it inherits. */
    if (!(c->flags & (KACC_ABSTRACT | KACC_INTERFACE | KACC_MODULE)))
        for (uint32_t i = 0; i < c->vtable_len; i++)
            if (c->vtable[i]->flags & KACC_ABSTRACT) {
                snprintf(err, errlen, "LinkError: class %s does not implement %s.%s%s", c->name,
                         c->vtable[i]->cls->name, c->vtable[i]->name, c->vtable[i]->desc);
                return -1;
            }
    return 0;
oom:
    snprintf(err, errlen, "out of memory linking %s", c->name);
    return -1;
}

static void bind_methods(KVM *vm, KClass *c)
{
    for (int i = 0; i < c->nmethods; i++) {
        KMethod *m = &c->methods[i];
        if (m->flags & KACC_NATIVE) {
            /* The VM's bindings (kiln_bind_native; std.core's natives too). */
            if (vm_bind_method_native(vm, m) != 0) m->entry = unbound_native;
        } else {
            m->entry = in_entry;
        }
    }
}

static void unlink_class(KVM *vm, KClass *c)
{
    for (KClass **p = &vm->classes; *p; p = &(*p)->next)
        if (*p == c) { *p = c->next; return; }
}

int ld_define_class(KVM *vm, KClass *c, char *err, size_t errlen)
{
    if (!ld_valid_class_name(c->name)) {
        snprintf(err, errlen, "invalid class name '%s'", c->name);
        return -1;
    }
    if (vm_find_class(vm, c->name)) {
        snprintf(err, errlen, "LinkError: class %s is already defined", c->name);
        return -1;
    }
    for (Defining *d = vm->defining; d; d = d->prev)
        if (strcmp(d->name, c->name) == 0) {
            snprintf(err, errlen, "LinkError: cyclic inheritance involving %s", c->name);
            return -1;
        }
    Defining me = { vm->defining, c->name };
    vm->defining = &me;
    int rc = -1;
    char serr[512] = "";
    if (c->super_name) {
        if (strcmp(c->super_name, c->name) == 0) {
            snprintf(err, errlen, "LinkError: class %s names itself as its superclass", c->name);
            goto done;
        }
        c->super = ld_find_class(vm, c->super_name, serr, sizeof serr);
        if (!c->super) {
            if (strstr(serr, "cyclic inheritance")) snprintf(err, errlen, "%s", serr);
            else snprintf(err, errlen, "LinkError: superclass %s of %s not found%s%s", c->super_name,
                          c->name, serr[0] ? ": " : "", serr);
            goto done;
        }
        if (c->super->flags & (KACC_INTERFACE | KACC_FINAL | KACC_MODULE) || c->super->is_array) {
            snprintf(err, errlen, "LinkError: class %s cannot extend %s %s", c->name,
                     (c->super->flags & KACC_INTERFACE) ? "interface" : "final class", c->super->name);
            goto done;
        }
    }
    if (c->ninterfaces && !c->interfaces) {
        c->interfaces = gc_alloc(sizeof(KClass *) * c->ninterfaces);
        if (!c->interfaces) { snprintf(err, errlen, "out of memory"); goto done; }
    }
    for (int i = 0; i < c->ninterfaces; i++) {
        KClass *in = ld_find_class(vm, c->interface_names[i], serr, sizeof serr);
        if (!in) {
            snprintf(err, errlen, "LinkError: interface %s of %s not found%s%s", c->interface_names[i],
                     c->name, serr[0] ? ": " : "", serr);
            goto done;
        }
        if (!(in->flags & KACC_INTERFACE)) {
            snprintf(err, errlen, "LinkError: %s implements %s, which is not an interface", c->name, in->name);
            goto done;
        }
        c->interfaces[i] = in;
    }
    if (layout(c, err, errlen)) goto done;
    bind_methods(vm, c);
    c->linked = 1;
    vm_add_class(vm, c);
    if (vf_verify_class(vm, c, err, errlen)) { unlink_class(vm, c); goto done; }
    rc = 0;
done:
    vm->defining = me.prev;
    return rc;
}

/* ---- initialisation ------------------------------------------------------------- */

int ld_ensure_init(KVM *vm, KClass *c)
{
    if (c->init_state != KINIT_NONE) return 0;
    c->init_state = KINIT_RUNNING;
    if (c->super && ld_ensure_init(vm, c->super)) return -1;
    KMethod *m = vm_find_method(c, "<clinit>", "()V");
    if (m && (m->flags & KACC_STATIC)) {
        KSlot none = 0;
        m->entry(vm, m, &none);
        if (vm->exc) { c->init_state = KINIT_DONE; return -1; }
    }
    c->init_state = KINIT_DONE;
    return 0;
}

/* ---- resolution ----------------------------------------------------------------- */

void ld_member_ref(const KClass *c, uint16_t idx, const char **cls, const char **name,
                   const char **desc)
{
    const KConst *k = &c->cp[idx];
    const KConst *nt = &c->cp[k->b];
    *cls = c->cp[c->cp[k->a].a].v.utf8.s;
    *name = c->cp[nt->a].v.utf8.s;
    *desc = c->cp[nt->b].v.utf8.s;
}

static KClass *find_or_throw(KVM *vm, const char *name)
{
    char err[512];
    KClass *c = name[0] == '[' ? vm_array_class(vm, name) : ld_find_class(vm, name, err, sizeof err);
    if (!c && !vm->exc) vm_throw(vm, vm->c_link_error, "%s", err);
    return c;
}

KClass *ld_resolve_class(KVM *vm, KClass *from, uint16_t idx)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    KClass *c = find_or_throw(vm, from->cp[k->a].v.utf8.s);
    if (c) k->resolved = c;
    return c;
}

KField *ld_resolve_field(KVM *vm, KClass *from, uint16_t idx, int is_static)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    const char *cn, *fn, *fd;
    ld_member_ref(from, idx, &cn, &fn, &fd);
    KClass *c = find_or_throw(vm, cn);
    if (!c) return NULL;
    for (KClass *s = c; s; s = s->super)
        for (int i = 0; i < s->nfields; i++) {
            KField *f = &s->fields[i];
            if (strcmp(f->name, fn) != 0 || strcmp(f->desc, fd) != 0) continue;
            if (!!(f->flags & KACC_STATIC) != !!is_static) {
                vm_throw(vm, vm->c_link_error, "field %s.%s is %sstatic", s->name, fn, is_static ? "not " : "");
                return NULL;
            }
            k->resolved = f;
            return f;
        }
    vm_throw(vm, vm->c_link_error, "no field %s.%s %s", cn, fn, fd);
    return NULL;
}

static KMethod *find_in_interface(KClass *in, const char *mn, const char *md)
{
    KMethod *m = vm_find_method(in, mn, md);
    for (int i = 0; !m && i < in->ninterfaces; i++) m = find_in_interface(in->interfaces[i], mn, md);
    return m;
}

/* How a call site finds its method: the resolved class's own static method;
** an instance method through the vtable, then the superclass chain (private
** methods, init); or an interface method, its superinterfaces, then Object's. */
typedef enum { RES_STATIC, RES_INSTANCE, RES_INTERFACE } ResolveKind;

static KMethod *resolve_method_ref(KVM *vm, KClass *from, uint16_t idx, ResolveKind kind)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    const char *cn, *mn, *md;
    ld_member_ref(from, idx, &cn, &mn, &md);
    KClass *c = find_or_throw(vm, cn);
    if (!c) return NULL;
    KMethod *m = NULL;
    switch (kind) {
    case RES_STATIC:
        m = vm_find_method(c, mn, md);
        break;
    case RES_INSTANCE: {
        int at = vtable_find(c, mn, md);
        if (at >= 0) m = c->vtable[at];
        for (KClass *s = c; !m && s; s = s->super) m = vm_find_method(s, mn, md);
        break;
    }
    case RES_INTERFACE:
        m = find_in_interface(c, mn, md);
        if (!m && vm->c_object) m = vm_find_method(vm->c_object, mn, md);   /* toString() etc. */
        if (m && (m->flags & KACC_STATIC)) m = NULL;
        break;
    }
    if (!m) {
        vm_throw(vm, vm->c_link_error, "no %smethod %s.%s%s", kind == RES_INTERFACE ? "interface " : "",
                 cn, mn, md);
        return NULL;
    }
    int is_static = (m->flags & KACC_STATIC) != 0;
    if (is_static != (kind == RES_STATIC)) {
        vm_throw(vm, vm->c_link_error, "method %s.%s%s is %sstatic", cn, mn, md, is_static ? "" : "not ");
        return NULL;
    }
    k->resolved = m;
    return m;
}

KMethod *ld_resolve_method(KVM *vm, KClass *from, uint16_t idx)
{
    return resolve_method_ref(vm, from, idx, RES_STATIC);
}

KMethod *ld_resolve_instance_method(KVM *vm, KClass *from, uint16_t idx)
{
    return resolve_method_ref(vm, from, idx, RES_INSTANCE);
}

KMethod *ld_resolve_interface_method(KVM *vm, KClass *from, uint16_t idx)
{
    return resolve_method_ref(vm, from, idx, RES_INTERFACE);
}

KString *ld_resolve_string(KVM *vm, KClass *from, uint16_t idx)
{
    KConst *k = &from->cp[idx];
    if (k->resolved) return k->resolved;
    const KConst *u = &from->cp[k->a];
    KString *s = vm_string_new(vm, u->v.utf8.s, u->v.utf8.len);
    if (!s) { vm_throw(vm, vm->c_error, "out of memory"); return NULL; }
    k->resolved = s;
    return s;
}
