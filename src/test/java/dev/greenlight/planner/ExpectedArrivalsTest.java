package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExpectedArrivalsTest {
  final Instant now = Instant.parse("2026-11-26T12:00:00Z");

  PlanningJob submitted(Duration ago, Duration slack) {
    Instant at = now.minus(ago);
    return new PlanningJob(UUID.randomUUID(), 5000, 50, at, at.plus(slack), List.of("es"));
  }

  /** One job every {@code everyMinutes} over {@code (now - from, now - to]}. */
  List<PlanningJob> steady(Duration from, Duration to, int everyMinutes) {
    List<PlanningJob> jobs = new ArrayList<>();
    for (Duration ago = from.minusMinutes(everyMinutes); ago.compareTo(to) >= 0; ago = ago.minusMinutes(everyMinutes)) {
      jobs.add(submitted(ago, Duration.ofHours(5)));
    }
    return jobs;
  }

  @Test
  void theLastDaysOfflineJobsAreExpectedOneDayLaterWithTheirSizeSlackAndRegions() {
    // the same steady flow today as yesterday: level 1, every job of the last day expected once
    List<PlanningJob> history = steady(Duration.ofHours(27), Duration.ZERO, 10);
    List<PlanningJob> expected = ExpectedArrivals.forecast(history, now);
    assertThat(expected).hasSize(24 * 6);
    PlanningJob first = expected.getFirst();
    assertThat(first.submittedAt()).isAfter(now).isBefore(now.plus(Duration.ofMinutes(11)));
    assertThat(Duration.between(first.submittedAt(), first.deadline())).isEqualTo(Duration.ofHours(5));
    assertThat(first.durationS()).isEqualTo(50);
    assertThat(first.energyJ()).isEqualTo(5000);
    assertThat(first.regions()).containsExactly("es");
    assertThat(expected).allMatch(e -> history.stream().noneMatch(h -> h.id().equals(e.id())));
    assertThat(expected.getLast().submittedAt()).isEqualTo(now.plus(ExpectedArrivals.PERIOD));
  }

  @Test
  void aQuieterDayExpectsFewerJobsAndASilentOneNone() {
    // yesterday a job every 10 minutes all day; today the last 3 hours brought one every 20 minutes: half as many
    List<PlanningJob> history = new ArrayList<>(steady(Duration.ofHours(27), Duration.ofHours(3), 10));
    history.addAll(steady(Duration.ofHours(3), Duration.ZERO, 20));
    int lastDay = (int) history.stream().filter(j -> j.submittedAt().isAfter(now.minus(ExpectedArrivals.PERIOD))).count();
    assertThat(ExpectedArrivals.forecast(history, now)).hasSize(lastDay / 2);
    // and nothing at all in the last 3 hours: nothing expected
    List<PlanningJob> silent = steady(Duration.ofHours(27), Duration.ofHours(3), 10);
    assertThat(ExpectedArrivals.forecast(silent, now)).isEmpty();
  }

  @Test
  void aBusierDayExpectsMoreJobsUpToTwiceAsMany() {
    List<PlanningJob> history = new ArrayList<>(steady(Duration.ofHours(27), Duration.ofHours(3), 30));
    history.addAll(steady(Duration.ofHours(3), Duration.ZERO, 5)); // six times yesterday's rate
    int lastDay = (int) history.stream().filter(j -> j.submittedAt().isAfter(now.minus(ExpectedArrivals.PERIOD))).count();
    assertThat(ExpectedArrivals.forecast(history, now)).hasSize(2 * lastDay);
  }

  @Test
  void theLevelCountsJobsSoOneLongJobDoesNotSwingIt() {
    // the same rate today as yesterday, but one of today's recent jobs is a hundred times longer
    List<PlanningJob> history = new ArrayList<>(steady(Duration.ofHours(27), Duration.ofMinutes(30), 10));
    Instant at = now.minus(Duration.ofMinutes(20));
    history.add(new PlanningJob(UUID.randomUUID(), 500_000, 5000, at, at.plus(Duration.ofHours(5)), List.of("es")));
    history.addAll(steady(Duration.ofMinutes(20), Duration.ZERO, 10));
    int lastDay = (int) history.stream().filter(j -> j.submittedAt().isAfter(now.minus(ExpectedArrivals.PERIOD))).count();
    assertThat(ExpectedArrivals.forecast(history, now)).hasSize(lastDay);
  }

  @Test
  void aServiceYoungerThanADayExpectsTheHoursItHasSeenToRepeatUntilADayIsCovered() {
    // the service's first two hours: a job every 10 minutes
    List<PlanningJob> history = steady(Duration.ofHours(2), Duration.ZERO, 10);
    List<PlanningJob> expected = ExpectedArrivals.forecast(history, now, now.minus(Duration.ofHours(2)));
    assertThat(expected).hasSize(24 * 6); // the same rate over the next day
    assertThat(expected).allMatch(e -> e.submittedAt().isAfter(now) && !e.submittedAt().isAfter(now.plus(ExpectedArrivals.PERIOD)));
    assertThat(expected).allMatch(e -> Duration.between(e.submittedAt(), e.deadline()).equals(Duration.ofHours(5)));
    assertThat(expected.stream().map(PlanningJob::id).distinct()).hasSize(expected.size());
    assertThat(expected.getFirst().submittedAt()).isEqualTo(now.plus(Duration.ofMinutes(10)));
    // under an hour is too little to repeat
    assertThat(ExpectedArrivals.forecast(steady(Duration.ofMinutes(50), Duration.ZERO, 10), now, now.minus(Duration.ofMinutes(50)))).isEmpty();
    // a service a day old or more forecasts from yesterday as before
    List<PlanningJob> day = steady(Duration.ofHours(27), Duration.ZERO, 10);
    assertThat(ExpectedArrivals.forecast(day, now, now.minus(Duration.ofDays(30)))).isEqualTo(ExpectedArrivals.forecast(day, now));
  }

  @Test
  void noHistoryNoExpectation() {
    assertThat(ExpectedArrivals.forecast(List.of(), now)).isEmpty();
  }
}
