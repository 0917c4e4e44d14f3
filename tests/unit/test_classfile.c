/*
** Class-file round trip: the compiler's writer and the loader's reader agree,
** and the reader refuses every damaged variant of a real class file cleanly.
*/
#include <stdlib.h>
#include <string.h>
#include "../../vm/vm.h"
#include "../../loader/loader.h"
#include "../../compiler/kc.h"

static int passed, failed;

#define CHECK(cond, ...) do { if (cond) passed++; else { failed++; \
    printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static const char src[] =
    "fun add(a: int, b: int): int { return a + b }\n"
    "fun main() {\n"
    "    var s = 0\n"
    "    for i in 0..10 { s += add(i, 1000000000000) }\n"
    "    if s > 5 && true { println(\"big\") } else { println(s) }\n"
    "}\n";

int main(void)
{
    KilnVM *vm = kiln_new(NULL);
    KcSource s = { "rt.kl", src, sizeof src - 1 };
    KcResult r;
    int rc = kc_compile(&s, 1, &r);
    CHECK(rc == 0 && r.nclasses == 1, "compile: rc=%d n=%d %s", rc, r.nclasses,
          r.diagnostics ? r.diagnostics : "");
    if (rc != 0 || r.nclasses < 1) { printf("%d passed, %d failed\n", passed, failed); return 1; }
    const uint8_t *data = r.classes[0].data;
    size_t len = r.classes[0].len;
    char err[512];

    /* Round trip: what the writer wrote, the reader reads back. */
    KClass *c = ld_parse_class(vm, data, len, "rt.klc", err, sizeof err);
    CHECK(c != NULL, "parse: %s", err);
    if (c) {
        CHECK(strcmp(c->name, "rt") == 0, "class name %s", c->name);
        CHECK(c->flags & KACC_MODULE, "module flag");
        CHECK(strcmp(c->source_file, "rt.kl") == 0, "source file %s", c->source_file);
        KMethod *add = vm_find_method(c, "add", "(II)I");
        KMethod *mn = vm_find_method(c, "main", "()V");
        CHECK(add && mn, "methods add(II)I and main()V present");
        if (add) CHECK(add->nargs == 2 && add->ret == 'I' && add->max_locals >= 2 && add->nlines > 0,
                       "add: nargs=%u ret=%c locals=%u lines=%u", add->nargs, add->ret,
                       add->max_locals, add->nlines);
        int big = 0;
        for (int i = 1; i < c->ncp; i++)
            if (c->cp[i].tag == KCP_INT && c->cp[i].v.i == 1000000000000) big = 1;
        CHECK(big, "the 64-bit constant is in the pool");
        CHECK(ld_define_class(vm, c, err, sizeof err) == 0, "define/verify: %s", err);
    }

    /* Every truncation is refused with a message, never a crash. */
    int trunc_ok = 1;
    for (size_t n = 0; n < len; n++) {
        err[0] = 0;
        if (ld_parse_class(vm, data, n, "t.klc", err, sizeof err) || !strstr(err, "t.klc: ")) {
            trunc_ok = 0;
            printf("  truncation to %zu accepted or no message: %s\n", n, err);
            break;
        }
    }
    CHECK(trunc_ok, "all %zu truncations rejected", len);

    /* Specific damage, specific messages. */
    uint8_t *bad = malloc(len + 1);
    memcpy(bad, data, len);
    bad[0] = 'X';
    CHECK(!ld_parse_class(vm, bad, len, "m.klc", err, sizeof err) && strstr(err, "bad magic"),
          "bad magic: %s", err);
    memcpy(bad, data, len);
    bad[4] = 9;
    CHECK(!ld_parse_class(vm, bad, len, "v.klc", err, sizeof err) && strstr(err, "version"),
          "bad version: %s", err);
    memcpy(bad, data, len);
    bad[len] = 0;
    CHECK(!ld_parse_class(vm, bad, len + 1, "x.klc", err, sizeof err) && strstr(err, "trailing"),
          "trailing byte: %s", err);

    /* Flip every byte in turn: parse (and verify what parses) without crashing. */
    int survived = 0;
    for (size_t i = 0; i < len; i++) {
        for (int v = 0; v < 3; v++) {
            memcpy(bad, data, len);
            bad[i] = (uint8_t)(v == 0 ? 0 : v == 1 ? 0xff : bad[i] ^ 0x01);
            KilnVM *vm2 = kiln_new(NULL);
            KClass *k = ld_parse_class(vm2, bad, len, "f.klc", err, sizeof err);
            if (k) ld_define_class(vm2, k, err, sizeof err);
            kiln_free(vm2);
            survived++;
        }
    }
    CHECK(survived == (int)len * 3, "byte flips");
    free(bad);
    kc_result_free(&r);
    kiln_free(vm);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
