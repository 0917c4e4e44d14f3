import java.util.Arrays;

public final class Bounce extends Benchmark {
  private static final class Ball {
    private int x, y, xVel, yVel;
    Ball(final SomRandom random) {
      x = random.next() % 500; y = random.next() % 500;
      xVel = (random.next() % 300) - 150; yVel = (random.next() % 300) - 150;
    }
    public boolean bounce() {
      final int xLimit = 500, yLimit = 500;
      boolean bounced = false;
      x += xVel; y += yVel;
      if (x > xLimit) { x = xLimit; xVel = 0 - Math.abs(xVel); bounced = true; }
      if (x < 0) { x = 0; xVel = Math.abs(xVel); bounced = true; }
      if (y > yLimit) { y = yLimit; yVel = 0 - Math.abs(yVel); bounced = true; }
      if (y < 0) { y = 0; yVel = Math.abs(yVel); bounced = true; }
      return bounced;
    }
  }
  @Override public Object benchmark() {
    final SomRandom random = new SomRandom();
    final int ballCount = 100;
    int bounces = 0;
    final Ball[] balls = new Ball[ballCount];
    Arrays.setAll(balls, v -> new Ball(random));
    for (int i = 0; i < 50; i++) {
      for (Ball ball : balls) { if (ball.bounce()) { bounces += 1; } }
    }
    return bounces;
  }
  @Override public boolean verifyResult(final Object result) { return 1331 == (int) result; }
}
