// Benchmarks Game fasta; the output goes to a checksum sink (see bench/c/fasta.c).
public final class Fasta extends Benchmark {
  private static final int IM = 139968, IA = 3877, IC = 29573, LINE = 60;
  private static final String ALU =
      "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG"
      + "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA"
      + "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
      + "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA"
      + "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG"
      + "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC"
      + "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";
  private static final class Sink {
    long sum, bytes;
    void line(final byte[] buf, final int len) {
      long s = 0;
      for (int i = 0; i < len; i++) { s += buf[i] & 0xff; }
      sum = (sum * 31 + s + 10) % 1000000007; bytes += len + 1;
    }
    void text(final String t) {
      long s = 0;
      for (int i = 0; i < t.length(); i++) { s += t.charAt(i); }
      sum = (sum * 31 + s + 10) % 1000000007; bytes += t.length() + 1;
    }
  }
  private int last = 42;
  private double random(final double max) { last = (last * IA + IC) % IM; return max * (double) last / (double) IM; }
  private void repeatFasta(final String header, final String alu, final int n, final Sink out) {
    out.text(header);
    final byte[] buf = new byte[LINE];
    final int k = alu.length();
    int pos = 0, todo = n;
    while (todo > 0) {
      final int m = todo < LINE ? todo : LINE;
      for (int i = 0; i < m; i++) { buf[i] = (byte) alu.charAt(pos); pos++; if (pos == k) { pos = 0; } }
      out.line(buf, m);
      todo -= m;
    }
  }
  private void randomFasta(final String header, final byte[] chars, final double[] probs, final int n, final Sink out) {
    out.text(header);
    final double[] cum = new double[probs.length];
    double acc = 0.0;
    for (int i = 0; i < probs.length; i++) { acc += probs[i]; cum[i] = acc; }
    final byte[] buf = new byte[LINE];
    int todo = n;
    while (todo > 0) {
      final int m = todo < LINE ? todo : LINE;
      for (int i = 0; i < m; i++) {
        final double r = random(1.0);
        int j = 0;
        while (cum[j] < r && j < cum.length - 1) { j++; }
        buf[i] = chars[j];
      }
      out.line(buf, m);
      todo -= m;
    }
  }
  @Override public boolean innerBenchmarkLoop(final int n) {
    last = 42;
    final Sink out = new Sink();
    repeatFasta(">ONE Homo sapiens alu", ALU, 2 * n, out);
    randomFasta(">TWO IUB ambiguity codes", "acgtBDHKMNRSVWY".getBytes(),
        new double[] {0.27, 0.12, 0.12, 0.27, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02}, 3 * n, out);
    randomFasta(">THREE Homo sapiens frequency", "acgt".getBytes(),
        new double[] {0.3029549426680, 0.1979883004921, 0.1975473066391, 0.3015094502008}, 5 * n, out);
    if (n == 1000) { return out.sum == 60281910 && out.bytes == 10245; }
    if (n == 25000) { return out.sum == 922466686 && out.bytes == 254245; }
    if (n == 250000) { return out.sum == 928422222 && out.bytes == 2541745; }
    System.out.println("No verification result for " + n + ": " + out.sum + " " + out.bytes);
    return false;
  }
  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object r) { throw new RuntimeException("Should never be reached"); }
}
