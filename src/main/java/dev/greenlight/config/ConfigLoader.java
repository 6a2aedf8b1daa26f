package dev.greenlight.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds the typed {@link GreenlightConfig}: YAML defaults ({@code config/greenlight.yaml} on disk, else the copy
 * packaged in the jar, or the file named by {@code GREENLIGHT_CONFIG}), then one environment variable per key
 * ({@code GREENLIGHT_} + the key path, upper case, joined by {@code _}). Every value is checked here, so a bad one
 * stops the start with one line naming the variable.
 */
public final class ConfigLoader {
  private static final String PREFIX = "GREENLIGHT_";
  private final Map<String, String> env;
  private final JsonObject yaml;

  public ConfigLoader(JsonObject yaml, Map<String, String> env) {
    this.yaml = yaml;
    this.env = env;
  }

  /** Reads the YAML file with Vert.x Config and applies {@code env}. */
  public static GreenlightConfig load(Map<String, String> env) {
    return new ConfigLoader(readYaml(env), env).build();
  }

  static JsonObject readYaml(Map<String, String> env) {
    String explicit = env.getOrDefault(PREFIX + "CONFIG", "");
    // Vert.x resolves a relative path on disk first, then on the classpath (the copy packaged in the jar).
    String path = explicit.isBlank() ? "config/greenlight.yaml" : explicit;
    if (!explicit.isBlank() && !Files.isRegularFile(Path.of(explicit))) {
      throw new ConfigException("GREENLIGHT_CONFIG: no such file: " + explicit);
    }
    Vertx boot = Vertx.vertx();
    try {
      ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", path));
      ConfigRetriever retriever = ConfigRetriever.create(boot, new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(store));
      return retriever.getConfig().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException((explicit.isBlank() ? "config/greenlight.yaml" : "GREENLIGHT_CONFIG") + ": cannot read " + path + ": " + cause.getMessage());
    } finally {
      boot.close();
    }
  }

  public GreenlightConfig build() {
    List<String> regions = list("regions");
    if (regions.isEmpty()) {
      throw new ConfigException(PREFIX + "REGIONS: at least one region is required");
    }
    for (String r : regions) {
      if (!r.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
        throw new ConfigException(PREFIX + "REGIONS: '" + r + "' is not a region name (lower-case letters, digits, '-', '_')");
      }
    }
    String workerRegion = string("worker.region");
    if (!regions.contains(workerRegion)) {
      throw new ConfigException(PREFIX + "WORKER_REGION: '" + workerRegion + "' is not one of GREENLIGHT_REGIONS " + regions);
    }
    String engine = string("engine");
    if (!List.of("reference", "torch", "profile").contains(engine)) {
      throw new ConfigException(PREFIX + "ENGINE: '" + engine + "' is not a known engine (known: reference, torch, profile)");
    }
    String torchSize = string("torch.size");
    if (!List.of("opensora", "tiny").contains(torchSize)) {
      throw new ConfigException(envName("torch.size") + ": expected opensora or tiny, got '" + torchSize + "'");
    }
    String torchDevice = string("torch.device");
    if (!List.of("", "cuda", "cpu").contains(torchDevice)) {
      throw new ConfigException(envName("torch.device") + ": expected cuda, cpu or empty (cuda when available), got '" + torchDevice
          + "'; worker slot i runs on GPU i (CUDA_VISIBLE_DEVICES chooses which GPUs)");
    }
    String torchDtype = string("torch.dtype");
    if (!List.of("bfloat16", "float32").contains(torchDtype)) {
      throw new ConfigException(envName("torch.dtype") + ": expected bfloat16 or float32, got '" + torchDtype + "'");
    }
    int refWidth = integer("reference.width", 8, 1024);
    if (refWidth % 4 != 0) {
      throw new ConfigException(envName("reference.width") + ": must be a multiple of 4 (the attention heads), got " + refWidth);
    }
    String videoFormat = string("reference.video_format");
    if (!List.of("auto", "mp4", "gif").contains(videoFormat)) {
      throw new ConfigException(envName("reference.video_format") + ": expected auto, mp4 or gif, got '" + videoFormat + "'");
    }
    String adminKey = string("admin_key");
    if (!adminKey.isBlank() && adminKey.length() < 16) {
      throw new ConfigException(PREFIX + "ADMIN_KEY: must be at least 16 characters");
    }
    String dbUrl = string("db.url");
    if (!dbUrl.isBlank() && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(PREFIX + "DB_URL: expected a jdbc:postgresql://host:port/database URL, got '" + dbUrl + "'");
    }
    List<String> members = list("cluster_members");
    return new GreenlightConfig(
        new GreenlightConfig.HttpConfig(string("http.host"), integer("http.port", 0, 65535)),
        new GreenlightConfig.DbConfig(dbUrl, string("db.user"), string("db.password"), integer("db.pool_size", 1, 500),
            longValue("db.connect_timeout_ms", 250, 600_000)),
        Path.of(nonBlank("data_dir")),
        adminKey.isBlank() ? Optional.empty() : Optional.of(adminKey),
        regions,
        new GreenlightConfig.WorkerConfig(integer("worker.slots", 0, 1024), workerRegion),
        engine,
        new GreenlightConfig.ProfileConfig(decimal("profile.time_scale", 0.0, 1000.0), string("profile.calibration"),
            decimal("profile.failure_rate", 0.0, 1.0)),
        new GreenlightConfig.QueueConfig(
            longValue("queue.poll_interval_ms", 10, 3_600_000),
            longValue("queue.heartbeat_interval_ms", 10, 3_600_000),
            longValue("queue.rescue_after_ms", 100, 86_400_000),
            integer("queue.max_attempts", 1, 100),
            longValue("queue.backoff_base_ms", 0, 86_400_000),
            longValue("queue.backoff_max_ms", 0, 86_400_000),
            longValue("queue.retention_hours", 1, 24L * 3650),
            longValue("queue.maintenance_interval_ms", 10, 3_600_000)),
        new GreenlightConfig.JobsConfig(integer("jobs.default_steps", 1, 200), integer("jobs.default_fps", 1, 30), integer("jobs.max_deadline_days", 1, 365),
            integer("jobs.deadline_margin_s", 0, 86_400)),
        new GreenlightConfig.ClusterConfig(bool("cluster"), nonBlank("cluster_name"), members, integer("cluster_port", 1, 65535), nonBlank("cluster_host")),
        new GreenlightConfig.ForecastConfig(providers(regions), integer("forecast.refresh_minutes", 1, 1440),
            integer("forecast.stale_after_minutes", 5, 10_080), integer("forecast.horizon_hours", 1, 168),
            longValue("forecast.timeout_ms", 100, 120_000), integer("forecast.attempts", 1, 10), integer("forecast.retention_days", 1, 3650)),
        new GreenlightConfig.PlannerConfig(integer("planner.tick_seconds", 1, 3600), longValue("planner.cluster_checkin_ms", 200, 600_000)),
        new GreenlightConfig.FootprintConfig(device(), decimal("footprint.pue", 1.0, 3.0), pueByRegion(regions)),
        new GreenlightConfig.ReferenceConfig(refWidth, integer("reference.depth", 1, 64), decimal("reference.guidance", 0, 50), videoFormat),
        new GreenlightConfig.TelemetryConfig(decimal("telemetry.watts_per_core", 0, 1000), decimal("telemetry.idle_w", 0, 10_000)),
        new GreenlightConfig.TorchConfig(nonBlank("torch.python"), nonBlank("torch.script"), torchSize, torchDevice, torchDtype,
            string("torch.checkpoint"), integer("torch.job_timeout_s", 1, 86_400)),
        webhook(),
        new GreenlightConfig.CreditsConfig(decimal("credits.initial_balance", 0, 1e12), decimal("credits.admin_grant", 0, 1e12)));
  }

  /** The environment variable that overrides a YAML key path ('.' and '-' become '_'). */
  public static String envName(String path) {
    return PREFIX + path.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private GreenlightConfig.WebhookConfig webhook() {
    List<String> allow = list("webhook.allow_hosts");
    for (String h : allow) {
      if (!h.matches("[A-Za-z0-9.:\\-]+(/\\d{1,3})?")) {
        throw new ConfigException(envName("webhook.allow_hosts") + ": '" + h + "' is not a host, IP or CIDR");
      }
    }
    String schedule = nonBlank("webhook.retry_schedule");
    if (!schedule.matches("\\s*(0|\\d+[smh])(\\s*,\\s*(0|\\d+[smh]))*\\s*")) {
      throw new ConfigException(envName("webhook.retry_schedule") + ": expected delays like 0,5s,5m,2h, got '" + schedule + "'");
    }
    return new GreenlightConfig.WebhookConfig(allow, schedule, longValue("webhook.timeout_ms", 100, 120_000),
        integer("webhook.disable_after_days", 1, 365), integer("webhook.secret_overlap_hours", 0, 24 * 30),
        longValue("webhook.poll_interval_ms", 10, 60_000), integer("webhook.concurrency", 1, 1024), string("webhook.public_url"));
  }

  private String device() {
    String d = nonBlank("footprint.device");
    if (!d.matches("[a-z0-9_-]{1,40}")) {
      throw new ConfigException(envName("footprint.device") + ": '" + d + "' is not a device profile name");
    }
    return d;
  }

  private java.util.Map<String, Double> pueByRegion(List<String> regions) {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String pair : list("footprint.pue_by_region")) {
      int eq = pair.indexOf('=');
      String key = envName("footprint.pue_by_region");
      if (eq <= 0) {
        throw new ConfigException(key + ": expected region=pue pairs, got '" + pair + "'");
      }
      String region = pair.substring(0, eq).trim();
      if (!regions.contains(region)) {
        throw new ConfigException(key + ": '" + region + "' is not one of GREENLIGHT_REGIONS " + regions);
      }
      try {
        double pue = Double.parseDouble(pair.substring(eq + 1).trim());
        if (!(pue >= 1.0 && pue <= 3.0)) {
          throw new ConfigException(key + ": PUE " + pue + " for " + region + " is out of range 1.0..3.0");
        }
        out.put(region, pue);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + ": '" + pair + "' has no number after '='");
      }
    }
    return out;
  }

  /** Each region's forecast provider spec; a region may have none. Specs are checked when providers are built. */
  private java.util.Map<String, String> providers(List<String> regions) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    JsonObject section = yaml.getJsonObject("forecast_providers", new JsonObject());
    for (String region : regions) {
      String fromEnv = env.get(envName("forecast_providers." + region));
      Object fromYaml = section.getValue(region);
      String spec = fromEnv != null ? fromEnv.trim() : fromYaml == null ? "" : String.valueOf(fromYaml).trim();
      if (!spec.isEmpty()) {
        if (!spec.matches("(trace|uk-carbon-intensity|electricity-maps|watttime|carbon-aware-sdk):.+")) {
          throw new ConfigException(envName("forecast_providers." + region) + ": expected trace:, uk-carbon-intensity:, "
              + "electricity-maps:, watttime: or carbon-aware-sdk: followed by a file or URL, got '" + spec + "'");
        }
        out.put(region, spec);
      }
    }
    return out;
  }

  private String raw(String path) {
    String fromEnv = env.get(envName(path));
    if (fromEnv != null) {
      return fromEnv.trim();
    }
    Object node = yaml;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj) || !obj.containsKey(part)) {
        throw new ConfigException(envName(path) + ": missing (no default in config/greenlight.yaml)");
      }
      node = obj.getValue(part);
    }
    return node == null ? "" : String.valueOf(node).trim();
  }

  private String string(String path) {
    return raw(path);
  }

  private String nonBlank(String path) {
    String v = raw(path);
    if (v.isBlank()) {
      throw new ConfigException(envName(path) + ": must not be empty");
    }
    return v;
  }

  private List<String> list(String path) {
    return Arrays.stream(raw(path).replace("[", "").replace("]", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private int integer(String path, int min, int max) {
    return (int) longValue(path, min, max);
  }

  private long longValue(String path, long min, long max) {
    String v = raw(path);
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(envName(path) + ": expected a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(envName(path) + ": " + n + " is out of range " + min + ".." + max);
    }
    return n;
  }

  private double decimal(String path, double min, double max) {
    String v = raw(path);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(envName(path) + ": expected a number, got '" + v + "'");
    }
    if (!(d >= min && d <= max)) {
      throw new ConfigException(envName(path) + ": " + v + " is out of range " + min + ".." + max);
    }
    return d;
  }

  private boolean bool(String path) {
    String v = raw(path).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(envName(path) + ": expected true or false, got '" + v + "'");
    };
  }
}
