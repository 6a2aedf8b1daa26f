package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The forecast the planner plans on: the provider's, smoothed as far as its track record says it should be
 * ({@link ForecastSmoothing}). The bandwidths are chosen again once an hour per region (the track record moves
 * slowly); between, the same ones smooth every new forecast. Thread-safe.
 */
public final class PlanningForecasts {
  /** How long a region's chosen bandwidths are kept. */
  static final Duration RECHOOSE = Duration.ofHours(1);
  private final ForecastSmoothing.TrackRecord record;
  private final ConcurrentHashMap<String, Chosen> chosen = new ConcurrentHashMap<>();

  private record Chosen(ForecastSmoothing.Bandwidths bandwidths, Instant at) {}

  public PlanningForecasts(ForecastSmoothing.TrackRecord record) {
    this.record = record;
  }

  /** {@code forecast} as the planner should see it at {@code now}. */
  public IntensitySeries smoothed(String region, IntensitySeries forecast, Instant now) {
    ForecastSmoothing.Bandwidths b = bandwidths(region, now);
    if (!b.smooths() || forecast.isEmpty()) {
      return forecast;
    }
    return ForecastSmoothing.smooth(forecast, record.actuals(region, now.minus(ForecastSmoothing.ANCHOR), now), now, b);
  }

  /** The bandwidths in force for {@code region} at {@code now}, chosen again when an hour old. */
  public ForecastSmoothing.Bandwidths bandwidths(String region, Instant now) {
    Chosen c = chosen.get(region);
    if (c == null || now.isBefore(c.at()) || !now.isBefore(c.at().plus(RECHOOSE))) {
      c = new Chosen(ForecastSmoothing.choose(record, region, now), now);
      chosen.put(region, c);
    }
    return c.bandwidths();
  }
}
