package dev.greenlight.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecast of the online work each future slot will bring, so that the plan keeps room for it where it comes and
 * not elsewhere: a seasonal-naive forecast at a daily period, like {@link ExpectedArrivals}. The online jobs
 * submitted over the last day are laid out by time of day; a slot expects the GPU-seconds that arrived within
 * {@link #SPREAD} of its hours of the day, per second of the slot (the spread evens out the chance of one busy
 * minute). Online jobs follow the working day: a flat reserve keeps too much at night and too little at the
 * afternoon peak. A service with less than a day of online history has no forecast ({@link #NONE}): the planner
 * keeps the policy's flat {@code online_reserve}.
 */
public final class ExpectedOnlineLoad {
  /** The period of the online jobs' pattern and how far back the history reaches. */
  public static final Duration PERIOD = Duration.ofDays(1);
  /** Each slot expects the work that arrived this close to its hours of the day. */
  public static final Duration SPREAD = Duration.ofHours(2);
  /**
   * The default headroom ({@code online_reserve_headroom}): the reserve is this much more than the expected work,
   * since arrivals are bursty around the day's shape and an online job that finds every GPU busy waits for a deferred
   * one to end.
   */
  public static final double HEADROOM = 1.25;
  /** No history: plan with the flat reserve. */
  public static final ExpectedOnlineLoad NONE = new ExpectedOnlineLoad(null);

  private static final int DAY_S = 86_400;
  private static final int BUCKET_S = 60;
  private static final int BUCKETS = DAY_S / BUCKET_S;

  /** Per region: cumulative online GPU-seconds by minute of the day, {@code BUCKETS + 1} entries; null for NONE. */
  private final Map<String, double[]> cumulative;

  private ExpectedOnlineLoad(Map<String, double[]> cumulative) {
    this.cumulative = cumulative;
  }

  /**
   * @param history online jobs submitted in {@code (now - PERIOD, now]} (others are ignored)
   * @param historyFrom the first online submission the service has seen: later than {@code now - PERIOD}, there is
   *     no full day to learn from and the result is {@link #NONE}
   * @param regions the regions planned into; a job's work is split evenly over those it names (all of them when it
   *     names none)
   */
  public static ExpectedOnlineLoad fromHistory(List<OnlineArrival> history, Instant now, Instant historyFrom, Collection<String> regions) {
    Instant from = now.minus(PERIOD);
    if (historyFrom.isAfter(from) || regions.isEmpty()) {
      return NONE;
    }
    Map<String, double[]> byMinute = new HashMap<>();
    regions.forEach(r -> byMinute.put(r, new double[BUCKETS]));
    for (OnlineArrival a : history) {
      if (!a.submittedAt().isAfter(from) || a.submittedAt().isAfter(now)) {
        continue;
      }
      Collection<String> over = a.regions().isEmpty() ? byMinute.keySet() : a.regions().stream().filter(byMinute::containsKey).toList();
      if (over.isEmpty()) {
        continue;
      }
      int minute = (int) (Math.floorMod(a.submittedAt().getEpochSecond(), DAY_S) / BUCKET_S);
      for (String r : over) {
        byMinute.get(r)[minute] += a.durationS() / over.size();
      }
    }
    Map<String, double[]> cumulative = new HashMap<>();
    byMinute.forEach((r, m) -> {
      double[] c = new double[BUCKETS + 1];
      for (int i = 0; i < BUCKETS; i++) {
        c[i + 1] = c[i] + m[i];
      }
      cumulative.put(r, c);
    });
    return new ExpectedOnlineLoad(cumulative);
  }

  /** Whether there is a forecast (a day of history). */
  public boolean known() {
    return cumulative != null;
  }

  /**
   * The online GPU-seconds expected to arrive in {@code [fromS, toS)} (epoch seconds) in {@code region}: the work
   * of the last day within {@link #SPREAD} of those hours of the day, scaled to the slot's length. NaN without a
   * forecast; 0 for a region without history.
   */
  public double gpuSeconds(String region, long fromS, long toS) {
    if (cumulative == null) {
      return Double.NaN;
    }
    double[] c = cumulative.get(region);
    long length = toS - fromS;
    if (c == null || length <= 0) {
      return 0;
    }
    long window = length + 2 * SPREAD.getSeconds();
    if (window >= DAY_S) {
      return c[BUCKETS] * length / DAY_S;
    }
    int first = (int) (Math.floorMod(fromS - SPREAD.getSeconds(), (long) DAY_S) / BUCKET_S);
    int buckets = (int) Math.max(1, Math.round(window / (double) BUCKET_S));
    int last = first + buckets; // exclusive, may wrap past midnight
    double sum = last <= BUCKETS ? c[last] - c[first] : c[BUCKETS] - c[first] + c[last - BUCKETS];
    return sum * length / (buckets * (double) BUCKET_S);
  }
}
