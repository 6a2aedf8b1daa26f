package dev.greenlight.engine.reference;

/**
 * DDIM (Song et al. 2021), deterministic (eta = 0): a linear beta schedule over 1,000 training timesteps, sampled
 * at {@code steps} evenly spaced timesteps from noisy to clean.
 */
final class DdimSchedule {
  private static final int TRAIN_STEPS = 1000;
  private final double[] alphaBar = new double[TRAIN_STEPS];
  final int[] timesteps;

  DdimSchedule(int steps) {
    double prod = 1;
    for (int t = 0; t < TRAIN_STEPS; t++) {
      double beta = 1e-4 + (0.02 - 1e-4) * t / (TRAIN_STEPS - 1);
      prod *= 1 - beta;
      alphaBar[t] = prod;
    }
    timesteps = new int[steps];
    for (int i = 0; i < steps; i++) {
      timesteps[i] = (int) Math.round((TRAIN_STEPS - 1) * (1 - (double) i / steps));
    }
  }

  /** One update from timestep index {@code i} to the next, in place: x = sqrt(a') x0 + sqrt(1 - a') eps. */
  void step(float[] x, float[] eps, int i) {
    double a = alphaBar[timesteps[i]];
    double aPrev = i + 1 < timesteps.length ? alphaBar[timesteps[i + 1]] : 1.0;
    double sa = Math.sqrt(a);
    double s1a = Math.sqrt(1 - a);
    double sp = Math.sqrt(aPrev);
    double s1p = Math.sqrt(1 - aPrev);
    for (int k = 0; k < x.length; k++) {
      double x0 = (x[k] - s1a * eps[k]) / sa;
      x0 = Math.max(-3, Math.min(3, x0));
      x[k] = (float) (sp * x0 + s1p * eps[k]);
    }
  }
}
