public final class FannkuchRedux extends Benchmark {
  @Override public boolean innerBenchmarkLoop(final int n) {
    final int[] r = fannkuch(n);
    switch (n) {
      case 7: return r[0] == 228 && r[1] == 16;
      case 8: return r[0] == 1616 && r[1] == 22;
      case 9: return r[0] == 8629 && r[1] == 30;
      case 10: return r[0] == 73196 && r[1] == 38;
      case 11: return r[0] == 556355 && r[1] == 51;
      case 12: return r[0] == 3968050 && r[1] == 65;
      default: System.out.println("No verification result for " + n); return false;
    }
  }
  private static int[] fannkuch(final int n) {
    final int[] perm = new int[n], perm1 = new int[n], count = new int[n];
    for (int i = 0; i < n; i++) { perm1[i] = i; }
    int maxFlips = 0, checksum = 0, permCount = 0, r = n;
    while (true) {
      while (r != 1) { count[r - 1] = r; r--; }
      for (int i = 0; i < n; i++) { perm[i] = perm1[i]; }
      int flips = 0, k;
      while ((k = perm[0]) != 0) {
        for (int i = 0, j = k; i < j; i++, j--) { final int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        flips++;
      }
      if (flips > maxFlips) { maxFlips = flips; }
      checksum += permCount % 2 == 0 ? flips : -flips;
      while (true) {
        if (r == n) { return new int[] {checksum, maxFlips}; }
        final int perm0 = perm1[0];
        for (int i = 0; i < r; i++) { perm1[i] = perm1[i + 1]; }
        perm1[r] = perm0;
        count[r]--;
        if (count[r] > 0) { break; }
        r++;
      }
      permCount++;
    }
  }
  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object r) { throw new RuntimeException("Should never be reached"); }
}
