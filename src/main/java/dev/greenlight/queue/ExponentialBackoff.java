package dev.greenlight.queue;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * base x 2^(attempt-1), capped at max, with "full jitter" on the upper half: the delay is uniform in
 * [d/2, d], so retries of jobs that failed together spread out.
 */
public final class ExponentialBackoff implements Backoff {
  private final long baseMs;
  private final long maxMs;
  private final DoubleSupplier random;

  public ExponentialBackoff(long baseMs, long maxMs, DoubleSupplier random) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  @Override
  public Duration delayAfter(int attempt) {
    double d = Math.min((double) maxMs, baseMs * Math.pow(2, Math.max(0, attempt - 1)));
    return Duration.ofMillis((long) (d / 2 + random.getAsDouble() * d / 2));
  }
}
