/*
** verifier/vtypes.h — the verifier's type lattice, interned reference names and
** descriptor parsing. Internal to verifier/.
**
** Invariants
** - A VfType is a small integer. Values below VT_NULL are not references; VT_NULL
**   and everything above it are. VT_OBJECT, VT_STRING and VT_ERROR are the
**   pre-interned names std.core.Object, std.core.String and std.core.Error; every
**   other reference type is an index into a VfNames table (VT_FIRST_NAMED + i).
** - Two reference types are the same type exactly when their VfType values are
**   equal: names are interned by content (class names as written, e.g.
**   "a.b.Point"; array types by their descriptor, e.g. "[I", "[La.b.Point;").
** - Interned names point into the strings they came from (constant-pool UTF8
**   entries, method descriptors, class names); those outlive a verification.
** - The lattice (join = merge at control-flow joins), for locals:
**       int, float, bool, and the references  <  conflict  <  unset
**       null  <  any named reference  <  std.core.Object  (two different names
**       join to std.core.Object)
**   On the operand stack a join that would give conflict is an error instead.
*/
#ifndef KILN_VTYPES_H
#define KILN_VTYPES_H

#include <stddef.h>
#include <stdint.h>
#include "../vm/vm.h"

typedef uint32_t VfType;

enum {
    VT_UNSET = 0,       /* local never assigned on some path                     */
    VT_CONFLICT,        /* local assigned with incompatible types on two paths   */
    VT_INT, VT_FLOAT, VT_BOOL,
    VT_NULL,            /* the null constant: a reference of no particular class */
    VT_OBJECT, VT_STRING, VT_ERROR,
    VT_FIRST_NAMED
};

#define VT_IS_REF(t) ((t) >= VT_NULL)

typedef struct {
    const char *s;
    uint32_t    len;
    uint32_t    hash;
} VfName;

/* An interning table; malloc memory, freed by vf_names_free. */
typedef struct {
    VfName   *names;     /* names[i] is VfType VT_OBJECT + i */
    uint32_t  n, cap;
    uint32_t *slots;     /* open addressing: 0 empty, else index + 1 */
    uint32_t  nslots;    /* power of two */
} VfNames;

/* Initialises the table with the three built-in names: 0, or -1 out of memory. */
K_FUNC int    vf_names_init(VfNames *t);
K_FUNC void   vf_names_free(VfNames *t);

/* The reference type named s[0..len); VT_UNSET when out of memory. */
K_FUNC VfType vf_intern(VfNames *t, const char *s, size_t len);

/* Joins for locals (never fails) and for stack slots (VT_CONFLICT = error). */
K_FUNC VfType vf_join_local(VfType a, VfType b);
K_FUNC VfType vf_join_stack(VfType a, VfType b);

/* Whether a value of type `val` may be used where `want` is expected: equal
** types, null for any reference, any reference for std.core.Object. */
K_FUNC int    vf_assignable(VfType val, VfType want);

/* Writes a readable name of t ("int", "null", "a.b.Point", "[I") into buf. */
K_FUNC const char *vf_type_str(const VfNames *t, VfType ty, char *buf, size_t n);

/* Descriptor parsing over s[0..len) from *pos (advanced past the type).
** Returns 0 and the type in *out; for the result type 'V' (allowed only when
** allow_void) *out is VT_UNSET. Returns -1 on a malformed descriptor, -2 when
** out of memory. */
K_FUNC int    vf_parse_type(VfNames *t, const char *s, size_t len, size_t *pos,
                            int allow_void, VfType *out);

/* Walks the parameter list of a method descriptor "(...)R": on success returns
** the number of parameters and sets *ret_pos to the offset of the result type.
** -1 when malformed. Nothing is interned. */
K_FUNC long   vf_count_params(const char *s, size_t len, size_t *ret_pos);

#endif
