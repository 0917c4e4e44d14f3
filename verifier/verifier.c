/*
** verifier/verifier.c — bytecode verification (DESIGN.md §5, docs/verifier.md).
**
** Per method, in order:
**   1. header checks: descriptor, nargs/ret agree with it, native/abstract have no
**      code, code length, max_locals holds the arguments, line table;
**   2. decode: a linear sweep over the whole code (dead code included) records
**      instruction starts and checks every operand that does not depend on types
**      (opcode known, operands inside the code, local indices, constant-pool kinds,
**      branch targets on instruction starts);
**   3. handlers: ranges and targets on instruction boundaries, catch class kind;
**   4. dataflow: one frame (locals + operand stack types) per basic-block leader,
**      a worklist of leaders, each block simulated from its frame and its result
**      merged into its successors' frames until nothing changes. Code never
**      reached from pc 0 (or from a reached handler) is not simulated.
**
** Memory is per block leader, not per instruction: (leaders x (max_locals +
** max_stack)) slots, refused past VF_MAX_FRAME_SLOTS; total simulation work is
** bounded by VF_MAX_WORK. Everything is malloc'd and freed before returning,
** except m->loop_header (GC memory, kept).
**
** Opcodes whose sig in vm/opcodes.def is "pops:pushes" are checked from the table;
** the "*" ones have a case in exec_special. A "*" opcode without a case is
** rejected ("has no verifier rule") rather than trusted.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "verifier.h"
#include "vtypes.h"
#include "vobj.h"

/* Per-pc flags. */
enum { F_START = 1, F_LEADER = 2, F_LOOP = 4 };

/* Vf, the per-method state, and the limits are in vobj.h. */

static const char *or_q(const char *s) { return s ? s : "?"; }

/* Formats "verify error: CLASS.METHOD DESC at pc N: reason" into v->err and
** returns -1. */
int vf_failv(Vf *v, uint32_t pc, const char *fmt, va_list ap) {
    if (!v->err || v->errlen == 0) return -1;
    int n = snprintf(v->err, v->errlen, "verify error: %s.%s %s at pc %u: ",
                     or_q(v->c->name), or_q(v->m->name), or_q(v->m->desc), (unsigned)pc);
    if (n >= 0 && (size_t)n < v->errlen) vsnprintf(v->err + n, v->errlen - (size_t)n, fmt, ap);
    return -1;
}

__attribute__((format(printf, 3, 4)))
static int fail(Vf *v, uint32_t pc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vf_failv(v, pc, fmt, ap);
    va_end(ap);
    return -1;
}

static int budget(Vf *v, uint64_t n, uint32_t pc) {
    v->work += n;
    if (v->work > VF_MAX_WORK) return fail(v, pc, "method too complex to verify");
    return 0;
}

/* ---- the constant pool ---------------------------------------------------- */

static const char *tag_name(const KConst *e, char *buf, size_t n) {
    static const char *const names[] = { NULL, "utf8", "int", "float", "string", "class",
                                         "nametype", "field", "method", "imethod" };
    if (e->tag >= 1 && e->tag <= 9) return names[e->tag];
    snprintf(buf, n, "tag %u", (unsigned)e->tag);
    return buf;
}

static const KConst *cp_get(const Vf *v, uint32_t idx) {
    if (idx == 0 || idx >= v->c->ncp || !v->c->cp) return NULL;
    return &v->c->cp[idx];
}

/* The UTF8 entry idx as (s, len); -1 if idx is not a UTF8 entry. */
static int cp_utf8(const Vf *v, uint32_t idx, const char **s, uint32_t *len) {
    const KConst *e = cp_get(v, idx);
    if (!e || e->tag != KCP_UTF8) return -1;
    if (!e->v.utf8.s && e->v.utf8.len) return -1;
    *s = e->v.utf8.s ? e->v.utf8.s : "";
    *len = e->v.utf8.len;
    return 0;
}

/* A CLASS entry's name: nonempty, no NUL. */
static int cp_class_name(const Vf *v, uint32_t idx, const char **s, uint32_t *len) {
    const KConst *e = cp_get(v, idx);
    if (!e || e->tag != KCP_CLASS || cp_utf8(v, e->a, s, len) < 0 || *len == 0) return -1;
    return memchr(*s, 0, *len) ? -1 : 0;
}

static int bad_index(Vf *v, uint32_t pc, uint32_t idx) {
    return fail(v, pc, "constant %u is out of range (pool size %u)", (unsigned)idx,
                (unsigned)v->c->ncp);
}

/* LDC's constant: sets *ty or fails naming the index and kind. */
static int check_ldc(Vf *v, uint32_t pc, uint32_t idx, VfType *ty) {
    const KConst *e = cp_get(v, idx);
    char buf[16];
    const char *s;
    uint32_t n;
    if (!e) return bad_index(v, pc, idx);
    switch (e->tag) {
    case KCP_INT:   *ty = VT_INT; return 0;
    case KCP_FLOAT: *ty = VT_FLOAT; return 0;
    case KCP_STRING:
        if (cp_utf8(v, e->a, &s, &n) < 0)
            return fail(v, pc, "string constant %u refers to entry %u, which is not utf8",
                        (unsigned)idx, (unsigned)e->a);
        *ty = VT_STRING;
        return 0;
    default:
        return fail(v, pc, "constant %u is %s, expected int, float or string", (unsigned)idx,
                    tag_name(e, buf, sizeof buf));
    }
}

/* A METHOD entry: class, name and a well-formed descriptor. Sets the
** descriptor and its parameter count. */
static int check_methodref(Vf *v, uint32_t pc, uint32_t idx, const char **desc,
                           uint32_t *dlen, long *nparams) {
    const KConst *e = cp_get(v, idx), *nt;
    char buf[16];
    const char *s;
    uint32_t n;
    size_t rpos;
    if (!e) return bad_index(v, pc, idx);
    if (e->tag != KCP_METHOD)
        return fail(v, pc, "constant %u is %s, expected method", (unsigned)idx,
                    tag_name(e, buf, sizeof buf));
    if (cp_class_name(v, e->a, &s, &n) < 0)
        return fail(v, pc, "method ref %u: entry %u is not a class", (unsigned)idx,
                    (unsigned)e->a);
    nt = cp_get(v, e->b);
    if (!nt || nt->tag != KCP_NAMETYPE)
        return fail(v, pc, "method ref %u: entry %u is not a nametype", (unsigned)idx,
                    (unsigned)e->b);
    if (cp_utf8(v, nt->a, &s, &n) < 0 || n == 0)
        return fail(v, pc, "method ref %u: bad method name", (unsigned)idx);
    if (cp_utf8(v, nt->b, desc, dlen) < 0)
        return fail(v, pc, "method ref %u: descriptor entry %u is not utf8", (unsigned)idx,
                    (unsigned)nt->b);
    *nparams = vf_count_params(*desc, *dlen, &rpos);
    if (*nparams < 0)
        return fail(v, pc, "method ref %u has a malformed descriptor \"%.*s\"", (unsigned)idx,
                    (int)(*dlen > 200 ? 200 : *dlen), *desc);
    return 0;
}

/* The helpers above, for vobj.c (declared in vobj.h). */
int vf_budget(Vf *v, uint64_t n, uint32_t pc) { return budget(v, n, pc); }
const KConst *vf_cp_get(const Vf *v, uint32_t idx) { return cp_get(v, idx); }
int vf_cp_utf8(const Vf *v, uint32_t idx, const char **s, uint32_t *len) {
    return cp_utf8(v, idx, s, len);
}
int vf_cp_class_name(const Vf *v, uint32_t idx, const char **s, uint32_t *len) {
    return cp_class_name(v, idx, s, len);
}
const char *vf_tag_name(const KConst *e, char *buf, size_t n) { return tag_name(e, buf, n); }

/* ---- header checks ------------------------------------------------------------ */

static int check_lines(Vf *v) {
    KMethod *m = v->m;
    if (m->nlines && !m->lines) return fail(v, 0, "line table is missing");
    for (uint32_t i = 0; i < m->nlines; i++) {
        if (m->lines[i].pc >= v->len)
            return fail(v, m->lines[i].pc, "line table entry %u is past the end of the code",
                        (unsigned)i);
        if (i && m->lines[i].pc < m->lines[i - 1].pc)
            return fail(v, m->lines[i].pc, "line table is not sorted by pc");
    }
    return 0;
}

/* Descriptor, nargs, ret; for methods with code also sets up the initial locals
** in v->cur (which must be allocated: fsz slots). */
static int check_signature(Vf *v, VfType *locals) {
    KMethod *m = v->m;
    size_t rpos, dlen;
    long np;
    if (!m->desc) return fail(v, 0, "missing method descriptor");
    dlen = strlen(m->desc);
    np = vf_count_params(m->desc, dlen, &rpos);
    if (np < 0) return fail(v, 0, "malformed method descriptor");
    if (vf_parse_type(v->names, m->desc, dlen, &rpos, 1, &v->ret) < 0)
        return fail(v, 0, "out of memory");
    v->ret_void = v->ret == VT_UNSET;
    long nargs = np + (v->is_static ? 0 : 1);
    if (nargs != m->nargs)
        return fail(v, 0, "nargs %u does not match the descriptor (%ld argument slots)",
                    (unsigned)m->nargs, nargs);
    char want = v->ret_void ? 'V' : v->ret == VT_INT ? 'I' : v->ret == VT_FLOAT ? 'F'
              : v->ret == VT_BOOL ? 'Z' : 'L';
    if (m->ret != want) {
        if (m->ret > ' ' && m->ret < 127)
            return fail(v, 0, "result kind '%c' does not match the descriptor ('%c')", m->ret,
                        want);
        return fail(v, 0, "result kind %d does not match the descriptor ('%c')", (int)m->ret,
                    want);
    }
    if (!locals) return 0;
    if (nargs > v->nloc)
        return fail(v, 0, "max_locals %u is less than the %ld argument slots",
                    (unsigned)v->nloc, nargs);
    uint32_t k = 0;
    if (!v->is_static) {
        const char *cn = v->c->name ? v->c->name : "?";
        VfType self = vf_intern(v->names, cn, strlen(cn));
        if (self == VT_UNSET) return fail(v, 0, "out of memory");
        locals[k++] = self;
    }
    size_t p = 1;
    while (m->desc[p] != ')') {
        int r = vf_parse_type(v->names, m->desc, dlen, &p, 0, &locals[k++]);
        if (r < 0) return fail(v, 0, r == -2 ? "out of memory" : "malformed method descriptor");
    }
    return 0;
}

/* ---- decoding --------------------------------------------------------------- */

static int decode(Vf *v) {
    const uint8_t *code = v->code;
    uint32_t pc, size;
    for (pc = 0; pc < v->len; pc += size) {
        uint8_t op = code[pc];
        if (op >= OP__COUNT) return fail(v, pc, "unknown opcode 0x%02x", (unsigned)op);
        const KOpInfo *in = &k_opinfo[op];
        size = (uint32_t)k_fmt_size(in->fmt);
        if (size > v->len - pc)
            return fail(v, pc, "truncated instruction (%s needs %u bytes, %u left)",
                        in->mnemonic, (unsigned)size, (unsigned)(v->len - pc));
        v->flags[pc] |= F_START;
        const uint8_t *o = code + pc + 1;
        switch (in->fmt) {
        case KFMT_LOC:
        case KFMT_IINC: {
            uint32_t idx = k_rd_u16(o);
            if (idx >= v->nloc)
                return fail(v, pc, "local %u out of range (max_locals %u)", (unsigned)idx,
                            (unsigned)v->nloc);
            break;
        }
        case KFMT_CPU8:
        case KFMT_CP: {
            uint32_t idx = k_rd_u16(o), dlen;
            VfType ty;
            const char *d;
            long np;
            if (op == OP_LDC) {
                if (check_ldc(v, pc, idx, &ty) < 0) return -1;
            } else if (op == OP_INVOKESTATIC) {
                if (check_methodref(v, pc, idx, &d, &dlen, &np) < 0) return -1;
            } else if (vo_decode(v, pc, op) < 0) {
                return -1;
            } else if (!cp_get(v, idx)) {
                return bad_index(v, pc, idx);
            }
            break;
        }
        case KFMT_BR: {
            int64_t t = (int64_t)pc + k_rd_i32(o);
            if (t < 0 || t >= (int64_t)v->len)
                return fail(v, pc, "branch target %lld is outside the code", (long long)t);
            v->flags[t] |= F_LEADER;
            break;
        }
        case KFMT_U8:
            if (op == OP_BCONST && o[0] > 1)
                return fail(v, pc, "bool constant %u is not 0 or 1", (unsigned)o[0]);
            break;
        case KFMT_NONE:
        case KFMT_I32:
            break;
        }
        if ((in->flags & (K_BRANCH | K_END)) && pc + size < v->len)
            v->flags[pc + size] |= F_LEADER;
    }
    /* Every branch target must start an instruction: known only now. */
    for (pc = 0; pc < v->len; pc += size) {
        const KOpInfo *in = &k_opinfo[code[pc]];
        size = (uint32_t)k_fmt_size(in->fmt);
        if (in->fmt == KFMT_BR) {
            uint32_t t = (uint32_t)((int64_t)pc + k_rd_i32(code + pc + 1));
            if (!(v->flags[t] & F_START))
                return fail(v, pc, "branch target %u is not an instruction", (unsigned)t);
        }
    }
    v->flags[0] |= F_LEADER;
    return 0;
}

static int check_handlers(Vf *v) {
    KMethod *m = v->m;
    if (!m->nhandlers) return 0;
    if (!m->handlers) return fail(v, 0, "handler table is missing");
    if (v->nstk < 1) return fail(v, 0, "max_stack 0 cannot hold a caught error");
    for (uint32_t i = 0; i < m->nhandlers; i++) {
        const KHandler *h = &m->handlers[i];
        if (h->start >= h->end || h->end > v->len)
            return fail(v, h->start, "handler %u: bad range %u..%u (code length %u)",
                        (unsigned)i, (unsigned)h->start, (unsigned)h->end, (unsigned)v->len);
        if (!(v->flags[h->start] & F_START))
            return fail(v, h->start, "handler %u: start %u is not an instruction", (unsigned)i,
                        (unsigned)h->start);
        if (h->end < v->len && !(v->flags[h->end] & F_START))
            return fail(v, h->start, "handler %u: end %u is not an instruction", (unsigned)i,
                        (unsigned)h->end);
        if (h->handler >= v->len || !(v->flags[h->handler] & F_START))
            return fail(v, h->start, "handler %u: handler pc %u is not an instruction",
                        (unsigned)i, (unsigned)h->handler);
        if (h->catch_class == 0) {
            v->htype[i] = VT_ERROR;
        } else {
            const char *s;
            uint32_t n;
            const KConst *e = cp_get(v, h->catch_class);
            char buf[16];
            if (!e || e->tag != KCP_CLASS)
                return fail(v, h->start, "handler %u: catch class %u is %s, expected class",
                            (unsigned)i, (unsigned)h->catch_class,
                            e ? tag_name(e, buf, sizeof buf) : "out of range");
            if (cp_class_name(v, h->catch_class, &s, &n) < 0 || s[0] == '[')
                return fail(v, h->start, "handler %u: catch class %u has a bad name",
                            (unsigned)i, (unsigned)h->catch_class);
            v->htype[i] = vf_intern(v->names, s, n);
            if (v->htype[i] == VT_UNSET) return fail(v, h->start, "out of memory");
            if (vo_check_catch(v, h->start, i, v->htype[i]) < 0) return -1;
        }
        v->flags[h->start] |= F_LEADER;
        if (h->end < v->len) v->flags[h->end] |= F_LEADER;
        v->flags[h->handler] |= F_LEADER;
    }
    return 0;
}

/* ---- dataflow ---------------------------------------------------------------- */

static uint32_t leader_index(const Vf *v, uint32_t pc) {
    uint32_t lo = 0, hi = v->nleaders;          /* pc is known to be a leader */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->leaders[mid] <= pc) lo = mid; else hi = mid;
    }
    return lo;
}

static void enqueue(Vf *v, uint32_t li) {
    if (!v->inwl[li]) {
        v->inwl[li] = 1;
        v->wl[v->nwl++] = li;
    }
}

/* Joins (locals, stack[0..sp)) into the frame of the leader at pc `to`; `from` is
** the pc reported on a mismatch. Queues the leader if its frame changed. */
static int merge_into(Vf *v, uint32_t to, const VfType *locals, const VfType *stack,
                      int32_t sp, uint32_t from) {
    uint32_t li = leader_index(v, to);
    VfType *dst = v->frames + (size_t)li * v->fsz, *dstk = dst + v->nloc;
    char a[256], b[256];
    int changed = 0;
    if (budget(v, v->fsz + VF_MERGE_COST, from) < 0) return -1;
    if (v->depth[li] < 0) {
        memcpy(dst, locals, v->nloc * sizeof *dst);
        memcpy(dstk, stack, (size_t)sp * sizeof *dst);
        v->depth[li] = sp;
        enqueue(v, li);
        return 0;
    }
    if (v->depth[li] != sp)
        return fail(v, from, "stack depth mismatch at join with pc %u (%d here, %d there)",
                    (unsigned)to, (int)sp, (int)v->depth[li]);
    for (int32_t i = 0; i < sp; i++) {
        VfType j = vo_join_stack(v, dstk[i], stack[i]);
        if (j == VT_CONFLICT)
            return fail(v, from, "stack type mismatch at join with pc %u: slot %d is %s here, "
                        "%s there", (unsigned)to, (int)i,
                        vf_type_str(v->names, stack[i], a, sizeof a),
                        vf_type_str(v->names, dstk[i], b, sizeof b));
        if (j != dstk[i]) { dstk[i] = j; changed = 1; }
    }
    for (uint32_t i = 0; i < v->nloc; i++) {
        VfType j = vo_join_local(v, dst[i], locals[i]);
        if (j != dst[i]) { dst[i] = j; changed = 1; }
    }
    if (changed) enqueue(v, li);
    return 0;
}

/* A value of type `val` where a sig letter wants one. */
static int check_letter(Vf *v, uint32_t pc, const KOpInfo *in, char letter, VfType val,
                        int operand) {
    const char *want;
    char a[256];
    switch (letter) {
    case 'I': if (val == VT_INT) return 0; want = "int"; break;
    case 'F': if (val == VT_FLOAT) return 0; want = "float"; break;
    case 'Z': if (val == VT_BOOL) return 0; want = "bool"; break;
    case 'S': if (vf_assignable(val, VT_STRING)) return 0; want = "std.core.String"; break;
    case 'A': if (VT_IS_REF(val)) return 0; want = "a reference"; break;
    default:
        return fail(v, pc, "opcode %s has a malformed signature", in->mnemonic);
    }
    return fail(v, pc, "expected %s, found %s (operand %d of %s)", want,
                vf_type_str(v->names, val, a, sizeof a), operand, in->mnemonic);
}

static VfType letter_type(char letter) {
    switch (letter) {
    case 'I': return VT_INT;
    case 'F': return VT_FLOAT;
    case 'Z': return VT_BOOL;
    case 'S': return VT_STRING;
    case 'A': return VT_OBJECT;
    }
    return VT_UNSET;
}

static int overflow(Vf *v, uint32_t pc) {
    return fail(v, pc, "max_stack %u exceeded", (unsigned)v->nstk);
}

static int underflow(Vf *v, uint32_t pc, const KOpInfo *in, long need) {
    return fail(v, pc, "stack underflow (%s needs %ld, stack has %d)", in->mnemonic, need,
                (int)v->sp);
}

/* An opcode with a "pops:pushes" signature. */
static int exec_table(Vf *v, uint32_t pc, const KOpInfo *in) {
    VfType *stk = v->cur + v->nloc;
    const char *sig = in->sig, *colon = strchr(sig, ':');
    if (!colon) return fail(v, pc, "opcode %s has a malformed signature", in->mnemonic);
    int32_t npop = (int32_t)(colon - sig), npush = (int32_t)strlen(colon + 1);
    if (npop > v->sp) return underflow(v, pc, in, npop);
    for (int32_t i = 0; i < npop; i++)
        if (check_letter(v, pc, in, sig[i], stk[v->sp - npop + i], (int)i + 1) < 0) return -1;
    v->sp -= npop;
    if ((int64_t)v->sp + npush > (int64_t)v->nstk) return overflow(v, pc);
    for (int32_t i = 0; i < npush; i++) {
        VfType t = letter_type(colon[1 + i]);
        if (t == VT_UNSET)
            return fail(v, pc, "opcode %s has a malformed signature", in->mnemonic);
        stk[v->sp++] = t;
    }
    if (in->fmt == KFMT_IINC) {
        uint32_t idx = k_rd_u16(v->code + pc + 1);
        char a[256];
        if (v->cur[idx] != VT_INT)
            return fail(v, pc, "local %u: expected int, found %s (%s)", (unsigned)idx,
                        vf_type_str(v->names, v->cur[idx], a, sizeof a), in->mnemonic);
    }
    return 0;
}

/* The "*" opcodes. Sets *stored when a local was assigned. */
static int exec_special(Vf *v, uint32_t pc, uint8_t op, const KOpInfo *in, int *stored) {
    VfType *stk = v->cur + v->nloc;
    const uint8_t *o = v->code + pc + 1;
    char a[256], b[256];
    switch (op) {
    case OP_LDC: {
        VfType t;
        if (check_ldc(v, pc, k_rd_u16(o), &t) < 0) return -1;
        if ((uint32_t)v->sp >= v->nstk) return overflow(v, pc);
        stk[v->sp++] = t;
        return 0;
    }
    case OP_ACONST_NULL:
        if ((uint32_t)v->sp >= v->nstk) return overflow(v, pc);
        stk[v->sp++] = VT_NULL;
        return 0;
    case OP_LOAD: {
        uint32_t idx = k_rd_u16(o);
        VfType t = v->cur[idx];
        if (t == VT_UNSET) return fail(v, pc, "local %u used before assignment", (unsigned)idx);
        if (t == VT_CONFLICT)
            return fail(v, pc, "local %u is unusable: its types differ at a join",
                        (unsigned)idx);
        if ((uint32_t)v->sp >= v->nstk) return overflow(v, pc);
        stk[v->sp++] = t;
        return 0;
    }
    case OP_STORE:
        if (v->sp < 1) return underflow(v, pc, in, 1);
        v->cur[k_rd_u16(o)] = stk[--v->sp];
        *stored = 1;
        return 0;
    case OP_POP:
        if (v->sp < 1) return underflow(v, pc, in, 1);
        v->sp--;
        return 0;
    case OP_DUP:
        if (v->sp < 1) return underflow(v, pc, in, 1);
        if ((uint32_t)v->sp >= v->nstk) return overflow(v, pc);
        stk[v->sp] = stk[v->sp - 1];
        v->sp++;
        return 0;
    case OP_INVOKESTATIC: {
        const char *d;
        uint32_t dlen;
        long np;
        if (check_methodref(v, pc, k_rd_u16(o), &d, &dlen, &np) < 0) return -1;
        if (np > v->sp) return underflow(v, pc, in, np);
        if (vo_check_invokestatic(v, pc, k_rd_u16(o)) < 0) return -1;
        if (budget(v, (uint64_t)np, pc) < 0) return -1;
        size_t p = 1;
        VfType *args = stk + v->sp - np;
        for (long i = 0; i < np; i++) {
            VfType want;
            if (vf_parse_type(v->names, d, dlen, &p, 0, &want) < 0)
                return fail(v, pc, "out of memory");
            int ok = vo_assignable(v, pc, args[i], want);
            if (ok < 0) return -1;
            if (!ok)
                return fail(v, pc, "argument %ld of %.*s: expected %s, found %s", i + 1,
                            (int)(dlen > 200 ? 200 : dlen), d,
                            vf_type_str(v->names, want, a, sizeof a),
                            vf_type_str(v->names, args[i], b, sizeof b));
        }
        v->sp -= (int32_t)np;
        VfType r;
        p++;                                            /* past ')' */
        if (vf_parse_type(v->names, d, dlen, &p, 1, &r) < 0) return fail(v, pc, "out of memory");
        if (r != VT_UNSET) {
            if ((uint32_t)v->sp >= v->nstk) return overflow(v, pc);
            stk[v->sp++] = r;
        }
        return 0;
    }
    case OP_RETURN:
        if (!v->ret_void)
            return fail(v, pc, "return in a method that returns %s",
                        vf_type_str(v->names, v->ret, a, sizeof a));
        return 0;
    case OP_RETVAL: {
        if (v->ret_void) return fail(v, pc, "retval in a void method");
        if (v->sp < 1) return underflow(v, pc, in, 1);
        int ok = vo_assignable(v, pc, stk[v->sp - 1], v->ret);
        if (ok < 0) return -1;
        if (!ok)
            return fail(v, pc, "return value: expected %s, found %s",
                        vf_type_str(v->names, v->ret, a, sizeof a),
                        vf_type_str(v->names, stk[v->sp - 1], b, sizeof b));
        v->sp--;
        return 0;
    }
    default:
        return vo_exec(v, pc, op, in);      /* the object model; vobj.c */
    }
}

/* Simulates the block starting at leader li and merges into its successors: the
** branch target, the next leader on fall-through, and the handlers covering the
** block (with the join of the locals before each of its instructions). */
static int run_block(Vf *v, uint32_t li) {
    uint32_t pc = v->leaders[li];
    KMethod *m = v->m;
    memcpy(v->cur, v->frames + (size_t)li * v->fsz, v->fsz * sizeof *v->cur);
    v->sp = v->depth[li];
    v->ncover = 0;
    if (m->nhandlers) {
        if (budget(v, m->nhandlers, pc) < 0) return -1;
        for (uint32_t h = 0; h < m->nhandlers; h++)
            if (m->handlers[h].start <= pc && pc < m->handlers[h].end) v->cover[v->ncover++] = h;
        if (v->ncover) memcpy(v->acc, v->cur, v->nloc * sizeof *v->acc);
    }
    int stored = 0;
    for (;;) {
        if (stored && v->ncover) {
            for (uint32_t i = 0; i < v->nloc; i++) v->acc[i] = vo_join_local(v, v->acc[i], v->cur[i]);
            if (budget(v, v->nloc, pc) < 0) return -1;
        }
        stored = 0;
        uint8_t op = v->code[pc];
        const KOpInfo *in = &k_opinfo[op];
        uint32_t next = pc + (uint32_t)k_fmt_size(in->fmt);
        if (budget(v, 1, pc) < 0) return -1;
        v->noreturn = 0;
        if (in->sig[0] == '*') {
            if (exec_special(v, pc, op, in, &stored) < 0) return -1;
        } else if (exec_table(v, pc, in) < 0) {
            return -1;
        }
        if (in->fmt == KFMT_BR) {
            uint32_t t = (uint32_t)((int64_t)pc + k_rd_i32(v->code + pc + 1));
            if (t <= pc) {
                if (v->sp != 0)
                    return fail(v, pc, "stack not empty at loop header %u (depth %d)",
                                (unsigned)t, (int)v->sp);
                v->flags[t] |= F_LOOP;
            }
            if (merge_into(v, t, v->cur, v->cur + v->nloc, v->sp, pc) < 0) return -1;
        }
        if ((in->flags & K_END) || v->noreturn) break;
        if (next >= v->len) return fail(v, pc, "falls off the end of the code");
        if (v->flags[next] & F_LEADER) {
            if (merge_into(v, next, v->cur, v->cur + v->nloc, v->sp, pc) < 0) return -1;
            break;
        }
        pc = next;
    }
    for (uint32_t i = 0; i < v->ncover; i++) {
        uint32_t h = v->cover[i];
        if (merge_into(v, m->handlers[h].handler, v->acc, &v->htype[h], 1,
                       m->handlers[h].handler) < 0)
            return -1;
    }
    return 0;
}

/* ---- one method ---------------------------------------------------------------- */

static void vf_free(Vf *v) {
    free(v->flags);
    free(v->leaders);
    free(v->depth);
    free(v->frames);
    free(v->inwl);
    free(v->wl);
    free(v->cur);
    free(v->acc);
    free(v->cover);
    free(v->htype);
}

static int verify_code(Vf *v) {
    KMethod *m = v->m;
    v->fsz = v->nloc + v->nstk;
    size_t fbytes = (v->fsz ? v->fsz : 1) * sizeof(VfType);
    v->cur = malloc(fbytes);
    v->acc = malloc(fbytes);
    v->flags = calloc(v->len, 1);
    v->cover = malloc((m->nhandlers ? m->nhandlers : 1) * sizeof *v->cover);
    v->htype = malloc((m->nhandlers ? m->nhandlers : 1) * sizeof *v->htype);
    if (!v->cur || !v->acc || !v->flags || !v->cover || !v->htype)
        return fail(v, 0, "out of memory");
    for (uint32_t i = 0; i < v->fsz; i++) v->cur[i] = VT_UNSET;
    if (check_signature(v, v->cur) < 0 || check_lines(v) < 0 || decode(v) < 0 ||
        check_handlers(v) < 0)
        return -1;

    uint32_t n = 0;
    for (uint32_t pc = 0; pc < v->len; pc++) n += (v->flags[pc] & F_LEADER) != 0;
    if ((uint64_t)n * v->fsz > VF_MAX_FRAME_SLOTS)
        return fail(v, 0, "method too large to verify (%u blocks of %u slots)", (unsigned)n,
                    (unsigned)v->fsz);
    v->nleaders = n;
    v->leaders = malloc(n * sizeof *v->leaders);
    v->depth = malloc(n * sizeof *v->depth);
    v->frames = malloc((size_t)n * fbytes);
    v->inwl = calloc(n, 1);
    v->wl = malloc(n * sizeof *v->wl);
    if (!v->leaders || !v->depth || !v->frames || !v->inwl || !v->wl)
        return fail(v, 0, "out of memory");
    n = 0;
    for (uint32_t pc = 0; pc < v->len; pc++)
        if (v->flags[pc] & F_LEADER) { v->depth[n] = -1; v->leaders[n++] = pc; }

    if (merge_into(v, 0, v->cur, v->cur + v->nloc, 0, 0) < 0) return -1;
    while (v->nwl) {
        uint32_t li = v->wl[--v->nwl];
        v->inwl[li] = 0;
        if (run_block(v, li) < 0) return -1;
    }

    uint8_t *lh = gc_alloc_atomic(v->len);
    if (!lh) return fail(v, 0, "out of memory");
    for (uint32_t pc = 0; pc < v->len; pc++) lh[pc] = (v->flags[pc] & F_LOOP) ? 1 : 0;
    m->loop_header = lh;
    return 0;
}

static int verify_method(KVM *vm, VoCtx *vo, KClass *c, KMethod *m, VfNames *names, char *err,
                         size_t errlen) {
    Vf v;
    memset(&v, 0, sizeof v);
    v.vm = vm;
    v.vo = vo;
    v.c = c;
    v.m = m;
    v.err = err;
    v.errlen = errlen;
    v.names = names;
    v.code = m->code;
    v.len = m->code_len;
    v.nloc = m->max_locals;
    v.nstk = m->max_stack;
    v.is_static = (m->flags & KACC_STATIC) != 0;

    if (m->flags & (KACC_NATIVE | KACC_ABSTRACT)) {
        if (m->code_len != 0)
            return fail(&v, 0, "%s method has %u bytes of code",
                        (m->flags & KACC_NATIVE) ? "native" : "abstract", (unsigned)m->code_len);
        if (check_signature(&v, NULL) < 0) return -1;
        if (m->nhandlers) return fail(&v, 0, "method without code has handlers");
        if (m->nlines) return fail(&v, 0, "method without code has a line table");
        m->loop_header = NULL;
        return 0;
    }
    if (m->code_len == 0) return fail(&v, 0, "method has no code");
    if (m->code_len > KCF_MAX_CODE)
        return fail(&v, 0, "code length %u exceeds %u", (unsigned)m->code_len,
                    (unsigned)KCF_MAX_CODE);
    if (!m->code) return fail(&v, 0, "code is missing");
    int r = verify_code(&v);
    vf_free(&v);
    return r;
}

int vf_verify_class(KVM *vm, KClass *c, char *err, size_t errlen) {
    if (!c) {
        if (err && errlen) snprintf(err, errlen, "verify error: no class");
        return -1;
    }
    if (c->nmethods && !c->methods) {
        if (err && errlen) snprintf(err, errlen, "verify error: %s: method table is missing",
                                    or_q(c->name));
        return -1;
    }
    VfNames names;
    if (vf_names_init(&names) < 0) {
        if (err && errlen) snprintf(err, errlen, "verify error: %s: out of memory",
                                    or_q(c->name));
        return -1;
    }
    VoCtx *vo = vo_begin(vm, c, &names);
    if (!vo) {
        if (err && errlen) snprintf(err, errlen, "verify error: %s: out of memory",
                                    or_q(c->name));
        vf_names_free(&names);
        return -1;
    }
    for (uint32_t i = 0; i < c->nmethods; i++) c->methods[i].verified = 0;
    for (uint32_t i = 0; i < c->nmethods; i++) {
        if (verify_method(vm, vo, c, &c->methods[i], &names, err, errlen) < 0) {
            vo_end(vo);
            vf_names_free(&names);
            return -1;
        }
    }
    vo_end(vo);
    vf_names_free(&names);
    for (uint32_t i = 0; i < c->nmethods; i++) c->methods[i].verified = 1;
    return 0;
}
