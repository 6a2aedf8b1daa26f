package dev.greenlight.scheduler;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.forecast.ForecastStore;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.queue.QueueMaintenance;
import dev.greenlight.worker.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's housekeeping, fired by Quartz: {@link #rescue()} puts back jobs whose heartbeat stopped, queues retries
 * whose backoff elapsed and releases deferred jobs whose latest safe start has come (the planner's safety net);
 * {@link #prune()} deletes final jobs, forecasts and planner ticks past their retention and forgets long-gone workers.
 * Every statement locks with SKIP LOCKED, so an overlap between nodes is harmless.
 */
public final class QueueHousekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(QueueHousekeeping.class);
  private final QueueMaintenance maintenance;
  private final WorkerRegistry workers;
  private final ForecastStore forecasts;
  private final StateChangeListener announcer;
  private final Clock clock;
  private final GreenlightConfig.QueueConfig cfg;
  private final Duration forecastRetention;
  private final dev.greenlight.artifact.ArtifactStore files;

  public QueueHousekeeping(QueueMaintenance maintenance, WorkerRegistry workers, ForecastStore forecasts, StateChangeListener announcer,
      Clock clock, GreenlightConfig.QueueConfig cfg, Duration forecastRetention, dev.greenlight.artifact.ArtifactStore files) {
    this.files = files;
    this.maintenance = maintenance;
    this.workers = workers;
    this.forecasts = forecasts;
    this.announcer = announcer;
    this.clock = clock;
    this.cfg = cfg;
    this.forecastRetention = forecastRetention;
  }

  public void rescue() {
    Instant now = clock.instant();
    announcer.changed(maintenance.rescue(Duration.ofMillis(cfg.rescueAfterMs()), now));
    announcer.changed(maintenance.promoteRetries(now));
    announcer.changed(maintenance.releaseDue(now));
    maintenance.promoteLate(now);
  }

  public void prune() {
    Instant now = clock.instant();
    java.util.List<java.util.UUID> pruned = maintenance.prune(Duration.ofHours(cfg.retentionHours()), now);
    if (!pruned.isEmpty()) {
      LOG.info("pruned {} final jobs older than {} h", pruned.size(), cfg.retentionHours());
    }
    if (files != null) {
      for (java.util.UUID id : pruned) {
        try {
          files.delete(id);
        } catch (java.io.IOException e) {
          LOG.warn("could not delete the files of pruned job {}: {}", id, e.getMessage());
        }
      }
    }
    workers.forgetGone(Duration.ofDays(1), now);
    if (forecasts != null) {
      forecasts.prune(now.minus(forecastRetention));
    }
  }
}
