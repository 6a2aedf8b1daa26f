package dev.greenlight.api;

import dev.greenlight.account.ApiKeys;
import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.db.DbExecutor;
import dev.greenlight.job.CancelSignal;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.JobStore;
import dev.greenlight.worker.WorkerRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/** What the HTTP layer needs from the rest of the node. */
public record ApiServices(
    GreenlightConfig config,
    Clock clock,
    DbExecutor db,
    ApiKeys apiKeys,
    JobQueue queue,
    JobStore store,
    JobRequestParser parser,
    JobSubmission submission,
    WorkerRegistry workers,
    StateChangeListener announcer,
    CancelSignal cancelSignal,
    Supplier<Readiness> readiness,
    dev.greenlight.forecast.ForecastView forecasts,
    dev.greenlight.scheduler.PolicyStore policies,
    dev.greenlight.footprint.FootprintStore footprints,
    dev.greenlight.artifact.Artifacts artifacts,
    dev.greenlight.webhook.WebhookStore webhooks,
    dev.greenlight.webhook.UrlGuard urlGuard,
    dev.greenlight.credits.Credits credits,
    dev.greenlight.credits.QuoteService quotes) {

  /** What {@code /health/ready} reports. */
  public record Readiness(boolean database, boolean migrations, boolean cluster) {
    public boolean ready() {
      return database && migrations && cluster;
    }
  }
}
