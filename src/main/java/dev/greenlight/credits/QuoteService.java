package dev.greenlight.credits;

import dev.greenlight.costmodel.Estimate;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.planner.CarbonPlanner;
import dev.greenlight.planner.PlannedJob;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.planner.PlanningInput;
import dev.greenlight.planner.PlanningJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Quotes a request: run now, or offline with deadlines of +2 h, +6 h, +12 h, +24 h (and the requested one), each
 * planned by the same {@link CarbonPlanner} on the current forecasts and capacity, and priced by the {@link Pricer}.
 * Blocking (reads forecasts): call it off the event loop.
 */
public final class QuoteService {
  private static final List<Duration> OFFERS = List.of(Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(24));
  private final Pricer pricer;
  private final Supplier<PricingPolicy> pricing;
  private final ForecastView forecasts;
  private final Supplier<PlannerPolicy> planning;
  private final Supplier<Map<String, Integer>> gpus;
  private final List<String> regions;
  private final Duration maxDeadline;
  private final CarbonPlanner planner = new CarbonPlanner();

  public QuoteService(Pricer pricer, Supplier<PricingPolicy> pricing, ForecastView forecasts, Supplier<PlannerPolicy> planning,
      Supplier<Map<String, Integer>> gpus, List<String> regions, Duration maxDeadline) {
    this.pricer = pricer;
    this.pricing = pricing;
    this.forecasts = forecasts;
    this.planning = planning;
    this.gpus = gpus;
    this.regions = regions;
    this.maxDeadline = maxDeadline;
  }

  public Pricer pricer() {
    return pricer;
  }

  /** Every option, side by side. */
  public List<Quote> options(JobSpec spec, Estimate estimate, Instant now) {
    Context ctx = context(spec, now);
    List<Quote> out = new ArrayList<>();
    out.add(now(spec, estimate, ctx, now));
    for (Duration d : OFFERS) {
      Instant deadline = now.plus(d);
      if (deadline.isAfter(now.plus(maxDeadline)) || !feasible(estimate, deadline, now, ctx)) {
        continue;
      }
      out.add(offline("+" + d.toHours() + "h", spec, estimate, deadline, ctx, now));
    }
    if (spec.mode() == JobMode.OFFLINE) {
      out.add(offline("requested", spec, estimate, spec.deadline(), ctx, now));
    }
    return out;
  }

  /** The option that binds a submission: now for an online job, its own deadline for an offline one. */
  public Quote binding(JobSpec spec, Estimate estimate, Instant now) {
    Context ctx = context(spec, now);
    return spec.mode() == JobMode.ONLINE ? now(spec, estimate, ctx, now) : offline("requested", spec, estimate, spec.deadline(), ctx, now);
  }

  private record Context(Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus, PlannerPolicy policy, PricingPolicy pricing,
      List<String> allowed) {}

  private Context context(JobSpec spec, Instant now) {
    List<String> allowed = spec.regions().isEmpty() ? regions : spec.regions();
    PlannerPolicy policy = planning.get();
    Map<String, IntensitySeries> f = new HashMap<>();
    for (String r : allowed) {
      forecasts.planningSeries(r, now, policy.forecastSmoothing()).ifPresent(x -> f.put(r, x)); // what the planner will believe
    }
    Map<String, Integer> g = new HashMap<>();
    Map<String, Integer> online = gpus.get();
    for (String r : allowed) {
      g.put(r, Math.max(1, policy.capacityOverride().getOrDefault(r, online.getOrDefault(r, 0))));
    }
    return new Context(f, g, policy, pricing.get(), allowed);
  }

  private Quote now(JobSpec spec, Estimate e, Context ctx, Instant now) {
    String region = ctx.allowed().stream().filter(ctx.forecasts()::containsKey).findFirst().orElse(ctx.allowed().getFirst());
    double g = intensity(ctx, region, now, e.durationS());
    Pricer.Price p = pricer.price(ctx.pricing(), spec.shape(), spec.durationS(), e.energyJ(), g, g, false);
    double grams = carbon(e, g, ctx);
    return new Quote("now", false, null, p.credits(), p.carbon(), 0, now, region, grams, 0);
  }

  private Quote offline(String label, JobSpec spec, Estimate e, Instant deadline, Context ctx, Instant now) {
    PlanningJob job = new PlanningJob(UUID.randomUUID(), e.energyJ(), e.durationS(), now, deadline, ctx.allowed());
    PlannedJob plan = planner.plan(new PlanningInput(List.of(job), ctx.forecasts(), ctx.gpus(), Map.of(), now), ctx.policy()).jobs().getFirst();
    double nowG = Double.isFinite(plan.runNowCarbonG()) ? intensity(ctx, plan.region(), now, e.durationS()) : Double.NaN;
    Pricer.Price p = pricer.price(ctx.pricing(), spec.shape(), spec.durationS(), e.energyJ(), plan.expectedGPerKwh(), nowG, true);
    double expected = carbon(e, plan.expectedGPerKwh(), ctx);
    double runNow = carbon(e, nowG, ctx);
    return new Quote(label, true, deadline, p.credits(), p.carbon(), p.discount(), plan.plannedStart(), plan.region(), expected,
        Math.max(0, runNow - expected));
  }

  private boolean feasible(Estimate e, Instant deadline, Instant now, Context ctx) {
    PlanningJob job = new PlanningJob(UUID.randomUUID(), e.energyJ(), e.durationS(), now, deadline, List.of());
    return !CarbonPlanner.latestStart(job, ctx.policy()).isBefore(now);
  }

  private static double intensity(Context ctx, String region, Instant at, double seconds) {
    IntensitySeries s = region == null ? null : ctx.forecasts().get(region);
    if (s == null) {
      return Double.NaN;
    }
    return s.average(at, at.plusMillis((long) Math.max(1000, seconds * 1000))).orElse(Double.NaN);
  }

  private static double carbon(Estimate e, double gPerKwh, Context ctx) {
    return Pricer.round(e.energyJ() / 3.6e6 * (Double.isFinite(gPerKwh) ? gPerKwh : ctx.pricing().referenceGPerKwh()));
  }
}
