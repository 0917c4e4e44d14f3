import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

// The AWFY suite's Set: a Vector without duplicates, compared with equals().
public class Set<E> {
  static final int INITIAL_SIZE = 10;
  private final Vector<E> items;

  public Set() { this(INITIAL_SIZE); }
  public Set(final int size) { items = new Vector<>(size); }

  public int size() { return items.size(); }
  public void forEach(final Consumer<E> f) { items.forEach(f); }
  public boolean hasSome(final Predicate<E> f) { return items.hasSome(f); }
  public E getOne(final Predicate<E> f) { return items.getOne(f); }

  public void add(final E obj) {
    if (!contains(obj)) { items.append(obj); }
  }

  public <T> Vector<T> collect(final Function<E, T> f) {
    final Vector<T> coll = new Vector<>();
    forEach(e -> coll.append(f.apply(e)));
    return coll;
  }

  public boolean contains(final E obj) { return hasSome(e -> e.equals(obj)); }

  public void removeAll() { items.removeAll(); }
}
