package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a simulated forecast departs from the actual trace: {@code none}; {@code gaussian:F} (error with standard
 * deviation F x the trace mean, the same at every lead time); {@code growing:F} (standard deviation F x mean x
 * lead/24 h, so a forecast for the next hour is nearly right and one for tomorrow is off by F); {@code mae:G} (Gaussian
 * error whose mean absolute value is G g/kWh, e.g. mae:24 for the UK national forecast's published error). The error of a
 * target time is drawn once (from the seed and the target) and kept across vintages, as real forecasts for the same
 * hour agree from one issue to the next; under {@code growing} it shrinks as the target comes closer. Independent
 * between target times; reproducible.
 */
public record ErrorModel(Kind kind, double fraction) {
  public enum Kind { NONE, GAUSSIAN, GROWING, MAE }

  public static final ErrorModel NONE = new ErrorModel(Kind.NONE, 0);

  public static ErrorModel parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.equals("none")) {
      return NONE;
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected none, gaussian:SD_FRACTION, growing:SD_FRACTION_AT_24H or mae:G_PER_KWH, got '" + spec + "'");
    }
    double f;
    try {
      f = Double.parseDouble(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number in '" + spec + "'");
    }
    String kind = s.substring(0, colon);
    if (!(f >= 0 && f <= (kind.equals("mae") ? 1000 : 5))) {
      throw new IllegalArgumentException("value out of range in '" + spec + "'");
    }
    return switch (kind) {
      case "gaussian" -> new ErrorModel(Kind.GAUSSIAN, f);
      case "growing" -> new ErrorModel(Kind.GROWING, f);
      case "mae" -> new ErrorModel(Kind.MAE, f);
      default -> throw new IllegalArgumentException("unknown error model '" + spec + "'");
    };
  }

  /** The forecast value for {@code actual} at {@code target}, as made at {@code madeAt}. Never negative. */
  public double apply(double actual, double traceMean, Instant madeAt, Instant target, long seed) {
    if (kind == Kind.NONE || fraction == 0) {
      return actual;
    }
    // for a Gaussian, mean |error| = sd x sqrt(2 / pi)
    double sd = kind == Kind.MAE ? fraction * Math.sqrt(Math.PI / 2) : fraction * traceMean;
    if (kind == Kind.GROWING) {
      double leadH = Math.max(0, Duration.between(madeAt, target).getSeconds() / 3600.0);
      sd *= leadH / 24.0;
    }
    long mix = seed * 0x9E3779B97F4A7C15L ^ target.getEpochSecond() * 0xC2B2AE3D27D4EB4FL;
    double z = new SplittableRandom(mix).nextGaussian();
    return Math.max(0, actual + z * sd);
  }

  @Override
  public String toString() {
    return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT) + ":" + fraction;
  }
}
