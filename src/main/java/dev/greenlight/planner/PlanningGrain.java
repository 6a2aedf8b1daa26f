package dev.greenlight.planner;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the planner's slots fit a region's forecast. A slot's cost is the forecast's average over it, so a slot that
 * spans many of the signal's steps hides its dips: on WattTime's 5-minute marginal signal for CAISO North, 30-minute
 * slots reached 0.892 and 0.8995 of the oracle's saving at 3 and 4 GPUs and 80 % load where 15-minute ones reached
 * 0.926 and 0.917 (docs/benchmarks.md). This names the forecast's step and, where a slot averages {@link #STEPS_PER_SLOT_HINT} steps or
 * more, a finer grain to try.
 */
public final class PlanningGrain {
  /** A slot averaging this many of the forecast's steps or more gets a hint. */
  static final int STEPS_PER_SLOT_HINT = 3;
  /** The finest grain the hint suggests: finer slots cost planning time for little more saving. */
  static final int FINEST_SUGGESTED_MINUTES = 15;

  private PlanningGrain() {}

  /** The most common length of the forecast's points that end after {@code now}, or empty when there are none. */
  public static Optional<Duration> step(IntensitySeries forecast, Instant now) {
    Map<Long, Integer> counts = new HashMap<>();
    for (IntensityPoint p : forecast.points()) {
      if (p.end().isAfter(now)) {
        counts.merge(Duration.between(p.start(), p.end()).getSeconds(), 1, Integer::sum);
      }
    }
    long best = 0;
    int most = 0;
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      // the most common length; among equally common ones the shortest
      if (e.getKey() > 0 && (e.getValue() > most || (e.getValue() == most && e.getKey() < best))) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    return most == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(best));
  }

  /**
   * A hint for {@code region} when its {@code slotMinutes}-minute slots average {@link #STEPS_PER_SLOT_HINT} or more of
   * the forecast's {@code step}s ({@link #step}), naming the finest accepted grain that is no finer than the step nor {@link
   * #FINEST_SUGGESTED_MINUTES}; empty when that grain is not finer than the slots, or the slots already follow the signal.
   */
  public static Optional<String> hint(String region, Duration step, int slotMinutes) {
    long stepS = step.getSeconds();
    long perSlot = slotMinutes * 60L / stepS;
    if (perSlot < STEPS_PER_SLOT_HINT) {
      return Optional.empty();
    }
    long atLeast = Math.max(FINEST_SUGGESTED_MINUTES, (stepS + 59) / 60);
    Optional<Integer> suggested = PlannerPolicy.SLOT_MINUTES.stream().filter(m -> m >= atLeast && m < slotMinutes).findFirst();
    return suggested.map(m -> String.format(Locale.ROOT,
        "the forecast for %s comes in %s steps and the planner's %d-minute slots average %d of them, hiding its dips: "
            + "a slot_minutes of %d follows the signal more closely, at more planning time per tick",
        region, minutes(stepS), slotMinutes, perSlot, m));
  }

  private static String minutes(long seconds) {
    return seconds % 60 == 0 ? (seconds / 60) + "-minute" : seconds + "-second";
  }
}
