package dev.greenlight.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of every plan, over random jobs, expected arrivals, online history, forecasts and capacities. */
class CarbonPlannerProperties {
  static final Instant NOW = Instant.parse("2026-11-26T12:07:00Z");
  static final PlannerPolicy POLICY = PlannerPolicy.DEFAULT;

  record Case(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus, List<PlanningJob> expected,
      ExpectedOnlineLoad online) {

    /** The share of a slot of {@code region} the planner keeps for online jobs. */
    double reserve(String region, long slot, long from, long slotS) {
      return CarbonPlanner.onlineReserve(slot < NOW.getEpochSecond(), region, from, slot + slotS, from - NOW.getEpochSecond(),
          gpus.get(region), online, POLICY);
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<List<Double>> curve = Arbitraries.doubles().between(5, 600).list().ofSize(50);
    // jobs draw 300-700 W, so the planner's choice of the most power-hungry work for the clean slots is exercised
    Arbitrary<PlanningJob> job = Combinators.combine(
        Arbitraries.doubles().between(1, 1800),
        Arbitraries.integers().between(20, 30 * 60),
        Arbitraries.<List<String>>of(List.of(), List.of("a"), List.of("b"), List.of("a", "b")),
        Arbitraries.integers().between(300, 700))
        .as((d, minutes, regions, watts) -> new PlanningJob(UUID.randomUUID(), d * watts, d, NOW.minusSeconds(60),
            NOW.plus(Duration.ofMinutes(minutes)), regions));
    // jobs expected to arrive over the next day (none in a third of the cases)
    Arbitrary<PlanningJob> arrival = Combinators.combine(
        Arbitraries.doubles().between(1, 1800),
        Arbitraries.integers().between(1, 24 * 60),
        Arbitraries.integers().between(20, 24 * 60),
        Arbitraries.<List<String>>of(List.of(), List.of("a"), List.of("b")))
        .as((d, in, slack, regions) -> new PlanningJob(UUID.randomUUID(), d * 550, d, NOW.plus(Duration.ofMinutes(in)),
            NOW.plus(Duration.ofMinutes(in + slack)), regions));
    Arbitrary<List<PlanningJob>> arrivals = Arbitraries.oneOf(Arbitraries.just(List.of()), arrival.list().ofMaxSize(80));
    // the online jobs of the last day, from which the online reserve comes (a flat reserve in a third of the cases)
    Arbitrary<OnlineArrival> onlineJob = Combinators.combine(
        Arbitraries.integers().between(0, 24 * 60 - 1),
        Arbitraries.doubles().between(1, 3600),
        Arbitraries.<List<String>>of(List.of(), List.of("a"), List.of("b")))
        .as((ago, d, regions) -> new OnlineArrival(NOW.minus(Duration.ofMinutes(ago)), d, regions));
    Arbitrary<ExpectedOnlineLoad> online = Arbitraries.oneOf(Arbitraries.just(ExpectedOnlineLoad.NONE),
        onlineJob.list().ofMaxSize(200).map(h -> ExpectedOnlineLoad.fromHistory(h, NOW, NOW.minus(Duration.ofDays(2)), List.of("a", "b"))));
    return Combinators.combine(job.list().ofMinSize(0).ofMaxSize(120), curve, curve,
        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 3), arrivals, arrivals, online)
        .as((jobs, ca, cb, ga, gb, ea, eb, ol) -> {
          Map<String, Integer> gpus = new HashMap<>();
          gpus.put("a", ga);
          gpus.put("b", gb);
          List<PlanningJob> expected = new ArrayList<>(ea);
          expected.addAll(eb);
          return new Case(jobs, Map.of("a", series(ca), "b", series(cb)), gpus, expected, ol);
        });
  }

  static IntensitySeries series(List<Double> values) {
    List<IntensityPoint> points = new ArrayList<>();
    Instant start = NOW.minusSeconds(NOW.getEpochSecond() % 3600);
    for (int h = 0; h < values.size(); h++) {
      points.add(new IntensityPoint(start.plus(Duration.ofHours(h)), start.plus(Duration.ofHours(h + 1)), values.get(h)));
    }
    return new IntensitySeries(points);
  }

  Plan plan(Case c) {
    return new CarbonPlanner().plan(new PlanningInput(c.jobs(), c.forecasts(), c.gpus(), Map.of(), NOW, c.expected(), Instant.MAX,
        c.online()), POLICY);
  }

  @Property(tries = 300)
  void everyJobIsPlannedOnceNotBeforeNowAndInAnAllowedRegionWithCapacity(@ForAll("cases") Case c) {
    Plan p = plan(c);
    assertThat(p.jobs()).hasSize(c.jobs().size());
    assertThat(p.jobs().stream().map(PlannedJob::jobId).distinct().count()).isEqualTo(c.jobs().size());
    Map<UUID, PlanningJob> byId = new HashMap<>();
    c.jobs().forEach(j -> byId.put(j.id(), j));
    for (PlannedJob pj : p.jobs()) {
      assertThat(pj.plannedStart()).isAfterOrEqualTo(NOW);
      if (!pj.atRisk()) {
        assertThat(byId.get(pj.jobId()).allows(pj.region())).isTrue();
        assertThat(c.gpus().get(pj.region())).isPositive();
      }
    }
  }

  @Property(tries = 300)
  void noJobThatIsNotAtRiskStartsAfterItsLatestSafeStart(@ForAll("cases") Case c) {
    Plan p = plan(c);
    Map<UUID, PlanningJob> byId = new HashMap<>();
    c.jobs().forEach(j -> byId.put(j.id(), j));
    for (PlannedJob pj : p.jobs()) {
      if (!pj.atRisk()) {
        assertThat(pj.plannedStart()).isBeforeOrEqualTo(CarbonPlanner.latestStart(byId.get(pj.jobId()), POLICY));
      }
    }
  }

  @Property(tries = 300)
  void noSlotIsPlannedBeyondItsCapacity(@ForAll("cases") Case c) {
    Plan p = plan(c);
    Map<UUID, PlanningJob> byId = new HashMap<>();
    c.jobs().forEach(j -> byId.put(j.id(), j));
    long slotS = POLICY.slotMinutes() * 60L;
    Map<String, List<PlannedJob>> bySlot = new HashMap<>();
    for (PlannedJob pj : p.jobs()) {
      if (!pj.atRisk()) {
        long slot = pj.plannedStart().getEpochSecond() - Math.floorMod(pj.plannedStart().getEpochSecond(), slotS);
        bySlot.computeIfAbsent(pj.region() + "@" + slot, k -> new ArrayList<>()).add(pj);
      }
    }
    bySlot.forEach((key, jobs) -> {
      String region = key.substring(0, key.indexOf('@'));
      long slot = Long.parseLong(key.substring(key.indexOf('@') + 1));
      long from = Math.max(slot, NOW.getEpochSecond());
      double capacity = c.gpus().get(region) * (slot + slotS - from) * (1 - c.reserve(region, slot, from, slotS));
      double used = jobs.stream().mapToDouble(j -> byId.get(j.jobId()).durationS()).sum();
      double last = jobs.stream().mapToDouble(j -> byId.get(j.jobId()).durationS()).max().orElse(0);
      // a job may start in a slot while capacity remains, so only the last one may run over
      assertThat(used - last).as("planned GPU-seconds in %s", key).isLessThan(capacity + 1e-6);
    });
  }

  @Property(tries = 300)
  void whenEarliestDeadlineFirstFitsEveryJobNoneIsAtRisk(@ForAll("cases") Case c) {
    // single region, so EDF on the planner's own slot model is an exact feasibility test
    List<PlanningJob> jobs = c.jobs().stream().filter(j -> j.allows("a")).map(j -> new PlanningJob(j.id(), j.energyJ(),
        j.durationS(), j.submittedAt(), j.deadline(), List.of("a"))).toList();
    Case single = new Case(jobs, Map.of("a", c.forecasts().get("a")), Map.of("a", c.gpus().get("a")),
        c.expected().stream().filter(j -> j.allows("a")).toList(), c.online());
    if (!edfFits(single)) {
      return;
    }
    assertThat(plan(single).atRisk()).isZero();
  }

  static boolean edfFits(Case c) {
    long slotS = POLICY.slotMinutes() * 60L;
    int gpus = c.gpus().get("a");
    List<PlanningJob> jobs = new ArrayList<>(c.jobs());
    jobs.sort(Comparator.comparing(j -> CarbonPlanner.latestStart(j, POLICY)));
    long now = NOW.getEpochSecond();
    long slot = now - Math.floorMod(now, slotS);
    long from = now;
    double used = 0;
    for (PlanningJob j : jobs) {
      long latest = CarbonPlanner.latestStart(j, POLICY).getEpochSecond();
      while (used >= gpus * (slot + slotS - from) * (1 - c.reserve("a", slot, from, slotS))) {
        slot += slotS;
        from = slot;
        used = 0;
      }
      // past the loop the slot has room, so its reserve is below 1
      if (from + used / (gpus * (1 - c.reserve("a", slot, from, slotS))) > latest) {
        return false;
      }
      used += j.durationS();
    }
    return true;
  }
}
