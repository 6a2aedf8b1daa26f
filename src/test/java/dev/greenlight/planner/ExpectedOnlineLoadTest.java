package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedOnlineLoadTest {
  final Instant now = Instant.parse("2026-11-26T12:00:00Z");
  final Instant longAgo = now.minus(Duration.ofDays(30));

  long at(String time) {
    return Instant.parse(time).getEpochSecond();
  }

  OnlineArrival job(String submitted, double seconds, String... regions) {
    return new OnlineArrival(Instant.parse(submitted), seconds, List.of(regions));
  }

  @Test
  void aServiceWithLessThanADayOfOnlineHistoryHasNoForecast() {
    List<OnlineArrival> history = List.of(job("2026-11-26T09:00:00Z", 600, "es"));
    ExpectedOnlineLoad young = ExpectedOnlineLoad.fromHistory(history, now, now.minus(Duration.ofHours(20)), List.of("es"));
    assertThat(young.known()).isFalse();
    assertThat(young.gpuSeconds("es", at("2026-11-26T13:00:00Z"), at("2026-11-26T13:30:00Z"))).isNaN();
    assertThat(ExpectedOnlineLoad.fromHistory(history, now, longAgo, List.of("es")).known()).isTrue();
  }

  @Test
  void aSlotExpectsTheWorkOfTheSameHoursYesterdaySpreadOverTwoHoursEitherSide() {
    // one hour of online work submitted at 13:30 yesterday: a slot at 14:00-14:30 today looks at 12:00-16:30 of the
    // last day (4.5 h), so it expects a ninth of it, 400 GPU-s; a slot at 03:00 none
    List<OnlineArrival> history = List.of(job("2026-11-25T13:30:00Z", 3600, "es"));
    ExpectedOnlineLoad load = ExpectedOnlineLoad.fromHistory(history, now, longAgo, List.of("es"));
    assertThat(load.gpuSeconds("es", at("2026-11-26T14:00:00Z"), at("2026-11-26T14:30:00Z"))).isCloseTo(400, within(1e-9));
    // tomorrow's 14:00 is the same hour of the day
    assertThat(load.gpuSeconds("es", at("2026-11-27T14:00:00Z"), at("2026-11-27T14:30:00Z"))).isCloseTo(400, within(1e-9));
    assertThat(load.gpuSeconds("es", at("2026-11-27T03:00:00Z"), at("2026-11-27T03:30:00Z"))).isZero();
    // 16:00-16:30 looks at 14:00-18:30: 13:30 is outside
    assertThat(load.gpuSeconds("es", at("2026-11-26T16:00:00Z"), at("2026-11-26T16:30:00Z"))).isZero();
    // a region without history expects nothing
    assertThat(load.gpuSeconds("fr", at("2026-11-26T14:00:00Z"), at("2026-11-26T14:30:00Z"))).isZero();
  }

  @Test
  void onlyTheLastDayCountsAndTheWindowWrapsPastMidnight() {
    List<OnlineArrival> history = List.of(
        job("2026-11-25T23:30:00Z", 900, "es"),   // within the day: seen by a slot at 00:30-01:00 (window 22:30-03:00)
        job("2026-11-25T11:00:00Z", 5000, "es"),  // more than a day ago: ignored
        job("2026-11-26T12:30:00Z", 5000, "es")); // after now: ignored
    ExpectedOnlineLoad load = ExpectedOnlineLoad.fromHistory(history, now, longAgo, List.of("es"));
    assertThat(load.gpuSeconds("es", at("2026-11-27T00:30:00Z"), at("2026-11-27T01:00:00Z"))).isCloseTo(900 / 9.0, within(1e-9));
    assertThat(load.gpuSeconds("es", at("2026-11-26T12:00:00Z"), at("2026-11-26T12:30:00Z"))).isZero();
    assertThat(load.gpuSeconds("es", at("2026-11-26T11:00:00Z"), at("2026-11-26T11:30:00Z"))).isZero();
  }

  @Test
  void aJobThatNamesNoRegionIsSplitOverThePlannedOnesAndOneElsewhereIsIgnored() {
    List<OnlineArrival> history = List.of(job("2026-11-25T14:00:00Z", 1800), job("2026-11-25T14:00:00Z", 900, "es"),
        job("2026-11-25T14:00:00Z", 7200, "mars"));
    ExpectedOnlineLoad load = ExpectedOnlineLoad.fromHistory(history, now, longAgo, List.of("es", "fr"));
    long from = at("2026-11-26T14:00:00Z");
    assertThat(load.gpuSeconds("es", from, from + 1800)).isCloseTo((900 + 900) / 9.0, within(1e-9));
    assertThat(load.gpuSeconds("fr", from, from + 1800)).isCloseTo(900 / 9.0, within(1e-9));
  }

  @Test
  void aSlotLongerThanTheDayLessItsSpreadExpectsTheDayAtItsMeanRate() {
    List<OnlineArrival> history = List.of(job("2026-11-25T14:00:00Z", 8640, "es"));
    ExpectedOnlineLoad load = ExpectedOnlineLoad.fromHistory(history, now, longAgo, List.of("es"));
    long from = at("2026-11-26T14:00:00Z");
    assertThat(load.gpuSeconds("es", from, from + 21 * 3600)).isCloseTo(8640 * 21 / 24.0, within(1e-9));
  }
}
