package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;

/** Rejects forecasts a planner must not act on: empty, out of order, implausible values, or not reaching ahead. */
public final class ForecastValidator {
  /** Above any grid ever measured (coal is about 1,000 g/kWh; marginal lignite about 1,300). */
  static final double MAX_PLAUSIBLE_G_PER_KWH = 2500;

  private ForecastValidator() {}

  public static void check(ForecastSnapshot s, Instant now) throws ForecastException {
    if (s.forecast().isEmpty()) {
      throw new ForecastException(s.provider() + ": the forecast has no points");
    }
    Instant previousEnd = null;
    for (IntensityPoint p : s.forecast()) {
      if (p.gPerKwh() > MAX_PLAUSIBLE_G_PER_KWH) {
        throw new ForecastException(String.format("%s: implausible intensity %.0f g/kWh at %s (wrong unit?)", s.provider(), p.gPerKwh(), p.start()));
      }
      if (previousEnd != null && p.start().isBefore(previousEnd)) {
        throw new ForecastException(s.provider() + ": forecast points overlap or are out of order at " + p.start());
      }
      previousEnd = p.end();
    }
    if (!s.forecast().getLast().end().isAfter(now.plus(Duration.ofHours(1)))) {
      throw new ForecastException(s.provider() + ": the forecast ends at " + s.forecast().getLast().end() + ", less than an hour ahead");
    }
    for (IntensityPoint p : s.actuals()) {
      if (p.gPerKwh() > MAX_PLAUSIBLE_G_PER_KWH) {
        throw new ForecastException(String.format("%s: implausible actual %.0f g/kWh at %s", s.provider(), p.gPerKwh(), p.start()));
      }
    }
  }
}
