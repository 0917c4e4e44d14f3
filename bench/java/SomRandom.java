public final class SomRandom {
  private int seed = 74755;
  public int next() { seed = ((seed * 1309) + 13849) & 65535; return seed; }
}
