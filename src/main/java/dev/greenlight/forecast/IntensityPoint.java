package dev.greenlight.forecast;

import java.time.Instant;

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
}
