package dev.greenlight.sim;

import dev.greenlight.costmodel.CalibrationProfile;
import dev.greenlight.costmodel.CostModel;
import dev.greenlight.forecast.CarbonTrace;
import dev.greenlight.forecast.ErrorModel;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.scheduler.PolicyJson;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code greenlight simulate}: replays a workload over recorded traces under several release policies and writes
 * the comparison as JSON.
 *
 * <pre>
 * simulate --trace es=ES_2022.csv [--trace de=...] --gpus es=2 [--gpus de=...]
 *          (--workload jobs.csv | --synthetic N [--load 0.65] [--offline-share 0.7] [--start ISO])
 *          [--forecast-error none|gaussian:F|growing:F] [--arrival-forecast last-day|none] [--workload-end known|unknown]
 *          [--forecast-smoothing auto|off] [--history-days D]
 *          [--seed S] [--tick-s 300]
 *          [--policies fifo,jobrunr,sdk,greenlight,oracle] [--out report.json] [--save-workload FILE]
 * </pre>
 */
public final class SimulateCommand {
  private SimulateCommand() {}

  public static int run(String[] args) {
    try {
      JsonObject report = simulate(args);
      System.out.println(report.encodePrettily());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      return 2;
    }
  }

  public static JsonObject simulate(String[] args) {
    Map<String, List<String>> opts = options(args);
    Map<String, CarbonTrace> traces = new LinkedHashMap<>();
    for (String spec : opts.getOrDefault("trace", List.of())) {
      String[] kv = pair(spec, "--trace REGION=FILE");
      traces.put(kv[0], CarbonTrace.load(Path.of(kv[1])));
    }
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("at least one --trace REGION=FILE is required");
    }
    Map<String, Integer> gpus = new LinkedHashMap<>();
    for (String spec : opts.getOrDefault("gpus", List.of())) {
      String[] kv = pair(spec, "--gpus REGION=N");
      gpus.put(kv[0], Integer.parseInt(kv[1]));
    }
    Map<String, Simulator.Region> regions = new LinkedHashMap<>();
    traces.forEach((name, trace) -> regions.put(name, new Simulator.Region(name, trace.series(), gpus.getOrDefault(name, 2))));
    CostModel model = new CostModel(CalibrationProfile.packaged());
    long seed = Long.parseLong(one(opts, "seed", "1"));
    List<SimJob> jobs;
    List<SimJob> past = List.of();
    double historyDays = Double.parseDouble(one(opts, "history-days", "0"));
    if (!(historyDays >= 0 && historyDays <= 7)) {
      throw new IllegalArgumentException("--history-days must be from 0 to 7");
    }
    Duration history = Duration.ofSeconds((long) (historyDays * 86_400));
    if (opts.containsKey("workload")) {
      jobs = Workload.read(Path.of(one(opts, "workload", null)), model);
      if (!history.isZero()) {
        if (!opts.containsKey("start")) {
          throw new IllegalArgumentException("--history-days with --workload needs --start: the jobs before it are the history");
        }
        Instant start = Instant.parse(one(opts, "start", null));
        past = jobs.stream().filter(j -> j.submit().isBefore(start) && !j.submit().isBefore(start.minus(history))).toList();
        jobs = jobs.stream().filter(j -> !j.submit().isBefore(start)).toList();
        if (jobs.isEmpty()) {
          throw new IllegalArgumentException("no job in the workload is submitted at or after --start " + start);
        }
      }
    } else {
      int n = Integer.parseInt(one(opts, "synthetic", "2000"));
      CarbonTrace firstTrace = traces.values().iterator().next();
      Instant start = Instant.parse(one(opts, "start", firstTrace.series().start().plus(Duration.ofDays(1)).toString()));
      int totalGpus = regions.values().stream().mapToInt(Simulator.Region::gpus).sum();
      double load = Double.parseDouble(one(opts, "load", "0.65"));
      double offlineShare = Double.parseDouble(one(opts, "offline-share", "0.7"));
      jobs = Workload.synthetic(n, start, totalGpus, load, offlineShare, List.copyOf(regions.keySet()), model, seed);
      if (!history.isZero()) {
        // the days before: the same process with its own seed, so the replayed jobs are those of a run without history
        past = Workload.history(jobs, history, totalGpus, load, offlineShare, List.copyOf(regions.keySet()), model, seed);
      }
    }
    if (opts.containsKey("save-workload")) {
      try {
        Workload.write(jobs, Path.of(one(opts, "save-workload", null)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ErrorModel error = ErrorModel.parse(one(opts, "forecast-error", "none"));
    Duration tick = Duration.ofSeconds(Long.parseLong(one(opts, "tick-s", "300")));
    PlannerPolicy policy = PlannerPolicy.DEFAULT;
    for (String spec : opts.getOrDefault("policy", List.of())) {
      String[] kv = pair(spec, "--policy KEY=VALUE");
      policy = withSetting(policy, kv[0], kv[1], List.copyOf(regions.keySet()));
    }
    String arrivals = choice(opts, "arrival-forecast", "last-day", "none");
    String end = choice(opts, "workload-end", "known", "unknown");
    if (opts.containsKey("forecast-smoothing")) {
      policy = withSetting(policy, "forecast_smoothing", String.valueOf(choice(opts, "forecast-smoothing", "auto", "off").equals("auto")),
          List.copyOf(regions.keySet()));
    }
    String smoothing = policy.forecastSmoothing() ? "auto" : "off";
    Simulator sim = new Simulator(jobs, past, regions, error, seed, policy, tick, arrivals.equals("last-day"), end.equals("known"));
    List<String> policies = Arrays.asList(one(opts, "policies", "fifo,jobrunr,sdk,greenlight,oracle").split(","));

    Map<String, Simulator.Outcome> outcomes = new LinkedHashMap<>();
    for (String p : policies) {
      if (!p.equals("oracle")) {
        outcomes.put(p, sim.run(p.trim()));
      }
    }
    if (!outcomes.containsKey("fifo")) {
      outcomes.put("fifo", sim.run("fifo"));
    }
    double fifo = outcomes.get("fifo").carbonG();
    double oracle = policies.contains("oracle") ? sim.oracleG(Duration.ofMinutes(15)) : Double.NaN;
    JsonObject byPolicy = new JsonObject();
    double plannerP95 = Double.NaN;
    for (Simulator.Outcome o : outcomes.values()) {
      byPolicy.put(o.policy(), new JsonObject()
          .put("carbon_g", round(o.carbonG()))
          .put("savings_vs_fifo", round4(1 - o.carbonG() / fifo))
          .put("fraction_of_oracle", Double.isNaN(oracle) ? null : round4((fifo - o.carbonG()) / (fifo - oracle)))
          .put("deadline_misses", o.deadlineMisses())
          .put("p95_delay_s", round(o.p95OnlineDelayS()))
          .put("p95_offline_wait_s", round(o.p95OfflineWaitS()))
          .put("utilization", round4(o.utilization())));
      if (!Double.isNaN(o.plannerP95Ms())) {
        plannerP95 = o.plannerP95Ms();
      }
    }
    if (policies.contains("oracle")) {
      byPolicy.put("oracle", new JsonObject()
          .put("carbon_g", Double.isNaN(oracle) ? null : round(oracle))
          .put("savings_vs_fifo", Double.isNaN(oracle) ? null : round4(1 - oracle / fifo))
          .put("fraction_of_oracle", Double.isNaN(oracle) ? null : 1.0)
          .put("deadline_misses", 0)
          .put("note", Double.isNaN(oracle) ? "not computed: jobs allowed in several regions, or demand exceeds capacity"
              : "lower bound: the fluid transportation LP on actual intensities, each job at its own power, solved exactly"));
      if (error.kind() != ErrorModel.Kind.NONE && !Double.isNaN(oracle)) {
        double onForecast = sim.oracleOnForecastG(Duration.ofMinutes(15));
        byPolicy.put("oracle_forecast", new JsonObject()
            .put("carbon_g", round(onForecast))
            .put("savings_vs_fifo", round4(1 - onForecast / fifo))
            .put("fraction_of_oracle", round4((fifo - onForecast) / (fifo - oracle)))
            .put("note", "reference, not a bound: the oracle deciding on the forecast made "
                + Simulator.ORACLE_FORECAST_LEAD.toHours() + " h ahead and charged the actual intensities"));
      }
    }
    long offline = jobs.stream().filter(j -> j.deadline() != null).count();
    JsonObject report = new JsonObject()
        .put("jobs", jobs.size())
        .put("offline_jobs", offline)
        .put("regions", new JsonObject(new LinkedHashMap<>(Map.copyOf(gpus.isEmpty() ? Map.of() : gpus))))
        .put("traces", new JsonObject(new LinkedHashMap<String, Object>(traces.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())))))
        .put("forecast_error", error.toString())
        .put("arrival_forecast", arrivals)
        .put("workload_end", end)
        .put("forecast_smoothing", smoothing)
        .put("history_days", historyDays)
        .put("history_jobs", past.size())
        .put("seed", seed)
        .put("from", jobs.getFirst().submit().toString())
        .put("to", jobs.getLast().submit().toString())
        .put("policies", byPolicy)
        .put("planner_ms_per_tick_p95", Double.isNaN(plannerP95) ? null : round4(plannerP95));
    if (opts.containsKey("out")) {
      try {
        Files.writeString(Path.of(one(opts, "out", null)), report.encodePrettily());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return report;
  }

  /**
   * The policy with one setting changed, validated as the admin API validates it ({@code PUT /api/v1/admin/policy}):
   * the same names, plus {@code safety_margin_fraction} and {@code safety_margin_min_s} for the two halves of
   * {@code safety_margin}; the value is JSON ({@code 0.2}, {@code false}, {@code {"es":3}}).
   */
  static PlannerPolicy withSetting(PlannerPolicy p, String key, String value, List<String> regions) {
    Object v;
    try {
      v = io.vertx.core.json.Json.decodeValue(value);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException("--policy " + key + ": not a JSON value: " + value);
    }
    JsonObject change = switch (key) {
      case "safety_margin_fraction" -> new JsonObject().put("safety_margin", new JsonObject().put("fraction", v));
      case "safety_margin_min_s" -> new JsonObject().put("safety_margin", new JsonObject().put("min_s", v));
      default -> new JsonObject().put(key, v);
    };
    List<PolicyJson.Problem> problems = new ArrayList<>();
    PlannerPolicy out = PolicyJson.merge(p, change, regions, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("--policy " + key + ": " + problems.stream()
          .map(pr -> pr.field() + " " + pr.detail()).collect(java.util.stream.Collectors.joining("; ")));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static String[] pair(String spec, String usage) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("expected " + usage + ", got '" + spec + "'");
    }
    return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
  }

  /** One of {@code allowed}, the first being the default. */
  private static String choice(Map<String, List<String>> opts, String name, String... allowed) {
    String value = one(opts, name, allowed[0]);
    if (!List.of(allowed).contains(value)) {
      throw new IllegalArgumentException("--" + name + " must be " + String.join(" or ", allowed) + ", not " + value);
    }
    return value;
  }

  private static String one(Map<String, List<String>> opts, String name, String fallback) {
    List<String> v = opts.get(name);
    if (v == null || v.isEmpty()) {
      if (fallback == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return fallback;
    }
    return v.getLast();
  }

  private static Map<String, List<String>> options(String[] args) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true";
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }
}
