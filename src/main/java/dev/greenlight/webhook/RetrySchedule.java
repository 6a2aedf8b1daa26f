package dev.greenlight.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When each attempt of a delivery happens, after the previous one: by default immediately, 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h (Standard Webhooks' schedule), each stretched or shrunk by up to 10 % of jitter.
 */
public final class RetrySchedule {
  public static final String DEFAULT = "0,5s,5m,30m,2h,5h,10h,10h";
  private final List<Duration> delays;
  private final DoubleSupplier random;

  public RetrySchedule(List<Duration> delays, DoubleSupplier random) {
    this.delays = List.copyOf(delays);
    this.random = random;
  }

  /** "0,5s,5m,2h" -> delays. */
  public static List<Duration> parse(String spec) {
    List<Duration> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.equals("0")) {
        out.add(Duration.ZERO);
        continue;
      }
      long n = Long.parseLong(p.substring(0, p.length() - 1));
      out.add(switch (p.charAt(p.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException("expected a number then s, m or h: " + p);
      });
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the schedule needs at least one attempt");
    }
    return out;
  }

  /** How many attempts a delivery gets. */
  public int attempts() {
    return delays.size();
  }

  /** The wait before attempt {@code next} (1-based), jittered; null when there is none. */
  public Duration before(int next) {
    if (next > delays.size()) {
      return null;
    }
    Duration d = delays.get(next - 1);
    double factor = 0.9 + 0.2 * random.getAsDouble();
    return Duration.ofMillis((long) (d.toMillis() * factor));
  }
}
