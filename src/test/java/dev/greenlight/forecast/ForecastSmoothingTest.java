package dev.greenlight.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Smoothing a forecast by its track record: only as much as the past errors say, and closer to the truth for it. */
class ForecastSmoothingTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  /** A diurnal grid: 300 g/kWh at night, 150 at 13:00 UTC, hour by hour. */
  private static double truth(Instant t) {
    double h = (t.getEpochSecond() % 86400) / 3600.0;
    return 225 + 75 * Math.cos(2 * Math.PI * (h - 1) / 24);
  }

  /** Independent errors per hour, kept across vintages, with standard deviation {@code sd(lead)}. */
  private static double noisy(Instant target, Duration lead, java.util.function.Function<Duration, Double> sd) {
    double z = new SplittableRandom(target.getEpochSecond() * 31 + 7).nextGaussian();
    return Math.max(0, truth(target) + z * sd.apply(lead));
  }

  private static List<IntensityPoint> hourly(Instant from, Instant to, java.util.function.Function<Instant, Double> value) {
    List<IntensityPoint> out = new ArrayList<>();
    for (Instant t = from; t.isBefore(to); t = t.plus(HOUR)) {
      out.add(new IntensityPoint(t, t.plus(HOUR), value.apply(t)));
    }
    return out;
  }

  /** A track record whose forecast for a point made {@code lead} ahead is {@code forecast(point start, lead)}. */
  private static ForecastSmoothing.TrackRecord record(BiFunction<Instant, Duration, Double> forecast) {
    return new ForecastSmoothing.TrackRecord() {
      @Override
      public IntensitySeries forecastMadeAhead(String region, Duration lead, Instant from, Instant to) {
        return new IntensitySeries(hourly(from, to, t -> forecast.apply(t, lead)));
      }

      @Override
      public List<IntensityPoint> actuals(String region, Instant from, Instant to) {
        return hourly(from, to, ForecastSmoothingTest::truth);
      }
    };
  }

  private static double rmse(IntensitySeries s) {
    double sum = 0;
    for (IntensityPoint p : s.points()) {
      double d = p.gPerKwh() - truth(p.start());
      sum += d * d;
    }
    return Math.sqrt(sum / s.points().size());
  }

  private static IntensitySeries forecastFromNow(java.util.function.Function<Duration, Double> sd) {
    return new IntensitySeries(hourly(NOW, NOW.plus(Duration.ofHours(48)), t -> noisy(t, Duration.between(NOW, t), sd)));
  }

  @Test
  void aPerfectForecastIsUsedAsItComes() {
    ForecastSmoothing.Bandwidths b = ForecastSmoothing.choose(record((t, lead) -> truth(t)), "r", NOW);
    assertThat(b.smooths()).isFalse();
    IntensitySeries forecast = forecastFromNow(lead -> 0.0);
    assertThat(ForecastSmoothing.smooth(forecast, List.of(), NOW, b)).isSameAs(forecast);
  }

  @Test
  void independentErrorsAreSmoothedAndTheForecastComesCloserToTheTruth() {
    java.util.function.Function<Duration, Double> sd = lead -> 22.5; // 10 % of the mean at every lead
    ForecastSmoothing.Bandwidths b = ForecastSmoothing.choose(record((t, lead) -> noisy(t, lead, sd)), "r", NOW);
    assertThat(java.util.Arrays.stream(b.seconds()).boxed().toList()).allSatisfy(s -> assertThat(s).isPositive());
    IntensitySeries raw = forecastFromNow(sd);
    IntensitySeries smoothed = ForecastSmoothing.smooth(raw, hourly(NOW.minus(Duration.ofHours(3)), NOW, ForecastSmoothingTest::truth), NOW, b);
    assertThat(smoothed.points()).hasSameSizeAs(raw.points());
    assertThat(smoothed.points().getFirst().start()).isEqualTo(raw.points().getFirst().start());
    assertThat(rmse(smoothed)).isLessThan(0.7 * rmse(raw));
  }

  @Test
  void errorsGrowingWithLeadAreSmoothedMoreFarAhead() {
    java.util.function.Function<Duration, Double> sd = lead -> 45.0 * lead.toMinutes() / (24 * 60.0); // 20 % of the mean a day ahead
    ForecastSmoothing.Bandwidths b = ForecastSmoothing.choose(record((t, lead) -> noisy(t, lead, sd)), "r", NOW);
    assertThat(b.at(Duration.ofHours(30))).isGreaterThan(b.at(Duration.ofMinutes(30)));
    assertThat(b.at(Duration.ofHours(30))).isGreaterThanOrEqualTo(b.at(Duration.ofHours(8)));
    assertThat(b.at(Duration.ofHours(8))).isGreaterThanOrEqualTo(b.at(Duration.ofMinutes(30)));
  }

  @Test
  void errorsThatMoveAsSmoothlyAsTheGridAreNotSmoothed() {
    // a forecast off by a slowly swinging bias: averaging neighbours cannot cancel it and only blurs the grid
    ForecastSmoothing.Bandwidths b = ForecastSmoothing.choose(record((t, lead) -> truth(t)
        + 30 * Math.sin(2 * Math.PI * t.getEpochSecond() / (72 * 3600.0))), "r", NOW);
    assertThat(b.smooths()).isFalse();
  }

  @Test
  void lessThanADayOfTrackRecordSmoothsNothing() {
    ForecastSmoothing.TrackRecord young = new ForecastSmoothing.TrackRecord() {
      @Override
      public IntensitySeries forecastMadeAhead(String region, Duration lead, Instant from, Instant to) {
        return new IntensitySeries(hourly(NOW.minus(Duration.ofHours(20)), to, t -> noisy(t, lead, l -> 40.0)));
      }

      @Override
      public List<IntensityPoint> actuals(String region, Instant from, Instant to) {
        return hourly(from, to, ForecastSmoothingTest::truth);
      }
    };
    assertThat(ForecastSmoothing.choose(young, "r", NOW).smooths()).isFalse();
  }

  @Test
  void theFirstHoursLeanOnTheActualsJustPast() {
    ForecastSmoothing.Bandwidths b = new ForecastSmoothing.Bandwidths(new double[] {3600, 3600, 3600, 3600, 3600});
    IntensitySeries flat = new IntensitySeries(hourly(NOW, NOW.plus(Duration.ofHours(48)), t -> 200.0));
    IntensitySeries alone = ForecastSmoothing.smooth(flat, List.of(), NOW, b);
    IntensitySeries anchored = ForecastSmoothing.smooth(flat, hourly(NOW.minus(Duration.ofHours(3)), NOW, t -> 100.0), NOW, b);
    assertThat(alone.points().getFirst().gPerKwh()).isEqualTo(200.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(anchored.points().getFirst().gPerKwh()).isBetween(100.0, 190.0);
    assertThat(anchored.points().get(10).gPerKwh()).isEqualTo(200.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void pointsOfAnyLengthCountByTheirLength() {
    // 5-minute, half-hourly and hourly points mixed, with a gap: a level forecast stays level, and a step between two
    // levels is weighted by how long each lasts
    List<IntensityPoint> points = new ArrayList<>();
    Instant t = NOW;
    for (int i = 0; i < 48; i++) {
      Duration step = Duration.ofMinutes(i % 3 == 0 ? 5 : i % 3 == 1 ? 30 : 60);
      points.add(new IntensityPoint(t, t.plus(step), 180));
      t = t.plus(step).plus(i == 20 ? Duration.ofHours(2) : Duration.ZERO);
    }
    ForecastSmoothing.Bandwidths b = new ForecastSmoothing.Bandwidths(new double[] {5400, 5400, 5400, 5400, 5400});
    assertThat(ForecastSmoothing.smooth(new IntensitySeries(points), List.of(), NOW, b).points())
        .allSatisfy(p -> assertThat(p.gPerKwh()).isCloseTo(180.0, org.assertj.core.data.Offset.offset(1e-9)));
    // one hour at 100 then five minutes at 400, smoothed wide: the hour outweighs the five minutes twelve to one
    IntensitySeries step = new IntensitySeries(List.of(new IntensityPoint(NOW, NOW.plus(HOUR), 100),
        new IntensityPoint(NOW.plus(HOUR), NOW.plus(Duration.ofMinutes(65)), 400)));
    IntensitySeries wide = ForecastSmoothing.smooth(step.points(), List.of(), 1e7);
    assertThat(wide.points()).allSatisfy(p -> assertThat(p.gPerKwh()).isCloseTo((100 * 12 + 400) / 13.0,
        org.assertj.core.data.Offset.offset(1e-6)));
  }

  @Test
  void eachBandHasItsOwnBandwidth() {
    ForecastSmoothing.Bandwidths b = new ForecastSmoothing.Bandwidths(new double[] {0, 1800, 3600, 5400, 7200});
    assertThat(b.at(Duration.ZERO)).isZero();
    assertThat(b.at(Duration.ofMinutes(119))).isZero();
    assertThat(b.at(Duration.ofHours(2))).isEqualTo(1800);
    assertThat(b.at(Duration.ofHours(11))).isEqualTo(3600);
    assertThat(b.at(Duration.ofHours(23))).isEqualTo(5400);
    assertThat(b.at(Duration.ofHours(47))).isEqualTo(7200);
    IntensitySeries raw = forecastFromNow(lead -> 30.0);
    IntensitySeries smoothed = ForecastSmoothing.smooth(raw, List.of(), NOW, b);
    assertThat(smoothed.points().getFirst().gPerKwh()).isEqualTo(raw.points().getFirst().gPerKwh()); // lead 0-2 h: as it came
    assertThat(smoothed.points().get(30).gPerKwh()).isNotEqualTo(raw.points().get(30).gPerKwh());
  }
}
