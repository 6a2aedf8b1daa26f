package dev.greenlight.forecast;

import java.time.Instant;
import java.util.Optional;

/** Carbon intensity in gCO2/kWh over [start, end). */
public record IntensityPoint(Instant start, Instant end, double gPerKwh) {
  public IntensityPoint {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("point must end after it starts: " + start + " .. " + end);
    }
    if (!(gPerKwh >= 0) || Double.isInfinite(gPerKwh)) {
      throw new IllegalArgumentException("intensity must be a non-negative number, got " + gPerKwh);
    }
  }

  /** The part of this point inside [from, to), with the same intensity; empty when none of it is. */
  public Optional<IntensityPoint> within(Instant from, Instant to) {
    Instant s = start.isBefore(from) ? from : start;
    Instant e = end.isAfter(to) ? to : end;
    return e.isAfter(s) ? Optional.of(new IntensityPoint(s, e, gPerKwh)) : Optional.empty();
  }

  /** The same span with another intensity. */
  public IntensityPoint withGPerKwh(double g) {
    return new IntensityPoint(start, end, g);
  }
}
