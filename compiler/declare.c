/*
** compiler/declare.c — modules, imports, classes and signatures (LANGUAGE.md §3, §6,
** §7 "Classes", "override", "Modules").
**
** kc_declare runs before any body is checked: it names every module, creates every
** class (so classes may be used before their declaration and across modules),
** resolves imports, class headers (extends/implements, with cycle detection),
** and enters every field, method, constructor, function and global with its
** types. Then it checks the rules between classes: `override`, abstract methods
** left unimplemented, and it plans the bridge methods that erasure needs.
*/
#include <string.h>

#include "../vm/bytecode.h"
#include "check.h"
#include "lexer.h"

static int is_err(KcType *t) { return t->kind == KT_ERROR; }

/* ---- lookups ----------------------------------------------------------------------- */

KcModule *kc_find_module(Kc *c, KcName *qname) {
    for (KcModule *m = c->modules; m; m = m->next)
        if (m->name == qname) return m;
    return NULL;
}

int kc_visible_class(KcModule *from, KcCls *cls) {
    return cls->module == from || !cls->decl || !(cls->decl->mods & MOD_PRIVATE);
}

static KcCls *class_in(KcModule *m, KcName *n) {
    for (KcCls *k = n->classes; k; k = k->next_same_name)
        if (k->module == m) return k;
    return NULL;
}

/* A class named n as seen from module mod: its own, imported by name, std.core's. */
KcCls *kc_find_class(Kc *c, KcModule *mod, KcName *n, int report_private) {
    (void)report_private;
    KcCls *k = class_in(mod, n);
    if (k) return k;
    for (int i = 0; i < mod->nimports; i++) {
        KcImport *im = &mod->imports[i];
        if (!im->module) continue;
        for (int j = 0; j < im->nnames; j++) {
            if (im->names[j] != n) continue;
            k = class_in(im->module, n);
            if (k && kc_visible_class(mod, k)) return k;
        }
    }
    if (c->core) {
        k = class_in(c->core, n);
        if (k && kc_visible_class(mod, k)) return k;
    }
    return NULL;
}

KcType *kc_box_type(Kc *c, KcType *t) {
    switch (t->kind) {
    case KT_INT: return c->c_int ? c->c_int->type : c->t_object;
    case KT_FLOAT: return c->c_float ? c->c_float->type : c->t_object;
    case KT_BOOL: return c->c_bool ? c->c_bool->type : c->t_object;
    default: return t;
    }
}

/* ---- types ----------------------------------------------------------------------------- */

static KcType *named_type(Kc *c, const KcTScope *sc, KcTypeExpr *tx, int allow_raw) {
    KcName *n = tx->parts[tx->nparts - 1];
    KcCls *cls = NULL;
    if (tx->nparts == 1) {
        if (n == c->n_int) cls = NULL;
        if (n == c->n_int || n == c->n_float || n == c->n_bool) {
            if (tx->nargs) kc_error(c, tx->pos, "type `%s` takes no type arguments", n->s);
            return n == c->n_int ? c->t_int : n == c->n_float ? c->t_float : c->t_bool;
        }
        if (n == c->n_byte) {
            kc_error(c, tx->pos, "`byte` is only allowed as an array element type (`byte[]`)");
            return c->t_error;
        }
        for (int i = 0; i < sc->nmt; i++)
            if (sc->mtparams[i]->name == n->s || strcmp(sc->mtparams[i]->name, n->s) == 0)
                return sc->mtparams[i];
        if (sc->cls)
            for (int i = 0; i < sc->cls->ntparams; i++)
                if (strcmp(sc->cls->tparams[i]->name, n->s) == 0) return sc->cls->tparams[i];
        cls = kc_find_class(c, sc->mod, n, 1);
        if (!cls) {
            if (strcmp(n->s, "void") == 0 || strcmp(n->s, "Unit") == 0)
                kc_error(c, tx->pos, "unknown type `%s` (a function without a result has no `: type`)",
                         n->s);
            else
                kc_error(c, tx->pos, "unknown type `%s`", n->s);
            return c->t_error;
        }
    } else {
        /* alias.Name (import a.b; b.Name) or a.b.Name */
        KcBuf b = {0};
        for (int i = 0; i < tx->nparts - 1; i++) {
            if (i) kc_buf_u8(c, &b, '.');
            kc_buf_str(c, &b, tx->parts[i]->s);
        }
        KcName *qual = kc_name(c, (const char *)b.p, b.len);
        KcModule *m = NULL;
        for (int i = 0; i < sc->mod->nimports && !m; i++)
            if (sc->mod->imports[i].alias == qual && !sc->mod->imports[i].names) m = sc->mod->imports[i].module;
        if (!m) m = kc_find_module(c, qual);
        if (!m) {
            kc_error(c, tx->pos, "unknown module `%s` in type `%s.%s`", qual->s, qual->s, n->s);
            return c->t_error;
        }
        cls = class_in(m, n);
        if (!cls || !kc_visible_class(sc->mod, cls)) {
            kc_error(c, tx->pos, "module `%s` has no class `%s`", m->name->s, n->s);
            return c->t_error;
        }
    }
    if (tx->nargs == 0) {
        if (cls->ntparams > 0 && !allow_raw) {
            kc_error(c, tx->pos, "generic type `%s` needs type arguments (`%s<...>`)", cls->name->s,
                     cls->name->s);
            return c->t_error;
        }
        return cls->type;
    }
    if (tx->nargs != cls->ntparams) {
        if (cls->ntparams == 0)
            kc_error(c, tx->pos, "type `%s` takes no type arguments", cls->name->s);
        else
            kc_error(c, tx->pos, "type `%s` takes %d type argument%s, found %d", cls->name->s,
                     cls->ntparams, cls->ntparams == 1 ? "" : "s", tx->nargs);
        return c->t_error;
    }
    KcType **args = kc_alloc(c, sizeof(KcType *) * (size_t)tx->nargs);
    for (int i = 0; i < tx->nargs; i++) {
        args[i] = kc_resolve_type(c, sc, tx->args[i], 0);
        if (is_err(args[i])) return c->t_error;
        if (args[i]->kind == KT_VOID) return c->t_error;
    }
    return kc_class_type(c, cls, args, tx->nargs);
}

KcType *kc_resolve_type(Kc *c, const KcTScope *sc, KcTypeExpr *tx, int allow_raw) {
    if (!tx) return c->t_error;
    switch (tx->kind) {
    case TX_NAME:
        if (tx->nparts == 0) return c->t_error;             /* reported by the parser */
        return named_type(c, sc, tx, allow_raw);
    case TX_ARRAY: {
        KcTypeExpr *e = tx->elem;
        if (e->kind == TX_NAME && e->nparts == 1 && e->parts[0] == c->n_byte && e->nargs == 0)
            return kc_array_type(c, c->t_byte);
        KcType *et = kc_resolve_type(c, sc, e, 0);
        if (is_err(et)) return et;
        return kc_array_type(c, et);
    }
    case TX_FUNC: {
        KcType **ps = kc_alloc(c, sizeof(KcType *) * (size_t)(tx->nargs ? tx->nargs : 1));
        int bad = 0;
        for (int i = 0; i < tx->nargs; i++) {
            ps[i] = kc_resolve_type(c, sc, tx->args[i], 0);
            bad |= is_err(ps[i]);
        }
        KcType *r = tx->ret ? kc_resolve_type(c, sc, tx->ret, 0) : c->t_void;
        if (bad || is_err(r)) return c->t_error;
        return kc_func_type(c, ps, tx->nargs, r);
    }
    }
    return c->t_error;
}

/* ---- modules and classes -------------------------------------------------------------- */

/* A module name derived from a file name must be a plain identifier. */
static int is_identifier(const char *s) {
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return 0;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static KcType *new_tparam(Kc *c, KcName *n, int index, int method) {
    KcType *t = kc_alloc(c, sizeof *t);
    t->kind = KT_TPARAM;
    t->name = n->s;
    t->desc = "Lstd.core.Object;";
    t->tindex = index;
    t->tmethod = method;
    return t;
}

static void create_class(Kc *c, KcModule *m, KcDecl *d) {
    if (!d->name) return;
    KcCls *old = class_in(m, d->name);
    if (old) {
        kc_error(c, d->name_pos, "`%s` is already declared in this module (at line %d)", d->name->s,
                 old->pos.line);
        return;
    }
    KcCls *k = kc_alloc(c, sizeof *k);
    k->name = d->name;
    k->qname = kc_sprintf(c, "%s.%s", m->name->s, d->name->s);
    k->module = m;
    k->decl = d;
    k->pos = d->name_pos;
    k->is_interface = d->kind == D_INTERFACE;
    k->is_abstract = k->is_interface || (d->mods & MOD_ABSTRACT);
    d->cls = k;
    if (d->mods & (MOD_STATIC | MOD_NATIVE | MOD_OVERRIDE)) {
        for (int b = 1; b < 5; b++)
            if ((d->mods & (1 << b)) && b != 3)
                kc_error(c, d->pos, "a %s cannot be `%s`", k->is_interface ? "interface" : "class",
                         b == 1 ? "native" : b == 2 ? "static" : "override");
    }
    if (k->is_interface && (d->mods & MOD_ABSTRACT)) { /* redundant but allowed */ }
    k->ntparams = d->ntparams;
    k->tparams = kc_alloc(c, sizeof(KcType *) * (size_t)(d->ntparams ? d->ntparams : 1));
    for (int i = 0; i < d->ntparams; i++) {
        for (int j = 0; j < i; j++)
            if (d->tparams[j] == d->tparams[i])
                kc_error(c, d->name_pos, "duplicate type parameter `%s`", d->tparams[i]->s);
        k->tparams[i] = new_tparam(c, d->tparams[i], i, 0);
    }
    if (m->is_prelude && d->name == c->n_string) {
        k->type = c->t_string;
        c->t_string->cls = k;
        c->c_string = k;
    } else {
        KcType *t = kc_alloc(c, sizeof *t);
        t->kind = KT_CLASS;
        t->name = k->ntparams ? kc_sprintf(c, "%s<%s>", k->name->s, kc_type_list(c, k->tparams, k->ntparams))
                              : k->name->s;
        t->desc = kc_sprintf(c, "L%s;", k->qname);
        t->cls = k;
        t->args = k->tparams;
        t->nargs = k->ntparams;
        k->type = t;
    }
    if (m->is_prelude) {
        const char *s = d->name->s;
        if (strcmp(s, "Object") == 0) { c->c_object = k; c->t_object = k->type; }
        else if (strcmp(s, "Error") == 0) c->c_error = k;
        else if (strcmp(s, "Int") == 0) c->c_int = k;
        else if (strcmp(s, "Float") == 0) c->c_float = k;
        else if (strcmp(s, "Bool") == 0) c->c_bool = k;
        else if (strcmp(s, "Function") == 0) { c->c_function = k; c->t_function = k->type; }
        else if (strcmp(s, "Iterable") == 0) c->c_iterable = k;
        else if (strcmp(s, "Iterator") == 0) c->c_iterator = k;
        else if (strcmp(s, "Map") == 0) c->c_map = k;
        if (k == c->c_string || k == c->c_function || k == c->c_int || k == c->c_float ||
            k == c->c_bool)
            k->is_final = 1;
    }
    k->next_same_name = d->name->classes;
    d->name->classes = k;
    kc_vec_push(c, &m->classes, k);
}

static void resolve_imports(Kc *c, KcModule *m) {
    KcFile *f = m->src->ast;
    int n = 0;
    for (int k = 0; k < f->ndecls; k++) if (f->decls[k]->kind == D_IMPORT) n++;
    m->imports = kc_alloc(c, sizeof(KcImport) * (size_t)(n ? n : 1));
    for (int k = 0; k < f->ndecls; k++) {
        KcDecl *d = f->decls[k];
        if (d->kind != D_IMPORT || !d->name) continue;
        KcImport *im = &m->imports[m->nimports++];
        im->pos = d->name_pos;
        const char *dot = strrchr(d->name->s, '.');
        im->alias = dot ? kc_name_cstr(c, dot + 1) : d->name;
        im->module = kc_find_module(c, d->name);
        im->names = d->tparams;
        im->nnames = d->ntparams;
        if (!im->module) {
            kc_error(c, d->name_pos, "module `%s` not found", d->name->s);
            continue;
        }
        if (im->module == m) {
            kc_error(c, d->name_pos, "module `%s` imports itself", d->name->s);
            im->module = NULL;
            continue;
        }
    }
}

/* Names of `import a.b.{X, Y}` must be public declarations of a.b. */
static void check_import_names(Kc *c, KcModule *m) {
    for (int i = 0; i < m->nimports; i++) {
        KcImport *im = &m->imports[i];
        if (!im->module) continue;
        for (int j = 0; j < im->nnames; j++) {
            KcName *x = im->names[j];
            int found = 0;
            for (KcCls *k2 = x->classes; k2 && !found; k2 = k2->next_same_name)
                found = k2->module == im->module && kc_visible_class(m, k2);
            for (KcFunc *fn = x->funcs; fn && !found; fn = fn->next_same_name)
                found = fn->module == im->module && !(fn->access & KACC_PRIVATE);
            for (KcField *g = x->globals; g && !found; g = g->next_same_name)
                found = g->module == im->module && !(g->access & KACC_PRIVATE);
            if (!found)
                kc_error(c, im->pos, "module `%s` has no public declaration `%s`", im->module->name->s,
                         x->s);
        }
    }
}

static void resolve_header(Kc *c, KcCls *k) {
    if (k->header_state == 2) return;
    if (k->header_state == 1) {
        kc_error(c, k->pos, "class `%s` inherits from itself", k->name->s);
        return;
    }
    k->header_state = 1;
    KcDecl *d = k->decl;
    KcTScope sc = { k->module, k, NULL, 0 };
    if (!k->is_interface && d->super) {
        KcType *st = kc_resolve_type(c, &sc, d->super, 0);
        if (st->kind == KT_CLASS || st->kind == KT_STRING) {
            resolve_header(c, st->cls);
            if (st->cls->is_interface)
                kc_error(c, d->super->pos, "`%s` is an interface: use `implements`", st->name);
            else if (st->cls->is_final)
                kc_error(c, d->super->pos, "class `%s` cannot be extended", st->name);
            else if (kc_is_subclass(st->cls, k))
                kc_error(c, d->super->pos, "class `%s` inherits from itself", k->name->s);
            else
                k->super_type = st;
        } else if (!is_err(st)) {
            kc_error(c, d->super->pos, "a class can only extend a class, not %s", st->name);
        }
    }
    if (!k->is_interface && !k->super_type && k != c->c_object) k->super_type = c->t_object;
    k->ifaces = kc_alloc(c, sizeof(KcType *) * (size_t)(d->nifaces ? d->nifaces : 1));
    for (int i = 0; i < d->nifaces; i++) {
        KcType *it = kc_resolve_type(c, &sc, d->ifaces[i], 0);
        if (is_err(it)) continue;
        if (it->kind != KT_CLASS || !it->cls->is_interface) {
            kc_error(c, d->ifaces[i]->pos, "`%s` is not an interface", it->name);
            continue;
        }
        resolve_header(c, it->cls);
        if (kc_is_subclass(it->cls, k)) {
            kc_error(c, d->ifaces[i]->pos, "interface `%s` inherits from itself", k->name->s);
            continue;
        }
        for (int j = 0; j < k->nifaces; j++)
            if (k->ifaces[j]->cls == it->cls)
                kc_error(c, d->ifaces[i]->pos, "`%s` is listed twice", it->name);
        k->ifaces[k->nifaces++] = it;
    }
    k->header_state = 2;
}

/* ---- members --------------------------------------------------------------------------- */

int kc_same_params(Kc *c, KcFunc *a, KcFunc *b, const KcSubst *sb) {
    if (a->nparams != b->nparams) return 0;
    for (int i = 0; i < a->nparams; i++) {
        KcType *pb = kc_subst(c, b->params[i], sb);
        if (a->params[i] != pb) {
            if (a->ntparams && b->ntparams && a->params[i]->kind == KT_TPARAM && pb->kind == KT_TPARAM &&
                a->params[i]->tindex == pb->tindex)
                continue;
            return 0;
        }
    }
    return 1;
}

/* A function's signature from its declaration. cls is NULL for module functions. */
static KcFunc *declare_signature(Kc *c, KcModule *m, KcCls *cls, KcDecl *d) {
    KcFunc *f = kc_alloc(c, sizeof *f);
    f->name = d->name;
    f->module = m;
    f->cls = cls;
    f->owner = cls ? cls->qname : m->name->s;
    f->decl = d;
    f->pos = d->name_pos;
    f->is_ctor = d->is_ctor;
    f->mname = d->name->s;
    f->ntparams = d->ntparams;
    f->tparams = kc_alloc(c, sizeof(KcType *) * (size_t)(d->ntparams ? d->ntparams : 1));
    for (int i = 0; i < d->ntparams; i++) {
        for (int j = 0; j < i; j++)
            if (d->tparams[j] == d->tparams[i])
                kc_error(c, d->name_pos, "duplicate type parameter `%s`", d->tparams[i]->s);
        f->tparams[i] = new_tparam(c, d->tparams[i], i, 1);
    }
    KcTScope sc = { m, cls, f->tparams, f->ntparams };
    f->nparams = d->nparams;
    f->params = kc_alloc(c, sizeof(KcType *) * (size_t)(d->nparams ? d->nparams : 1));
    for (int i = 0; i < d->nparams; i++) {
        f->params[i] = kc_resolve_type(c, &sc, d->params[i].type, 0);
        if (f->params[i]->kind == KT_VOID) f->params[i] = c->t_error;
    }
    f->ret = d->ret ? kc_resolve_type(c, &sc, d->ret, 0) : c->t_void;
    f->desc = kc_method_desc(c, f->params, f->nparams, f->ret, NULL, 0);
    d->fn = f;
    return f;
}

static void declare_module_fun(Kc *c, KcModule *m, KcDecl *d) {
    static const char *const mod_names[5] = { "private", "native", "static", "abstract", "override" };
    for (int k = 2; k < 5; k++)
        if (d->mods & (1 << k))
            kc_error(c, d->mod_pos[k], "`%s` is only allowed on members of a class", mod_names[k]);
    if (!d->name) return;
    if ((d->mods & MOD_NATIVE) && d->body)
        kc_error(c, d->name_pos, "a `native` function has no body");
    if (!(d->mods & MOD_NATIVE) && !d->body && !d->syntax_error) return;
    KcFunc *f = declare_signature(c, m, NULL, d);
    f->access = KACC_STATIC | ((d->mods & MOD_PRIVATE) ? KACC_PRIVATE : 0) |
                ((d->mods & MOD_NATIVE) ? KACC_NATIVE : 0);
    if (d->name == c->n_main && d->nparams == 1 && f->params[0] != kc_array_type(c, c->t_string) &&
        !is_err(f->params[0]))
        kc_error(c, d->params[0].pos, "`main` takes no parameters or `args: String[]`");
    for (KcFunc *g = d->name->funcs; g; g = g->next_same_name) {
        if (g->module != m || g->cls) continue;
        if (kc_same_params(c, g, f, NULL) && f->ntparams == g->ntparams) {
            kc_error(c, d->name_pos, "function `%s(%s)` is already declared (at line %d)", d->name->s,
                     kc_type_list(c, f->params, f->nparams), g->pos.line);
            return;
        }
    }
    f->next_same_name = d->name->funcs;
    d->name->funcs = f;
    kc_vec_push(c, &m->funcs, f);
}

static KcField *declare_var(Kc *c, KcModule *m, KcCls *cls, KcDecl *d) {
    KcStmt *s = d->body;
    if (!d->name || !s || s->kind != S_VAR) return NULL;
    KcField *f = kc_alloc(c, sizeof *f);
    f->name = d->name;
    f->cls = cls;
    f->module = m;
    f->owner = cls ? cls->qname : m->name->s;
    f->decl = d;
    f->pos = d->name_pos;
    f->is_const = d->kind == D_CONST;
    f->init = s->u.var.init;
    f->access = (d->mods & MOD_PRIVATE ? KACC_PRIVATE : 0) |
                (s->u.var.keyword == TK_KW_LET ? KACC_LET : 0);
    if (!cls || (d->mods & MOD_STATIC) || f->is_const) f->access |= KACC_STATIC;
    for (int k = 1; k < 5; k++) {
        if (!(d->mods & (1 << k))) continue;
        if (k == 2 && cls) continue;
        kc_error(c, d->mod_pos[k], "a %s cannot be `%s`", cls ? "field" : "global variable",
                 k == 1 ? "native" : k == 2 ? "static" : k == 3 ? "abstract" : "override");
    }
    if (s->u.var.type) {
        KcTScope sc = { m, (f->access & KACC_STATIC) ? NULL : cls, NULL, 0 };
        f->type = kc_resolve_type(c, &sc, s->u.var.type, 0);
        f->typed = 1;
    } else if (!f->init) {
        kc_error(c, d->name_pos, "`%s` needs a type or an initial value", d->name->s);
        f->type = c->t_error;
        f->typed = 1;
    }
    if (f->is_const && !f->init) {
        kc_error(c, d->name_pos, "constant `%s` needs a value", d->name->s);
        f->type = c->t_error;
        f->typed = 1;
    }
    d->field = f;
    return f;
}

KcType *kc_field_type(Kc *c, KcField *f) {
    if (!f->typed) kc_infer_field(c, f);
    return f->type ? f->type : c->t_error;
}

KcField *kc_find_field(Kc *c, KcCls *cls, KcName *n) {
    (void)c;
    for (int depth = 0; cls && depth < 1000; depth++) {
        for (int i = 0; i < cls->fields.n; i++) {
            KcField *f = cls->fields.items[i];
            if (f->name == n) return f;
        }
        cls = cls->super_type ? cls->super_type->cls : NULL;
    }
    return NULL;
}

static void declare_members(Kc *c, KcCls *k) {
    KcDecl *d = k->decl;
    int has_ctor = 0;
    for (int i = 0; i < d->nmembers; i++) {
        KcDecl *md = d->members[i];
        if (md->kind == D_VAR || md->kind == D_CONST) {
            if (k->is_interface && !(md->kind == D_CONST)) {
                kc_error(c, md->pos, "an interface cannot have fields");
                continue;
            }
            KcField *f = declare_var(c, k->module, k, md);
            if (!f) continue;
            KcField *old = NULL;
            for (int j = 0; j < k->fields.n && !old; j++)
                if (((KcField *)k->fields.items[j])->name == f->name) old = k->fields.items[j];
            if (old) {
                kc_error(c, md->name_pos, "field `%s` is already declared (at line %d)", f->name->s,
                         old->pos.line);
                continue;
            }
            kc_vec_push(c, &k->fields, f);
            continue;
        }
        if (md->kind != D_FUN || !md->name) continue;
        int mods = md->mods;
        if (md->is_ctor) {
            if (k->is_interface) {
                kc_error(c, md->pos, "an interface cannot have `init`");
                continue;
            }
            if (mods & (MOD_STATIC | MOD_ABSTRACT | MOD_OVERRIDE | MOD_NATIVE))
                kc_error(c, md->pos, "`init` cannot be `static`, `abstract`, `override` or `native`");
            if (!md->body) continue;
            has_ctor = 1;
        } else {
            if ((mods & MOD_ABSTRACT) && md->body)
                kc_error(c, md->name_pos, "abstract method `%s` cannot have a body", md->name->s);
            if ((mods & MOD_ABSTRACT) && !k->is_abstract)
                kc_error(c, md->mod_pos[3], "abstract method `%s` in class `%s`, which is not abstract",
                         md->name->s, k->name->s);
            if ((mods & MOD_ABSTRACT) && (mods & (MOD_STATIC | MOD_PRIVATE)))
                kc_error(c, md->mod_pos[3], "an abstract method cannot be `static` or `private`");
            if ((mods & MOD_OVERRIDE) && (mods & (MOD_STATIC | MOD_PRIVATE)))
                kc_error(c, md->mod_pos[4], "a `static` or `private` method cannot `override`");
            if ((mods & MOD_NATIVE) && md->body)
                kc_error(c, md->name_pos, "a `native` method has no body");
            if (!md->body && !(mods & (MOD_NATIVE | MOD_ABSTRACT)) && !k->is_interface &&
                !md->syntax_error)
                kc_error(c, md->name_pos, "method `%s` needs a body", md->name->s);
        }
        KcFunc *f = declare_signature(c, k->module, k, md);
        f->is_override = (mods & MOD_OVERRIDE) != 0;
        f->access = ((mods & MOD_STATIC) ? KACC_STATIC : 0) | ((mods & MOD_PRIVATE) ? KACC_PRIVATE : 0) |
                    ((mods & MOD_NATIVE) ? KACC_NATIVE : 0) |
                    ((mods & MOD_ABSTRACT) || (k->is_interface && !md->body && !(mods & MOD_NATIVE))
                         ? KACC_ABSTRACT : 0);
        if (f->is_ctor) f->ret = c->t_void;
        for (int j = 0; j < k->methods.n; j++) {
            KcFunc *g = k->methods.items[j];
            if (g->name == f->name && kc_same_params(c, g, f, NULL) && g->ntparams == f->ntparams) {
                kc_error(c, md->name_pos, "%s `%s(%s)` is already declared (at line %d)",
                         f->is_ctor ? "constructor" : "method", f->is_ctor ? "init" : f->name->s,
                         kc_type_list(c, f->params, f->nparams), g->pos.line);
                f = NULL;
                break;
            }
        }
        if (f) kc_vec_push(c, &k->methods, f);
    }
    if (!has_ctor && !k->is_interface) {
        KcFunc *f = kc_alloc(c, sizeof *f);
        f->name = c->n_init;
        f->mname = "init";
        f->module = k->module;
        f->cls = k;
        f->owner = k->qname;
        f->is_ctor = 1;
        f->ret = c->t_void;
        f->desc = "()V";
        f->synth = SYN_DEFAULT_INIT;
        f->pos = k->pos;
        f->params = kc_alloc(c, sizeof(KcType *));
        if (k->module->is_prelude && (k == c->c_string || k == c->c_function))
            f->access = KACC_PRIVATE;
        kc_vec_push(c, &k->methods, f);
    }
}

/* ---- class rules ------------------------------------------------------------------------ */

typedef struct { KcFunc *f; KcType *via; } Found;

/* The method a supertype of k declares with m's name and parameter types. */
static KcFunc *find_in_type(Kc *c, KcType *t, KcFunc *m, int want_iface, int depth) {
    if (!t || !t->cls || depth > 100) return NULL;
    KcCls *s = t->cls;
    KcSubst sb = kc_recv_subst(c, t, s);
    if (s->is_interface == want_iface || (!want_iface && !s->is_interface)) {
        for (int i = 0; i < s->methods.n; i++) {
            KcFunc *g = s->methods.items[i];
            if (g->name != m->name || g->is_ctor || (g->access & (KACC_PRIVATE | KACC_STATIC))) continue;
            if (kc_same_params(c, m, g, &sb)) return g;
        }
    }
    if (!want_iface) return s->super_type ? find_in_type(c, kc_subst(c, s->super_type, &sb), m, 0, depth + 1)
                                          : NULL;
    for (int i = 0; i < s->nifaces; i++) {
        KcFunc *g = find_in_type(c, kc_subst(c, s->ifaces[i], &sb), m, 1, depth + 1);
        if (g) return g;
    }
    return NULL;
}

/* m's overridden method: in the superclass chain, else in any superinterface. */
static KcFunc *find_overridden(Kc *c, KcCls *k, KcFunc *m) {
    KcFunc *g = k->super_type ? find_in_type(c, k->super_type, m, 0, 0) : NULL;
    if (g) return g;
    for (KcCls *x = k; x; x = x->super_type ? x->super_type->cls : NULL) {
        KcType *xt = x == k ? k->type : kc_super_as(c, k->type, x);
        KcSubst sb = kc_recv_subst(c, xt ? xt : x->type, x);
        for (int i = 0; i < x->nifaces; i++) {
            g = find_in_type(c, kc_subst(c, x->ifaces[i], &sb), m, 1, 0);
            if (g) return g;
        }
        if (x->header_state != 2) break;
    }
    return NULL;
}

static void add_bridge(Kc *c, KcCls *k, KcFunc *impl, KcFunc *over) {
    if (strcmp(impl->desc, over->desc) == 0) return;
    for (int i = 0; i < k->lambdas.n; i++) {
        KcFunc *b = k->lambdas.items[i];
        if (b->synth == SYN_BRIDGE && b->name == impl->name && strcmp(b->desc, over->desc) == 0) return;
    }
    for (int i = 0; i < k->methods.n; i++) {
        KcFunc *b = k->methods.items[i];
        if (b->name == impl->name && strcmp(b->desc, over->desc) == 0) return;
    }
    KcFunc *b = kc_alloc(c, sizeof *b);
    *b = *impl;
    b->decl = NULL;
    b->synth = SYN_BRIDGE;
    b->target = impl;
    b->overrides = over;
    b->desc = over->desc;
    b->params = over->params;
    b->ret = over->ret;
    b->access = 0;
    b->is_override = 0;
    kc_vec_push(c, &k->lambdas, b);
}

/* Abstract methods of t (and its supertypes) that k leaves unimplemented. */
static void check_abstract(Kc *c, KcCls *k, KcType *t, int depth, int *reported) {
    if (!t || !t->cls || depth > 100 || *reported > 3) return;
    KcCls *s = t->cls;
    KcSubst sb = kc_recv_subst(c, t, s);
    for (int i = 0; i < s->methods.n; i++) {
        KcFunc *g = s->methods.items[i];
        if (!(g->access & KACC_ABSTRACT)) continue;
        /* Implemented by a concrete method of k or its superclasses, or a default? */
        KcFunc probe = *g;
        probe.params = kc_alloc(c, sizeof(KcType *) * (size_t)(g->nparams ? g->nparams : 1));
        for (int j = 0; j < g->nparams; j++) probe.params[j] = kc_subst(c, g->params[j], &sb);
        KcFunc *impl = NULL;
        for (KcCls *x = k; x && !impl; x = x->super_type ? x->super_type->cls : NULL) {
            KcType *xt = kc_super_as(c, k->type, x);
            KcSubst xs = kc_recv_subst(c, xt ? xt : x->type, x);
            for (int j = 0; j < x->methods.n && !impl; j++) {
                KcFunc *h = x->methods.items[j];
                if (h->name == g->name && !(h->access & (KACC_ABSTRACT | KACC_STATIC)) && !h->is_ctor &&
                    kc_same_params(c, &probe, h, &xs))
                    impl = h;
            }
        }
        if (!impl) {
            /* a default method of some interface of k */
            KcFunc *dflt = find_overridden(c, k, &probe);
            if (dflt && !(dflt->access & KACC_ABSTRACT)) impl = dflt;
        }
        if (!impl) {
            (*reported)++;
            kc_error(c, k->pos, "class `%s` must implement `%s(%s)` of `%s` (or be declared abstract)",
                     k->name->s, g->name->s, kc_type_list(c, probe.params, probe.nparams), s->name->s);
        }
    }
    KcType *sup = s->super_type ? kc_subst(c, s->super_type, &sb) : NULL;
    if (sup) check_abstract(c, k, sup, depth + 1, reported);
    for (int i = 0; i < s->nifaces; i++) check_abstract(c, k, kc_subst(c, s->ifaces[i], &sb), depth + 1, reported);
}

/* Default (non-abstract) methods of the interfaces of t and their superinterfaces. */
static void gather_defaults(Kc *c, KcType *t, KcVec *out, int depth) {
    if (!t || !t->cls || depth > 100) return;
    KcCls *s = t->cls;
    if (s->is_interface)
        for (int i = 0; i < s->methods.n; i++) {
            KcFunc *g = s->methods.items[i];
            if (!(g->access & (KACC_ABSTRACT | KACC_STATIC | KACC_PRIVATE))) kc_vec_push(c, out, g);
        }
    for (int i = 0; i < s->nifaces; i++) gather_defaults(c, s->ifaces[i], out, depth + 1);
}

/* Two inherited defaults with the same name must be overridden (LANGUAGE.md §7),
** unless one interface extends the other (its default replaces the other's). */
static void check_default_clash(Kc *c, KcCls *k) {
    KcVec ds = {0};
    for (int i = 0; i < k->nifaces; i++) gather_defaults(c, k->ifaces[i], &ds, 0);
    for (int i = 0; i < ds.n; i++) {
        KcFunc *a = ds.items[i];
        for (int j = i + 1; j < ds.n; j++) {
            KcFunc *b = ds.items[j];
            if (a == b || a->name != b->name || a->nparams != b->nparams) continue;
            if (kc_is_subclass(a->cls, b->cls) || kc_is_subclass(b->cls, a->cls)) continue;
            int own = 0;
            for (KcCls *x = k; x && !own; x = x->super_type ? x->super_type->cls : NULL)
                for (int m = 0; m < x->methods.n && !own; m++) {
                    KcFunc *h = x->methods.items[m];
                    own = h->name == a->name && !h->is_ctor && !(h->access & KACC_STATIC) &&
                          h->nparams == a->nparams;
                }
            if (!own) {
                kc_error(c, k->pos, "%s `%s` inherits `%s` from both `%s` and `%s`: it must override it",
                         k->is_interface ? "interface" : "class", k->name->s, a->name->s,
                         a->cls->name->s, b->cls->name->s);
                return;
            }
        }
    }
}

static void check_class_rules(Kc *c, KcCls *k) {
    if (k->checked) return;
    k->checked = 1;
    if (k->super_type && k->super_type->cls) check_class_rules(c, k->super_type->cls);
    for (int i = 0; i < k->nifaces; i++) if (k->ifaces[i]->cls) check_class_rules(c, k->ifaces[i]->cls);
    for (int i = 0; i < k->methods.n; i++) {
        KcFunc *m = k->methods.items[i];
        if (m->is_ctor || (m->access & (KACC_STATIC | KACC_PRIVATE))) continue;
        KcFunc *over = find_overridden(c, k, m);
        if (!over) {
            if (m->is_override)
                kc_error(c, m->pos, "method `%s` is marked `override` but overrides nothing", m->name->s);
            continue;
        }
        m->overrides = over;
        KcType *ot = kc_super_as(c, k->type, over->cls);
        KcSubst sb = kc_recv_subst(c, ot ? ot : over->cls->type, over->cls);
        KcType *oret = kc_subst(c, over->ret, &sb);
        if (oret != m->ret && !is_err(oret) && !is_err(m->ret))
            kc_error(c, m->pos, "method `%s` must return %s like the method it overrides", m->name->s,
                     oret->name);
        int needs = !over->cls->is_interface || !(over->access & KACC_ABSTRACT);
        if (needs && !m->is_override)
            kc_error(c, m->pos, "method `%s` overrides `%s.%s` and must be marked `override`", m->name->s,
                     over->cls->name->s, m->name->s);
        add_bridge(c, k, m, over);
        /* Every other method of a supertype with the same signature but another erasure. */
        for (KcFunc *o2 = over->overrides; o2; o2 = o2->overrides) add_bridge(c, k, m, o2);
    }
    check_default_clash(c, k);
    if (!k->is_abstract) {
        int reported = 0;
        check_abstract(c, k, k->type, 0, &reported);
    }
    /* Interfaces' methods implemented by a superclass method with another erasure. */
}

/* ---- kc_declare ------------------------------------------------------------------------- */

void kc_declare(Kc *c) {
    KcModule *last = NULL;
    for (int i = 0; i < c->nsrcs; i++) {
        KcSrc *s = &c->srcs[i];
        KcFile *f = s->ast;
        KcName *name = kc_src_module_name(c, s);
        if (!f->module_name && !is_identifier(name->s))
            kc_error(c, (KcPos){ s->index, 1, 1, 0 },
                     "the file name `%s` is not a module name: add a `module` line or rename the file",
                     s->basename);
        KcModule *m = kc_alloc(c, sizeof *m);
        m->name = name;
        m->src = s;
        m->is_prelude = s->path && strcmp(s->path, "<std.core>") == 0;
        if (m->is_prelude) c->core = m;
        s->module = m;
        for (KcModule *o = c->modules; o; o = o->next) {
            if (o->name == name) {
                KcPos pos = f->module_name ? f->module_pos : (KcPos){ s->index, 1, 1, 0 };
                kc_error(c, pos, "module `%s` is already defined by %s", name->s, o->src->path);
                break;
            }
        }
        if (last) last->next = m; else c->modules = m;
        last = m;
    }
    /* The prelude first, so that Object, String... exist for every other module. */
    for (int pass = 0; pass < 2; pass++)
        for (KcModule *m = c->modules; m; m = m->next) {
            if (m->is_prelude != (pass == 0)) continue;
            KcFile *f = m->src->ast;
            for (int k = 0; k < f->ndecls; k++)
                if (f->decls[k]->kind == D_CLASS || f->decls[k]->kind == D_INTERFACE)
                    create_class(c, m, f->decls[k]);
        }
    /* Module functions and globals are entered before imports are checked. */
    for (KcModule *m = c->modules; m; m = m->next) {
        KcFile *f = m->src->ast;
        for (int k = 0; k < f->ndecls; k++) {
            KcDecl *d = f->decls[k];
            if (d->kind == D_VAR || d->kind == D_CONST) {
                if (!d->name) continue;
                for (KcField *g = d->name->globals; g; g = g->next_same_name)
                    if (g->module == m) {
                        kc_error(c, d->name_pos, "`%s` is already declared (at line %d)", d->name->s,
                                 g->pos.line);
                        break;
                    }
            }
        }
    }
    for (KcModule *m = c->modules; m; m = m->next) resolve_imports(c, m);
    for (KcModule *m = c->modules; m; m = m->next)
        for (int i = 0; i < m->classes.n; i++) resolve_header(c, m->classes.items[i]);
    for (KcModule *m = c->modules; m; m = m->next) {
        for (int i = 0; i < m->classes.n; i++) declare_members(c, m->classes.items[i]);
        KcFile *f = m->src->ast;
        for (int k = 0; k < f->ndecls; k++) {
            KcDecl *d = f->decls[k];
            switch (d->kind) {
            case D_FUN: declare_module_fun(c, m, d); break;
            case D_VAR: case D_CONST: {
                if (d->mods & MOD_STATIC) kc_error(c, d->mod_pos[2], "`static` is only allowed on members of a class");
                KcField *g = declare_var(c, m, NULL, d);
                if (!g) break;
                int dup = 0;
                for (KcField *o = d->name->globals; o && !dup; o = o->next_same_name) dup = o->module == m;
                if (dup) break;
                g->next_same_name = d->name->globals;
                d->name->globals = g;
                kc_vec_push(c, &m->globals, g);
                break;
            }
            default: break;
            }
        }
    }
    for (KcModule *m = c->modules; m; m = m->next) check_import_names(c, m);
    for (KcModule *m = c->modules; m; m = m->next)
        for (int i = 0; i < m->classes.n; i++) check_class_rules(c, m->classes.items[i]);
}
