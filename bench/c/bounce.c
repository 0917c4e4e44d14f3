#define BENCH_NAME "Bounce"
#include "harness.h"
#include "random.h"
typedef struct { int x, y, xVel, yVel; } Ball;
static int iabs(int v) { return v < 0 ? -v : v; }
static void ball_init(Ball *b) {
    b->x = som_random_next() % 500; b->y = som_random_next() % 500;
    b->xVel = (som_random_next() % 300) - 150; b->yVel = (som_random_next() % 300) - 150;
}
static int ball_bounce(Ball *b) {
    int xLimit = 500, yLimit = 500, bounced = 0;
    b->x += b->xVel; b->y += b->yVel;
    if (b->x > xLimit) { b->x = xLimit; b->xVel = 0 - iabs(b->xVel); bounced = 1; }
    if (b->x < 0) { b->x = 0; b->xVel = iabs(b->xVel); bounced = 1; }
    if (b->y > yLimit) { b->y = yLimit; b->yVel = 0 - iabs(b->yVel); bounced = 1; }
    if (b->y < 0) { b->y = 0; b->yVel = iabs(b->yVel); bounced = 1; }
    return bounced;
}
static int benchmark(void) {
    som_random_reset();
    int ballCount = 100, bounces = 0;
    Ball *balls = malloc(sizeof(Ball) * ballCount);
    for (int i = 0; i < ballCount; i++) ball_init(&balls[i]);
    for (int i = 0; i < 50; i++)
        for (int j = 0; j < ballCount; j++)
            if (ball_bounce(&balls[j])) bounces++;
    free(balls);
    return bounces;
}
static int inner_benchmark_loop(int n) {
    for (int i = 0; i < n; i++) if (benchmark() != 1331) return 0;
    return 1;
}
