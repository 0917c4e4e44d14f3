import java.util.function.Consumer;
import java.util.function.Predicate;

// AWFY DeltaBlue: the incremental constraint solver (from Mario Wolczko's
// Smalltalk/Java versions) with the suite's collections and lambdas; the chain and
// projection tests verify their own values.
public final class DeltaBlue extends Benchmark {
  @Override public boolean innerBenchmarkLoop(final int innerIterations) {
    return Planner.chainTest(innerIterations) && Planner.projectionTest(innerIterations);
  }
  @Override public Object benchmark() { throw new UnsupportedOperationException("should never be reached"); }
  @Override public boolean verifyResult(final Object result) { throw new UnsupportedOperationException("should never be reached"); }

  // ---- strengths ----
  static final class Sym implements Dictionary.CustomHash {
    private final int hash;
    Sym(final int hash) { this.hash = hash; }
    @Override public int customHash() { return hash; }
  }

  static final Sym ABSOLUTE_STRONGEST = new Sym(0), REQUIRED = new Sym(1), STRONG_PREFERRED = new Sym(2),
      PREFERRED = new Sym(3), STRONG_DEFAULT = new Sym(4), DEFAULT = new Sym(5), WEAK_DEFAULT = new Sym(6),
      ABSOLUTE_WEAKEST = new Sym(7);

  static final class Strength {
    private static final IdentityDictionary<Sym, Integer> strengthTable = createStrengthTable();
    private static final IdentityDictionary<Sym, Strength> strengthConstant = createStrengthConstants();
    static final Strength absoluteWeakest = of(ABSOLUTE_WEAKEST);
    static final Strength required = of(REQUIRED);

    final int arithmeticValue;
    final Sym symbolicValue;

    private Strength(final Sym symbolicValue) {
      this.symbolicValue = symbolicValue;
      arithmeticValue = strengthTable.at(symbolicValue);
    }

    boolean sameAs(final Strength s) { return arithmeticValue == s.arithmeticValue; }
    boolean stronger(final Strength s) { return arithmeticValue < s.arithmeticValue; }
    boolean weaker(final Strength s) { return arithmeticValue > s.arithmeticValue; }
    Strength strongest(final Strength s) { return s.stronger(this) ? s : this; }
    Strength weakest(final Strength s) { return s.weaker(this) ? s : this; }

    static Strength of(final Sym s) { return strengthConstant.at(s); }

    private static IdentityDictionary<Sym, Integer> createStrengthTable() {
      final IdentityDictionary<Sym, Integer> t = new IdentityDictionary<>();
      t.atPut(ABSOLUTE_STRONGEST, -10000);
      t.atPut(REQUIRED, -800);
      t.atPut(STRONG_PREFERRED, -600);
      t.atPut(PREFERRED, -400);
      t.atPut(STRONG_DEFAULT, -200);
      t.atPut(DEFAULT, 0);
      t.atPut(WEAK_DEFAULT, 500);
      t.atPut(ABSOLUTE_WEAKEST, 10000);
      return t;
    }

    private static IdentityDictionary<Sym, Strength> createStrengthConstants() {
      final IdentityDictionary<Sym, Strength> c = new IdentityDictionary<>();
      strengthTable.getKeys().forEach(key -> c.atPut(key, new Strength(key)));
      return c;
    }
  }

  // The Direction enum; null means unsatisfied.
  enum Direction { FORWARD, BACKWARD }

  // ---- variables ----
  static final class Variable {
    int value;
    final Vector<AbstractConstraint> constraints = new Vector<>(2);
    AbstractConstraint determinedBy;
    int mark;
    Strength walkStrength = Strength.absoluteWeakest;
    boolean stay = true;

    static Variable value(final int aValue) {
      final Variable v = new Variable();
      v.value = aValue;
      return v;
    }

    void addConstraint(final AbstractConstraint c) { constraints.append(c); }

    void removeConstraint(final AbstractConstraint c) {
      constraints.remove(c);
      if (determinedBy == c) { determinedBy = null; }
    }
  }

  // ---- constraints ----
  abstract static class AbstractConstraint {
    final Strength strength;

    AbstractConstraint(final Sym strength) { this.strength = Strength.of(strength); }

    boolean isInput() { return false; }
    abstract boolean isSatisfied();

    void addConstraint(final Planner planner) {
      addToGraph();
      planner.incrementalAdd(this);
    }

    abstract void addToGraph();

    void destroyConstraint(final Planner planner) {
      if (isSatisfied()) { planner.incrementalRemove(this); }
      removeFromGraph();
    }

    abstract void removeFromGraph();
    abstract Direction chooseMethod(int mark);
    abstract void execute();
    abstract void inputsDo(Consumer<Variable> f);
    abstract boolean inputsHasOne(Predicate<Variable> f);

    boolean inputsKnown(final int mark) {
      return !inputsHasOne(v -> !(v.mark == mark || v.stay || v.determinedBy == null));
    }

    abstract void markUnsatisfied();
    abstract Variable getOutput();
    abstract void recalculate();

    AbstractConstraint satisfy(final int mark, final Planner planner) {
      AbstractConstraint overridden;
      chooseMethod(mark);
      if (isSatisfied()) {
        inputsDo(in -> in.mark = mark);
        final Variable out = getOutput();
        overridden = out.determinedBy;
        if (overridden != null) { overridden.markUnsatisfied(); }
        out.determinedBy = this;
        if (!planner.addPropagate(this, mark)) { throw new RuntimeException("Cycle encountered"); }
        out.mark = mark;
      } else {
        overridden = null;
        if (strength.sameAs(Strength.required)) {
          throw new RuntimeException("Could not satisfy a required constraint");
        }
      }
      return overridden;
    }
  }

  abstract static class UnaryConstraint extends AbstractConstraint {
    final Variable output;
    boolean satisfied;

    UnaryConstraint(final Variable v, final Sym strength, final Planner planner) {
      super(strength);
      output = v;
      addConstraint(planner);
    }

    @Override boolean isSatisfied() { return satisfied; }
    @Override void addToGraph() { output.addConstraint(this); satisfied = false; }
    @Override void removeFromGraph() {
      if (output != null) { output.removeConstraint(this); }
      satisfied = false;
    }
    @Override Direction chooseMethod(final int mark) {
      satisfied = output.mark != mark && strength.stronger(output.walkStrength);
      return null;
    }
    @Override void inputsDo(final Consumer<Variable> f) { }
    @Override boolean inputsHasOne(final Predicate<Variable> f) { return false; }
    @Override void markUnsatisfied() { satisfied = false; }
    @Override Variable getOutput() { return output; }
    @Override void recalculate() {
      output.walkStrength = strength;
      output.stay = !isInput();
      if (output.stay) { execute(); }
    }
  }

  static final class StayConstraint extends UnaryConstraint {
    StayConstraint(final Variable v, final Sym strength, final Planner planner) { super(v, strength, planner); }
    @Override void execute() { }
  }

  static final class EditConstraint extends UnaryConstraint {
    EditConstraint(final Variable v, final Sym strength, final Planner planner) { super(v, strength, planner); }
    @Override boolean isInput() { return true; }
    @Override void execute() { }
  }

  abstract static class BinaryConstraint extends AbstractConstraint {
    final Variable v1, v2;
    Direction direction;

    BinaryConstraint(final Variable var1, final Variable var2, final Sym strength, final Planner planner) {
      super(strength);
      v1 = var1;
      v2 = var2;
      direction = null;
    }

    @Override boolean isSatisfied() { return direction != null; }

    @Override void addToGraph() {
      v1.addConstraint(this);
      v2.addConstraint(this);
      direction = null;
    }

    @Override void removeFromGraph() {
      if (v1 != null) { v1.removeConstraint(this); }
      if (v2 != null) { v2.removeConstraint(this); }
      direction = null;
    }

    @Override Direction chooseMethod(final int mark) {
      if (v1.mark == mark) {
        direction = v2.mark != mark && strength.stronger(v2.walkStrength) ? Direction.FORWARD : null;
        return direction;
      }
      if (v2.mark == mark) {
        direction = v1.mark != mark && strength.stronger(v1.walkStrength) ? Direction.BACKWARD : null;
        return direction;
      }
      // Neither variable is marked: choose.
      if (v1.walkStrength.weaker(v2.walkStrength)) {
        direction = strength.stronger(v1.walkStrength) ? Direction.BACKWARD : null;
      } else {
        direction = strength.stronger(v2.walkStrength) ? Direction.FORWARD : null;
      }
      return direction;
    }

    @Override void inputsDo(final Consumer<Variable> f) {
      if (direction == Direction.FORWARD) { f.accept(v1); } else { f.accept(v2); }
    }

    @Override boolean inputsHasOne(final Predicate<Variable> f) {
      return direction == Direction.FORWARD ? f.test(v1) : f.test(v2);
    }

    @Override void markUnsatisfied() { direction = null; }
    @Override Variable getOutput() { return direction == Direction.FORWARD ? v2 : v1; }

    @Override void recalculate() {
      final Variable in, out;
      if (direction == Direction.FORWARD) { in = v1; out = v2; } else { in = v2; out = v1; }
      out.walkStrength = strength.weakest(in.walkStrength);
      out.stay = in.stay;
      if (out.stay) { execute(); }
    }
  }

  static final class EqualityConstraint extends BinaryConstraint {
    EqualityConstraint(final Variable var1, final Variable var2, final Sym strength, final Planner planner) {
      super(var1, var2, strength, planner);
      addConstraint(planner);
    }
    @Override void execute() {
      if (direction == Direction.FORWARD) { v2.value = v1.value; } else { v1.value = v2.value; }
    }
  }

  static final class ScaleConstraint extends BinaryConstraint {
    final Variable scale, offset;

    ScaleConstraint(final Variable src, final Variable scale, final Variable offset, final Variable dest,
        final Sym strength, final Planner planner) {
      super(src, dest, strength, planner);
      this.scale = scale;
      this.offset = offset;
      addConstraint(planner);
    }

    @Override void addToGraph() {
      v1.addConstraint(this);
      v2.addConstraint(this);
      scale.addConstraint(this);
      offset.addConstraint(this);
      direction = null;
    }

    @Override void removeFromGraph() {
      if (v1 != null) { v1.removeConstraint(this); }
      if (v2 != null) { v2.removeConstraint(this); }
      if (scale != null) { scale.removeConstraint(this); }
      if (offset != null) { offset.removeConstraint(this); }
      direction = null;
    }

    @Override void execute() {
      if (direction == Direction.FORWARD) {
        v2.value = v1.value * scale.value + offset.value;
      } else {
        v1.value = (v2.value - offset.value) / scale.value;
      }
    }

    @Override void inputsDo(final Consumer<Variable> f) {
      if (direction == Direction.FORWARD) {
        f.accept(v1); f.accept(scale); f.accept(offset);
      } else {
        f.accept(v2); f.accept(scale); f.accept(offset);
      }
    }

    @Override void recalculate() {
      final Variable in, out;
      if (direction == Direction.FORWARD) { in = v1; out = v2; } else { out = v1; in = v2; }
      out.walkStrength = strength.weakest(in.walkStrength);
      out.stay = in.stay && scale.stay && offset.stay;
      if (out.stay) { execute(); }
    }
  }

  // ---- plans and the planner ----
  static final class Plan extends Vector<AbstractConstraint> {
    Plan() { super(15); }
    void execute() { forEach(c -> c.execute()); }
  }

  static final class Planner {
    private int currentMark = 1;

    void incrementalAdd(final AbstractConstraint c) {
      final int mark = newMark();
      AbstractConstraint overridden = c.satisfy(mark, this);
      while (overridden != null) { overridden = overridden.satisfy(mark, this); }
    }

    void incrementalRemove(final AbstractConstraint c) {
      final Variable out = c.getOutput();
      c.markUnsatisfied();
      c.removeFromGraph();
      final Vector<AbstractConstraint> unsatisfied = removePropagateFrom(out);
      unsatisfied.forEach(u -> incrementalAdd(u));
    }

    Plan extractPlanFromConstraints(final Vector<AbstractConstraint> constraints) {
      final Vector<AbstractConstraint> sources = new Vector<>();
      constraints.forEach(c -> {
        if (c.isInput() && c.isSatisfied()) { sources.append(c); }
      });
      return makePlan(sources);
    }

    Plan makePlan(final Vector<AbstractConstraint> sources) {
      final int mark = newMark();
      final Plan plan = new Plan();
      final Vector<AbstractConstraint> todo = sources;
      while (!todo.isEmpty()) {
        final AbstractConstraint c = todo.removeFirst();
        if (c.getOutput().mark != mark && c.inputsKnown(mark)) {
          plan.append(c);
          c.getOutput().mark = mark;
          addConstraintsConsumingTo(c.getOutput(), todo);
        }
      }
      return plan;
    }

    void propagateFrom(final Variable v) {
      final Vector<AbstractConstraint> todo = new Vector<>();
      addConstraintsConsumingTo(v, todo);
      while (!todo.isEmpty()) {
        final AbstractConstraint c = todo.removeFirst();
        c.execute();
        addConstraintsConsumingTo(c.getOutput(), todo);
      }
    }

    void addConstraintsConsumingTo(final Variable v, final Vector<AbstractConstraint> coll) {
      final AbstractConstraint determiningC = v.determinedBy;
      v.constraints.forEach(c -> {
        if (c != determiningC && c.isSatisfied()) { coll.append(c); }
      });
    }

    boolean addPropagate(final AbstractConstraint c, final int mark) {
      final Vector<AbstractConstraint> todo = Vector.with(c);
      while (!todo.isEmpty()) {
        final AbstractConstraint d = todo.removeFirst();
        if (d.getOutput().mark == mark) {
          incrementalRemove(c);
          return false;
        }
        d.recalculate();
        addConstraintsConsumingTo(d.getOutput(), todo);
      }
      return true;
    }

    private void change(final Variable v, final int newValue) {
      final EditConstraint editC = new EditConstraint(v, PREFERRED, this);
      final Vector<AbstractConstraint> editV = Vector.with(editC);
      final Plan plan = extractPlanFromConstraints(editV);
      for (int i = 0; i < 10; i++) {
        v.value = newValue;
        plan.execute();
      }
      editC.destroyConstraint(this);
    }

    private void constraintsConsuming(final Variable v, final Consumer<AbstractConstraint> f) {
      final AbstractConstraint determiningC = v.determinedBy;
      v.constraints.forEach(c -> {
        if (c != determiningC && c.isSatisfied()) { f.accept(c); }
      });
    }

    private int newMark() { return ++currentMark; }

    Vector<AbstractConstraint> removePropagateFrom(final Variable out) {
      final Vector<AbstractConstraint> unsatisfied = new Vector<>();
      out.determinedBy = null;
      out.walkStrength = Strength.absoluteWeakest;
      out.stay = true;
      final Vector<Variable> todo = Vector.with(out);
      while (!todo.isEmpty()) {
        final Variable v = todo.removeFirst();
        v.constraints.forEach(c -> {
          if (!c.isSatisfied()) { unsatisfied.append(c); }
        });
        constraintsConsuming(v, c -> {
          c.recalculate();
          todo.append(c.getOutput());
        });
      }
      unsatisfied.sort((c1, c2) -> c1.strength.stronger(c2.strength) ? -1 : 1);
      return unsatisfied;
    }

    // A chain of n equality constraints, a stay at one end and an edit at the other.
    static boolean chainTest(final int n) {
      final Planner planner = new Planner();
      final Variable[] vars = new Variable[n + 1];
      for (int i = 0; i < n + 1; i++) { vars[i] = new Variable(); }
      for (int i = 0; i < n; i++) { new EqualityConstraint(vars[i], vars[i + 1], REQUIRED, planner); }
      new StayConstraint(vars[n], STRONG_DEFAULT, planner);
      final AbstractConstraint editC = new EditConstraint(vars[0], PREFERRED, planner);
      final Vector<AbstractConstraint> editV = Vector.with(editC);
      final Plan plan = planner.extractPlanFromConstraints(editV);
      for (int i = 0; i < 100; i++) {
        vars[0].value = i;
        plan.execute();
        if (vars[n].value != i) { return false; }   // "Chain test failed!"
      }
      editC.destroyConstraint(planner);
      return true;
    }

    // Two sets of variables related by a linear transformation (scale, offset).
    static boolean projectionTest(final int n) {
      final Planner planner = new Planner();
      final Vector<Variable> dests = new Vector<>();
      final Variable scale = Variable.value(10);
      final Variable offset = Variable.value(1000);
      Variable src = null, dst = null;
      for (int i = 1; i <= n; i++) {
        src = Variable.value(i);
        dst = Variable.value(i);
        dests.append(dst);
        new StayConstraint(src, DEFAULT, planner);
        new ScaleConstraint(src, scale, offset, dst, REQUIRED, planner);
      }
      planner.change(src, 17);
      if (dst.value != 1170) { return false; }
      planner.change(dst, 1050);
      if (src.value != 5) { return false; }
      planner.change(scale, 5);
      for (int i = 0; i < n - 1; i++) {
        if (dests.at(i).value != (i + 1) * 5 + 1000) { return false; }
      }
      planner.change(offset, 2000);
      for (int i = 0; i < n - 1; i++) {
        if (dests.at(i).value != (i + 1) * 5 + 2000) { return false; }
      }
      return true;
    }
  }
}
