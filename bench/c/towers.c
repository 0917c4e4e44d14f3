#define BENCH_NAME "Towers"
#include "harness.h"
typedef struct Disk { int size; struct Disk *next; } Disk;
static Disk *piles[3]; static int movesDone;
static void pushDisk(Disk *disk, int pile) {
    Disk *top = piles[pile];
    if (top && disk->size >= top->size) { fprintf(stderr, "Cannot put a big disk on a smaller one\n"); exit(1); }
    disk->next = top; piles[pile] = disk;
}
static Disk *popDiskFrom(int pile) {
    Disk *top = piles[pile];
    if (!top) { fprintf(stderr, "Attempting to remove a disk from an empty pile\n"); exit(1); }
    piles[pile] = top->next; top->next = NULL; return top;
}
static void moveTopDisk(int from, int to) { pushDisk(popDiskFrom(from), to); movesDone++; }
static void buildTowerAt(int pile, int disks) {
    for (int i = disks; i >= 0; i--) { Disk *d = malloc(sizeof *d); d->size = i; d->next = NULL; pushDisk(d, pile); }
}
static void moveDisks(int disks, int from, int to) {
    if (disks == 1) moveTopDisk(from, to);
    else { int other = (3 - from) - to; moveDisks(disks - 1, from, other); moveTopDisk(from, to); moveDisks(disks - 1, other, to); }
}
static int benchmark(void) {
    piles[0] = piles[1] = piles[2] = NULL;
    buildTowerAt(0, 13); movesDone = 0; moveDisks(13, 0, 1);
    for (int p = 0; p < 3; p++) while (piles[p]) free(popDiskFrom(p));
    return movesDone;
}
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 8191) return 0;
    return 1;
}
