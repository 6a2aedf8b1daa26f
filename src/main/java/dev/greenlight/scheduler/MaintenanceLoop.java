package dev.greenlight.scheduler;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.queue.QueueMaintenance;
import dev.greenlight.worker.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's housekeeping on every node, every {@code queue.maintenance_interval_ms}: rescue silent jobs, queue
 * due retries, release deferred jobs whose start has come; once a minute prune old final jobs and forget long-gone
 * workers. Each statement uses SKIP LOCKED, so nodes running it together do not collide. A failing database is
 * logged and retried on the next tick.
 */
public final class MaintenanceLoop {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLoop.class);
  private final QueueMaintenance maintenance;
  private final WorkerRegistry workers;
  private final StateChangeListener announcer;
  private final Clock clock;
  private final GreenlightConfig.QueueConfig cfg;
  private volatile boolean stopped;
  private Thread thread;
  private Instant nextPrune = Instant.MIN;

  public MaintenanceLoop(QueueMaintenance maintenance, WorkerRegistry workers, StateChangeListener announcer, Clock clock,
      GreenlightConfig.QueueConfig cfg) {
    this.maintenance = maintenance;
    this.workers = workers;
    this.announcer = announcer;
    this.clock = clock;
    this.cfg = cfg;
  }

  public void start() {
    thread = Thread.ofVirtual().name("gl-maintenance").start(() -> {
      while (!stopped) {
        tick();
        try {
          Thread.sleep(cfg.maintenanceIntervalMs());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** One round of housekeeping. */
  public void tick() {
    try {
      Instant now = clock.instant();
      announcer.changed(maintenance.rescue(Duration.ofMillis(cfg.rescueAfterMs()), now));
      announcer.changed(maintenance.promoteRetries(now));
      announcer.changed(maintenance.releaseDue(now));
      if (!now.isBefore(nextPrune)) {
        int pruned = maintenance.prune(Duration.ofHours(cfg.retentionHours()), now);
        if (pruned > 0) {
          LOG.info("pruned {} final jobs older than {} h", pruned, cfg.retentionHours());
        }
        workers.forgetGone(Duration.ofDays(1), now);
        nextPrune = now.plusSeconds(60);
      }
    } catch (RuntimeException e) {
      if (!stopped) {
        LOG.warn("queue maintenance failed, retrying next tick: {}", e.getMessage());
      }
    }
  }

  public void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
