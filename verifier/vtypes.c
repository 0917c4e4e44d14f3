/*
** verifier/vtypes.c — the verifier's type lattice, name interning and
** descriptor parsing (see vtypes.h for the invariants).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vtypes.h"

#define VF_MAX_DIMS 255     /* array dimensions in one descriptor */

static uint32_t name_hash(const char *s, size_t len) {
    uint32_t h = 2166136261u;                       /* FNV-1a */
    for (size_t i = 0; i < len; i++) { h ^= (uint8_t)s[i]; h *= 16777619u; }
    return h;
}

/* Rebuilds the open-addressing index with nslots slots (a power of two). */
static int rehash(VfNames *t, uint32_t nslots) {
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots) return -1;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t j = t->names[i].hash & (nslots - 1);
        while (slots[j]) j = (j + 1) & (nslots - 1);
        slots[j] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

int vf_names_init(VfNames *t) {
    memset(t, 0, sizeof *t);
    static const char *const builtin[] = { "std.core.Object", "std.core.String", "std.core.Error" };
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (vf_intern(t, builtin[i], strlen(builtin[i])) != VT_OBJECT + i) {
            vf_names_free(t);
            return -1;
        }
    return 0;
}

void vf_names_free(VfNames *t) {
    free(t->names);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

VfType vf_intern(VfNames *t, const char *s, size_t len) {
    if (len > UINT32_MAX) return VT_UNSET;
    uint32_t h = name_hash(s, len);
    if (t->nslots) {
        for (uint32_t j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
            const VfName *nm = &t->names[t->slots[j] - 1];
            if (nm->hash == h && nm->len == len && memcmp(nm->s, s, len) == 0)
                return VT_OBJECT + (t->slots[j] - 1);
        }
    }
    if (t->n >= UINT32_MAX / 4 - VT_FIRST_NAMED) return VT_UNSET;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        VfName *names = realloc(t->names, cap * sizeof *names);
        if (!names) return VT_UNSET;
        t->names = names;
        t->cap = cap;
    }
    t->names[t->n++] = (VfName){ s, (uint32_t)len, h };
    if ((uint64_t)t->n * 2 > t->nslots) {
        if (rehash(t, t->nslots ? t->nslots * 2 : 64) < 0) { t->n--; return VT_UNSET; }
    } else {
        uint32_t j = h & (t->nslots - 1);
        while (t->slots[j]) j = (j + 1) & (t->nslots - 1);
        t->slots[j] = t->n;
    }
    return VT_OBJECT + (t->n - 1);
}

VfType vf_join_local(VfType a, VfType b) {
    if (a == b) return a;
    if (a == VT_UNSET || b == VT_UNSET) return VT_UNSET;
    if (a == VT_CONFLICT || b == VT_CONFLICT) return VT_CONFLICT;
    if (VT_IS_REF(a) && VT_IS_REF(b)) {
        if (a == VT_NULL) return b;
        if (b == VT_NULL) return a;
        return VT_OBJECT;
    }
    return VT_CONFLICT;
}

VfType vf_join_stack(VfType a, VfType b) {
    if (a < VT_INT || b < VT_INT) return VT_CONFLICT;   /* never on a stack */
    return vf_join_local(a, b);
}

int vf_assignable(VfType val, VfType want) {
    if (val == want) return val >= VT_INT;
    if (!VT_IS_REF(val) || !VT_IS_REF(want) || want == VT_NULL) return 0;
    return val == VT_NULL || want == VT_OBJECT;
}

/* Appends a readable form of the field descriptor d[0..len) ("[[I" -> "int[][]",
** "La.B;" -> "a.B") to buf at *at. */
static void desc_str(const char *d, size_t len, char *buf, size_t n, size_t *at) {
    size_t dims = 0;
    while (dims < len && d[dims] == '[') dims++;
    const char *base = "?";
    size_t blen = 1;
    if (dims < len) {
        switch (d[dims]) {
        case 'I': base = "int"; blen = 3; break;
        case 'F': base = "float"; blen = 5; break;
        case 'Z': base = "bool"; blen = 4; break;
        case 'B': base = "byte"; blen = 4; break;
        case 'L':
            if (len - dims >= 2) { base = d + dims + 1; blen = len - dims - 2; }
            break;
        }
    }
    int w = snprintf(buf + *at, n - *at, "%.*s", (int)(blen > 200 ? 200 : blen), base);
    if (w > 0) *at += (size_t)w < n - *at ? (size_t)w : n - *at - 1;
    for (size_t i = 0; i < dims && *at + 2 < n; i++) {
        buf[(*at)++] = '[';
        buf[(*at)++] = ']';
        buf[*at] = 0;
    }
}

const char *vf_type_str(const VfNames *t, VfType ty, char *buf, size_t n) {
    static const char *const fixed[] = { "unset", "conflict", "int", "float", "bool", "null" };
    if (n == 0) return buf;
    buf[0] = 0;
    if (ty < VT_OBJECT) {
        snprintf(buf, n, "%s", fixed[ty]);
    } else if (ty - VT_OBJECT < t->n) {
        const VfName *nm = &t->names[ty - VT_OBJECT];
        if (nm->len && nm->s[0] == '[') {
            size_t at = 0;
            desc_str(nm->s, nm->len, buf, n, &at);
        } else {
            snprintf(buf, n, "%.*s", (int)(nm->len > 200 ? 200 : nm->len), nm->s);
        }
    } else {
        snprintf(buf, n, "type#%u", (unsigned)ty);
    }
    return buf;
}

/* A class name inside "L...;": nonempty, no NUL and none of the descriptor
** punctuation that would make it ambiguous. */
static int valid_class_name(const char *s, size_t len) {
    if (len == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == 0 || ch == '(' || ch == ')' || ch == '[' || ch == ';') return 0;
    }
    return 1;
}

int vf_parse_type(VfNames *t, const char *s, size_t len, size_t *pos, int allow_void,
                  VfType *out) {
    size_t p = *pos, start = p, dims = 0;
    while (p < len && s[p] == '[') {
        if (++dims > VF_MAX_DIMS) return -1;
        p++;
    }
    if (p >= len) return -1;
    VfType ty;
    switch (s[p]) {
    case 'I': ty = VT_INT; p++; break;
    case 'F': ty = VT_FLOAT; p++; break;
    case 'Z': ty = VT_BOOL; p++; break;
    case 'B':
        if (!dims) return -1;           /* byte exists only as an array element */
        ty = VT_INT; p++; break;
    case 'V':
        if (dims || !allow_void) return -1;
        *pos = p + 1;
        *out = VT_UNSET;
        return 0;
    case 'L': {
        size_t q = p + 1;
        while (q < len && s[q] != ';') q++;
        if (q >= len || !valid_class_name(s + p + 1, q - p - 1)) return -1;
        ty = VT_OBJECT;
        if (!dims && t) {
            ty = vf_intern(t, s + p + 1, q - p - 1);
            if (ty == VT_UNSET) return -2;
        }
        p = q + 1;
        break;
    }
    default:
        return -1;
    }
    if (dims) {
        ty = VT_OBJECT;
        if (t) {
            ty = vf_intern(t, s + start, p - start);
            if (ty == VT_UNSET) return -2;
        }
    }
    *pos = p;
    *out = ty;
    return 0;
}

long vf_count_params(const char *s, size_t len, size_t *ret_pos) {
    if (!s || len == 0 || s[0] != '(') return -1;
    size_t p = 1;
    long n = 0;
    while (p < len && s[p] != ')') {
        VfType ty;
        int r = vf_parse_type(NULL, s, len, &p, 0, &ty);
        if (r < 0) return r;
        n++;
    }
    if (p >= len) return -1;
    *ret_pos = p + 1;
    /* the result: exactly one type, then the end */
    size_t q = p + 1;
    VfType ty;
    if (vf_parse_type(NULL, s, len, &q, 1, &ty) < 0 || q != len) return -1;
    return n;
}
