package dev.greenlight.worker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes an idle producer early (a NOTIFY arrived, a slot freed up); many wakes before one wait count as one. */
final class WakeSignal {
  private final Semaphore permits = new Semaphore(0);

  void wake() {
    if (permits.availablePermits() == 0) {
      permits.release();
    }
  }

  /** Waits until woken or {@code timeoutMs} passes. */
  void await(long timeoutMs) throws InterruptedException {
    if (permits.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
      permits.drainPermits();
    }
  }
}
