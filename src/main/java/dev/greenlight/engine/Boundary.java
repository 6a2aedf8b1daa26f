package dev.greenlight.engine;

/**
 * A point between two units of work: a phase about to start, or (for {@link Phase#DENOISE}) step {@code step}
 * of {@code steps} about to start. Steps count from 1.
 */
public record Boundary(Phase phase, int step, int steps) {
  public static Boundary start(Phase phase) {
    return new Boundary(phase, 0, 0);
  }

  public static Boundary step(int step, int steps) {
    return new Boundary(Phase.DENOISE, step, steps);
  }
}
