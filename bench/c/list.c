#define BENCH_NAME "List"
#include "harness.h"
typedef struct Element { int val; struct Element *next; } Element;
static int length(Element *e) { return e->next == NULL ? 1 : 1 + length(e->next); }
static Element *makeList(int len) {
    if (len == 0) return NULL;
    Element *e = malloc(sizeof *e);
    e->val = len; e->next = makeList(len - 1);
    return e;
}
static void freeList(Element *e) { while (e) { Element *n = e->next; free(e); e = n; } }
static int isShorterThan(Element *x, Element *y) {
    Element *xt = x, *yt = y;
    while (yt != NULL) { if (xt == NULL) return 1; xt = xt->next; yt = yt->next; }
    return 0;
}
static Element *tail(Element *x, Element *y, Element *z) {
    if (isShorterThan(y, x))
        return tail(tail(x->next, y, z), tail(y->next, z, x), tail(z->next, x, y));
    return z;
}
static int benchmark(void) {
    Element *a = makeList(15), *b = makeList(10), *c = makeList(6);
    int r = length(tail(a, b, c));
    freeList(a); freeList(b); freeList(c);
    return r;
}
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 10) return 0;
    return 1;
}
