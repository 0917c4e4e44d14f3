// The AWFY suite's IdentityDictionary: a Dictionary whose keys compare with ==.
public class IdentityDictionary<K extends Dictionary.CustomHash, V> extends Dictionary<K, V> {
  static final class IdEntry<K, V> extends Entry<K, V> {
    IdEntry(final int hash, final K key, final V value, final Entry<K, V> next) { super(hash, key, value, next); }
    @Override boolean match(final int h, final K k) { return hash == h && key == k; }
  }

  public IdentityDictionary() { super(INITIAL_CAPACITY); }
  public IdentityDictionary(final int size) { super(size); }

  @Override protected Entry<K, V> newEntry(final K key, final V value, final int hash) {
    return new IdEntry<>(hash, key, value, null);
  }
}
