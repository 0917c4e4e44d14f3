/*
** vm/natives.c — the C side of std.core's `native` declarations (stdlib/std/core.kl).
** kiln_new registers them as bindings ("class.method" plus the descriptor) in
** the VM's native registry, the one kiln_bind_native adds to (vm/api_native.c);
** they keep the internal signature, KSlot fn(KVM *, KSlot *args), for speed.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define S_   "Lstd.core.String;"
#define O_   "Lstd.core.Object;"
#define STR(s) ((KString *)(uintptr_t)(s))
#define OBJ(s) ((KObject *)(uintptr_t)(s))
#define SLOT(p) ((KSlot)(uintptr_t)(p))

static double f_of(KSlot s) { double d; memcpy(&d, &s, 8); return d; }
static KSlot  s_of(double d) { KSlot s; memcpy(&s, &d, 8); return s; }

static const char *simple_name(const char *n)
{
    const char *d = strrchr(n, '.');
    return d ? d + 1 : n;
}

static int64_t identity_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33; x *= 0xff51afd7ed558ccdull; x ^= x >> 33;
    return (int64_t)(x & 0x7fffffff);
}

KString *vm_to_string(KVM *vm, KObject *o)
{
    if (!o) return vm_string_cstr(vm, "null");
    if (o->cls == vm->c_string) return (KString *)o;
    if (vm->tostring_vindex >= 0 && (uint32_t)vm->tostring_vindex < o->cls->vtable_len) {
        KMethod *m = o->cls->vtable[vm->tostring_vindex];
        KSlot arg = SLOT(o);
        KSlot r = m->entry(vm, m, &arg);
        if (vm->exc) return NULL;
        return r ? STR(r) : vm_string_cstr(vm, "null");
    }
    char b[128];
    snprintf(b, sizeof b, "%s@%" PRIx64, simple_name(o->cls->name), (uint64_t)identity_hash(o));
    return vm_string_cstr(vm, b);
}

/* ---- conversions and printing ------------------------------------------------------ */

static KString *str_int(KVM *vm, int64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%" PRId64, v);
    return vm_string_new(vm, b, (size_t)n);
}

static KString *str_float(KVM *vm, double v)
{
    char b[64];
    int n = vm_format_float(v, b, sizeof b);
    return vm_string_new(vm, b, (size_t)n);
}

static void put(KVM *vm, const KString *s)
{
    if (s) vm_write_out(vm, s->data, (size_t)s->len);
}

static KSlot n_str_i(KVM *vm, KSlot *a) { return SLOT(str_int(vm, (int64_t)a[0])); }
static KSlot n_str_f(KVM *vm, KSlot *a) { return SLOT(str_float(vm, f_of(a[0]))); }
static KSlot n_str_z(KVM *vm, KSlot *a) { return SLOT(vm_string_cstr(vm, a[0] ? "true" : "false")); }
static KSlot n_str_o(KVM *vm, KSlot *a) { return SLOT(vm_to_string(vm, OBJ(a[0]))); }

static KSlot n_print_i(KVM *vm, KSlot *a) { put(vm, str_int(vm, (int64_t)a[0])); return 0; }
static KSlot n_print_f(KVM *vm, KSlot *a) { put(vm, str_float(vm, f_of(a[0]))); return 0; }
static KSlot n_print_z(KVM *vm, KSlot *a) { vm_write_out(vm, a[0] ? "true" : "false", a[0] ? 4 : 5); return 0; }
static KSlot n_print_s(KVM *vm, KSlot *a)
{
    if (a[0]) put(vm, STR(a[0]));
    else vm_write_out(vm, "null", 4);
    return 0;
}
static KSlot n_print_o(KVM *vm, KSlot *a) { put(vm, vm_to_string(vm, OBJ(a[0]))); return 0; }
static KSlot n_println(KVM *vm, KSlot *a) { (void)a; vm_write_out(vm, "\n", 1); return 0; }
#define PRINTLN(name, p) static KSlot name(KVM *vm, KSlot *a) { p(vm, a); if (vm->exc) return 0; return n_println(vm, a); }
PRINTLN(n_println_i, n_print_i)
PRINTLN(n_println_f, n_print_f)
PRINTLN(n_println_z, n_print_z)
PRINTLN(n_println_s, n_print_s)
PRINTLN(n_println_o, n_print_o)

/* ---- Object --------------------------------------------------------------------------- */

static KSlot n_obj_tostring(KVM *vm, KSlot *a)
{
    KObject *o = OBJ(a[0]);
    char b[128];
    snprintf(b, sizeof b, "%s@%" PRIx64, simple_name(o->cls->name), (uint64_t)identity_hash(o));
    return SLOT(vm_string_cstr(vm, b));
}
static KSlot n_obj_equals(KVM *vm, KSlot *a) { return (KSlot)vm_obj_eq(vm, OBJ(a[0]), OBJ(a[1])); }
static KSlot n_obj_hash(KVM *vm, KSlot *a) { (void)vm; return (KSlot)identity_hash(OBJ(a[0])); }

/* ---- String ---------------------------------------------------------------------------- */

static KSlot n_s_tostring(KVM *vm, KSlot *a) { (void)vm; return a[0]; }
static KSlot n_s_equals(KVM *vm, KSlot *a)
{
    KObject *o = OBJ(a[1]);
    return o && o->cls == vm->c_string && vm_string_eq(STR(a[0]), STR(a[1]));
}
static KSlot n_s_hash(KVM *vm, KSlot *a)
{
    (void)vm;
    KString *s = STR(a[0]);
    uint64_t h = s->hash;                     /* cached: Map lookups with String keys */
    if (h) return (KSlot)h;
    for (int64_t i = 0; i < s->len; i++) h = 31 * h + (uint8_t)s->data[i];
    s->hash = h;
    return (KSlot)h;
}
static KSlot n_s_substring(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    int64_t from = (int64_t)a[1], to = (int64_t)a[2];
    if (from < 0 || to > s->len || from > to)
        return vm_throw(vm, vm->c_index_error, "substring(%lld, %lld) out of bounds for length %lld",
                        (long long)from, (long long)to, (long long)s->len);
    return SLOT(vm_string_new(vm, s->data + from, (size_t)(to - from)));
}
static int64_t find(const KString *s, const KString *t, int64_t from)
{
    if (t->len == 0) return from <= s->len ? from : -1;
    for (int64_t i = from; i + t->len <= s->len; i++)
        if (memcmp(s->data + i, t->data, (size_t)t->len) == 0) return i;
    return -1;
}
static KSlot null_arg(KVM *vm) { return vm_throw_null(vm, "argument is null"); }
static KSlot n_s_indexof(KVM *vm, KSlot *a)
{
    if (!a[1]) return null_arg(vm);
    return (KSlot)find(STR(a[0]), STR(a[1]), 0);
}
static KSlot n_s_contains(KVM *vm, KSlot *a)
{
    if (!a[1]) return null_arg(vm);
    return find(STR(a[0]), STR(a[1]), 0) >= 0;
}
static KSlot n_s_startswith(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]), *t = STR(a[1]);
    if (!t) return null_arg(vm);
    return t->len <= s->len && memcmp(s->data, t->data, (size_t)t->len) == 0;
}
static KSlot n_s_endswith(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]), *t = STR(a[1]);
    if (!t) return null_arg(vm);
    return t->len <= s->len && memcmp(s->data + s->len - t->len, t->data, (size_t)t->len) == 0;
}
static KSlot n_s_substring1(KVM *vm, KSlot *a)
{
    KSlot b[3] = { a[0], a[1], (KSlot)STR(a[0])->len };
    return n_s_substring(vm, b);
}
static KSlot n_s_indexof_from(KVM *vm, KSlot *a)
{
    if (!a[1]) return null_arg(vm);
    int64_t from = (int64_t)a[2];
    if (from < 0) from = 0;
    if (from > STR(a[0])->len) return (KSlot)(int64_t)-1;
    return (KSlot)find(STR(a[0]), STR(a[1]), from);
}
/* The last occurrence of t starting at or before `from` (Java's lastIndexOf). */
static int64_t rfind(const KString *s, const KString *t, int64_t from)
{
    if (from > s->len - t->len) from = s->len - t->len;
    for (int64_t i = from; i >= 0; i--)
        if (memcmp(s->data + i, t->data, (size_t)t->len) == 0) return i;
    return -1;
}
static KSlot n_s_lastindexof(KVM *vm, KSlot *a)
{
    if (!a[1]) return null_arg(vm);
    return (KSlot)rfind(STR(a[0]), STR(a[1]), STR(a[0])->len);
}
static KSlot n_s_lastindexof_from(KVM *vm, KSlot *a)
{
    if (!a[1]) return null_arg(vm);
    return (KSlot)rfind(STR(a[0]), STR(a[1]), (int64_t)a[2]);
}
/* ASCII whitespace: space, \t, \n, \v, \f, \r. */
static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static KSlot trim(KVM *vm, KSlot *a, int start, int end)
{
    KString *s = STR(a[0]);
    int64_t i = 0, j = s->len;
    if (start) while (i < j && is_space(s->data[i])) i++;
    if (end) while (j > i && is_space(s->data[j - 1])) j--;
    if (i == 0 && j == s->len) return a[0];
    return SLOT(vm_string_new(vm, s->data + i, (size_t)(j - i)));
}
static KSlot n_s_trim(KVM *vm, KSlot *a) { return trim(vm, a, 1, 1); }
static KSlot n_s_trimstart(KVM *vm, KSlot *a) { return trim(vm, a, 1, 0); }
static KSlot n_s_trimend(KVM *vm, KSlot *a) { return trim(vm, a, 0, 1); }
/* A new string of len bytes to fill in (the NUL already placed); NULL if out of memory. */
static KString *blank(KVM *vm, int64_t len)
{
    if (len < 0 || len > INT32_MAX) {
        vm_throw(vm, vm->c_error, "out of memory: a string of %lld bytes",
                 (long long)len);
        return NULL;
    }
    return vm_string_new(vm, NULL, (size_t)len);
}
/* Every occurrence of old, left to right without overlaps; an empty old matches
** before every byte and at the end (as in Java and Kotlin). */
static KSlot n_s_replace(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]), *o = STR(a[1]), *r = STR(a[2]);
    if (!o || !r) return null_arg(vm);
    int64_t n = 0;
    if (o->len == 0) n = s->len + 1;
    else for (int64_t i = find(s, o, 0); i >= 0; i = find(s, o, i + o->len)) n++;
    if (n == 0) return a[0];
    KString *t = blank(vm, s->len + n * (r->len - o->len));
    if (!t) return 0;
    char *p = t->data;
    if (o->len == 0) {
        for (int64_t i = 0; i <= s->len; i++) {
            memcpy(p, r->data, (size_t)r->len); p += r->len;
            if (i < s->len) *p++ = s->data[i];
        }
        return SLOT(t);
    }
    int64_t start = 0;
    for (int64_t i = find(s, o, 0); i >= 0; i = find(s, o, start)) {
        memcpy(p, s->data + start, (size_t)(i - start)); p += i - start;
        memcpy(p, r->data, (size_t)r->len); p += r->len;
        start = i + o->len;
    }
    memcpy(p, s->data + start, (size_t)(s->len - start));
    return SLOT(t);
}
static KSlot change_case(KVM *vm, KSlot *a, int upper)
{
    KString *s = STR(a[0]);
    KString *t = vm_string_new(vm, s->data, (size_t)s->len);
    if (!t) return 0;
    for (int64_t i = 0; i < t->len; i++) {
        char c = t->data[i];
        if (upper && c >= 'a' && c <= 'z') t->data[i] = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z') t->data[i] = (char)(c + 32);
    }
    return SLOT(t);
}
static KSlot n_s_toupper(KVM *vm, KSlot *a) { return change_case(vm, a, 1); }
static KSlot n_s_tolower(KVM *vm, KSlot *a) { return change_case(vm, a, 0); }
static KSlot n_s_repeat(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    int64_t n = (int64_t)a[1];
    if (n < 0) return vm_throw(vm, vm->c_index_error, "repeat(%lld): negative count", (long long)n);
    if (s->len && n > INT32_MAX / s->len) return SLOT(blank(vm, (int64_t)INT32_MAX + 1));
    KString *t = blank(vm, s->len * n);
    if (!t) return 0;
    for (int64_t i = 0; i < n; i++) memcpy(t->data + i * s->len, s->data, (size_t)s->len);
    return SLOT(t);
}
static KSlot n_s_chars(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    KClass *ac = vm_array_class(vm, "[I");
    KArray *arr = ac ? vm_new_array(vm, ac, s->len) : NULL;
    if (!arr) return 0;
    for (int64_t i = 0; i < s->len; i++) arr->data[i] = (KSlot)(uint8_t)s->data[i];
    return SLOT(arr);
}
static KSlot n_s_bytes(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    KClass *ac = vm_array_class(vm, "[B");
    KArray *arr = ac ? vm_new_array(vm, ac, s->len) : NULL;
    if (!arr) return 0;
    memcpy(arr->data, s->data, (size_t)s->len);
    return SLOT(arr);
}
/* Byte-wise (unsigned) lexicographic; the difference of the first differing
** bytes, else of the lengths (Java's compareTo, on bytes). */
static KSlot n_s_compareto(KVM *vm, KSlot *a)
{
    KObject *o = OBJ(a[1]);
    if (!o) return vm_throw_null(vm, "compareTo(null)");
    if (o->cls != vm->c_string)
        return vm_throw(vm, vm->c_cast_error, "cannot compare a String with %s", o->cls->name);
    KString *s = STR(a[0]), *t = STR(a[1]);
    int64_t n = s->len < t->len ? s->len : t->len;
    for (int64_t i = 0; i < n; i++)
        if (s->data[i] != t->data[i]) return (KSlot)(int64_t)((uint8_t)s->data[i] - (uint8_t)t->data[i]);
    return (KSlot)(s->len - t->len);
}
static KSlot n_s_join(KVM *vm, KSlot *a)
{
    KString *sep = STR(a[0]);
    KArray *parts = (KArray *)OBJ(a[1]);
    if (!sep || !parts) return null_arg(vm);
    int64_t len = 0;
    for (int64_t i = 0; i < parts->length; i++) {
        KString *p = STR(parts->data[i]);
        len += (p ? p->len : 4) + (i ? sep->len : 0);
    }
    KString *t = blank(vm, len);
    if (!t) return 0;
    char *q = t->data;
    for (int64_t i = 0; i < parts->length; i++) {
        KString *p = STR(parts->data[i]);
        if (i) { memcpy(q, sep->data, (size_t)sep->len); q += sep->len; }
        if (p) { memcpy(q, p->data, (size_t)p->len); q += p->len; }
        else { memcpy(q, "null", 4); q += 4; }
    }
    return SLOT(t);
}
static KSlot n_s_split(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]), *sep = STR(a[1]);
    if (!sep) return null_arg(vm);
    KClass *ac = vm_array_class(vm, "[" S_);
    if (!ac) return 0;
    int64_t n = 1;
    if (sep->len == 0) n = s->len;
    else for (int64_t i = find(s, sep, 0); i >= 0; i = find(s, sep, i + sep->len)) n++;
    KArray *arr = vm_new_array(vm, ac, n);
    if (!arr) return 0;
    if (sep->len == 0) {
        for (int64_t i = 0; i < s->len; i++) {
            KString *p = vm_string_new(vm, s->data + i, 1);
            if (!p) return 0;
            arr->data[i] = SLOT(p);
        }
        return SLOT(arr);
    }
    int64_t start = 0, k = 0;
    for (int64_t i = find(s, sep, 0); ; i = find(s, sep, start)) {
        int64_t end = i >= 0 ? i : s->len;
        KString *p = vm_string_new(vm, s->data + start, (size_t)(end - start));
        if (!p) return 0;
        arr->data[k++] = SLOT(p);
        if (i < 0) break;
        start = i + sep->len;
    }
    return SLOT(arr);
}
static KSlot n_s_toint(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    const char *p = s->data, *e = s->data + s->len;
    int neg = 0;
    if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (p == e) goto bad;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9') goto bad;
        unsigned d = (unsigned)(*p - '0');
        if (v > (lim - d) / 10) goto bad;
        v = v * 10 + d;
    }
    return neg ? 0 - v : v;
bad:
    return vm_throw(vm, vm->c_format_error, "not an int: \"%.100s\"", s->data);
}
static KSlot n_s_tofloat(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    char *end;
    errno = 0;
    double d = s->len ? strtod(s->data, &end) : 0;
    if (!s->len || end != s->data + s->len || (s->data[0] == ' ') || s->data[0] == '\t' ||
        (s->len >= 2 && (s->data[1] == 'x' || s->data[1] == 'X' || s->data[2] == 'x')))
        return vm_throw(vm, vm->c_format_error, "not a float: \"%.100s\"", s->data);
    return s_of(d);
}
static KSlot n_s_frombytes(KVM *vm, KSlot *a)
{
    KArray *b = (KArray *)OBJ(a[0]);
    int64_t from = (int64_t)a[1], to = (int64_t)a[2];
    if (!b) return null_arg(vm);
    if (from < 0 || to > b->length || from > to)
        return vm_throw(vm, vm->c_index_error, "fromBytes(%lld, %lld) out of bounds for length %lld",
                        (long long)from, (long long)to, (long long)b->length);
    return SLOT(vm_string_new(vm, (const char *)b->data + from, (size_t)(to - from)));
}

static KSlot n_s_frombytes_all(KVM *vm, KSlot *a)
{
    KArray *b = (KArray *)OBJ(a[0]);
    if (!b) return null_arg(vm);
    return SLOT(vm_string_new(vm, (const char *)b->data, (size_t)b->length));
}
/* StringBuilder.copyInto(s, dst, at): the builder made room. */
static KSlot n_sb_copyinto(KVM *vm, KSlot *a)
{
    KString *s = STR(a[0]);
    KArray *d = (KArray *)OBJ(a[1]);
    int64_t at = (int64_t)a[2];
    if (!s || !d) return null_arg(vm);
    if (at < 0 || at > d->length || s->len > d->length - at)
        return vm_throw(vm, vm->c_index_error, "copyInto(%lld) out of bounds", (long long)at);
    memcpy((char *)d->data + at, s->data, (size_t)s->len);
    return 0;
}

static KSlot n_float_hash(KVM *vm, KSlot *a)
{
    (void)vm;
    KSlot bits = ((KBox *)OBJ(a[0]))->value;
    double d = f_of(bits);
    if (d == 0) bits = 0;                     /* 0.0 == -0.0: equal values, equal hashes */
    return (KSlot)(int64_t)(int32_t)(bits ^ (bits >> 32));
}

/* ---- Error ------------------------------------------------------------------------------- */

static KSlot n_error_tostring(KVM *vm, KSlot *a)
{
    KError *e = (KError *)OBJ(a[0]);
    const char *cn = simple_name(e->hdr.cls->name);
    KString *head = vm_string_cstr(vm, cn);
    KString *sep = vm_string_cstr(vm, ": ");
    if (!head || !sep) return 0;
    KString *t = vm_concat(vm, head, sep);
    return t ? SLOT(vm_concat(vm, t, e->message)) : 0;
}

static KSlot n_capture_trace(KVM *vm, KSlot *a) { (void)a; return SLOT(vm_capture_trace(vm, 1)); }

/* ---- the table ----------------------------------------------------------------------------- */

typedef struct { const char *cls, *name, *desc; KNativeFn fn; } NativeDef;

static const NativeDef natives[] = {
    { "std.core", "print",   "(I)V",           n_print_i },
    { "std.core", "print",   "(F)V",           n_print_f },
    { "std.core", "print",   "(Z)V",           n_print_z },
    { "std.core", "print",   "(" S_ ")V",      n_print_s },
    { "std.core", "print",   "(" O_ ")V",      n_print_o },
    { "std.core", "println", "()V",            n_println },
    { "std.core", "println", "(I)V",           n_println_i },
    { "std.core", "println", "(F)V",           n_println_f },
    { "std.core", "println", "(Z)V",           n_println_z },
    { "std.core", "println", "(" S_ ")V",      n_println_s },
    { "std.core", "println", "(" O_ ")V",      n_println_o },
    { "std.core", "str",     "(I)" S_,         n_str_i },
    { "std.core", "str",     "(F)" S_,         n_str_f },
    { "std.core", "str",     "(Z)" S_,         n_str_z },
    { "std.core", "str",     "(" O_ ")" S_,    n_str_o },
    { "std.core.Object", "toString", "()" S_,        n_obj_tostring },
    { "std.core.Object", "equals",   "(" O_ ")Z",    n_obj_equals },
    { "std.core.Object", "hashCode", "()I",          n_obj_hash },
    { "std.core.String", "toString", "()" S_,        n_s_tostring },
    { "std.core.String", "equals",   "(" O_ ")Z",    n_s_equals },
    { "std.core.String", "hashCode", "()I",          n_s_hash },
    { "std.core.String", "substring", "(II)" S_,     n_s_substring },
    { "std.core.String", "indexOf",  "(" S_ ")I",    n_s_indexof },
    { "std.core.String", "contains", "(" S_ ")Z",    n_s_contains },
    { "std.core.String", "startsWith", "(" S_ ")Z",  n_s_startswith },
    { "std.core.String", "endsWith", "(" S_ ")Z",    n_s_endswith },
    { "std.core.String", "split",    "(" S_ ")[" S_, n_s_split },
    { "std.core.String", "toInt",    "()I",          n_s_toint },
    { "std.core.String", "toFloat",  "()F",          n_s_tofloat },
    { "std.core.String", "fromBytes", "([BII)" S_,   n_s_frombytes },
    { "std.core.String", "fromBytes", "([B)" S_,     n_s_frombytes_all },
    { "std.core.String", "substring", "(I)" S_,      n_s_substring1 },
    { "std.core.String", "indexOf",  "(" S_ "I)I",   n_s_indexof_from },
    { "std.core.String", "lastIndexOf", "(" S_ ")I", n_s_lastindexof },
    { "std.core.String", "lastIndexOf", "(" S_ "I)I", n_s_lastindexof_from },
    { "std.core.String", "trim",     "()" S_,        n_s_trim },
    { "std.core.String", "trimStart", "()" S_,       n_s_trimstart },
    { "std.core.String", "trimEnd",  "()" S_,        n_s_trimend },
    { "std.core.String", "replace",  "(" S_ S_ ")" S_, n_s_replace },
    { "std.core.String", "toUpper",  "()" S_,        n_s_toupper },
    { "std.core.String", "toLower",  "()" S_,        n_s_tolower },
    { "std.core.String", "repeat",   "(I)" S_,       n_s_repeat },
    { "std.core.String", "chars",    "()[I",         n_s_chars },
    { "std.core.String", "bytes",    "()[B",         n_s_bytes },
    { "std.core.String", "compareTo", "(" O_ ")I",   n_s_compareto },
    { "std.core.String", "join",     "(" S_ "[" S_ ")" S_, n_s_join },
    { "std.core.StringBuilder", "copyInto", "(" S_ "[BI)V", n_sb_copyinto },
    { "std.core.Error",  "captureTrace", "()" S_,    n_capture_trace },
    { "std.core.Error",  "toString", "()" S_,        n_error_tostring },
    { "std.core.Float",  "hashCode", "()I",          n_float_hash },
};

/* Registers the table as the VM's first bindings (kiln_new, before std.core is
** defined): the same registry kiln_bind_native adds to, so a host may replace
** any of them, and classes defined later find them the same way. */
int vm_register_core_natives(KVM *vm)
{
    for (size_t i = 0; i < sizeof natives / sizeof natives[0]; i++)
        if (api_add_binding(vm, natives[i].cls, natives[i].name, natives[i].desc, natives[i].fn,
                            NULL, NULL))
            return -1;
    return 0;
}
