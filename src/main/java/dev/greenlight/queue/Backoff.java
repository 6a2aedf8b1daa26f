package dev.greenlight.queue;

import java.time.Duration;

/** How long a failed attempt waits before its job is queued again. */
@FunctionalInterface
public interface Backoff {
  Duration delayAfter(int attempt);
}
