import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Predicate;

// The AWFY suite's Vector (its "som" library): growable by copying, with closure
// iteration and the suite's own median-of-three quicksort. Written for this project.
public class Vector<E> {
  private Object[] storage;
  private int firstIdx;
  private int lastIdx;

  public Vector() { this(50); }
  public Vector(final int size) { storage = new Object[size]; }

  public static <E> Vector<E> with(final E elem) {
    final Vector<E> v = new Vector<>(1);
    v.append(elem);
    return v;
  }

  @SuppressWarnings("unchecked")
  public E at(final int idx) {
    if (idx >= storage.length) { return null; }
    return (E) storage[idx];
  }

  public void atPut(final int idx, final E val) {
    if (idx >= storage.length) {
      int n = storage.length;
      while (n <= idx) { n *= 2; }
      storage = Arrays.copyOf(storage, n);
    }
    storage[idx] = val;
    if (lastIdx < idx + 1) { lastIdx = idx + 1; }
  }

  public void append(final E elem) {
    if (lastIdx >= storage.length) {
      storage = Arrays.copyOf(storage, storage.length == 0 ? 1 : 2 * storage.length);
    }
    storage[lastIdx] = elem;
    lastIdx++;
  }

  public boolean isEmpty() { return lastIdx == firstIdx; }

  @SuppressWarnings("unchecked")
  public void forEach(final Consumer<E> f) {
    for (int i = firstIdx; i < lastIdx; i++) { f.accept((E) storage[i]); }
  }

  @SuppressWarnings("unchecked")
  public boolean hasSome(final Predicate<E> f) {
    for (int i = firstIdx; i < lastIdx; i++) {
      if (f.test((E) storage[i])) { return true; }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  public E getOne(final Predicate<E> f) {
    for (int i = firstIdx; i < lastIdx; i++) {
      final E e = (E) storage[i];
      if (f.test(e)) { return e; }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  public E first() { return isEmpty() ? null : (E) storage[firstIdx]; }

  @SuppressWarnings("unchecked")
  public E removeFirst() {
    if (isEmpty()) { return null; }
    firstIdx++;
    return (E) storage[firstIdx - 1];
  }

  public boolean remove(final E obj) {
    final Object[] newArray = new Object[capacity()];
    final int[] newLast = {0};
    final boolean[] found = {false};
    forEach(it -> {
      if (it == obj) {
        found[0] = true;
      } else {
        newArray[newLast[0]] = it;
        newLast[0]++;
      }
    });
    storage = newArray;
    lastIdx = newLast[0];
    firstIdx = 0;
    return found[0];
  }

  public void removeAll() {
    firstIdx = 0;
    lastIdx = 0;
    storage = new Object[storage.length];
  }

  public int size() { return lastIdx - firstIdx; }
  public int capacity() { return storage.length; }

  public void sort(final Comparator<E> c) {
    if (size() > 0) { sort(firstIdx, lastIdx - 1, c); }
  }

  @SuppressWarnings("unchecked")
  private void sort(final int i, final int j, final Comparator<E> c) {
    final int n = j + 1 - i;
    if (n <= 1) { return; }
    E di = (E) storage[i];
    E dj = (E) storage[j];
    if (c.compare(di, dj) > 0) {
      swap(i, j);
      final E tt = di;
      di = dj;
      dj = tt;
    }
    if (n > 2) {
      final int ij = (i + j) / 2;
      E dij = (E) storage[ij];
      if (c.compare(di, dij) <= 0) {
        if (c.compare(dij, dj) > 0) {
          swap(j, ij);
          dij = dj;
        }
      } else {
        swap(i, ij);
        dij = di;
      }
      if (n > 3) {
        int k = i;
        int l = j - 1;
        while (true) {
          while (k <= l && c.compare(dij, (E) storage[l]) <= 0) { l -= 1; }
          k += 1;
          while (k <= l && c.compare((E) storage[k], dij) <= 0) { k += 1; }
          if (k > l) { break; }
          swap(k, l);
        }
        sort(i, l, c);
        sort(k, j, c);
      }
    }
  }

  private void swap(final int i, final int j) {
    final Object t = storage[i];
    storage[i] = storage[j];
    storage[j] = t;
  }
}
