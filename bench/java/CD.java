// AWFY CD: collision detection for simulated aircraft (after Titzer and Vitek's CD_x),
// with the suite's own red-black tree as the map and its Vector. The inner size is
// the number of aircraft; the collision count over 200 frames is verified for the
// suite's sizes (10, 100, 250, 500, 1000).
import java.util.function.Consumer;

public final class CD extends Benchmark {
  private static int run(final int numAircrafts) {
    final int numFrames = 200;
    final Simulator simulator = new Simulator(numAircrafts);
    final CollisionDetector detector = new CollisionDetector();
    int actualCollisions = 0;
    for (int i = 0; i < numFrames; i++) {
      final double time = i / 10.0;
      final Vector<Collision> collisions = detector.handleNewFrame(simulator.simulate(time));
      actualCollisions += collisions.size();
    }
    return actualCollisions;
  }

  @Override public boolean innerBenchmarkLoop(final int innerIterations) {
    return verify(run(innerIterations), innerIterations);
  }

  private static boolean verify(final int actualCollisions, final int numAircrafts) {
    if (numAircrafts == 1000) { return actualCollisions == 14484; }
    if (numAircrafts == 500) { return actualCollisions == 14484; }
    if (numAircrafts == 250) { return actualCollisions == 10830; }
    if (numAircrafts == 100) { return actualCollisions == 4305; }
    if (numAircrafts == 10) { return actualCollisions == 390; }
    System.out.println("No verification result for " + numAircrafts + " found");
    System.out.println("Result is: " + actualCollisions);
    return false;
  }

  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object result) { throw new RuntimeException("Should never be reached"); }

  static final double MIN_X = 0.0, MIN_Y = 0.0, MAX_X = 1000.0, MAX_Y = 1000.0, MIN_Z = 0.0, MAX_Z = 10.0;
  static final double PROXIMITY_RADIUS = 1.0;
  static final double GOOD_VOXEL_SIZE = PROXIMITY_RADIUS * 2.0;

  // ---- geometry ----

  static final class Vector2D implements Comparable<Vector2D> {
    final double x, y;
    Vector2D(final double x, final double y) { this.x = x; this.y = y; }
    Vector2D plus(final Vector2D other) { return new Vector2D(x + other.x, y + other.y); }
    Vector2D minus(final Vector2D other) { return new Vector2D(x - other.x, y - other.y); }

    @Override public int compareTo(final Vector2D other) {
      final int result = compareNumbers(x, other.x);
      if (result != 0) { return result; }
      return compareNumbers(y, other.y);
    }

    private static int compareNumbers(final double a, final double b) {
      if (a == b) { return 0; }
      if (a < b) { return -1; }
      if (a > b) { return 1; }
      // NaN is smaller than any non-NaN.
      if (a == a) { return 1; }
      return -1;
    }
  }

  static final class Vector3D {
    final double x, y, z;
    Vector3D(final double x, final double y, final double z) { this.x = x; this.y = y; this.z = z; }
    Vector3D plus(final Vector3D o) { return new Vector3D(x + o.x, y + o.y, z + o.z); }
    Vector3D minus(final Vector3D o) { return new Vector3D(x - o.x, y - o.y, z - o.z); }
    double dot(final Vector3D o) { return x * o.x + y * o.y + z * o.z; }
    double squaredMagnitude() { return dot(this); }
    double magnitude() { return Math.sqrt(squaredMagnitude()); }
    Vector3D times(final double amount) { return new Vector3D(x * amount, y * amount, z * amount); }
  }

  // ---- the suite's red-black tree ----

  static final class RedBlackTree<K extends Comparable<K>, V> {
    private static final boolean RED = false, BLACK = true;

    static final class Node<K, V> {
      final K key;
      V value;
      Node<K, V> left, right, parent;
      boolean color = RED;

      Node(final K key, final V value) { this.key = key; this.value = value; }

      Node<K, V> successor() {
        Node<K, V> x = this;
        if (x.right != null) { return treeMinimum(x.right); }
        Node<K, V> y = x.parent;
        while (y != null && x == y.right) {
          x = y;
          y = y.parent;
        }
        return y;
      }
    }

    static <K, V> Node<K, V> treeMinimum(Node<K, V> x) {
      while (x.left != null) { x = x.left; }
      return x;
    }

    static final class Entry<K, V> {
      final K key;
      final V value;
      Entry(final K key, final V value) { this.key = key; this.value = value; }
    }

    static final class InsertResult<K, V> {
      final boolean isNewEntry;
      final Node<K, V> newNode;
      final V oldValue;
      InsertResult(final boolean isNewEntry, final Node<K, V> newNode, final V oldValue) {
        this.isNewEntry = isNewEntry; this.newNode = newNode; this.oldValue = oldValue;
      }
    }

    private Node<K, V> root;

    V put(final K key, final V value) {
      final InsertResult<K, V> insertionResult = treeInsert(key, value);
      if (!insertionResult.isNewEntry) { return insertionResult.oldValue; }
      Node<K, V> x = insertionResult.newNode;
      while (x != root && x.parent.color == RED) {
        if (x.parent == x.parent.parent.left) {
          final Node<K, V> y = x.parent.parent.right;
          if (y != null && y.color == RED) {
            // Case 1
            x.parent.color = BLACK;
            y.color = BLACK;
            x.parent.parent.color = RED;
            x = x.parent.parent;
          } else {
            if (x == x.parent.right) {
              // Case 2
              x = x.parent;
              leftRotate(x);
            }
            // Case 3
            x.parent.color = BLACK;
            x.parent.parent.color = RED;
            rightRotate(x.parent.parent);
          }
        } else {
          // The same with left and right exchanged.
          final Node<K, V> y = x.parent.parent.left;
          if (y != null && y.color == RED) {
            x.parent.color = BLACK;
            y.color = BLACK;
            x.parent.parent.color = RED;
            x = x.parent.parent;
          } else {
            if (x == x.parent.left) {
              x = x.parent;
              rightRotate(x);
            }
            x.parent.color = BLACK;
            x.parent.parent.color = RED;
            leftRotate(x.parent.parent);
          }
        }
      }
      root.color = BLACK;
      return null;
    }

    V remove(final K key) {
      final Node<K, V> z = findNode(key);
      if (z == null) { return null; }
      // y is the node to unlink from the tree.
      final Node<K, V> y = (z.left == null || z.right == null) ? z : z.successor();
      // x is y's child that may replace y; it may be null.
      final Node<K, V> x = y.left != null ? y.left : y.right;
      Node<K, V> xParent;
      if (x != null) {
        x.parent = y.parent;
        xParent = x.parent;
      } else {
        xParent = y.parent;
      }
      if (y.parent == null) {
        root = x;
      } else if (y == y.parent.left) {
        y.parent.left = x;
      } else {
        y.parent.right = x;
      }
      if (y != z) {
        if (y.color == BLACK) { removeFixup(x, xParent); }
        y.parent = z.parent;
        y.color = z.color;
        y.left = z.left;
        y.right = z.right;
        if (z.left != null) { z.left.parent = y; }
        if (z.right != null) { z.right.parent = y; }
        if (z.parent != null) {
          if (z.parent.left == z) {
            z.parent.left = y;
          } else {
            z.parent.right = y;
          }
        } else {
          root = y;
        }
      } else if (y.color == BLACK) {
        removeFixup(x, xParent);
      }
      return z.value;
    }

    V get(final K key) {
      final Node<K, V> node = findNode(key);
      return node == null ? null : node.value;
    }

    void forEach(final Consumer<Entry<K, V>> fn) {
      if (root == null) { return; }
      Node<K, V> current = treeMinimum(root);
      while (current != null) {
        fn.accept(new Entry<>(current.key, current.value));
        current = current.successor();
      }
    }

    private Node<K, V> findNode(final K key) {
      Node<K, V> current = root;
      while (current != null) {
        final int comparisonResult = key.compareTo(current.key);
        if (comparisonResult == 0) { return current; }
        current = comparisonResult < 0 ? current.left : current.right;
      }
      return null;
    }

    private InsertResult<K, V> treeInsert(final K key, final V value) {
      Node<K, V> y = null;
      Node<K, V> x = root;
      while (x != null) {
        y = x;
        final int comparisonResult = key.compareTo(x.key);
        if (comparisonResult < 0) {
          x = x.left;
        } else if (comparisonResult > 0) {
          x = x.right;
        } else {
          final V oldValue = x.value;
          x.value = value;
          return new InsertResult<>(false, null, oldValue);
        }
      }
      final Node<K, V> z = new Node<>(key, value);
      z.parent = y;
      if (y == null) {
        root = z;
      } else if (key.compareTo(y.key) < 0) {
        y.left = z;
      } else {
        y.right = z;
      }
      return new InsertResult<>(true, z, null);
    }

    private Node<K, V> leftRotate(final Node<K, V> x) {
      final Node<K, V> y = x.right;
      // y's left subtree becomes x's right subtree.
      x.right = y.left;
      if (y.left != null) { y.left.parent = x; }
      // Link x's parent to y.
      y.parent = x.parent;
      if (x.parent == null) {
        root = y;
      } else if (x == x.parent.left) {
        x.parent.left = y;
      } else {
        x.parent.right = y;
      }
      // Put x on y's left.
      y.left = x;
      x.parent = y;
      return y;
    }

    private Node<K, V> rightRotate(final Node<K, V> y) {
      final Node<K, V> x = y.left;
      // x's right subtree becomes y's left subtree.
      y.left = x.right;
      if (x.right != null) { x.right.parent = y; }
      // Link y's parent to x.
      x.parent = y.parent;
      if (y.parent == null) {
        root = x;
      } else if (y == y.parent.left) {
        y.parent.left = x;
      } else {
        y.parent.right = x;
      }
      x.right = y;
      y.parent = x;
      return x;
    }

    private void removeFixup(Node<K, V> x, Node<K, V> xParent) {
      while (x != root && (x == null || x.color == BLACK)) {
        if (x == xParent.left) {
          // w cannot be null here (a red-black tree property).
          Node<K, V> w = xParent.right;
          if (w.color == RED) {
            // Case 1
            w.color = BLACK;
            xParent.color = RED;
            leftRotate(xParent);
            w = xParent.right;
          }
          if ((w.left == null || w.left.color == BLACK) && (w.right == null || w.right.color == BLACK)) {
            // Case 2
            w.color = RED;
            x = xParent;
            xParent = x.parent;
          } else {
            if (w.right == null || w.right.color == BLACK) {
              // Case 3
              w.left.color = BLACK;
              w.color = RED;
              rightRotate(w);
              w = xParent.right;
            }
            // Case 4
            w.color = xParent.color;
            xParent.color = BLACK;
            if (w.right != null) { w.right.color = BLACK; }
            leftRotate(xParent);
            x = root;
            xParent = x.parent;
          }
        } else {
          // The same with left and right exchanged.
          Node<K, V> w = xParent.left;
          if (w.color == RED) {
            w.color = BLACK;
            xParent.color = RED;
            rightRotate(xParent);
            w = xParent.left;
          }
          if ((w.right == null || w.right.color == BLACK) && (w.left == null || w.left.color == BLACK)) {
            w.color = RED;
            x = xParent;
            xParent = x.parent;
          } else {
            if (w.left == null || w.left.color == BLACK) {
              w.right.color = BLACK;
              w.color = RED;
              leftRotate(w);
              w = xParent.left;
            }
            w.color = xParent.color;
            xParent.color = BLACK;
            if (w.left != null) { w.left.color = BLACK; }
            rightRotate(xParent);
            x = root;
            xParent = x.parent;
          }
        }
      }
      if (x != null) { x.color = BLACK; }
    }
  }

  // ---- the simulation ----

  static final class CallSign implements Comparable<CallSign> {
    private final int value;
    CallSign(final int value) { this.value = value; }
    @Override public int compareTo(final CallSign other) {
      return (value == other.value) ? 0 : ((value < other.value) ? -1 : 1);
    }
  }

  static final class Aircraft {
    final CallSign callsign;
    final Vector3D position;
    Aircraft(final CallSign callsign, final Vector3D position) { this.callsign = callsign; this.position = position; }
  }

  static final class Collision {
    final CallSign aircraftA, aircraftB;
    final Vector3D position;
    Collision(final CallSign a, final CallSign b, final Vector3D position) {
      aircraftA = a; aircraftB = b; this.position = position;
    }
  }

  static final class Motion {
    final CallSign callsign;
    final Vector3D posOne, posTwo;
    Motion(final CallSign callsign, final Vector3D posOne, final Vector3D posTwo) {
      this.callsign = callsign; this.posOne = posOne; this.posTwo = posTwo;
    }

    private Vector3D delta() { return posTwo.minus(posOne); }

    // Not a 3-d intersection test: both aircraft move at constant speed over the
    // frame, so this looks for the times when their distance is below the radius.
    Vector3D findIntersection(final Motion other) {
      final Vector3D init1 = posOne;
      final Vector3D init2 = other.posOne;
      final Vector3D vec1 = delta();
      final Vector3D vec2 = other.delta();
      final double radius = PROXIMITY_RADIUS;
      // a = (V2 - V1)^T * (V2 - V1)
      final double a = vec2.minus(vec1).squaredMagnitude();
      if (a != 0.0) {
        // Solve 0 = c + b v + a v^2 for the times v when the distance is exactly r.
        // b = 2 * <I1-I2, V1-V2>
        final double b = 2.0 * init1.minus(init2).dot(vec1.minus(vec2));
        // c = -r^2 + (I2 - I1)^T * (I2 - I1)
        final double c = -radius * radius + init2.minus(init1).squaredMagnitude();
        final double discr = b * b - 4.0 * a * c;
        if (discr < 0.0) { return null; }
        final double v1 = (-b - Math.sqrt(discr)) / (2.0 * a);
        final double v2 = (-b + Math.sqrt(discr)) / (2.0 * a);
        if (v1 <= v2 && ((v1 <= 1.0 && 1.0 <= v2) || (v1 <= 0.0 && 0.0 <= v2) || (0.0 <= v1 && v2 <= 1.0))) {
          // Report a collision that began before this frame at the frame's start,
          // otherwise at the moment it begins.
          final double v = v1 <= 0.0 ? 0.0 : v1;
          final Vector3D result1 = init1.plus(vec1.times(v));
          final Vector3D result2 = init2.plus(vec2.times(v));
          final Vector3D result = result1.plus(result2).times(0.5);
          if (result.x >= MIN_X && result.x <= MAX_X && result.y >= MIN_Y && result.y <= MAX_Y
              && result.z >= MIN_Z && result.z <= MAX_Z) {
            return result;
          }
        }
        return null;
      }
      // Same speed in parallel (or not moving): the distance stays what it is at the start.
      final double dist = init2.minus(init1).magnitude();
      if (dist <= radius) { return init1.plus(init2).times(0.5); }
      return null;
    }
  }

  static final class CollisionDetector {
    private static final Vector2D HORIZONTAL = new Vector2D(GOOD_VOXEL_SIZE, 0.0);
    private static final Vector2D VERTICAL = new Vector2D(0.0, GOOD_VOXEL_SIZE);

    private final RedBlackTree<CallSign, Vector3D> state = new RedBlackTree<>();

    Vector<Collision> handleNewFrame(final Vector<Aircraft> frame) {
      final Vector<Motion> motions = new Vector<>();
      final RedBlackTree<CallSign, Boolean> seen = new RedBlackTree<>();
      frame.forEach(aircraft -> {
        Vector3D oldPosition = state.put(aircraft.callsign, aircraft.position);
        final Vector3D newPosition = aircraft.position;
        seen.put(aircraft.callsign, true);
        // A newly introduced aircraft counts as stationary.
        if (oldPosition == null) { oldPosition = newPosition; }
        motions.append(new Motion(aircraft.callsign, oldPosition, newPosition));
      });

      // Remove the aircraft that are no longer present.
      final Vector<CallSign> toRemove = new Vector<>();
      state.forEach(e -> {
        if (seen.get(e.key) == null) { toRemove.append(e.key); }
      });
      toRemove.forEach(e -> state.remove(e));

      final Vector<Vector<Motion>> allReduced = reduceCollisionSet(motions);
      final Vector<Collision> collisions = new Vector<>();
      allReduced.forEach(reduced -> {
        for (int i = 0; i < reduced.size(); ++i) {
          final Motion motion1 = reduced.at(i);
          for (int j = i + 1; j < reduced.size(); ++j) {
            final Motion motion2 = reduced.at(j);
            final Vector3D collision = motion1.findIntersection(motion2);
            if (collision != null) {
              collisions.append(new Collision(motion1.callsign, motion2.callsign, collision));
            }
          }
        }
      });
      return collisions;
    }

    private static boolean isInVoxel(final Vector2D voxel, final Motion motion) {
      if (voxel.x > MAX_X || voxel.x < MIN_X || voxel.y > MAX_Y || voxel.y < MIN_Y) { return false; }
      final Vector3D init = motion.posOne;
      final Vector3D fin = motion.posTwo;
      final double v_s = GOOD_VOXEL_SIZE;
      final double r = PROXIMITY_RADIUS / 2.0;
      final double v_x = voxel.x;
      final double x0 = init.x;
      final double xv = fin.x - init.x;
      final double v_y = voxel.y;
      final double y0 = init.y;
      final double yv = fin.y - init.y;

      double low_x = (v_x - r - x0) / xv;
      double high_x = (v_x + v_s + r - x0) / xv;
      if (xv < 0.0) {
        final double tmp = low_x;
        low_x = high_x;
        high_x = tmp;
      }
      double low_y = (v_y - r - y0) / yv;
      double high_y = (v_y + v_s + r - y0) / yv;
      if (yv < 0.0) {
        final double tmp = low_y;
        low_y = high_y;
        high_y = tmp;
      }
      return (((xv == 0.0 && v_x <= x0 + r && x0 - r <= v_x + v_s) /* no motion in x */ ||
               (low_x <= 1.0 && 1.0 <= high_x) || (low_x <= 0.0 && 0.0 <= high_x) ||
               (0.0 <= low_x && high_x <= 1.0)) &&
              ((yv == 0.0 && v_y <= y0 + r && y0 - r <= v_y + v_s) /* no motion in y */ ||
               ((low_y <= 1.0 && 1.0 <= high_y) || (low_y <= 0.0 && 0.0 <= high_y) ||
                (0.0 <= low_y && high_y <= 1.0))) &&
              (xv == 0.0 || yv == 0.0 || /* no motion in x or y or both */
               (low_y <= high_x && high_x <= high_y) ||
               (low_y <= low_x && low_x <= high_y) ||
               (low_x <= low_y && high_y <= high_x)));
    }

    private static void putIntoMap(final RedBlackTree<Vector2D, Vector<Motion>> voxelMap, final Vector2D voxel,
        final Motion motion) {
      Vector<Motion> array = voxelMap.get(voxel);
      if (array == null) {
        array = new Vector<>();
        voxelMap.put(voxel, array);
      }
      array.append(motion);
    }

    private static void recurse(final RedBlackTree<Vector2D, Vector<Motion>> voxelMap,
        final RedBlackTree<Vector2D, Boolean> seen, final Vector2D nextVoxel, final Motion motion) {
      if (!isInVoxel(nextVoxel, motion)) { return; }
      if (seen.put(nextVoxel, true) != null) { return; }
      putIntoMap(voxelMap, nextVoxel, motion);
      recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL), motion);
      recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL), motion);
      recurse(voxelMap, seen, nextVoxel.minus(VERTICAL), motion);
      recurse(voxelMap, seen, nextVoxel.plus(VERTICAL), motion);
      recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL).minus(VERTICAL), motion);
      recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL).plus(VERTICAL), motion);
      recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL).minus(VERTICAL), motion);
      recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL).plus(VERTICAL), motion);
    }

    private static Vector<Vector<Motion>> reduceCollisionSet(final Vector<Motion> motions) {
      final RedBlackTree<Vector2D, Vector<Motion>> voxelMap = new RedBlackTree<>();
      motions.forEach(motion -> drawMotionOnVoxelMap(voxelMap, motion));
      final Vector<Vector<Motion>> result = new Vector<>();
      voxelMap.forEach(e -> {
        if (e.value.size() > 1) { result.append(e.value); }
      });
      return result;
    }

    private static Vector2D voxelHash(final Vector3D position) {
      final int xDiv = (int) (position.x / GOOD_VOXEL_SIZE);
      final int yDiv = (int) (position.y / GOOD_VOXEL_SIZE);
      double x = GOOD_VOXEL_SIZE * xDiv;
      double y = GOOD_VOXEL_SIZE * yDiv;
      if (position.x < 0) { x -= GOOD_VOXEL_SIZE; }
      if (position.y < 0) { y -= GOOD_VOXEL_SIZE; }
      return new Vector2D(x, y);
    }

    private static void drawMotionOnVoxelMap(final RedBlackTree<Vector2D, Vector<Motion>> voxelMap,
        final Motion motion) {
      final RedBlackTree<Vector2D, Boolean> seen = new RedBlackTree<>();
      recurse(voxelMap, seen, voxelHash(motion.posOne), motion);
    }
  }

  static final class Simulator {
    private final Vector<CallSign> aircraft = new Vector<>();

    Simulator(final int numAircraft) {
      for (int i = 0; i < numAircraft; i++) { aircraft.append(new CallSign(i)); }
    }

    Vector<Aircraft> simulate(final double time) {
      final Vector<Aircraft> frame = new Vector<>();
      for (int i = 0; i < aircraft.size(); i += 2) {
        frame.append(new Aircraft(aircraft.at(i), new Vector3D(time, Math.cos(time) * 2 + i * 3, 10)));
        frame.append(new Aircraft(aircraft.at(i + 1), new Vector3D(time, Math.sin(time) * 2 + i * 3, 10)));
      }
      return frame;
    }
  }
}
