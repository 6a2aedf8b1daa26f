package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a recorded trace as if it were live: wall-clock time maps onto the trace through a {@link TraceClock};
 * actuals are the trace, forecasts the trace plus a seeded {@link ErrorModel}. A simulation of a forecast feed,
 * named so in its provider name ({@code trace:FILE}).
 */
public final class TraceProvider implements ForecastProvider {
  private final String region;
  private final CarbonTrace trace;
  private final TraceClock clock;
  private final ErrorModel error;
  private final long seed;
  private final double mean;

  public TraceProvider(String region, CarbonTrace trace, int replayYear, ErrorModel error, long seed) {
    this.region = region;
    this.trace = trace;
    this.clock = new TraceClock(replayYear, trace.series().start(), trace.series().end());
    this.error = error;
    this.seed = seed;
    this.mean = trace.series().points().stream().mapToDouble(IntensityPoint::gPerKwh).average().orElse(0);
  }

  @Override
  public String name() {
    return "trace:" + trace.name();
  }

  /** The actual intensity at wall-clock time {@code t}. */
  public double actualAt(Instant t) {
    return trace.series().at(clock.toTrace(t)).orElseThrow();
  }

  @Override
  public ForecastSnapshot fetch(Instant now, int horizonHours) {
    List<IntensityPoint> forecast = walk(now, now.plus(Duration.ofHours(horizonHours)), now, true);
    List<IntensityPoint> actuals = walk(now.minus(Duration.ofHours(24)), now, now, false);
    return new ForecastSnapshot(region, name(), Signal.AVERAGE, now, forecast, actuals);
  }

  /** Points covering [from, to) in wall-clock time, following the trace's own steps. */
  private List<IntensityPoint> walk(Instant from, Instant to, Instant madeAt, boolean forecast) {
    List<IntensityPoint> out = new ArrayList<>();
    Instant t = from;
    while (t.isBefore(to)) {
      Instant traceT = clock.toTrace(t);
      IntensityPoint p = trace.series().pointAt(traceT);
      Instant wallEnd = t.plus(Duration.between(traceT, p.end()));
      if (!wallEnd.isAfter(t)) {
        wallEnd = t.plusSeconds(60);
      }
      Instant end = wallEnd.isAfter(to) ? to : wallEnd;
      double v = forecast ? error.apply(p.gPerKwh(), mean, madeAt, t, seed) : p.gPerKwh();
      out.add(new IntensityPoint(t, end, v));
      t = end;
    }
    return out;
  }
}
