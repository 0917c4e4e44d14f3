public final class BinaryTrees extends Benchmark {
  private static final class TreeNode {
    final TreeNode left, right;
    TreeNode(final TreeNode l, final TreeNode r) { left = l; right = r; }
    int itemCheck() { return left == null ? 1 : 1 + left.itemCheck() + right.itemCheck(); }
  }
  private static TreeNode bottomUpTree(final int depth) {
    return depth > 0 ? new TreeNode(bottomUpTree(depth - 1), bottomUpTree(depth - 1)) : new TreeNode(null, null);
  }
  @Override public boolean innerBenchmarkLoop(final int n) {
    final int minDepth = 4, maxDepth = n < minDepth + 2 ? minDepth + 2 : n, stretch = maxDepth + 1;
    if (bottomUpTree(stretch).itemCheck() != (1 << (stretch + 1)) - 1) { return false; }
    final TreeNode longLived = bottomUpTree(maxDepth);
    for (int d = minDepth; d <= maxDepth; d += 2) {
      final int iterations = 1 << (maxDepth - d + minDepth);
      long check = 0;
      for (int i = 0; i < iterations; i++) { check += bottomUpTree(d).itemCheck(); }
      if (check != (long) iterations * ((1 << (d + 1)) - 1)) { return false; }
    }
    return longLived.itemCheck() == (1 << (maxDepth + 1)) - 1;
  }
  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object r) { throw new RuntimeException("Should never be reached"); }
}
