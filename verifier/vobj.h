/*
** verifier/vobj.h — verifier internals shared by verifier.c (per-method checks,
** dataflow) and vobj.c (the object model: class hierarchy, fields, methods,
** arrays, closures, errors). Internal to verifier/.
**
** Invariants
** - A Vf describes one method being verified; its frame (locals, then operand
**   stack) is `cur`, with `sp` stack slots in use. Rules write nothing outside
**   cur[0 .. nloc + nstk).
** - A VoCtx lives for one vf_verify_class call and is shared by its methods: it
**   caches class look-ups by interned type (see vtypes.h), so every class is
**   looked up at most once per verified class.
** - Class look-ups consult, in order: the class being verified (by name, so a
**   class need not be in vm->classes to be verified), vm->classes (the loader adds
**   a class there before verifying it, so classes loaded meanwhile can refer back
**   to it), and finally ld_find_class, which loads, links and verifies. With
**   vm == NULL (unit tests) only the class itself and a fixed table of std.core
**   classes are known.
** - Every failure goes through vf_failv: "verify error: CLASS.METHOD DESC at pc N: ...".
*/
#ifndef KILN_VOBJ_H
#define KILN_VOBJ_H

#include <stdarg.h>
#include "vtypes.h"

#define VF_MAX_FRAME_SLOTS (1u << 24)          /* 64 MiB of frames at most        */
#define VF_MAX_WORK        (1ull << 30)        /* work units (about a slot op each) */
#define VF_MERGE_COST      64                  /* units per merge beyond its slots  */

typedef struct VoCtx VoCtx;

typedef struct {
    KVM           *vm;                  /* may be NULL: no class look-ups           */
    VoCtx         *vo;                  /* class look-ups and their cache           */
    KClass        *c;
    KMethod       *m;
    char          *err;
    size_t         errlen;
    VfNames       *names;

    const uint8_t *code;
    uint32_t       len;
    uint32_t       nloc, nstk, fsz;     /* frame = nloc locals, then nstk stack slots */
    int            is_static;
    VfType         ret;                 /* result type; VT_UNSET for void           */
    int            ret_void;

    uint8_t       *flags;               /* len bytes of F_*                         */
    uint32_t      *leaders;             /* sorted leader pcs                        */
    uint32_t       nleaders;
    int32_t       *depth;               /* per leader: stack depth, -1 = unreached  */
    VfType        *frames;              /* per leader: fsz slots                    */
    uint8_t       *inwl;                /* per leader: queued                       */
    uint32_t      *wl;                  /* worklist (a stack of leader indices)     */
    uint32_t       nwl;

    VfType        *cur;                 /* the frame being simulated                */
    int32_t        sp;
    int            noreturn;            /* the instruction just simulated always throws */
    VfType        *acc;                 /* join of the locals seen in this block    */
    uint32_t      *cover;               /* handlers covering this block             */
    uint32_t       ncover;
    VfType        *htype;               /* per handler: the caught type             */
    uint64_t       work;
} Vf;

/* ---- verifier.c, for vobj.c ---------------------------------------------- */

/* Formats the message into v->err (if any) and returns -1. */
K_FUNC int          vf_failv(Vf *v, uint32_t pc, const char *fmt, va_list ap);
/* Adds n work units; -1 with "method too complex to verify" past the budget. */
K_FUNC int          vf_budget(Vf *v, uint64_t n, uint32_t pc);
/* Constant-pool entry idx or NULL when out of range; the UTF8 entry idx as (s, len),
** -1 if it is not one; a CLASS entry's name (nonempty, no NUL), -1 if not one. */
K_FUNC const KConst *vf_cp_get(const Vf *v, uint32_t idx);
K_FUNC int          vf_cp_utf8(const Vf *v, uint32_t idx, const char **s, uint32_t *len);
K_FUNC int          vf_cp_class_name(const Vf *v, uint32_t idx, const char **s, uint32_t *len);
/* "utf8", "class", ... or "tag N" (in buf). */
K_FUNC const char  *vf_tag_name(const KConst *e, char *buf, size_t n);

/* ---- vobj.c ----------------------------------------------------------------- */

/* One per vf_verify_class. vo_begin returns NULL when out of memory; vo_end frees
** everything. */
K_FUNC VoCtx *vo_begin(KVM *vm, KClass *c, VfNames *names);
K_FUNC void   vo_end(VoCtx *x);

/* Decoding (all code, dead code included): operand checks of the object-model
** opcodes that do not depend on types (constant kinds, descriptors, counts).
** 0 for opcodes it does not handle. */
K_FUNC int    vo_decode(Vf *v, uint32_t pc, uint8_t op);

/* Simulates one "*" opcode of the object model on v->cur / v->sp; sets
** v->noreturn when the instruction can only throw. 0 or -1 (message set);
** "has no verifier rule" for an opcode it does not know. */
K_FUNC int    vo_exec(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in);

/* Whether a value of type val may be used where want is expected, with the class
** hierarchy: 1 yes, 0 no, -1 when a class needed to decide cannot be found (the
** message "class X not found" is then set). */
K_FUNC int    vo_assignable(Vf *v, uint32_t pc, VfType val, VfType want);

/* Joins at control-flow merges, with the class hierarchy: two different
** reference types join to the more general one when one is assignable to the
** other, else to their least common superclass (std.core.Object when a class is
** unknown). Never fail; VT_CONFLICT as in vtypes.h. */
K_FUNC VfType vo_join_local(Vf *v, VfType a, VfType b);
K_FUNC VfType vo_join_stack(Vf *v, VfType a, VfType b);

/* invokestatic's target, when its class and method can be found: static, not
** init or <clinit>, and not private to another class. */
K_FUNC int    vo_check_invokestatic(Vf *v, uint32_t pc, uint32_t idx);

/* A handler's catch type must be std.core.Error or a subclass. */
K_FUNC int    vo_check_catch(Vf *v, uint32_t pc, uint32_t handler, VfType t);

#endif
