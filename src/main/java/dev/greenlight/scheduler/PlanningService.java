package dev.greenlight.scheduler;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.planner.CarbonPlanner;
import dev.greenlight.planner.ExpectedArrivals;
import dev.greenlight.planner.ExpectedOnlineLoad;
import dev.greenlight.planner.OnlineArrival;
import dev.greenlight.planner.Plan;
import dev.greenlight.planner.PlannedJob;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.planner.PlanningInput;
import dev.greenlight.planner.PlanningJob;
import dev.greenlight.queue.JobQueue;
import io.vertx.core.json.JsonObject;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One planning tick: reads the deferred jobs, the fresh forecasts, the GPUs online, the work already released, the
 * offline jobs submitted over the last 27 hours and when the first was (for the {@link ExpectedArrivals} forecast of
 * those still to come) and the online jobs of the last day and when the first was (for the {@link
 * ExpectedOnlineLoad} each slot's online reserve comes from, unless the policy keeps a flat one), runs the {@link
 * CarbonPlanner}, stores each job's changed plan and releases the jobs whose planned start has come ({@code
 * deferred -> queued}, with the plan's reason), all in one transaction. The forecasts are those the planner plans
 * on: each smoothed as far as its track record says, unless the policy turns that off ({@link
 * ForecastView#planningSeries}). Fired by Quartz on one node.
 */
public final class PlanningService {
  private static final SqlFile SQL = PolicyStore.SQL;
  private final Database db;
  private final ForecastView forecasts;
  private final PolicyStore policies;
  private final List<String> regions;
  private final StateChangeListener announcer;
  private final Clock clock;
  private final Duration tick;
  private final Duration workerTimeout;
  private final String node;
  private final CarbonPlanner planner = new CarbonPlanner();

  public PlanningService(Database db, ForecastView forecasts, PolicyStore policies, List<String> regions, StateChangeListener announcer,
      Clock clock, Duration tick, Duration workerTimeout, String node) {
    this.db = db;
    this.forecasts = forecasts;
    this.policies = policies;
    this.regions = regions;
    this.announcer = announcer;
    this.clock = clock;
    this.tick = tick;
    this.workerTimeout = workerTimeout;
    this.node = node;
  }

  /** What a tick did. */
  public record TickResult(int deferred, int released, int atRisk, double millis) {}

  private record Row(PlanningJob job, String plannedRegion, Instant plannedStart) {}

  private static PlanningJob planningJob(ResultSet rs) throws java.sql.SQLException {
    Array r = rs.getArray("regions");
    return new PlanningJob(rs.getObject("id", UUID.class), rs.getDouble("estimate_energy_j"), rs.getDouble("estimate_duration_s"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("deadline", OffsetDateTime.class).toInstant(),
        r == null ? List.of() : List.of((String[]) r.getArray()));
  }

  public TickResult tick(Instant scheduledAt) {
    long t0 = System.nanoTime();
    Instant now = clock.instant();
    PlannerPolicy policy = policies.current();
    Map<String, IntensitySeries> series = new HashMap<>();
    for (String region : regions) {
      forecasts.planningSeries(region, now, policy.forecastSmoothing()).ifPresent(f -> series.put(region, f));
    }
    List<StateChange> released = new ArrayList<>();
    TickResult result = db.inTransaction(c -> {
      // a job released on plan whose latest start comes before the next tick is claimed ahead of online jobs
      JobQueue.promoteLate(c, now.plus(tick));
      List<Row> rows = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("deferred_jobs").prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime planned = rs.getObject("planned_start", OffsetDateTime.class);
          rows.add(new Row(planningJob(rs), rs.getString("planned_region"), planned == null ? null : planned.toInstant()));
        }
      }
      // only regions with workers online (or a capacity override) can be planned into: a job planned where nothing
      // runs would wait there forever
      Map<String, Integer> gpus = new HashMap<>();
      regions.forEach(r -> gpus.put(r, policy.capacityOverride().getOrDefault(r, 0)));
      try (PreparedStatement ps = SQL.get("gpus_by_region").prepare(c, "since", now.minus(workerTimeout)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (gpus.containsKey(rs.getString("region")) && !policy.capacityOverride().containsKey(rs.getString("region"))) {
            gpus.put(rs.getString("region"), rs.getInt("slots"));
          }
        }
      }
      Map<String, Double> committed = new HashMap<>();
      try (PreparedStatement ps = SQL.get("committed_by_region").prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString("region") != null) {
            committed.put(rs.getString("region"), rs.getDouble("seconds"));
          }
        }
      }
      if (gpus.values().stream().allMatch(g -> g == 0)) {
        // no worker anywhere (yet): nothing to plan into; the jobs wait, and the safety net releases each at its
        // latest deadline-safe start for whichever worker comes
        try (PreparedStatement ps = SQL.get("insert_tick").prepare(c, "node", node, "scheduled_at", scheduledAt, "ran_at", now,
            "deferred", rows.size(), "released", 0, "at_risk", 0, "duration_ms", (System.nanoTime() - t0) / 1e6)) {
          ps.executeUpdate();
        }
        return new TickResult(rows.size(), 0, 0, (System.nanoTime() - t0) / 1e6);
      }
      // the forecast of jobs still to come only shapes the plan of jobs known now: none deferred, nothing to read
      List<PlanningJob> history = new ArrayList<>();
      Instant historyFrom = now;
      ExpectedOnlineLoad onlineLoad = ExpectedOnlineLoad.NONE;
      if (!rows.isEmpty()) {
        try (PreparedStatement ps = SQL.get("first_offline_submission").prepare(c); ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getObject("first") != null) {
            historyFrom = rs.getObject("first", OffsetDateTime.class).toInstant();
          }
        }
        try (PreparedStatement ps = SQL.get("offline_submitted_since").prepare(c, "since", now.minus(ExpectedArrivals.HISTORY), "now", now);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            history.add(planningJob(rs));
          }
        }
        if (policy.onlineReserveFromHistory()) {
          onlineLoad = onlineLoad(c, now, gpus.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        }
      }
      Plan plan = planner.plan(new PlanningInput(rows.stream().map(Row::job).toList(), series, gpus, committed, now,
          ExpectedArrivals.forecast(history, now, historyFrom), Instant.MAX, onlineLoad), policy);
      Map<UUID, Row> byId = new HashMap<>();
      rows.forEach(r -> byId.put(r.job().id(), r));
      List<PlannedJob> due = plan.due(CarbonPlanner.releaseUntil(now, tick, policy));
      java.util.Set<UUID> dueIds = new java.util.HashSet<>();
      due.forEach(p -> dueIds.add(p.jobId()));
      List<PlannedJob> changed = plan.jobs().stream().filter(p -> !dueIds.contains(p.jobId())).filter(p -> {
        Row r = byId.get(p.jobId());
        return r.plannedStart() == null || !Objects.equals(r.plannedRegion(), p.region())
            || Math.abs(Duration.between(r.plannedStart(), p.plannedStart()).getSeconds()) >= 60;
      }).toList();
      if (!changed.isEmpty()) {
        try (PreparedStatement ps = SQL.get("update_plans").prepare(c, "ids", changed.stream().map(PlannedJob::jobId).toArray(UUID[]::new),
            "plans", changed.stream().map(p -> planJson(p, now).encode()).toArray(String[]::new),
            "regions", changed.stream().map(PlannedJob::region).toArray(String[]::new),
            "starts", changed.stream().map(p -> p.plannedStart().toString()).toArray(String[]::new))) {
          ps.executeUpdate();
        }
      }
      if (!due.isEmpty()) {
        try (PreparedStatement ps = SQL.get("release").prepare(c, "ids", due.stream().map(PlannedJob::jobId).toArray(UUID[]::new),
            "plans", due.stream().map(p -> planJson(p, now).encode()).toArray(String[]::new),
            "regions", due.stream().map(PlannedJob::region).toArray(String[]::new),
            "reasons", due.stream().map(PlannedJob::reason).toArray(String[]::new),
            // claimable from its planned start; ranked ahead of online jobs only when its latest start comes before
            // the next tick (the rule promote_late applies to the same column)
            "claim_from", due.stream().map(p -> CarbonPlanner.claimFrom(p, now).toString()).toArray(String[]::new),
            "next_tick", now.plus(tick), "now", now, "actor", "planner:" + node);
             ResultSet rs = ps.executeQuery()) {
          Map<UUID, String> reasons = new HashMap<>();
          due.forEach(p -> reasons.put(p.jobId(), p.reason()));
          while (rs.next()) {
            UUID id = rs.getObject("id", UUID.class);
            released.add(new StateChange(id, rs.getObject("account_id", UUID.class), JobState.DEFERRED, JobState.QUEUED, now, reasons.get(id)));
          }
        }
      }
      double millis = (System.nanoTime() - t0) / 1e6;
      try (PreparedStatement ps = SQL.get("insert_tick").prepare(c, "node", node, "scheduled_at", scheduledAt, "ran_at", now,
          "deferred", rows.size(), "released", released.size(), "at_risk", (int) plan.atRisk(), "duration_ms", millis)) {
        ps.executeUpdate();
      }
      return new TickResult(rows.size(), released.size(), (int) plan.atRisk(), millis);
    });
    announcer.changed(released);
    return result;
  }

  /**
   * The online work of the last day, by minute and where it ran: the forecast each slot's online reserve comes from
   * (each minute's work is one {@link OnlineArrival}).
   */
  private static ExpectedOnlineLoad onlineLoad(java.sql.Connection c, Instant now, List<String> planned) throws java.sql.SQLException {
    Instant first = Instant.MAX; // no online job yet: no history (ExpectedOnlineLoad decides how much is enough)
    try (PreparedStatement ps = SQL.get("first_online_submission").prepare(c); ResultSet rs = ps.executeQuery()) {
      if (rs.next() && rs.getObject("first") != null) {
        first = rs.getObject("first", OffsetDateTime.class).toInstant();
      }
    }
    List<OnlineArrival> online = new ArrayList<>();
    try (PreparedStatement ps = SQL.get("online_submitted_since").prepare(c, "since", now.minus(ExpectedOnlineLoad.PERIOD), "now", now);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String ranIn = rs.getString("ran_in");
        Array allowed = rs.getArray("regions");
        List<String> regions = ranIn != null ? List.of(ranIn) : allowed == null ? List.of() : List.of((String[]) allowed.getArray());
        online.add(new OnlineArrival(rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getDouble("seconds"), regions));
      }
    }
    return ExpectedOnlineLoad.fromHistory(online, now, first, planned);
  }

  /** The plan as stored with the job and shown by the API. */
  public static JsonObject planJson(PlannedJob p, Instant plannedAt) {
    return new JsonObject()
        .put("planned_start", p.plannedStart().toString())
        .put("region", p.region())
        .put("expected_g_per_kwh", finite(p.expectedGPerKwh()))
        .put("expected_carbon_g", finite(p.expectedCarbonG()))
        .put("run_now_carbon_g", finite(p.runNowCarbonG()))
        .put("at_risk", p.atRisk())
        .put("reason", p.reason())
        .put("planned_at", plannedAt.toString());
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
  }
}
