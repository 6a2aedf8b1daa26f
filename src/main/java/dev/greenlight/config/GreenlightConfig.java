package dev.greenlight.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The one typed configuration of a node, built by {@link ConfigLoader} from YAML plus environment. */
public record GreenlightConfig(
    HttpConfig http,
    DbConfig db,
    Path dataDir,
    Optional<String> adminKey,
    List<String> regions,
    WorkerConfig worker,
    String engine,
    ProfileConfig profile,
    QueueConfig queue,
    JobsConfig jobs,
    ClusterConfig cluster,
    ForecastConfig forecast,
    PlannerConfig planner,
    FootprintConfig footprint,
    ReferenceConfig reference,
    TelemetryConfig telemetry,
    TorchConfig torch,
    WebhookConfig webhook,
    CreditsConfig credits) {

  public record HttpConfig(String host, int port) {}

  /** {@code url} empty means: start the embedded PostgreSQL under {@code dataDir/pg}. */
  public record DbConfig(String url, String user, String password, int poolSize, long connectTimeoutMs) {
    public boolean embedded() {
      return url.isBlank();
    }
  }

  public record WorkerConfig(int slots, String region) {}

  /** {@code calibration} empty means the packaged H100 profile. */
  public record ProfileConfig(double timeScale, String calibration, double failureRate) {}

  public record QueueConfig(
      long pollIntervalMs,
      long heartbeatIntervalMs,
      long rescueAfterMs,
      int maxAttempts,
      long backoffBaseMs,
      long backoffMaxMs,
      long retentionHours,
      long maintenanceIntervalMs) {}

  public record JobsConfig(int defaultSteps, int defaultFps, int maxDeadlineDays, int deadlineMarginS) {}

  /** {@code providers}: region -> provider spec (see config/greenlight.yaml). */
  public record ForecastConfig(java.util.Map<String, String> providers, int refreshMinutes, int staleAfterMinutes, int horizonHours,
      long timeoutMs, int attempts, int retentionDays) {}

  public record PlannerConfig(int tickSeconds, long clusterCheckinMs) {}

  public record ReferenceConfig(int width, int depth, double guidance, String videoFormat) {}

  public record TelemetryConfig(double wattsPerCore, double idleW) {}

  public record CreditsConfig(double initialBalance, double adminGrant) {}

  public record WebhookConfig(List<String> allowHosts, String retrySchedule, long timeoutMs, int disableAfterDays,
      int secretOverlapHours, long pollIntervalMs, int concurrency, String publicUrl) {}

  public record TorchConfig(String python, String script, String size, String device, String dtype, String checkpoint, int jobTimeoutS) {}

  /** Embodied-carbon device profile name and the PUE to apply, per region (falling back to {@code pue}). */
  public record FootprintConfig(String device, double pue, java.util.Map<String, Double> pueByRegion) {
    public double pueFor(String region) {
      return pueByRegion.getOrDefault(region, pue);
    }
  }

  public record ClusterConfig(boolean enabled, String name, List<String> members, int port, String host) {}

  public GreenlightConfig withHttpPort(int port) {
    return new GreenlightConfig(new HttpConfig(http.host(), port), db, dataDir, adminKey, regions, worker, engine, profile, queue, jobs,
        cluster, forecast, planner, footprint, reference, telemetry, torch, webhook, credits);
  }

  public GreenlightConfig withWorker(WorkerConfig w) {
    return new GreenlightConfig(http, db, dataDir, adminKey, regions, w, engine, profile, queue, jobs, cluster, forecast, planner,
        footprint, reference, telemetry, torch, webhook, credits);
  }
}
