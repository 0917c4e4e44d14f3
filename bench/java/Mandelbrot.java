public final class Mandelbrot extends Benchmark {
  @Override public boolean innerBenchmarkLoop(final int innerIterations) {
    return verify(mandelbrot(innerIterations), innerIterations);
  }
  private static boolean verify(final int result, final int n) {
    if (n == 500) { return result == 191; }
    if (n == 750) { return result == 50; }
    if (n == 1) { return result == 128; }
    System.out.println("No verification result for " + n + " found");
    return false;
  }
  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object result) { throw new RuntimeException("Should never be reached"); }
  private int mandelbrot(final int size) {
    int sum = 0, byteAcc = 0, bitNum = 0, y = 0;
    while (y < size) {
      final double ci = (2.0 * y / size) - 1.0;
      int x = 0;
      while (x < size) {
        double zrzr = 0.0, zi = 0.0, zizi = 0.0;
        final double cr = (2.0 * x / size) - 1.5;
        int z = 0; boolean notDone = true; int escape = 0;
        while (notDone && z < 50) {
          final double zr = zrzr - zizi + cr;
          zi = 2.0 * zr * zi + ci;
          zrzr = zr * zr; zizi = zi * zi;
          if (zrzr + zizi > 4.0) { notDone = false; escape = 1; }
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
}
