#define BENCH_NAME "BinaryTrees"
#include "harness.h"
typedef struct Node { struct Node *left, *right; } Node;
static Node *bottomUpTree(int depth) {
    Node *n = malloc(sizeof *n);
    if (depth > 0) { n->left = bottomUpTree(depth - 1); n->right = bottomUpTree(depth - 1); }
    else n->left = n->right = NULL;
    return n;
}
static long itemCheck(Node *n) { return n->left == NULL ? 1 : 1 + itemCheck(n->left) + itemCheck(n->right); }
static void freeTree(Node *n) { if (n->left) { freeTree(n->left); freeTree(n->right); } free(n); }
static int inner_benchmark_loop(int n) {
    int minDepth = 4, maxDepth = n < minDepth + 2 ? minDepth + 2 : n, stretch = maxDepth + 1, ok = 1;
    Node *t = bottomUpTree(stretch);
    ok &= itemCheck(t) == (1L << (stretch + 1)) - 1; freeTree(t);
    Node *longLived = bottomUpTree(maxDepth);
    for (int d = minDepth; d <= maxDepth; d += 2) {
        long iterations = 1L << (maxDepth - d + minDepth), check = 0;
        for (long i = 0; i < iterations; i++) { t = bottomUpTree(d); check += itemCheck(t); freeTree(t); }
        ok &= check == iterations * ((1L << (d + 1)) - 1);
    }
    ok &= itemCheck(longLived) == (1L << (maxDepth + 1)) - 1; freeTree(longLived);
    return ok;
}
