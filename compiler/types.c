/*
** compiler/types.c — the compiler's semantic types: interning, substitution of
** type parameters, subtyping and assignability (LANGUAGE.md §2, §3 Generics).
**
** Types are interned so they compare by pointer: array types hang off their
** element type, instantiations of a generic class off the class's own type (its
** `next` chain), function types off ctx->fn_types. Erasure is fixed at creation:
** a type parameter's descriptor is Object's, a function type's is Function's.
*/
#include <string.h>

#include "ast.h"

static KcType *new_type(Kc *c, KcTypeKind kind, const char *name, const char *desc) {
    KcType *t = kc_alloc(c, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->desc = desc;
    return t;
}

KcType *kc_array_type(Kc *c, KcType *elem) {
    if (elem->array_of) return elem->array_of;
    const char *name = elem->kind == KT_FUNC ? kc_sprintf(c, "(%s)[]", elem->name)
                                             : kc_sprintf(c, "%s[]", elem->name);
    KcType *t = new_type(c, KT_ARRAY, name, kc_sprintf(c, "[%s", elem->desc));
    t->elem = elem;
    elem->array_of = t;
    return t;
}

const char *kc_type_list(Kc *c, KcType **ts, int n) {
    KcBuf b = {0};
    for (int i = 0; i < n; i++) {
        if (i) kc_buf_str(c, &b, ", ");
        kc_buf_str(c, &b, ts[i]->name);
    }
    kc_buf_u8(c, &b, 0);
    return (const char *)b.p;
}

KcType *kc_class_type(Kc *c, KcCls *cls, KcType **args, int nargs) {
    KcType *own = cls->type;
    if (nargs == 0 || !own) return own;
    for (KcType *t = own->next; t; t = t->next) {
        if (t->nargs != nargs) continue;
        int same = 1;
        for (int i = 0; i < nargs && same; i++) same = t->args[i] == args[i];
        if (same) return t;
    }
    int own_args = own->nargs == nargs;
    for (int i = 0; i < nargs && own_args; i++) own_args = own->args[i] == args[i];
    if (own_args) return own;
    KcType *t = new_type(c, KT_CLASS, kc_sprintf(c, "%s<%s>", cls->name->s, kc_type_list(c, args, nargs)),
                         own->desc);
    t->cls = cls;
    t->args = kc_alloc(c, sizeof(KcType *) * (size_t)nargs);
    memcpy(t->args, args, sizeof(KcType *) * (size_t)nargs);
    t->nargs = nargs;
    t->next = own->next;
    own->next = t;
    return t;
}

KcType *kc_func_type(Kc *c, KcType **params, int nparams, KcType *ret) {
    for (KcType *t = c->fn_types; t; t = t->next) {
        if (t->nargs != nparams || t->ret != ret) continue;
        int same = 1;
        for (int i = 0; i < nparams && same; i++) same = t->args[i] == params[i];
        if (same) return t;
    }
    const char *name = ret->kind == KT_VOID
        ? kc_sprintf(c, "fun(%s)", kc_type_list(c, params, nparams))
        : kc_sprintf(c, "fun(%s): %s", kc_type_list(c, params, nparams), ret->name);
    KcType *t = new_type(c, KT_FUNC, name, "Lstd.core.Function;");
    t->args = kc_alloc(c, sizeof(KcType *) * (size_t)(nparams ? nparams : 1));
    if (nparams) memcpy(t->args, params, sizeof(KcType *) * (size_t)nparams);
    t->nargs = nparams;
    t->ret = ret;
    t->cls = c->c_function;
    t->next = c->fn_types;
    c->fn_types = t;
    return t;
}

int kc_has_tparam(KcType *t) {
    switch (t->kind) {
    case KT_TPARAM: return 1;
    case KT_ARRAY: return kc_has_tparam(t->elem);
    case KT_CLASS: case KT_FUNC:
        for (int i = 0; i < t->nargs; i++) if (kc_has_tparam(t->args[i])) return 1;
        return t->kind == KT_FUNC && kc_has_tparam(t->ret);
    default: return 0;
    }
}

KcType *kc_subst(Kc *c, KcType *t, const KcSubst *s) {
    if (!s || s->n == 0) return t;
    switch (t->kind) {
    case KT_TPARAM:
        for (int i = 0; i < s->n; i++)
            if (s->from[i] == t) return s->to[i] ? s->to[i] : t;
        return t;
    case KT_ARRAY: {
        KcType *e = kc_subst(c, t->elem, s);
        return e == t->elem ? t : kc_array_type(c, e);
    }
    case KT_CLASS: {
        if (t->nargs == 0) return t;
        KcType **a = kc_alloc(c, sizeof(KcType *) * (size_t)t->nargs);
        int changed = 0;
        for (int i = 0; i < t->nargs; i++) {
            a[i] = kc_subst(c, t->args[i], s);
            changed |= a[i] != t->args[i];
        }
        return changed ? kc_class_type(c, t->cls, a, t->nargs) : t;
    }
    case KT_FUNC: {
        KcType **a = kc_alloc(c, sizeof(KcType *) * (size_t)(t->nargs ? t->nargs : 1));
        int changed = 0;
        for (int i = 0; i < t->nargs; i++) {
            a[i] = kc_subst(c, t->args[i], s);
            changed |= a[i] != t->args[i];
        }
        KcType *r = kc_subst(c, t->ret, s);
        changed |= r != t->ret;
        return changed ? kc_func_type(c, a, t->nargs, r) : t;
    }
    default:
        return t;
    }
}

int kc_is_subclass(KcCls *a, KcCls *b) {
    if (!a || !b) return 0;
    if (a == b) return 1;
    for (int depth = 0; depth < 1000; depth++) {
        if (a == b) return 1;
        for (int i = 0; i < a->nifaces; i++)
            if (a->ifaces[i]->cls && kc_is_subclass(a->ifaces[i]->cls, b)) return 1;
        if (!a->super_type || !a->super_type->cls) return 0;
        a = a->super_type->cls;
    }
    return 0;
}

static KcType *super_as(Kc *c, KcType *t, KcCls *target, int depth) {
    if (!t || depth > 200) return NULL;
    KcCls *cls = t->kind == KT_STRING ? c->c_string : t->kind == KT_FUNC ? c->c_function
                 : t->kind == KT_CLASS ? t->cls : NULL;
    if (!cls) return NULL;
    if (cls == target) return t->kind == KT_CLASS ? t : cls->type;
    KcSubst s = { cls->tparams, t->args, t->kind == KT_CLASS ? t->nargs : 0 };
    if (s.n != cls->ntparams) s.n = 0;
    if (cls->super_type) {
        KcType *r = super_as(c, kc_subst(c, cls->super_type, &s), target, depth + 1);
        if (r) return r;
    }
    for (int i = 0; i < cls->nifaces; i++) {
        KcType *r = super_as(c, kc_subst(c, cls->ifaces[i], &s), target, depth + 1);
        if (r) return r;
    }
    if (target == c->c_object) return c->t_object;
    return NULL;
}

KcType *kc_super_as(Kc *c, KcType *t, KcCls *target) {
    if (t && t->kind == KT_TPARAM && target == c->c_object) return c->t_object;
    if (t && (t->kind == KT_ARRAY) && target == c->c_object) return c->t_object;
    return super_as(c, t, target, 0);
}

KcSubst kc_recv_subst(Kc *c, KcType *recv, KcCls *owner) {
    KcSubst s = { NULL, NULL, 0 };
    if (!owner || owner->ntparams == 0) return s;
    KcType *inst = kc_super_as(c, recv, owner);
    if (!inst || inst->nargs != owner->ntparams) return s;
    s.from = owner->tparams;
    s.to = inst->args;
    s.n = owner->ntparams;
    return s;
}

int kc_is_ref(KcType *t) {
    switch (t->kind) {
    case KT_STRING: case KT_NULL: case KT_ARRAY: case KT_CLASS: case KT_FUNC: case KT_TPARAM:
        return 1;
    default:
        return 0;
    }
}

int kc_is_prim(KcType *t) { return t->kind == KT_INT || t->kind == KT_FLOAT || t->kind == KT_BOOL; }

static KcCls *box_class(Kc *c, KcType *t) {
    switch (t->kind) {
    case KT_INT: return c->c_int;
    case KT_FLOAT: return c->c_float;
    case KT_BOOL: return c->c_bool;
    default: return NULL;
    }
}

/* May a value of type `from` be stored where `to` is expected (boxing included)? */
int kc_assignable(Kc *c, KcType *from, KcType *to) {
    if (from == to || from->kind == KT_ERROR || to->kind == KT_ERROR) return 1;
    if (from->kind == KT_NULL) return kc_is_ref(to);
    if (to == c->t_object) return from->kind != KT_VOID && from->kind != KT_BYTE;
    if (kc_is_prim(from)) {
        KcCls *b = box_class(c, from);
        return b && to->kind == KT_CLASS && to->cls == b;
    }
    if (to->kind == KT_CLASS && (from->kind == KT_CLASS || from->kind == KT_STRING ||
                                 from->kind == KT_FUNC)) {
        KcType *s = kc_super_as(c, from, to->cls);
        return s == to;
    }
    if (to->kind == KT_STRING) return 0;
    return 0;
}

/* "(" erased pre-params, erased params ")" erased result */
const char *kc_method_desc(Kc *c, KcType **params, int n, KcType *ret, KcType **pre, int npre) {
    KcBuf b = {0};
    kc_buf_u8(c, &b, '(');
    for (int i = 0; i < npre; i++) kc_buf_str(c, &b, pre[i]->desc);
    for (int i = 0; i < n; i++) kc_buf_str(c, &b, params[i]->desc);
    kc_buf_u8(c, &b, ')');
    kc_buf_str(c, &b, ret->desc);
    kc_buf_u8(c, &b, 0);
    return (const char *)b.p;
}
