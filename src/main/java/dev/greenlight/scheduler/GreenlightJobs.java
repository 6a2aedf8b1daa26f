package dev.greenlight.scheduler;

import dev.greenlight.forecast.ForecastRefresher;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz jobs. Each is {@link DisallowConcurrentExecution}: with the clustered JDBC store a firing runs on exactly
 * one node and never overlaps itself. A failure is logged and left to the next firing; it never stops the schedule.
 */
final class GreenlightJobs {
  private static final Logger LOG = LoggerFactory.getLogger(GreenlightJobs.class);

  private GreenlightJobs() {}

  @DisallowConcurrentExecution
  static final class PlanAndRelease implements Job {
    private final PlanningService planning;

    PlanAndRelease(PlanningService planning) {
      this.planning = planning;
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        PlanningService.TickResult r = planning.tick(context.getScheduledFireTime().toInstant());
        if (r.released() > 0 || r.atRisk() > 0) {
          LOG.info("planning tick: {} deferred, {} released, {} at risk, {} ms", r.deferred(), r.released(), r.atRisk(),
              String.format("%.1f", r.millis()));
        }
      } catch (RuntimeException e) {
        LOG.warn("planning tick failed; the next tick retries: {}", e.getMessage());
      }
    }
  }

  @DisallowConcurrentExecution
  static final class RefreshForecasts implements Job {
    private final ForecastRefresher refresher;
    private final Duration maxJitter;

    RefreshForecasts(ForecastRefresher refresher, Duration maxJitter) {
      this.refresher = refresher;
      this.maxJitter = maxJitter;
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        if (context.getRefireCount() == 0 && maxJitter.toMillis() > 0 && context.getPreviousFireTime() != null) {
          Thread.sleep(ThreadLocalRandom.current().nextLong(maxJitter.toMillis())); // spread load on the provider
        }
        refresher.refreshAll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("forecast refresh failed; the next firing retries: {}", e.getMessage());
      }
    }
  }

  @DisallowConcurrentExecution
  static final class Rescue implements Job {
    private final QueueHousekeeping housekeeping;

    Rescue(QueueHousekeeping housekeeping) {
      this.housekeeping = housekeeping;
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        housekeeping.rescue();
      } catch (RuntimeException e) {
        LOG.warn("queue housekeeping failed; the next firing retries: {}", e.getMessage());
      }
    }
  }

  @DisallowConcurrentExecution
  static final class Prune implements Job {
    private final QueueHousekeeping housekeeping;

    Prune(QueueHousekeeping housekeeping) {
      this.housekeeping = housekeeping;
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        housekeeping.prune();
      } catch (RuntimeException e) {
        LOG.warn("pruning failed; the next firing retries: {}", e.getMessage());
      }
    }
  }
}
