public final class SpectralNorm extends Benchmark {
  private static double evalA(final int i, final int j) { return 1.0 / (double) ((i + j) * (i + j + 1) / 2 + i + 1); }
  private static void multiplyAv(final int n, final double[] v, final double[] av) {
    for (int i = 0; i < n; i++) { double s = 0.0; for (int j = 0; j < n; j++) { s += evalA(i, j) * v[j]; } av[i] = s; }
  }
  private static void multiplyAtv(final int n, final double[] v, final double[] atv) {
    for (int i = 0; i < n; i++) { double s = 0.0; for (int j = 0; j < n; j++) { s += evalA(j, i) * v[j]; } atv[i] = s; }
  }
  private static void multiplyAtAv(final int n, final double[] v, final double[] out, final double[] tmp) {
    multiplyAv(n, v, tmp); multiplyAtv(n, tmp, out);
  }
  @Override public Object benchmark() {
    final int n = 100;
    final double[] u = new double[n], v = new double[n], tmp = new double[n];
    for (int i = 0; i < n; i++) { u[i] = 1.0; }
    for (int i = 0; i < 10; i++) { multiplyAtAv(n, u, v, tmp); multiplyAtAv(n, v, u, tmp); }
    double vBv = 0, vv = 0;
    for (int i = 0; i < n; i++) { vBv += u[i] * v[i]; vv += v[i] * v[i]; }
    return vBv / vv;
  }
  @Override public boolean verifyResult(final Object result) {
    final double r = (double) result;
    return r > 1.2742199905 * 1.2742199905 && r < 1.2742199915 * 1.2742199915;
  }
}
