package dev.greenlight.testing;

import dev.greenlight.forecast.ForecastProvider;
import dev.greenlight.forecast.ForecastSnapshot;
import dev.greenlight.forecast.IntensityPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** For tests that store forecast vintages themselves rather than fetch them. */
public final class StoredForecasts {
  private StoredForecasts() {}

  /** A configured provider named "test" that is never asked: the test stores its vintages itself. */
  public static ForecastProvider provider() {
    return new ForecastProvider() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public ForecastSnapshot fetch(Instant at, int horizonHours) {
        throw new UnsupportedOperationException("the test stores its vintages itself");
      }
    };
  }

  /** {@code hours} hourly points from {@code from}, each valued {@code value(start)} (at least 0). */
  public static List<IntensityPoint> hourly(Instant from, int hours, Function<Instant, Double> value) {
    List<IntensityPoint> out = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      Instant t = from.plus(Duration.ofHours(h));
      out.add(new IntensityPoint(t, t.plus(Duration.ofHours(1)), Math.max(0, value.apply(t))));
    }
    return out;
  }
}
