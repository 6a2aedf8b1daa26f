package dev.greenlight.sim;

import dev.greenlight.forecast.ErrorModel;
import dev.greenlight.forecast.ForecastSmoothing;
import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.forecast.PlanningForecasts;
import dev.greenlight.job.JobMode;
import dev.greenlight.planner.CarbonPlanner;
import dev.greenlight.planner.ExpectedArrivals;
import dev.greenlight.planner.ExpectedOnlineLoad;
import dev.greenlight.planner.OnlineArrival;
import dev.greenlight.planner.Plan;
import dev.greenlight.planner.PlannedJob;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.planner.PlanningInput;
import dev.greenlight.planner.PlanningJob;
import dev.greenlight.queue.ClaimRank;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Replays a workload over recorded traces with a virtual clock. Each policy decides when (and where) every job is
 * released; released jobs then run first come, first served on each region's GPUs, and are charged the actual
 * intensity over their run. The {@code greenlight} policy is the production {@link CarbonPlanner}, ticking on the
 * virtual clock and seeing only forecasts (actuals plus the error model, as made at each tick).
 */
public final class Simulator {
  /** A region of the simulation: its actual intensity and its GPUs. */
  public record Region(String name, IntensitySeries actual, int gpus) {}

  /** What one policy achieved. */
  public record Outcome(String policy, double carbonG, int deadlineMisses, double p95OnlineDelayS, double p95OfflineWaitS,
      double utilization, double plannerP95Ms) {}

  private final List<SimJob> jobs;
  private final List<SimJob> past;
  private final Map<String, Region> regions;
  private final ErrorModel error;
  private final long seed;
  private final PlannerPolicy policy;
  private final Duration tick;
  private final boolean arrivalForecast;
  private final boolean workloadEndKnown;
  private final Map<String, Double> traceMeans = new HashMap<>();

  public Simulator(List<SimJob> jobs, Map<String, Region> regions, ErrorModel error, long seed, PlannerPolicy policy, Duration tick) {
    this(jobs, regions, error, seed, policy, tick, true, true);
  }

  /**
   * @param arrivalForecast whether {@code greenlight} plans with {@link ExpectedArrivals} (as production does) or
   *     without any forecast of the jobs still to come
   * @param workloadEndKnown whether the planner is told the workload's last submission ({@link
   *     PlanningInput#submissionsEnd()}: no job expected and no online capacity kept after it; a replay ends, the
   *     service does not); false shows what a sudden stop in submissions costs
   */
  public Simulator(List<SimJob> jobs, Map<String, Region> regions, ErrorModel error, long seed, PlannerPolicy policy, Duration tick,
      boolean arrivalForecast, boolean workloadEndKnown) {
    this(jobs, List.of(), regions, error, seed, policy, tick, arrivalForecast, workloadEndKnown);
  }

  /**
   * @param past jobs submitted before the workload, while the replayed service was already running: {@code greenlight}
   *     has them as history (the submissions its forecasts of offline arrivals and online load learn from; its
   *     forecasts' track record starts with the first of them), but they are not replayed, so every policy and the
   *     oracle start with idle GPUs. Empty: the service starts with the workload.
   */
  public Simulator(List<SimJob> jobs, List<SimJob> past, Map<String, Region> regions, ErrorModel error, long seed, PlannerPolicy policy,
      Duration tick, boolean arrivalForecast, boolean workloadEndKnown) {
    this.arrivalForecast = arrivalForecast;
    this.workloadEndKnown = workloadEndKnown;
    this.jobs = jobs.stream().sorted(Comparator.comparing(SimJob::submit)).toList();
    Instant first = this.jobs.getFirst().submit();
    if (past.stream().anyMatch(j -> !j.submit().isBefore(first))) {
      throw new IllegalArgumentException("the service's history must end before the workload's first submission " + first);
    }
    this.past = past.stream().sorted(Comparator.comparing(SimJob::submit)).toList();
    this.regions = new LinkedHashMap<>(regions);
    this.error = error;
    this.seed = seed;
    this.policy = policy;
    this.tick = tick;
    regions.forEach((name, r) -> traceMeans.put(name, r.actual().points().stream().mapToDouble(IntensityPoint::gPerKwh).average().orElse(0)));
  }

  public Outcome run(String name) {
    return switch (name) {
      case "fifo" -> execute(name, fixedReleases(this::fifo), List.of());
      case "jobrunr" -> execute(name, fixedReleases(this::jobrunr), List.of());
      case "sdk" -> execute(name, fixedReleases(this::sdk), List.of());
      case "greenlight" -> greenlight();
      default -> throw new IllegalArgumentException("unknown policy " + name + " (fifo, jobrunr, sdk, greenlight, oracle)");
    };
  }

  /** The oracle's lower bound, summed over regions; NaN if a job may run in several regions or a region is overloaded. */
  public double oracleG(Duration slot) {
    return oracle(slot, false);
  }

  /**
   * The oracle deciding on the forecast (each hour as forecast {@link #ORACLE_FORECAST_LEAD} ahead) and charged the
   * actual intensities; NaN where {@link #oracleG} is.
   */
  public double oracleOnForecastG(Duration slot) {
    return oracle(slot, true);
  }

  /** The lead at which {@link #oracleOnForecastG} sees the forecast: half the default 24 h deferral. */
  public static final Duration ORACLE_FORECAST_LEAD = Duration.ofHours(12);

  private double oracle(Duration slot, boolean onForecast) {
    if (jobs.stream().anyMatch(j -> allowed(j).size() > 1)) {
      return Double.NaN;
    }
    double total = 0;
    for (Region r : regions.values()) {
      List<SimJob> mine = jobs.stream().filter(j -> regionOf(j).equals(r.name())).toList();
      IntensitySeries believed = onForecast ? forecastAhead(r) : r.actual();
      total += FluidOracle.gramsG(mine, believed, r.actual(), r.gpus(), slot);
    }
    return total;
  }

  /** The whole trace as forecast {@link #ORACLE_FORECAST_LEAD} before each point. */
  private IntensitySeries forecastAhead(Region r) {
    List<IntensityPoint> points = new ArrayList<>();
    for (IntensityPoint p : r.actual().points()) {
      points.add(p.withGPerKwh(believed(r.name(), p, p.start().minus(ORACLE_FORECAST_LEAD))));
    }
    return new IntensitySeries(points);
  }

  private record Release(SimJob job, Instant at, String region) {}

  // ---- per-job policies (decided at submission, ignoring capacity) ----

  private Release fifo(SimJob j) {
    return new Release(j, j.submit(), regionOf(j));
  }

  /** JobRunr-style: the single lowest-forecast slot of the job's window, ignoring its duration and everyone else. */
  private Release jobrunr(SimJob j) {
    if (j.mode() == JobMode.ONLINE) {
      return fifo(j);
    }
    Instant latest = latest(j);
    Release best = null;
    double bestG = Double.MAX_VALUE;
    long slotS = policy.slotMinutes() * 60L;
    for (String region : allowed(j)) {
      IntensitySeries f = forecastAt(region, j.submit());
      for (long s = j.submit().getEpochSecond(); s <= latest.getEpochSecond(); s = s - Math.floorMod(s, slotS) + slotS) {
        Instant at = Instant.ofEpochSecond(s);
        OptionalDouble g = f.at(at);
        if (g.isPresent() && g.getAsDouble() < bestG) {
          bestG = g.getAsDouble();
          best = new Release(j, at, region);
        }
      }
    }
    return best == null ? fifo(j) : best;
  }

  /** Carbon-Aware-SDK-style: the start whose rolling average over the job's duration is lowest, ignoring capacity. */
  private Release sdk(SimJob j) {
    if (j.mode() == JobMode.ONLINE) {
      return fifo(j);
    }
    Instant latest = latest(j);
    Release best = null;
    double bestG = Double.MAX_VALUE;
    long length = Math.max(300, (long) Math.ceil(j.durationS()));
    for (String region : allowed(j)) {
      IntensitySeries f = forecastAt(region, j.submit());
      for (long s = j.submit().getEpochSecond(); s <= latest.getEpochSecond(); s += 300) {
        Instant at = Instant.ofEpochSecond(s);
        OptionalDouble g = f.average(at, at.plusSeconds(length));
        if (g.isPresent() && g.getAsDouble() < bestG - 1e-9) {
          bestG = g.getAsDouble();
          best = new Release(j, at, region);
        }
      }
    }
    return best == null ? fifo(j) : best;
  }

  private List<Release> fixedReleases(java.util.function.Function<SimJob, Release> decide) {
    return jobs.stream().map(decide).sorted(Comparator.comparing(Release::at)).toList();
  }

  // ---- the production planner on a virtual clock ----

  private Outcome greenlight() {
    CarbonPlanner planner = new CarbonPlanner();
    // the service's stored forecasts and actuals begin when it starts: with the workload, or with its history
    List<SimJob> seen = new ArrayList<>(past); // what the service has seen submitted, the workload's jobs as they come
    Instant serviceStart = past.isEmpty() ? jobs.getFirst().submit() : past.getFirst().submit();
    PlanningForecasts smoothing = new PlanningForecasts(new ReplayTrackRecord(serviceStart));
    Cluster cluster = new Cluster();
    List<Long> tickNanos = new ArrayList<>();
    Map<UUID, SimJob> deferred = new LinkedHashMap<>();
    int next = 0;
    int history = 0; // first job of seen submitted within ExpectedArrivals.HISTORY
    Instant workloadEnd = workloadEndKnown ? jobs.getLast().submit() : Instant.MAX;
    // a service that starts with the workload forecasts its first day from the hours seen so far
    Instant firstOffline = Stream.concat(past.stream(), jobs.stream()).filter(j -> j.mode() == JobMode.OFFLINE).map(SimJob::submit)
        .findFirst().orElse(Instant.MAX);
    Instant firstOnline = Stream.concat(past.stream(), jobs.stream()).filter(j -> j.mode() == JobMode.ONLINE).map(SimJob::submit)
        .findFirst().orElse(Instant.MAX);
    // each online job with the region it was sent to (the history's: where it may run), in submission order
    List<OnlineArrival> online = new ArrayList<>(past.stream().filter(j -> j.mode() == JobMode.ONLINE)
        .map(j -> new OnlineArrival(j.submit(), j.durationS(), allowed(j))).toList());
    int onlineFrom = 0; // first of them submitted within ExpectedOnlineLoad.PERIOD
    Instant t = jobs.getFirst().submit();
    t = t.minusSeconds(Math.floorMod(t.getEpochSecond(), tick.getSeconds()));
    while (next < jobs.size() || !deferred.isEmpty()) {
      Instant tickAt = t;
      while (next < jobs.size() && !jobs.get(next).submit().isAfter(tickAt)) {
        SimJob j = jobs.get(next++);
        seen.add(j);
        if (j.mode() == JobMode.ONLINE) {
          String region = cluster.leastLoaded(allowed(j), j.submit());
          cluster.release(j, j.submit(), region, j.submit());
          online.add(new OnlineArrival(j.submit(), j.durationS(), List.of(region)));
        } else {
          deferred.put(j.id(), j);
        }
      }
      if (!deferred.isEmpty()) {
        Map<String, IntensitySeries> forecasts = new HashMap<>();
        Map<String, Integer> gpus = new HashMap<>();
        Map<String, Double> committed = new HashMap<>();
        for (Region r : regions.values()) {
          // as the service does unless the policy turns it off: the forecast smoothed by its track record
          forecasts.put(r.name(), policy.forecastSmoothing() ? smoothing.smoothed(r.name(), forecastAt(r.name(), tickAt), tickAt)
              : forecastAt(r.name(), tickAt));
          gpus.put(r.name(), r.gpus());
          committed.put(r.name(), cluster.committed(r.name(), tickAt));
        }
        long start = System.nanoTime();
        List<PlanningJob> input = deferred.values().stream().map(this::planningJob).toList();
        List<PlanningJob> expected = List.of();
        if (arrivalForecast) {
          while (history < seen.size() && !seen.get(history).submit().isAfter(tickAt.minus(ExpectedArrivals.HISTORY))) {
            history++;
          }
          expected = ExpectedArrivals.forecast(seen.subList(history, seen.size()).stream().filter(j -> j.mode() == JobMode.OFFLINE)
              .map(this::planningJob).toList(), tickAt, firstOffline);
        }
        // the workload ends at its last submission, the service's never does: told the end (unless workloadEndKnown
        // is false), the planner expects no job after it and keeps no capacity for online jobs there, so the
        // replay's last hours do not hold clean capacity for jobs that cannot come
        while (onlineFrom < online.size() && !online.get(onlineFrom).submittedAt().isAfter(tickAt.minus(ExpectedOnlineLoad.PERIOD))) {
          onlineFrom++;
        }
        ExpectedOnlineLoad onlineLoad = ExpectedOnlineLoad.fromHistory(online.subList(onlineFrom, online.size()), tickAt, firstOnline,
            regions.keySet());
        Plan plan = planner.plan(new PlanningInput(input, forecasts, gpus, committed, tickAt, expected, workloadEnd, onlineLoad), policy);
        tickNanos.add(System.nanoTime() - start);
        for (PlannedJob p : plan.due(CarbonPlanner.releaseUntil(tickAt, tick, policy))) {
          SimJob j = deferred.remove(p.jobId());
          String region = regions.containsKey(p.region()) ? p.region() : cluster.leastLoaded(allowed(j), tickAt);
          cluster.release(j, tickAt, region, CarbonPlanner.claimFrom(p, tickAt));
        }
      }
      t = t.plus(tick);
    }
    double p95 = percentile(tickNanos.stream().mapToDouble(n -> n / 1e6).toArray(), 0.95);
    return cluster.outcome("greenlight", p95);
  }

  // ---- execution ----

  private Outcome execute(String name, List<Release> releases, List<Long> ignored) {
    Cluster cluster = new Cluster();
    for (Release r : releases) {
      cluster.release(r.job(), r.at(), r.region(), r.at());
    }
    return cluster.outcome(name, Double.NaN);
  }

  /**
   * Each region's GPUs, as the production queue serves them ({@code claim} in queue.sql, {@link ClaimRank}): a free
   * GPU takes the offline jobs whose latest safe start comes before the next planning tick first (which promotes
   * them), then online jobs, then the offline jobs released with time to spare; within a rank the earliest latest
   * start, then the earliest claim time ({@code run_after}: an online job's submission, a released job's planned
   * start). Releases must arrive in time order.
   */
  private final class Cluster {
    private record Queued(SimJob job, long releasedMs, long orderMs, long latestMs) {
      /** The {@link ClaimRank} at {@code ms}: a planning tick promotes the job one tick before its latest start. */
      int rankAt(long ms, long tickMs) {
        if (job.mode() == JobMode.ONLINE) {
          return ClaimRank.ONLINE;
        }
        return ClaimRank.offline(latestMs, ms + tickMs);
      }
    }

    final Map<String, PriorityQueue<Long>> freeAt = new HashMap<>();
    final Map<String, List<Queued>> queued = new HashMap<>();
    double carbon;
    int misses;
    double busy;
    final List<Double> onlineDelay = new ArrayList<>();
    final List<Double> offlineWait = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Cluster() {
      for (Region r : regions.values()) {
        PriorityQueue<Long> q = new PriorityQueue<>();
        for (int i = 0; i < r.gpus(); i++) {
          q.add(Long.MIN_VALUE);
        }
        freeAt.put(r.name(), q);
        queued.put(r.name(), new ArrayList<>());
      }
    }

    /** Queues a job released at {@code at}; {@code claimFrom} orders it among jobs of the same rank and latest start. */
    void release(SimJob j, Instant at, String region, Instant claimFrom) {
      advance(region, at.toEpochMilli());
      long latestMs = j.mode() == JobMode.ONLINE ? Long.MIN_VALUE : latest(j).toEpochMilli();
      queued.get(region).add(new Queued(j, at.toEpochMilli(), claimFrom.toEpochMilli(), latestMs));
      first = Math.min(first, j.submit().toEpochMilli());
    }

    /** Starts queued jobs on GPUs that free up until {@code until}. */
    void advance(String region, long until) {
      PriorityQueue<Long> gpus = freeAt.get(region);
      List<Queued> q = queued.get(region);
      while (!q.isEmpty() && gpus.peek() <= until) {
        long free = gpus.poll();
        long earliest = q.stream().mapToLong(Queued::releasedMs).min().orElseThrow();
        long at = Math.max(free, earliest);
        Queued next = null;
        for (Queued c : q) {
          if (c.releasedMs() > at) {
            continue;
          }
          if (next == null || better(c, next, at)) {
            next = c;
          }
        }
        q.remove(next);
        run(next.job(), region, at);
        gpus.add(at + (long) Math.ceil(next.job().durationS() * 1000));
      }
    }

    private boolean better(Queued a, Queued b, long at) {
      int ra = a.rankAt(at, tick.toMillis());
      int rb = b.rankAt(at, tick.toMillis());
      if (ra != rb) {
        return ra < rb;
      }
      if (a.latestMs() != b.latestMs()) {
        return a.latestMs() < b.latestMs(); // earliest latest start first; online jobs have none
      }
      return a.orderMs() != b.orderMs() ? a.orderMs() < b.orderMs() : a.releasedMs() < b.releasedMs();
    }

    private void run(SimJob j, String region, long startMs) {
      long endMs = startMs + (long) Math.ceil(j.durationS() * 1000);
      Instant start = Instant.ofEpochMilli(startMs);
      double g = regions.get(region).actual().average(start, Instant.ofEpochMilli(Math.max(endMs, startMs + 1000))).orElse(0);
      carbon += j.energyJ() / 3.6e6 * g;
      busy += j.durationS();
      if (j.deadline() != null && endMs > j.deadline().toEpochMilli()) {
        misses++;
      }
      double delay = (startMs - j.submit().toEpochMilli()) / 1000.0;
      (j.mode() == JobMode.ONLINE ? onlineDelay : offlineWait).add(delay);
      last = Math.max(last, endMs);
    }

    /** GPU-seconds of work released but not finished at {@code t}: running remainders plus the queue. */
    double committed(String region, Instant t) {
      advance(region, t.toEpochMilli());
      double sum = 0;
      for (long f : freeAt.get(region)) {
        sum += Math.max(0, f - t.toEpochMilli()) / 1000.0;
      }
      for (Queued q : queued.get(region)) {
        sum += q.job().durationS();
      }
      return sum;
    }

    String leastLoaded(List<String> allowed, Instant t) {
      return allowed.stream().min(Comparator.comparingDouble((String r) -> committed(r, t) / regions.get(r).gpus())).orElseThrow();
    }

    Outcome outcome(String name, double plannerP95Ms) {
      regions.keySet().forEach(r -> advance(r, Long.MAX_VALUE));
      int totalGpus = regions.values().stream().mapToInt(Region::gpus).sum();
      double span = Math.max(1, (last - first) / 1000.0);
      return new Outcome(name, carbon, misses, percentile(onlineDelay.stream().mapToDouble(Double::doubleValue).toArray(), 0.95),
          percentile(offlineWait.stream().mapToDouble(Double::doubleValue).toArray(), 0.95), busy / (totalGpus * span), plannerP95Ms);
    }
  }

  // ---- helpers ----

  /** The forecast for a region as it would have been made at {@code madeAt}: actuals plus the error model. */
  IntensitySeries forecastAt(String region, Instant madeAt) {
    Region r = regions.get(region);
    Instant end = madeAt.plus(Duration.ofHours(policy.horizonH()));
    List<IntensityPoint> points = new ArrayList<>();
    for (IntensityPoint p : r.actual().between(madeAt, end)) {
      p.within(madeAt, end).ifPresent(c -> points.add(c.withGPerKwh(believed(region, p, madeAt))));
    }
    return new IntensitySeries(points);
  }

  /**
   * What the forecast made at {@code madeAt} said of trace point {@code p}: the error model's value, drawn from the
   * point's own start (so a point cut at a window's edge keeps its draw).
   */
  private double believed(String region, IntensityPoint p, Instant madeAt) {
    return error.apply(p.gPerKwh(), traceMeans.get(region), madeAt, p.start(), seed ^ region.hashCode());
  }

  /**
   * What the replayed service would have stored since it started: the forecast of each past point as made a given
   * lead ahead (the error model's value for that lead) and the trace's actuals.
   */
  private final class ReplayTrackRecord implements ForecastSmoothing.TrackRecord {
    private final Instant serviceStart;

    ReplayTrackRecord(Instant serviceStart) {
      this.serviceStart = serviceStart;
    }

    @Override
    public IntensitySeries forecastMadeAhead(String region, Duration lead, Instant from, Instant to) {
      List<IntensityPoint> points = new ArrayList<>();
      for (IntensityPoint p : regions.get(region).actual().between(from, to)) {
        Instant madeAt = p.start().minus(lead);
        if (!madeAt.isBefore(serviceStart)) {
          p.within(from, to).ifPresent(c -> points.add(c.withGPerKwh(believed(region, p, madeAt))));
        }
      }
      return new IntensitySeries(points);
    }

    @Override
    public List<IntensityPoint> actuals(String region, Instant from, Instant to) {
      Instant a = from.isBefore(serviceStart) ? serviceStart : from;
      List<IntensityPoint> out = new ArrayList<>();
      for (IntensityPoint p : regions.get(region).actual().between(a, to)) {
        p.within(a, to).ifPresent(out::add);
      }
      return out;
    }

  }

  private Instant latest(SimJob j) {
    return CarbonPlanner.latestStart(planningJob(j), policy);
  }

  private PlanningJob planningJob(SimJob j) {
    return new PlanningJob(j.id(), j.energyJ(), j.durationS(), j.submit(), j.deadline(), allowed(j));
  }

  private List<String> allowed(SimJob j) {
    return j.regions().isEmpty() ? List.copyOf(regions.keySet()) : j.regions().stream().filter(regions::containsKey).toList();
  }

  /** The region a per-job policy sends a job to: its first allowed one (they decide at submission, blind to load). */
  private String regionOf(SimJob j) {
    return allowed(j).getFirst();
  }

  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
