public final class Towers extends Benchmark {
  private static final class TowersDisk {
    private final int size; private TowersDisk next;
    TowersDisk(final int size) { this.size = size; }
  }
  private TowersDisk[] piles; private int movesDone;
  @Override public Object benchmark() {
    piles = new TowersDisk[3];
    buildTowerAt(0, 13);
    movesDone = 0;
    moveDisks(13, 0, 1);
    return movesDone;
  }
  private void pushDisk(final TowersDisk disk, final int pile) {
    final TowersDisk top = piles[pile];
    if (top != null && disk.size >= top.size) { throw new RuntimeException("Cannot put a big disk on a smaller one"); }
    disk.next = top;
    piles[pile] = disk;
  }
  private TowersDisk popDiskFrom(final int pile) {
    final TowersDisk top = piles[pile];
    if (top == null) { throw new RuntimeException("Attempting to remove a disk from an empty pile"); }
    piles[pile] = top.next;
    top.next = null;
    return top;
  }
  private void moveTopDisk(final int fromPile, final int toPile) { pushDisk(popDiskFrom(fromPile), toPile); movesDone++; }
  private void buildTowerAt(final int pile, final int disks) {
    for (int i = disks; i >= 0; i--) { pushDisk(new TowersDisk(i), pile); }
  }
  private void moveDisks(final int disks, final int fromPile, final int toPile) {
    if (disks == 1) { moveTopDisk(fromPile, toPile); }
    else {
      final int otherPile = (3 - fromPile) - toPile;
      moveDisks(disks - 1, fromPile, otherPile);
      moveTopDisk(fromPile, toPile);
      moveDisks(disks - 1, otherPile, toPile);
    }
  }
  @Override public boolean verifyResult(final Object result) { return 8191 == (int) result; }
}
