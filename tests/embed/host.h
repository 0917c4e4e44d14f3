/*
** tests/embed/host.h — shared by the API test hosts (Wren's test/api style): each
** tests/embed/NAME.c runs the Kiln code of tests/embed/NAME.kl through include/kiln.h
** and ends with its checks' verdict as the exit status (runtests.sh: 0 = pass).
** Run from the repository root (runtests.sh does).
*/
#ifndef KILN_TEST_HOST_H
#define KILN_TEST_HOST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiln.h"

static int failures, checks;

#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_ST(vm, call, want) do { KilnStatus st_ = (call); checks++; if (st_ != (want)) { failures++; \
    fprintf(stderr, "%s:%d: %s gave status %d, expected %d: %s\n", __FILE__, __LINE__, #call, \
            (int)st_, (int)(want), kiln_error_message(vm)); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got); checks++; \
    if (!g_ || strcmp(g_, (want)) != 0) { failures++; \
    fprintf(stderr, "%s:%d: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__, g_ ? g_ : "(null)", (want)); } } while (0)
#define CHECK_HAS(got, part) do { const char *g_ = (got); checks++; \
    if (!g_ || !strstr(g_, (part))) { failures++; \
    fprintf(stderr, "%s:%d: \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, g_ ? g_ : "(null)", (part)); } } while (0)

/* Output captured from write_out / write_err. */
typedef struct { char text[65536]; size_t len; } Captured;

static __attribute__((unused)) void capture(void *ud, const char *s, size_t n)
{
    Captured *c = ud;
    if (c->len + n >= sizeof c->text) n = sizeof c->text - c->len - 1;
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = 0;
}

static __attribute__((unused)) char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; if (len) *len = (size_t)n; }
    return buf;
}

/* Compiles and loads tests/embed/NAME.kl; 0 on success. */
static int load_script(KilnVM *vm, const char *path)
{
    size_t n;
    char *src = read_file(path, &n);
    if (!src) return -1;
    KilnStatus st = kiln_load_source(vm, path, src, n);
    free(src);
    if (st != KILN_OK) fprintf(stderr, "%s: %s\n", path, kiln_error_message(vm));
    return st == KILN_OK ? 0 : -1;
}

static int finish(const char *name)
{
    if (failures) fprintf(stderr, "%s: %d of %d checks failed\n", name, failures, checks);
    return failures ? 1 : 0;
}

#endif
