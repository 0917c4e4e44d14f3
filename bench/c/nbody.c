/* AWFY NBody: the Benchmarks Game's n-body simulation with the suite's Body and
   NBodySystem shape (an array of body structs). Verified for 1 and 250000 steps. */
#define BENCH_NAME "NBody"
#include "harness.h"
#include <math.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NUM_BODIES 5

typedef struct { double x, y, z, vx, vy, vz, mass; } Body;

static Body body(double x, double y, double z, double vx, double vy, double vz, double mass) {
    Body b = { x, y, z, vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR, mass * SOLAR_MASS };
    return b;
}

static void offset_momentum(Body *b, double px, double py, double pz) {
    b->vx = 0.0 - (px / SOLAR_MASS);
    b->vy = 0.0 - (py / SOLAR_MASS);
    b->vz = 0.0 - (pz / SOLAR_MASS);
}

static void create_bodies(Body *bodies) {
    bodies[0] = body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
    bodies[1] = body(4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
                     0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023,
                     0.000954791938424326609);
    bodies[2] = body(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
                     -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929,
                     0.000285885980666130812);
    bodies[3] = body(12.894369562139131, -15.1111514016986312, -0.223307578892655734,
                     0.00296460137564761618, 0.0023784717395948095, -0.0000296589568540237556,
                     0.0000436624404335156298);
    bodies[4] = body(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
                     0.00268067772490389322, 0.00162824170038242295, -0.000095159225451971587,
                     0.0000515138902046611451);
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < NUM_BODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    offset_momentum(&bodies[0], px, py, pz);
}

static void advance(Body *bodies, double dt) {
    for (int i = 0; i < NUM_BODIES; i++) {
        Body *ib = &bodies[i];
        for (int j = i + 1; j < NUM_BODIES; j++) {
            Body *jb = &bodies[j];
            double dx = ib->x - jb->x, dy = ib->y - jb->y, dz = ib->z - jb->z;
            double dSquared = dx * dx + dy * dy + dz * dz;
            double distance = sqrt(dSquared);
            double mag = dt / (dSquared * distance);
            ib->vx = ib->vx - (dx * jb->mass * mag);
            ib->vy = ib->vy - (dy * jb->mass * mag);
            ib->vz = ib->vz - (dz * jb->mass * mag);
            jb->vx = jb->vx + (dx * ib->mass * mag);
            jb->vy = jb->vy + (dy * ib->mass * mag);
            jb->vz = jb->vz + (dz * ib->mass * mag);
        }
    }
    for (int i = 0; i < NUM_BODIES; i++) {
        Body *b = &bodies[i];
        b->x = b->x + dt * b->vx;
        b->y = b->y + dt * b->vy;
        b->z = b->z + dt * b->vz;
    }
}

static double energy(const Body *bodies) {
    double e = 0.0;
    for (int i = 0; i < NUM_BODIES; i++) {
        const Body *ib = &bodies[i];
        e += 0.5 * ib->mass * (ib->vx * ib->vx + ib->vy * ib->vy + ib->vz * ib->vz);
        for (int j = i + 1; j < NUM_BODIES; j++) {
            const Body *jb = &bodies[j];
            double dx = ib->x - jb->x, dy = ib->y - jb->y, dz = ib->z - jb->z;
            double distance = sqrt(dx * dx + dy * dy + dz * dz);
            e -= (ib->mass * jb->mass) / distance;
        }
    }
    return e;
}

static int verify(double result, int n) {
    if (n == 250000) return result == -0.1690859889909308;
    if (n == 1) return result == -0.16907495402506745;
    printf("No verification result for %d found\n", n);
    printf("Result is: %.17g\n", result);
    return 0;
}

static int inner_benchmark_loop(int n) {
    Body bodies[NUM_BODIES];
    create_bodies(bodies);
    for (int i = 0; i < n; i++) advance(bodies, 0.01);
    return verify(energy(bodies), n);
}
