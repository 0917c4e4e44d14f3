// AWFY NBody: the Benchmarks Game's n-body simulation with the suite's Body and
// NBodySystem classes. The inner size is the number of advance steps.
public final class NBody extends Benchmark {
  @Override public boolean innerBenchmarkLoop(final int innerIterations) {
    final NBodySystem system = new NBodySystem();
    for (int i = 0; i < innerIterations; i++) { system.advance(0.01); }
    return verify(system.energy(), innerIterations);
  }

  private static boolean verify(final double result, final int n) {
    if (n == 250000) { return result == -0.1690859889909308; }
    if (n == 1) { return result == -0.16907495402506745; }
    System.out.println("No verification result for " + n + " found");
    System.out.println("Result is: " + result);
    return false;
  }

  @Override public Object benchmark() { throw new RuntimeException("Should never be reached"); }
  @Override public boolean verifyResult(final Object result) { throw new RuntimeException("Should never be reached"); }

  static final double PI = 3.141592653589793;
  static final double SOLAR_MASS = 4 * PI * PI;
  static final double DAYS_PER_YEAR = 365.24;

  static final class Body {
    double x, y, z, vx, vy, vz;
    final double mass;

    Body(final double x, final double y, final double z, final double vx, final double vy, final double vz,
        final double mass) {
      this.x = x; this.y = y; this.z = z;
      this.vx = vx * DAYS_PER_YEAR; this.vy = vy * DAYS_PER_YEAR; this.vz = vz * DAYS_PER_YEAR;
      this.mass = mass * SOLAR_MASS;
    }

    void offsetMomentum(final double px, final double py, final double pz) {
      vx = 0.0 - (px / SOLAR_MASS);
      vy = 0.0 - (py / SOLAR_MASS);
      vz = 0.0 - (pz / SOLAR_MASS);
    }

    static Body jupiter() {
      return new Body(4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
          0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023, 0.000954791938424326609);
    }
    static Body saturn() {
      return new Body(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
          -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929, 0.000285885980666130812);
    }
    static Body uranus() {
      return new Body(12.894369562139131, -15.1111514016986312, -0.223307578892655734,
          0.00296460137564761618, 0.0023784717395948095, -0.0000296589568540237556, 0.0000436624404335156298);
    }
    static Body neptune() {
      return new Body(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
          0.00268067772490389322, 0.00162824170038242295, -0.000095159225451971587, 0.0000515138902046611451);
    }
    static Body sun() { return new Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0); }
  }

  static final class NBodySystem {
    private final Body[] bodies;

    NBodySystem() { bodies = createBodies(); }

    Body[] createBodies() {
      final Body[] bodies = {Body.sun(), Body.jupiter(), Body.saturn(), Body.uranus(), Body.neptune()};
      double px = 0.0, py = 0.0, pz = 0.0;
      for (final Body b : bodies) {
        px += b.vx * b.mass;
        py += b.vy * b.mass;
        pz += b.vz * b.mass;
      }
      bodies[0].offsetMomentum(px, py, pz);
      return bodies;
    }

    void advance(final double dt) {
      for (int i = 0; i < bodies.length; ++i) {
        final Body iBody = bodies[i];
        for (int j = i + 1; j < bodies.length; ++j) {
          final Body jBody = bodies[j];
          final double dx = iBody.x - jBody.x;
          final double dy = iBody.y - jBody.y;
          final double dz = iBody.z - jBody.z;
          final double dSquared = dx * dx + dy * dy + dz * dz;
          final double distance = Math.sqrt(dSquared);
          final double mag = dt / (dSquared * distance);
          iBody.vx = iBody.vx - (dx * jBody.mass * mag);
          iBody.vy = iBody.vy - (dy * jBody.mass * mag);
          iBody.vz = iBody.vz - (dz * jBody.mass * mag);
          jBody.vx = jBody.vx + (dx * iBody.mass * mag);
          jBody.vy = jBody.vy + (dy * iBody.mass * mag);
          jBody.vz = jBody.vz + (dz * iBody.mass * mag);
        }
      }
      for (final Body body : bodies) {
        body.x = body.x + dt * body.vx;
        body.y = body.y + dt * body.vy;
        body.z = body.z + dt * body.vz;
      }
    }

    double energy() {
      double e = 0.0;
      for (int i = 0; i < bodies.length; ++i) {
        final Body iBody = bodies[i];
        e += 0.5 * iBody.mass * (iBody.vx * iBody.vx + iBody.vy * iBody.vy + iBody.vz * iBody.vz);
        for (int j = i + 1; j < bodies.length; ++j) {
          final Body jBody = bodies[j];
          final double dx = iBody.x - jBody.x;
          final double dy = iBody.y - jBody.y;
          final double dz = iBody.z - jBody.z;
          final double distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
          e -= (iBody.mass * jBody.mass) / distance;
        }
      }
      return e;
    }
  }
}
