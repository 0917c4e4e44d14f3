#define BENCH_NAME "Mandelbrot"
#include "harness.h"
static int mandelbrot(int size) {
    int sum = 0, byteAcc = 0, bitNum = 0, y = 0;
    while (y < size) {
        double ci = (2.0 * y / size) - 1.0;
        int x = 0;
        while (x < size) {
            double zrzr = 0.0, zi = 0.0, zizi = 0.0;
            double cr = (2.0 * x / size) - 1.5;
            int z = 0, notDone = 1, escape = 0;
            while (notDone && z < 50) {
                double zr = zrzr - zizi + cr;
                zi = 2.0 * zr * zi + ci;
                zrzr = zr * zr; zizi = zi * zi;
                if (zrzr + zizi > 4.0) { notDone = 0; escape = 1; }
                z += 1;
            }
            byteAcc = (byteAcc << 1) + escape;
            bitNum += 1;
            if (bitNum == 8) { sum ^= byteAcc; byteAcc = 0; bitNum = 0; }
            else if (x == size - 1) { byteAcc <<= (8 - bitNum); sum ^= byteAcc; byteAcc = 0; bitNum = 0; }
            x += 1;
        }
        y += 1;
    }
    return sum;
}
static int inner_benchmark_loop(int n) {
    int r = mandelbrot(n);
    if (n == 500) return r == 191;
    if (n == 750) return r == 50;
    if (n == 1) return r == 128;
    printf("No verification result for %d found\n", n);
    return 0;
}
