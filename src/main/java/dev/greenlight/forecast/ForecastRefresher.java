package dev.greenlight.forecast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every region's forecast with bounded retries, checks it, and stores it with its actuals. A failure is
 * recorded as the provider's status (the API shows it as a warning) and never thrown: the last good forecast stays in
 * use while it is fresh, and after that the planner falls back to deadline-safe release.
 */
public final class ForecastRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastRefresher.class);
  private final Map<String, ForecastProvider> providers;
  private final ForecastStore store;
  private final Clock clock;
  private final int horizonHours;
  private final int attempts;
  private final Duration retryDelay;

  public ForecastRefresher(Map<String, ForecastProvider> providers, ForecastStore store, Clock clock, int horizonHours,
      int attempts, Duration retryDelay) {
    this.providers = providers;
    this.store = store;
    this.clock = clock;
    this.horizonHours = horizonHours;
    this.attempts = Math.max(1, attempts);
    this.retryDelay = retryDelay;
  }

  public Map<String, ForecastProvider> providers() {
    return providers;
  }

  /** Refreshes every region; returns how many succeeded. */
  public int refreshAll() {
    int ok = 0;
    for (Map.Entry<String, ForecastProvider> e : providers.entrySet()) {
      ok += refresh(e.getKey(), e.getValue()) ? 1 : 0;
    }
    return ok;
  }

  public boolean refresh(String region, ForecastProvider provider) {
    String lastError = "no attempt";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Instant now = clock.instant();
      try {
        ForecastSnapshot s = provider.fetch(now, horizonHours);
        ForecastValidator.check(s, now);
        store.save(s, clock.instant());
        return true;
      } catch (ForecastException e) {
        lastError = e.getMessage();
      } catch (RuntimeException e) {
        lastError = provider.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (attempt < attempts) {
        try {
          Thread.sleep(retryDelay.multipliedBy(attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    LOG.warn("forecast for {} failed after {} attempts: {}", region, attempts, lastError);
    try {
      store.recordFailure(region, provider.name(), lastError, clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("could not record the forecast failure for {}: {}", region, e.getMessage());
    }
    return false;
  }
}
