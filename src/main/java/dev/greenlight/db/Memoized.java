package dev.greenlight.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A value read from the database and reused for a short while (hot paths such as quoting every submission). */
public final class Memoized<T> implements Supplier<T> {
  private final Supplier<T> source;
  private final Duration ttl;
  private final Clock clock;
  private final AtomicReference<Entry<T>> entry = new AtomicReference<>();

  private record Entry<T>(T value, Instant until) {}

  public Memoized(Supplier<T> source, Duration ttl, Clock clock) {
    this.source = source;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public T get() {
    Instant now = clock.instant();
    Entry<T> e = entry.get();
    if (e != null && now.isBefore(e.until())) {
      return e.value();
    }
    T v = source.get();
    entry.set(new Entry<>(v, now.plus(ttl)));
    return v;
  }

  /** The next read goes to the source (after this node changed it). */
  public void invalidate() {
    entry.set(null);
  }
}
