package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CarbonPlannerTest {
  final Instant now = Instant.parse("2026-11-26T12:00:00Z");
  final CarbonPlanner planner = new CarbonPlanner();

  /** Hourly forecast from now: the given values, one per hour. */
  IntensitySeries hourly(double... g) {
    List<IntensityPoint> points = new ArrayList<>();
    for (int h = 0; h < g.length; h++) {
      points.add(new IntensityPoint(now.plus(Duration.ofHours(h)), now.plus(Duration.ofHours(h + 1)), g[h]));
    }
    return new IntensitySeries(points);
  }

  PlanningJob job(double durationS, Duration deadlineIn, String... regions) {
    return new PlanningJob(UUID.randomUUID(), durationS * 600, durationS, now, now.plus(deadlineIn), List.of(regions));
  }

  Plan plan(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus, PlannerPolicy policy) {
    return planner.plan(new PlanningInput(jobs, forecasts, gpus, Map.of(), now), policy);
  }

  @Test
  void defersToTheCleanestHourBeforeTheDeadlineAndSaysWhy() {
    PlanningJob j = job(60, Duration.ofHours(8));
    Plan p = plan(List.of(j), Map.of("es", hourly(340, 300, 250, 112, 200, 300, 320, 330)), Map.of("es", 2), PlannerPolicy.DEFAULT);
    PlannedJob pj = p.jobs().getFirst();
    assertThat(pj.plannedStart()).isEqualTo(now.plus(Duration.ofHours(3)));
    assertThat(pj.region()).isEqualTo("es");
    assertThat(pj.expectedGPerKwh()).isEqualTo(112);
    assertThat(pj.expectedCarbonG()).isCloseTo(36000 / 3.6e6 * 112, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(pj.runNowCarbonG()).isCloseTo(36000 / 3.6e6 * 340, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(pj.reason()).isEqualTo("deferred to 15:00 UTC in es: forecast 112 g/kWh against 340 now, saves about 67 %");
    assertThat(p.due(CarbonPlanner.releaseUntil(now, Duration.ofMinutes(1), PlannerPolicy.DEFAULT))).isEmpty();
  }

  @Test
  void neverPlansPastTheLatestSafeStart() {
    // cleanest hour is 5 h away but the deadline is in 3 h
    PlanningJob j = job(600, Duration.ofHours(3));
    Plan p = plan(List.of(j), Map.of("es", hourly(300, 200, 250, 260, 270, 50, 60, 70)), Map.of("es", 1), PlannerPolicy.DEFAULT);
    PlannedJob pj = p.jobs().getFirst();
    assertThat(pj.plannedStart()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(pj.plannedStart()).isBefore(CarbonPlanner.latestStart(j, PlannerPolicy.DEFAULT).plusSeconds(1));
  }

  @Test
  void capacityIsShared() {
    // one GPU, 30-minute slots, 70 % of them plannable: 1260 GPU-s per slot; three 1000-s jobs cannot share the clean hour
    List<PlanningJob> jobs = List.of(job(1000, Duration.ofHours(6)), job(1000, Duration.ofHours(6)), job(1000, Duration.ofHours(6)));
    Plan p = plan(jobs, Map.of("es", hourly(300, 100, 300, 300, 300, 300)), Map.of("es", 1), PlannerPolicy.DEFAULT);
    long inCleanHour = p.jobs().stream().filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(1)))
        && j.plannedStart().isBefore(now.plus(Duration.ofHours(2)))).count();
    // two 30-minute slots in the clean hour, each fits one job whole (a second would run more than half past it):
    // the third runs in the next cleanest slot, here the first
    assertThat(inCleanHour).isEqualTo(2);
    assertThat(p.jobs()).noneMatch(PlannedJob::atRisk);
  }

  @Test
  void jobsKnownNowLeaveMostOfADistantCleanHourToJobsNotYetSubmitted() {
    // one GPU; the cleanest hour is 18 h ahead, where the jobs known now may first take only 1 - 18/24 of a slot:
    // about 300 of its 1260 GPU-s, so one 400-s job per 30-minute slot (all six would fit if they could take it all)
    double[] g = new double[24];
    java.util.Arrays.fill(g, 300);
    g[18] = 100;
    List<PlanningJob> jobs = java.util.stream.IntStream.range(0, 6).mapToObj(i -> job(400, Duration.ofHours(23))).toList();
    Plan p = plan(jobs, Map.of("es", hourly(g)), Map.of("es", 1), PlannerPolicy.DEFAULT);
    List<PlannedJob> clean = p.jobs().stream().filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(18)))
        && j.plannedStart().isBefore(now.plus(Duration.ofHours(19)))).toList();
    assertThat(clean).hasSize(2);
    // the rest go to the earliest of the equally dirty hours: the slot under way
    assertThat(p.jobs()).filteredOn(j -> !clean.contains(j)).hasSize(4)
        .allMatch(j -> j.plannedStart().isBefore(now.plus(Duration.ofMinutes(30))));
    assertThat(p.jobs()).noneMatch(PlannedJob::atRisk);
    assertThat(CarbonPlanner.shareForKnownJobs(0, PlannerPolicy.DEFAULT)).isEqualTo(1);
    assertThat(CarbonPlanner.shareForKnownJobs(6 * 3600, PlannerPolicy.DEFAULT)).isEqualTo(0.75);
    assertThat(CarbonPlanner.shareForKnownJobs(30 * 3600, PlannerPolicy.DEFAULT)).isZero();
  }

  @Test
  void jobsExpectedLaterKeepTheCleanHourTheyNeedAndTheKnownJobRunsInTheNextCleanest() {
    // one GPU (1260 plannable GPU-s per 30-minute slot); hour 2 is the cleanest, hour 4 the next; a 1200-s job is
    // expected at the start of each half of hour 2, each with 10 minutes of slack, so they need almost all of it and
    // the job known now (slack of a day) is planned into hour 4 instead
    PlanningJob known = job(1000, Duration.ofHours(23));
    List<PlanningJob> expected = java.util.stream.Stream.of(120, 150).map(min -> now.plus(Duration.ofMinutes(min)))
        .map(at -> new PlanningJob(UUID.randomUUID(), 1200 * 600.0, 1200, at, at.plus(Duration.ofMinutes(20 + 15 + 10)), List.<String>of()))
        .toList();
    Map<String, IntensitySeries> f = Map.of("es", hourly(300, 300, 100, 300, 150, 300, 300, 300));
    PlannedJob alone = planner.plan(new PlanningInput(List.of(known), f, Map.of("es", 1), Map.of(), now), PlannerPolicy.DEFAULT).jobs().getFirst();
    assertThat(alone.plannedStart()).isEqualTo(now.plus(Duration.ofHours(2)));
    Plan withArrivals = planner.plan(new PlanningInput(List.of(known), f, Map.of("es", 1), Map.of(), now, expected), PlannerPolicy.DEFAULT);
    assertThat(withArrivals.jobs()).hasSize(1); // expected jobs are planned around, never planned or released
    PlannedJob pj = withArrivals.jobs().getFirst();
    assertThat(pj.plannedStart()).isBetween(now.plus(Duration.ofHours(4)), now.plus(Duration.ofMinutes(4 * 60 + 59)));
    assertThat(pj.atRisk()).isFalse();
  }

  @Test
  void afterTheLastSubmissionNoCapacityIsKeptForOnlineJobsNorForExpectedOnes() {
    // one GPU; hour 3 is the cleanest; eight 600-s jobs known now. A 30-minute slot plans 70 % of its 1800 GPU-s
    // (1260) while online jobs may still come, and the jobs known now first take 1 - 3/24 of that three hours ahead:
    // two of them per slot, four in the clean hour. Without the reserve, 1 - 3/24 of 1800: three per slot, six.
    List<PlanningJob> jobs = java.util.stream.IntStream.range(0, 8).mapToObj(i -> job(600, Duration.ofHours(8))).toList();
    Map<String, IntensitySeries> f = Map.of("es", hourly(300, 300, 300, 100, 300, 300, 300, 300));
    java.util.function.ToLongFunction<Plan> inCleanHour = p -> p.jobs().stream().filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(3)))
        && j.plannedStart().isBefore(now.plus(Duration.ofHours(4)))).count();
    // and two 1200-s jobs expected at 02:10, due at 04:30, which need most of the clean hour
    Instant at = now.plus(Duration.ofMinutes(130));
    List<PlanningJob> expected = java.util.stream.IntStream.range(0, 2)
        .mapToObj(i -> new PlanningJob(UUID.randomUUID(), 1200 * 600.0, 1200, at, now.plus(Duration.ofMinutes(270)), List.<String>of()))
        .toList();
    Instant lastSubmission = now.plus(Duration.ofHours(2));

    assertThat(inCleanHour.applyAsLong(plan(jobs, f, Map.of("es", 1), PlannerPolicy.DEFAULT))).isEqualTo(4);
    Plan open = planner.plan(new PlanningInput(jobs, f, Map.of("es", 1), Map.of(), now, expected), PlannerPolicy.DEFAULT);
    assertThat(inCleanHour.applyAsLong(open)).isLessThan(4); // room left for the expected jobs
    // submissions end at 02:00: the jobs expected at 02:10 cannot come, and no online job either
    PlanningInput ending = new PlanningInput(jobs, f, Map.of("es", 1), Map.of(), now, expected, lastSubmission);
    assertThat(ending.expectedBeforeEnd()).isEmpty();
    Plan ended = planner.plan(ending, PlannerPolicy.DEFAULT);
    assertThat(inCleanHour.applyAsLong(ended)).isEqualTo(6);
    assertThat(ended.jobs()).noneMatch(PlannedJob::atRisk);
    // an end after the clean hour changes nothing
    Plan later = planner.plan(new PlanningInput(jobs, f, Map.of("es", 1), Map.of(), now, expected, now.plus(Duration.ofHours(5))),
        PlannerPolicy.DEFAULT);
    assertThat(inCleanHour.applyAsLong(later)).isEqualTo(inCleanHour.applyAsLong(open));
  }

  @Test
  void theOnlineReserveFollowsWhatYesterdaysOnlineJobsBroughtInThoseHours() {
    // four GPUs; the cleanest hour is 15:00-16:00, three hours ahead, where the jobs known now may first take 1 - 3/24
    // and 1 - 3.5/24 of its two 30-minute slots' 7200 GPU-s less the online reserve; thirty 600-s jobs compete for it
    List<PlanningJob> jobs = java.util.stream.IntStream.range(0, 30).mapToObj(i -> job(600, Duration.ofHours(8))).toList();
    Map<String, IntensitySeries> f = Map.of("es", hourly(300, 300, 300, 100, 300, 300, 300, 300));
    java.util.function.Function<ExpectedOnlineLoad, Long> inCleanHour = load -> planner.plan(
        new PlanningInput(jobs, f, Map.of("es", 4), Map.of(), now, List.of(), Instant.MAX, load), PlannerPolicy.DEFAULT).jobs().stream()
        .filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(3))) && j.plannedStart().isBefore(now.plus(Duration.ofHours(4))))
        .count();
    Instant longAgo = now.minus(Duration.ofDays(30));
    // flat 30 %: 7200 x 0.7 x 0.875 = 4410 GPU-s, seven jobs per slot (a job goes where at least half of it fits)
    assertThat(inCleanHour.apply(ExpectedOnlineLoad.NONE)).isEqualTo(14);
    // yesterday's online jobs came at night: these hours keep the 10 % minimum, 5670 GPU-s, nine per slot
    List<OnlineArrival> night = java.util.stream.IntStream.range(0, 40)
        .mapToObj(i -> new OnlineArrival(now.minus(Duration.ofHours(10)).plusSeconds(i * 300L), 600, List.of("es"))).toList();
    assertThat(inCleanHour.apply(ExpectedOnlineLoad.fromHistory(night, now, longAgo, List.of("es")))).isEqualTo(18);
    // they kept 1.6 GPUs busy from 12:05 to 19:00 yesterday: three hours ahead the headroom is gone, the reserve is
    // the history itself, 40 % of each slot: 4320 x 0.875 GPU-s, six per slot
    List<OnlineArrival> afternoon = java.util.stream.IntStream.range(0, 67)
        .mapToObj(i -> new OnlineArrival(now.minus(Duration.ofDays(1)).plusSeconds(300 + i * 375L), 600, List.of("es"))).toList();
    ExpectedOnlineLoad busy = ExpectedOnlineLoad.fromHistory(afternoon, now, longAgo, List.of("es"));
    assertThat(inCleanHour.apply(busy)).isEqualTo(12);
    // the admin may keep the flat reserve instead
    Plan flat = planner.plan(new PlanningInput(jobs, f, Map.of("es", 4), Map.of(), now, List.of(), Instant.MAX, busy),
        PlannerPolicy.DEFAULT.withFlatOnlineReserve(0.3));
    assertThat(flat.jobs().stream().filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(3)))
        && j.plannedStart().isBefore(now.plus(Duration.ofHours(4)))).count()).isEqualTo(14);
    // and after the last submission nothing is kept, history or not: 6300 and 6150 GPU-s, eleven and ten jobs
    Plan ended = planner.plan(new PlanningInput(jobs, f, Map.of("es", 4), Map.of(), now, List.of(), now.plus(Duration.ofHours(2)), busy),
        PlannerPolicy.DEFAULT);
    assertThat(ended.jobs().stream().filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(3)))
        && j.plannedStart().isBefore(now.plus(Duration.ofHours(4)))).count()).isEqualTo(21);
    assertThat(ended.jobs()).noneMatch(PlannedJob::atRisk);
  }

  @Test
  void theOnlineHeadroomGuardsTheHoursAtHandAndFadesFurtherAhead() {
    // the headroom multiplies the expected online work in full up to an hour ahead, then falls linearly to none at 3 h
    PlannerPolicy p = PlannerPolicy.DEFAULT;
    assertThat(CarbonPlanner.headroom(0, p)).isEqualTo(1.25);
    assertThat(CarbonPlanner.headroom(3600, p)).isEqualTo(1.25);
    assertThat(CarbonPlanner.headroom(5400, p)).isCloseTo(1.1875, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(CarbonPlanner.headroom(3 * 3600, p)).isEqualTo(1.0);
    assertThat(CarbonPlanner.headroom(40 * 3600, p)).isEqualTo(1.0);
    // an admin's headroom below 1 (plan on less than the history) holds at every lead
    assertThat(CarbonPlanner.headroom(0, headroom(0.8, 1, 3))).isEqualTo(0.8);
    assertThat(CarbonPlanner.headroom(40 * 3600, headroom(0.8, 1, 3))).isEqualTo(0.8);
    // the admin sets the leads: the whole headroom over the whole horizon, as before 2026-12-03 ...
    assertThat(CarbonPlanner.headroom(47 * 3600, headroom(1.25, 48, 48))).isEqualTo(1.25);
    // ... or none beyond the slot under way and the next
    assertThat(CarbonPlanner.headroom(1800, headroom(1.5, 0.5, 0.5))).isEqualTo(1.5);
    assertThat(CarbonPlanner.headroom(1801, headroom(1.5, 0.5, 0.5))).isEqualTo(1.0);
    assertThat(CarbonPlanner.headroom(2 * 3600, headroom(1.5, 0, 4))).isEqualTo(1.25);

    // four GPUs; the cleanest hour is 13:00-14:00, one hour ahead; over the last day online jobs kept 1.6 GPUs (40 %)
    // busy from 10:05 to 19:00 (today until noon, yesterday after); thirty 600-s jobs compete for the clean hour
    List<PlanningJob> jobs = java.util.stream.IntStream.range(0, 30).mapToObj(i -> job(600, Duration.ofHours(8))).toList();
    Map<String, IntensitySeries> f = Map.of("es", hourly(300, 100, 300, 300, 300, 300, 300, 300));
    List<OnlineArrival> afternoon = java.util.stream.IntStream.range(0, 86)
        .mapToObj(i -> now.minus(Duration.ofHours(2)).plusSeconds(300 + i * 375L))
        .map(at -> new OnlineArrival(at.isBefore(now) ? at : at.minus(Duration.ofDays(1)), 600, List.of("es"))).toList();
    ExpectedOnlineLoad busy = ExpectedOnlineLoad.fromHistory(afternoon, now, now.minus(Duration.ofDays(30)), List.of("es"));
    java.util.function.Function<PlannerPolicy, Long> inCleanHour = policy -> planner.plan(
        new PlanningInput(jobs, f, Map.of("es", 4), Map.of(), now, List.of(), Instant.MAX, busy), policy).jobs().stream()
        .filter(j -> !j.plannedStart().isBefore(now.plus(Duration.ofHours(1))) && j.plannedStart().isBefore(now.plus(Duration.ofHours(2))))
        .count();
    // 13:00 keeps 40 % x 1.25 (3600 x (1 - 1/24) GPU-s for the jobs known now), 13:30 40 % x 1.1875 (3780 x
    // (1 - 1.5/24)): six jobs in each (a job goes where at least half of it fits)
    assertThat(inCleanHour.apply(p)).isEqualTo(12);
    // with a headroom of 1 both keep 40 %: seven in each
    assertThat(inCleanHour.apply(headroom(1.0, 1, 3))).isEqualTo(14);
    // with the whole headroom until 2 h ahead both keep 50 %: six in each, as with the default leads
    assertThat(inCleanHour.apply(headroom(1.25, 2, 3))).isEqualTo(12);
    // and with none from the slot under way on (0, 0) both keep 40 %, as with a headroom of 1
    assertThat(inCleanHour.apply(headroom(1.25, 0, 0))).isEqualTo(14);
  }

  private static PlannerPolicy headroom(double h, double fullH, double noneH) {
    PlannerPolicy p = PlannerPolicy.DEFAULT;
    return new PlannerPolicy(p.carbonAware(), p.releaseBelowGPerKwh(), p.maxDeferralH(), p.safetyMarginFraction(), p.safetyMarginMinS(),
        p.horizonH(), p.slotMinutes(), p.capacityOverride(), p.regionAllowList(), p.onlineReserve(), true, p.onlineReserveMin(), h,
        fullH, noneH, p.forecastSmoothing());
  }

  @Test
  void theSlotUnderWayRunsWhatTheJointPlanOfKnownAndExpectedJobsRunsThereAndNoMore() {
    // one GPU, 30-minute slots; 12:00-13:00 at 200 g/kWh, the clean hour 13:00-14:00 at 100, then 400. Two 1200-s jobs
    // are expected at 13:00, due at 14:45 (latest safe start 14:10): they need almost all of the clean hour (2 x 1260
    // GPU-s plannable). The four known 600-s jobs, due in 6 h, so mostly run at 200: the slot under way takes 1530
    // GPU-s of them (85 %: half the online reserve), whole jobs where at least half fits, i.e. three; the fourth waits.
    List<PlanningJob> known = java.util.stream.IntStream.range(0, 4).mapToObj(i -> job(600, Duration.ofHours(6))).toList();
    List<PlanningJob> expected = java.util.stream.IntStream.range(0, 2).mapToObj(i -> new PlanningJob(UUID.randomUUID(), 1200 * 600,
        1200, now.plus(Duration.ofHours(1)), now.plus(Duration.ofMinutes(165)), List.of())).toList();
    Map<String, IntensitySeries> f = Map.of("es", hourly(200, 100, 400, 400, 400, 400, 400));
    Plan p = planner.plan(new PlanningInput(known, f, Map.of("es", 1), Map.of(), now, expected), PlannerPolicy.DEFAULT);
    List<PlannedJob> due = p.due(CarbonPlanner.releaseUntil(now, Duration.ofMinutes(1), PlannerPolicy.DEFAULT));
    assertThat(due).hasSize(3).allSatisfy(j -> {
      assertThat(j.plannedStart()).isEqualTo(now);
      assertThat(j.reason()).isEqualTo(
          "released now in es (200 g/kWh): the cheapest plan of the 4 known and 2 expected jobs runs it in the slot under way");
    });
    PlannedJob waiting = p.jobs().stream().filter(j -> !due.contains(j)).findFirst().orElseThrow();
    assertThat(waiting.plannedStart()).isAfterOrEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(p.jobs()).noneMatch(PlannedJob::atRisk);
    // without the expected jobs the clean hour is the known jobs': none runs now
    Plan alone = planner.plan(new PlanningInput(known, f, Map.of("es", 1), Map.of(), now), PlannerPolicy.DEFAULT);
    assertThat(alone.due(CarbonPlanner.releaseUntil(now, Duration.ofMinutes(1), PlannerPolicy.DEFAULT))).isEmpty();
  }

  @Test
  void expectedArrivalsNeverPutAKnownJobAtRisk() {
    // the expected demand alone overflows the only hour the known job may use: it still gets it
    PlanningJob known = job(600, Duration.ofMinutes(10 + 15 + 60));
    List<PlanningJob> expected = List.of(new PlanningJob(UUID.randomUUID(), 1e7, 100_000, now.plusSeconds(60),
        now.plus(Duration.ofHours(2)), List.of()));
    Plan p = planner.plan(new PlanningInput(List.of(known), Map.of("es", hourly(300, 100, 300)), Map.of("es", 1), Map.of(), now, expected),
        PlannerPolicy.DEFAULT);
    assertThat(p.jobs().getFirst().atRisk()).isFalse();
    assertThat(p.jobs().getFirst().plannedStart()).isBefore(CarbonPlanner.latestStart(known, PlannerPolicy.DEFAULT).plusSeconds(1));
  }

  @Test
  void killSwitchReleasesEverythingNow() {
    PlannerPolicy off = new PlannerPolicy(false, 0, 24, 0.5, 900, 48, 30, Map.of(), List.of(), 0.15, true, 0.1, 1.25, 1, 3, true);
    Plan p = plan(List.of(job(60, Duration.ofHours(8))), Map.of("es", hourly(340, 100, 100)), Map.of("es", 2), off);
    assertThat(p.jobs().getFirst().plannedStart()).isEqualTo(now);
    assertThat(p.jobs().getFirst().reason()).contains("switched off");
    assertThat(p.due(CarbonPlanner.releaseUntil(now, Duration.ofMinutes(1), PlannerPolicy.DEFAULT))).hasSize(1);
  }

  @Test
  void cleanEnoughNowIsReleasedNow() {
    PlannerPolicy threshold = new PlannerPolicy(true, 150, 24, 0.5, 900, 48, 30, Map.of(), List.of(), 0.15, true, 0.1, 1.25, 1, 3, true);
    Plan p = plan(List.of(job(60, Duration.ofHours(8))), Map.of("es", hourly(140, 20, 20)), Map.of("es", 2), threshold);
    assertThat(p.jobs().getFirst().plannedStart()).isEqualTo(now);
    assertThat(p.jobs().getFirst().reason()).isEqualTo("released now in es: forecast 140 g/kWh is at or below the 150 g/kWh threshold");
  }

  @Test
  void picksTheCleanerRegionWhenTheJobMayRunInEither() {
    PlanningJob j = job(60, Duration.ofHours(4), "de", "fr");
    Plan p = plan(List.of(j), Map.of("de", hourly(400, 380, 390, 400), "fr", hourly(60, 55, 70, 65)), Map.of("de", 2, "fr", 1),
        PlannerPolicy.DEFAULT);
    assertThat(p.jobs().getFirst().region()).isEqualTo("fr");
    assertThat(p.jobs().getFirst().plannedStart()).isEqualTo(now.plus(Duration.ofHours(1)));
  }

  @Test
  void withoutAForecastJobsAreReleasedAtTheirLatestSafeStart() {
    PlanningJob j = job(60, Duration.ofHours(3));
    Plan p = plan(List.of(j), Map.of(), Map.of("es", 1), PlannerPolicy.DEFAULT);
    PlannedJob pj = p.jobs().getFirst();
    assertThat(pj.atRisk()).isFalse();
    assertThat(pj.reason()).startsWith("no forecast for es");
    assertThat(pj.plannedStart()).isBeforeOrEqualTo(CarbonPlanner.latestStart(j, PlannerPolicy.DEFAULT));
    assertThat(pj.plannedStart()).isAfter(now.plus(Duration.ofHours(2)));
  }

  @Test
  void overloadIsReleasedEarliestDeadlineFirstAndFlaggedAtRisk() {
    List<PlanningJob> jobs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      jobs.add(job(1500, Duration.ofMinutes(60 + i)));
    }
    Plan p = plan(jobs, Map.of("es", hourly(300, 100)), Map.of("es", 1), PlannerPolicy.DEFAULT);
    assertThat(p.atRisk()).isGreaterThan(0);
    assertThat(p.jobs().stream().filter(PlannedJob::atRisk)).allMatch(j -> j.plannedStart().equals(now) && j.reason().startsWith("at risk"));
  }

  /**
   * One GPU, 30-minute slots of 1,260 plannable GPU-s: the clean hour fits two of four 1,000-s jobs. The two that draw
   * 700 W get it, though the two drawing 400 W are due sooner: a GPU-second moved into the clean hour saves its power
   * times the difference in intensity. Every job still starts by its latest safe start.
   */
  @Test
  void theCleanHourGoesToTheMostPowerHungryWork() {
    List<PlanningJob> hungry = List.of(job(1000, 700, Duration.ofHours(6)), job(1000, 700, Duration.ofHours(6)));
    List<PlanningJob> frugal = List.of(job(1000, 400, Duration.ofHours(5)), job(1000, 400, Duration.ofHours(5)));
    List<PlanningJob> jobs = new ArrayList<>(frugal);
    jobs.addAll(hungry);
    Plan p = plan(jobs, Map.of("es", hourly(300, 100, 300, 300, 300, 300)), Map.of("es", 1), PlannerPolicy.DEFAULT);
    assertThat(p.jobs()).noneMatch(PlannedJob::atRisk);
    assertThat(p.jobs().stream().filter(j -> inHour(j, 1)).map(PlannedJob::jobId))
        .containsExactlyInAnyOrderElementsOf(hungry.stream().map(PlanningJob::id).toList());
  }

  /**
   * The same clean hour, but the hour before it is taken by work already released: the two 400-W jobs, which must
   * start before the clean hour ends, can only run in it, so they keep it and the hungry jobs, which may
   * wait, run later. Preferring power never puts a job at risk.
   */
  @Test
  void powerNeverTakesTheOnlySlotsAnUrgentJobHas() {
    List<PlanningJob> hungry = List.of(job(1000, 700, Duration.ofHours(6)), job(1000, 700, Duration.ofHours(6)));
    // latest safe start = deadline - 1,000 s - max(15 min, 500 s): a second before the clean hour ends
    List<PlanningJob> frugal = List.of(job(1000, 400, Duration.ofSeconds(7199 + 1900)), job(1000, 400, Duration.ofSeconds(7199 + 1900)));
    List<PlanningJob> jobs = new ArrayList<>(hungry);
    jobs.addAll(frugal);
    Plan p = planner.plan(new PlanningInput(jobs, Map.of("es", hourly(300, 100, 300, 300, 300, 300)), Map.of("es", 1),
        Map.of("es", 1530.0 + 1260.0), now), PlannerPolicy.DEFAULT); // both slots of the hour under way (it keeps half the reserve)
    assertThat(p.jobs()).noneMatch(PlannedJob::atRisk);
    assertThat(p.jobs().stream().filter(j -> inHour(j, 1)).map(PlannedJob::jobId))
        .containsExactlyInAnyOrderElementsOf(frugal.stream().map(PlanningJob::id).toList());
  }

  PlanningJob job(double durationS, double watts, Duration deadlineIn) {
    return new PlanningJob(UUID.randomUUID(), durationS * watts, durationS, now, now.plus(deadlineIn), List.of());
  }

  boolean inHour(PlannedJob j, int hour) {
    return !j.plannedStart().isBefore(now.plus(Duration.ofHours(hour))) && j.plannedStart().isBefore(now.plus(Duration.ofHours(hour + 1)));
  }
}
