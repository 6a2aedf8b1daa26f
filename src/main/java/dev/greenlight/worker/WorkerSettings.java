package dev.greenlight.worker;

import dev.greenlight.config.GreenlightConfig;
import java.time.Duration;

/** What one node's worker needs to know: who it is, where, how many slots, and its timings. */
public record WorkerSettings(String workerId, String nodeId, String region, int slots, int claimBatch,
    Duration pollInterval, Duration heartbeatInterval, Duration stopGrace) {

  public static WorkerSettings from(GreenlightConfig cfg, String nodeId) {
    return new WorkerSettings(nodeId + "/" + cfg.worker().region(), nodeId, cfg.worker().region(), cfg.worker().slots(),
        50, Duration.ofMillis(cfg.queue().pollIntervalMs()), Duration.ofMillis(cfg.queue().heartbeatIntervalMs()),
        Duration.ofSeconds(10));
  }
}
