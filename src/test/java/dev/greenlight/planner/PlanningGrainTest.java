package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanningGrainTest {
  static final Instant NOW = Instant.parse("2026-12-08T10:02:00Z");

  /** {@code n} points of {@code minutes} each from an hour before now, with a dip every third point. */
  static IntensitySeries series(int minutes, int n) {
    List<IntensityPoint> points = new ArrayList<>();
    Instant t = NOW.minus(Duration.ofHours(1));
    for (int i = 0; i < n; i++) {
      points.add(new IntensityPoint(t, t.plus(Duration.ofMinutes(minutes)), i % 3 == 0 ? 120 : 300));
      t = t.plus(Duration.ofMinutes(minutes));
    }
    return new IntensitySeries(points);
  }

  @Test
  void theStepIsTheMostCommonLengthOfThePointsStillToCome() {
    assertThat(PlanningGrain.step(series(5, 600), NOW)).contains(Duration.ofMinutes(5));
    assertThat(PlanningGrain.step(series(60, 48), NOW)).contains(Duration.ofHours(1));
    // past points do not count: an hourly history followed by a half-hourly forecast has a 30-minute step
    List<IntensityPoint> mixed = new ArrayList<>(series(60, 1).points());
    mixed.addAll(series(30, 100).points().stream().filter(p -> p.start().isAfter(NOW)).toList());
    assertThat(PlanningGrain.step(new IntensitySeries(mixed), NOW)).contains(Duration.ofMinutes(30));
    assertThat(PlanningGrain.step(series(30, 2), NOW.plus(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  void aSlotAveragingThreeStepsOrMoreGetsAHintNamingAFinerAcceptedGrain() {
    // WattTime's 5-minute signal under the default 30-minute slots: six steps a slot, 15 minutes suggested
    assertThat(PlanningGrain.hint("caiso", Duration.ofMinutes(5), 30)).hasValueSatisfying(h -> assertThat(h)
        .contains("caiso").contains("5-minute steps").contains("30-minute slots average 6 of them").contains("slot_minutes of 15"));
    // a 15-minute signal: two steps a 30-minute slot is fine, four an hour's slot is not
    assertThat(PlanningGrain.hint("de", Duration.ofMinutes(15), 30)).isEmpty();
    assertThat(PlanningGrain.hint("de", Duration.ofMinutes(15), 60)).hasValueSatisfying(h -> assertThat(h)
        .contains("60-minute slots average 4 of them").contains("slot_minutes of 15"));
    // the suggestion is an accepted grain no finer than the step: 20-minute steps under hourly slots suggest 20
    assertThat(PlanningGrain.hint("x", Duration.ofMinutes(20), 60)).hasValueSatisfying(h -> assertThat(h).contains("slot_minutes of 20"));
    // hourly and half-hourly signals under the default grain: nothing to say
    assertThat(PlanningGrain.hint("es", Duration.ofMinutes(60), 30)).isEmpty();
    assertThat(PlanningGrain.hint("gb", Duration.ofMinutes(30), 30)).isEmpty();
    // already at the finest grain suggested: no hint, even though the slots average three 5-minute steps
    assertThat(PlanningGrain.hint("caiso", Duration.ofMinutes(5), 15)).isEmpty();
  }
}
