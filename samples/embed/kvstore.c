/*
** samples/embed/kvstore.c — a host that gives scripts a small C API (a key-value
** store) and calls a script callback whenever a value changes.
**
** The script declares `native fun put(key: String, value: int)` and
** `native fun get(key: String): int`; the host binds them with its store as
** userdata. put() calls the script's `changed(key, old, new)` back: natives may
** call into the VM (reentrancy).
*/
#include <stdio.h>
#include <string.h>
#include <kiln.h>

#define MAX_KEYS 16

typedef struct {
    char   keys[MAX_KEYS][32];
    long   values[MAX_KEYS];
    int    n;
} Store;

static int find(Store *s, const char *k, size_t len)
{
    for (int i = 0; i < s->n; i++)
        if (strlen(s->keys[i]) == len && memcmp(s->keys[i], k, len) == 0) return i;
    return -1;
}

static void n_put(KilnVM *vm, const KilnValue *a, int nargs, KilnValue *result, void *ud)
{
    (void)nargs; (void)result;
    Store *s = ud;
    size_t len = a[0].as.s.len;
    int i = find(s, a[0].as.s.chars, len);
    if (i < 0) {
        if (s->n == MAX_KEYS || len >= sizeof s->keys[0]) {
            kiln_throw(vm, "std.core.IndexError", "the store is full");
            return;
        }
        i = s->n++;
        memcpy(s->keys[i], a[0].as.s.chars, len);
        s->keys[i][len] = 0;
        s->values[i] = 0;
    }
    long old = s->values[i];
    s->values[i] = (long)a[1].as.i;
    /* Tell the script. Its error, if any, goes on through this native. */
    KilnValue cb[3] = { kiln_str(s->keys[i]), kiln_int(old), kiln_int(a[1].as.i) };
    if (kiln_call(vm, "store", "changed", cb, 3, NULL) != KILN_OK) kiln_rethrow(vm);
}

static void n_get(KilnVM *vm, const KilnValue *a, int nargs, KilnValue *result, void *ud)
{
    (void)nargs;
    Store *s = ud;
    int i = find(s, a[0].as.s.chars, a[0].as.s.len);
    if (i < 0) { kiln_throw(vm, "std.core.IndexError", "no key %.*s", (int)a[0].as.s.len, a[0].as.s.chars); return; }
    *result = kiln_int(s->values[i]);
}

static const char script[] =
    "module store\n"
    "native fun put(key: String, value: int)\n"
    "native fun get(key: String): int\n"
    "var changes = 0\n"
    "fun changed(key: String, old: int, now: int) {\n"
    "    changes += 1\n"
    "    println(\"${key}: ${old} -> ${now}\")\n"
    "}\n"
    "fun main(): int {\n"
    "    put(\"apples\", 3)\n"
    "    put(\"pears\", 5)\n"
    "    put(\"apples\", get(\"apples\") + get(\"pears\"))\n"
    "    try { get(\"plums\") } catch e: IndexError { println(\"caught: ${e.message}\") }\n"
    "    return changes\n"
    "}\n";

int main(void)
{
    Store store = { .n = 0 };
    KilnVM *vm = kiln_new(NULL);
    if (!vm) return 1;
    kiln_bind_native(vm, "store.put", n_put, &store);
    kiln_bind_native(vm, "store.get", n_get, &store);
    if (kiln_load_source(vm, "store.kl", script, strlen(script)) != KILN_OK) {
        fprintf(stderr, "%s", kiln_error_message(vm));
        kiln_free(vm);
        return 1;
    }
    KilnValue r;
    int rc = 0;
    if (kiln_call(vm, "store", "main", NULL, 0, &r) == KILN_OK) {
        printf("%lld changes; apples = %ld\n", (long long)r.as.i, store.values[0]);
    } else {
        fprintf(stderr, "%s\n", kiln_error_message(vm));
        rc = 1;
    }
    kiln_free(vm);
    return rc;
}
