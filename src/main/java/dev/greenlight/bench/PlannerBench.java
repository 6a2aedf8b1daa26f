package dev.greenlight.bench;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.planner.CarbonPlanner;
import dev.greenlight.planner.Plan;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.planner.PlanningInput;
import dev.greenlight.planner.PlanningJob;
import dev.greenlight.scheduler.PolicyJson;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * {@code bench planner --jobs N}: times one planning tick over N deferred jobs (deadlines 1-24 h, a third pinned to
 * each of two regions and a third free), two regions with 15-minute forecasts over the 48 h horizon, and enough GPUs
 * that the jobs fill about 60 % of the capacity before their deadlines (so the planner places them, not rejects them);
 * then the same with half as many jobs again expected over the next day ({@link PlanningInput#expectedArrivals()}).
 * Prints the median and best of 5 runs after 2 warm-ups of each, as one JSON line. {@code --slot-minutes M} plans on
 * another grain than the default policy's (any value the admin API accepts).
 */
public final class PlannerBench {
  private PlannerBench() {}

  public static int run(String[] args) {
    int jobs = 100_000;
    JsonObject changes = new JsonObject();
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--jobs")) {
        jobs = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--slot-minutes")) {
        changes.put("slot_minutes", Integer.parseInt(args[i + 1]));
      }
    }
    List<PolicyJson.Problem> problems = new ArrayList<>();
    PlannerPolicy policy = PolicyJson.merge(PlannerPolicy.DEFAULT, changes, List.of(), problems);
    if (!problems.isEmpty()) {
      System.err.println("bench planner: " + problems);
      return 2;
    }
    System.out.println(measure(jobs, policy).encode());
    return 0;
  }

  static JsonObject measure(int n, PlannerPolicy policy) {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    SplittableRandom rnd = new SplittableRandom(42);
    List<PlanningJob> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double d = 5 + rnd.nextDouble() * 300;
      List<String> regions = switch (i % 3) {
        case 0 -> List.of("a");
        case 1 -> List.of("b");
        default -> List.of();
      };
      // 540-710 W, as on the H100 profile (a low-discrepancy sequence, so the random draws stay those of earlier runs)
      double watts = 540 + 170 * ((i * 0.6180339887) % 1);
      jobs.add(new PlanningJob(UUID.randomUUID(), d * watts, d, now.minusSeconds(rnd.nextInt(3600)),
          now.plus(Duration.ofMinutes(60 + rnd.nextInt(23 * 60))), regions));
    }
    Map<String, IntensitySeries> forecasts = Map.of("a", curve(now, rnd), "b", curve(now, rnd));
    double demand = jobs.stream().mapToDouble(PlanningJob::durationS).sum();
    int gpus = (int) Math.max(1, Math.ceil(demand / (0.6 * 12 * 3600 * 2 * (1 - PlannerPolicy.DEFAULT.onlineReserve()))));
    // the forecast of jobs still to come: half as many again, arriving over the next day
    List<PlanningJob> expected = new ArrayList<>(n / 2);
    for (int i = 0; i < n / 2; i++) {
      double d = 5 + rnd.nextDouble() * 300;
      Instant at = now.plusSeconds(rnd.nextInt(24 * 3600));
      expected.add(new PlanningJob(UUID.randomUUID(), d * 550, d, at, at.plus(Duration.ofMinutes(60 + rnd.nextInt(23 * 60))),
          jobs.get(i).regions()));
    }
    Map<String, Integer> capacity = Map.of("a", gpus, "b", gpus);
    long[] plain = time(new PlanningInput(jobs, forecasts, capacity, Map.of(), now), policy);
    long[] withArrivals = time(new PlanningInput(jobs, forecasts, capacity, Map.of(), now, expected), policy);
    Plan plan = new CarbonPlanner().plan(new PlanningInput(jobs, forecasts, capacity, Map.of(), now), policy);
    return new JsonObject().put("bench", "planner").put("jobs", n).put("horizon_h", policy.horizonH())
        .put("slot_minutes", policy.slotMinutes()).put("regions", 2).put("gpus_per_region", gpus)
        .put("median_ms", plain[2] / 1e6).put("best_ms", plain[0] / 1e6).put("at_risk", plan.atRisk())
        .put("expected_arrivals", expected.size()).put("with_arrivals_median_ms", withArrivals[2] / 1e6)
        .put("with_arrivals_best_ms", withArrivals[0] / 1e6);
  }

  /** Five timed runs after two warm-ups, sorted. */
  private static long[] time(PlanningInput input, PlannerPolicy policy) {
    CarbonPlanner planner = new CarbonPlanner();
    long[] times = new long[5];
    for (int i = 0; i < 2; i++) {
      planner.plan(input, policy);
    }
    for (int i = 0; i < times.length; i++) {
      long t0 = System.nanoTime();
      planner.plan(input, policy);
      times[i] = System.nanoTime() - t0;
    }
    Arrays.sort(times);
    return times;
  }

  private static IntensitySeries curve(Instant now, SplittableRandom rnd) {
    List<IntensityPoint> points = new ArrayList<>();
    for (int q = 0; q < 48 * 4; q++) {
      Instant s = now.plus(Duration.ofMinutes(15L * q));
      double g = 250 + 120 * Math.sin(q * Math.PI / 48) + rnd.nextDouble() * 30;
      points.add(new IntensityPoint(s, s.plus(Duration.ofMinutes(15)), g));
    }
    return new IntensitySeries(points);
  }
}
