public final class ListBench extends Benchmark {
  private static final class Element {
    private Object val; private Element next;
    Element(final Object v) { val = v; }
    int length() { return next == null ? 1 : 1 + next.length(); }
  }
  @Override public Object benchmark() {
    final Element result = tail(makeList(15), makeList(10), makeList(6));
    return result.length();
  }
  private Element makeList(final int length) {
    if (length == 0) { return null; }
    final Element e = new Element(length);
    e.next = makeList(length - 1);
    return e;
  }
  private boolean isShorterThan(final Element x, final Element y) {
    Element xTail = x, yTail = y;
    while (yTail != null) {
      if (xTail == null) { return true; }
      xTail = xTail.next; yTail = yTail.next;
    }
    return false;
  }
  private Element tail(final Element x, final Element y, final Element z) {
    if (isShorterThan(y, x)) {
      return tail(tail(x.next, y, z), tail(y.next, z, x), tail(z.next, x, y));
    }
    return z;
  }
  @Override public boolean verifyResult(final Object result) { return 10 == (int) result; }
}
