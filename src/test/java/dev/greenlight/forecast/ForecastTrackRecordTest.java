package dev.greenlight.forecast;

import static dev.greenlight.testing.StoredForecasts.hourly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.testing.MigratedDatabase;
import dev.greenlight.testing.StoredForecasts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stored vintages and actuals as a track record, and the planner's forecast smoothed by it, on PostgreSQL. */
class ForecastTrackRecordTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("track-record-test");
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void eachPointComesFromTheNewestVintageMadeAtLeastTheLeadBeforeIt() {
    ForecastStore store = new ForecastStore(DATABASE.db());
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    store.save(new ForecastSnapshot("aa", "test", Signal.AVERAGE, t0, hourly(t0, 48, t -> 100.0), List.of()), t0);
    Instant t6 = t0.plus(Duration.ofHours(6));
    store.save(new ForecastSnapshot("aa", "test", Signal.AVERAGE, t6, hourly(t6, 48, t -> 200.0), List.of()), t6);
    store.save(new ForecastSnapshot("bb", "test", Signal.AVERAGE, t6, hourly(t6, 48, t -> 999.0), List.of()), t6);

    IntensitySeries ahead = store.forecastMadeAhead("aa", Duration.ofHours(4), t0.plus(Duration.ofHours(8)), t0.plus(Duration.ofHours(14)));

    assertThat(ahead.points()).extracting(IntensityPoint::start)
        .containsExactly(hourly(t0.plus(Duration.ofHours(8)), 6, t -> 0.0).stream().map(IntensityPoint::start).toArray(Instant[]::new));
    // 08:00 and 09:00 were forecast 4 h ahead only by the vintage of 00:00; from 10:00 on, by the one of 06:00
    assertThat(ahead.points()).extracting(IntensityPoint::gPerKwh).containsExactly(100.0, 100.0, 200.0, 200.0, 200.0, 200.0);
    // 12 h ahead: 12:00-17:00 only by the vintage of 00:00, 18:00 on by the one of 06:00; nothing was made 12 h
    // before 08:00
    assertThat(store.forecastMadeAhead("aa", Duration.ofHours(12), t0.plus(Duration.ofHours(12)), t0.plus(Duration.ofHours(20))).points())
        .extracting(IntensityPoint::gPerKwh).containsExactly(100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 200.0, 200.0);
    assertThat(store.forecastMadeAhead("aa", Duration.ofHours(12), t0.plus(Duration.ofHours(8)), t0.plus(Duration.ofHours(11))).isEmpty())
        .isTrue();
  }

  @Test
  void thePlannerSeesTheForecastSmoothedByThreeDaysOfStoredVintages() {
    ForecastStore store = new ForecastStore(DATABASE.db());
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    java.util.function.Function<Instant, Double> truth = t -> 225 + 75 * Math.cos(2 * Math.PI * ((t.getEpochSecond() % 86400) / 3600.0 - 1) / 24);
    // a feed whose error at each hour (sd 10 % of the mean) is drawn once and kept from one vintage to the next
    java.util.function.Function<Instant, Double> believed = t -> truth.apply(t) + 22.5 * new SplittableRandom(t.getEpochSecond()).nextGaussian();
    for (Instant made = now.minus(Duration.ofHours(80)); !made.isAfter(now); made = made.plus(HOUR)) {
      store.save(new ForecastSnapshot("cc", "test", Signal.AVERAGE, made, hourly(made, 48, believed),
          hourly(made.minus(HOUR), 1, truth)), made);
    }
    ForecastProvider provider = StoredForecasts.provider();
    ForecastView view = new ForecastView(store, Map.of("cc", provider), Duration.ofHours(1));

    assertThat(view.smoothing("cc", now, true).smooths()).isTrue();
    IntensitySeries raw = view.current("cc", now).forecast().orElseThrow().series();
    IntensitySeries planned = view.planningSeries("cc", now, true).orElseThrow();
    assertThat(planned.points()).extracting(IntensityPoint::start).containsExactlyElementsOf(raw.points().stream().map(IntensityPoint::start).toList());
    assertThat(rmse(planned, truth)).isLessThan(0.7 * rmse(raw, truth));
    // with the policy's forecast_smoothing off, the planner gets the forecast as it comes
    assertThat(view.planningSeries("cc", now, false).orElseThrow().points()).containsExactlyElementsOf(raw.points());

    // a region whose feed is exact keeps its forecast as it comes
    for (Instant made = now.minus(Duration.ofHours(80)); !made.isAfter(now); made = made.plus(HOUR)) {
      store.save(new ForecastSnapshot("dd", "test", Signal.AVERAGE, made, hourly(made, 48, truth), hourly(made.minus(HOUR), 1, truth)), made);
    }
    ForecastView exact = new ForecastView(store, Map.of("dd", provider), Duration.ofHours(1));
    assertThat(exact.smoothing("dd", now, true).smooths()).isFalse();
    assertThat(exact.planningSeries("dd", now, true).orElseThrow().points())
        .containsExactlyElementsOf(exact.current("dd", now).forecast().orElseThrow().series().points());
  }

  private static double rmse(IntensitySeries s, java.util.function.Function<Instant, Double> truth) {
    double sum = 0;
    for (IntensityPoint p : s.points()) {
      double d = p.gPerKwh() - truth.apply(p.start());
      sum += d * d;
    }
    return Math.sqrt(sum / s.points().size());
  }
}
