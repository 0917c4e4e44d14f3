/*
** compiler/check.h — what the checker's files (declare.c, check.c) share.
*/
#ifndef KILN_CHECK_H
#define KILN_CHECK_H

#include "ast.h"

/* Where type names are looked up: the module's classes and imports, the type
** parameters of a class and of a generic function. */
typedef struct {
    KcModule *mod;
    KcCls  *cls;
    KcType  **mtparams;
    int       nmt;
} KcTScope;

KC_FUNC KcType   *kc_resolve_type(Kc *c, const KcTScope *sc, KcTypeExpr *tx, int allow_raw);
KC_FUNC KcCls  *kc_find_class(Kc *c, KcModule *mod, KcName *n, int report_private);
KC_FUNC KcModule *kc_find_module(Kc *c, KcName *qname);
KC_FUNC KcType   *kc_field_type(Kc *c, KcField *f);            /* infers it if needed */
KC_FUNC void      kc_infer_field(Kc *c, KcField *f);           /* check.c */
KC_FUNC KcField  *kc_find_field(Kc *c, KcCls *cls, KcName *n);     /* class chain */
KC_FUNC int       kc_same_params(Kc *c, KcFunc *a, KcFunc *b, const KcSubst *sb);
KC_FUNC KcType   *kc_box_type(Kc *c, KcType *t);                /* Int for int ... */
KC_FUNC int       kc_visible_class(KcModule *from, KcCls *cls);

#endif
