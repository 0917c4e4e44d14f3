// The AWFY suite's Dictionary: chained hashing on the keys' customHash(), keys
// compared with equals(); IdentityDictionary compares them with ==.
public class Dictionary<K extends Dictionary.CustomHash, V> {
  public interface CustomHash { int customHash(); }

  protected static final int INITIAL_CAPACITY = 16;

  static class Entry<K, V> {
    final int hash;
    final K key;
    V value;
    Entry<K, V> next;
    Entry(final int hash, final K key, final V value, final Entry<K, V> next) {
      this.hash = hash; this.key = key; this.value = value; this.next = next;
    }
    boolean match(final int h, final K k) { return hash == h && k.equals(key); }
  }

  private Entry<K, V>[] buckets;
  private int size;

  @SuppressWarnings("unchecked")
  public Dictionary(final int size) { buckets = new Entry[size]; }
  public Dictionary() { this(INITIAL_CAPACITY); }

  private static int hashOf(final CustomHash key) {
    if (key == null) { return 0; }
    final int h = key.customHash();
    return h ^ h >>> 16;
  }

  public int size() { return size; }
  public boolean isEmpty() { return size == 0; }

  private int getBucketIdx(final int hash) { return (buckets.length - 1) & hash; }
  private Entry<K, V> getBucket(final int hash) { return buckets[getBucketIdx(hash)]; }

  public V at(final K key) {
    final int hash = hashOf(key);
    for (Entry<K, V> e = getBucket(hash); e != null; e = e.next) {
      if (e.match(hash, key)) { return e.value; }
    }
    return null;
  }

  public boolean containsKey(final K key) {
    final int hash = hashOf(key);
    for (Entry<K, V> e = getBucket(hash); e != null; e = e.next) {
      if (e.match(hash, key)) { return true; }
    }
    return false;
  }

  public void atPut(final K key, final V value) {
    final int hash = hashOf(key);
    final int i = getBucketIdx(hash);
    final Entry<K, V> current = buckets[i];
    if (current == null) {
      buckets[i] = newEntry(key, value, hash);
      size++;
    } else {
      insertBucketEntry(key, value, hash, current);
    }
    if (size > buckets.length) { resize(); }
  }

  protected Entry<K, V> newEntry(final K key, final V value, final int hash) {
    return new Entry<>(hash, key, value, null);
  }

  private void insertBucketEntry(final K key, final V value, final int hash, final Entry<K, V> head) {
    Entry<K, V> current = head;
    while (true) {
      if (current.match(hash, key)) {
        current.value = value;
        return;
      }
      if (current.next == null) {
        size++;
        current.next = newEntry(key, value, hash);
        return;
      }
      current = current.next;
    }
  }

  @SuppressWarnings("unchecked")
  private void resize() {
    final Entry<K, V>[] old = buckets;
    buckets = new Entry[old.length * 2];
    for (int i = 0; i < old.length; i++) {
      final Entry<K, V> current = old[i];
      if (current != null) {
        old[i] = null;
        if (current.next == null) {
          buckets[current.hash & (buckets.length - 1)] = current;
        } else {
          splitBucket(old, i, current);
        }
      }
    }
  }

  // Keeps each chain's order: entries stay at i or move to i + old length.
  private void splitBucket(final Entry<K, V>[] old, final int i, final Entry<K, V> head) {
    Entry<K, V> loHead = null, loTail = null, hiHead = null, hiTail = null;
    for (Entry<K, V> current = head; current != null; current = current.next) {
      if ((current.hash & old.length) == 0) {
        if (loTail == null) { loHead = current; } else { loTail.next = current; }
        loTail = current;
      } else {
        if (hiTail == null) { hiHead = current; } else { hiTail.next = current; }
        hiTail = current;
      }
    }
    if (loTail != null) { loTail.next = null; buckets[i] = loHead; }
    if (hiTail != null) { hiTail.next = null; buckets[i + old.length] = hiHead; }
  }

  @SuppressWarnings("unchecked")
  public void removeAll() {
    buckets = new Entry[buckets.length];
    size = 0;
  }

  public Vector<K> getKeys() {
    final Vector<K> keys = new Vector<>(size);
    for (Entry<K, V> bucket : buckets) {
      for (Entry<K, V> e = bucket; e != null; e = e.next) { keys.append(e.key); }
    }
    return keys;
  }

  public Vector<V> getValues() {
    final Vector<V> values = new Vector<>(size);
    for (Entry<K, V> bucket : buckets) {
      for (Entry<K, V> e = bucket; e != null; e = e.next) { values.append(e.value); }
    }
    return values;
  }
}
