package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the planner and the API may believe about a region now: the newest stored forecast if it is fresh enough
 * and still reaches ahead, with the warnings a user should see when it is not.
 */
public final class ForecastView {
  private final ForecastStore store;
  private final Map<String, ForecastProvider> providers;
  private final Duration staleAfter;
  private final PlanningForecasts planning;
  private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

  /** Reads are cached for a few seconds (or until this process stores a new one): every quote looks at the forecast. */
  private record Cached(RegionForecast value, Instant at, long version) {}

  private static final Duration CACHE = Duration.ofSeconds(5);

  /** The smoothed series of a vintage, kept as long as a read ({@link #CACHE}): quotes ask for it on every submission. */
  private record Smoothed(long vintage, Instant at, IntensitySeries series) {}

  private final java.util.concurrent.ConcurrentHashMap<String, Smoothed> smoothed = new java.util.concurrent.ConcurrentHashMap<>();

  public ForecastView(ForecastStore store, Map<String, ForecastProvider> providers, Duration staleAfter) {
    this.store = store;
    this.planning = new PlanningForecasts(store);
    this.providers = providers;
    this.staleAfter = staleAfter;
  }

  /** A region's usable forecast (empty when there is none) and the warnings about it. */
  public record RegionForecast(String region, Optional<StoredForecast> forecast, Optional<ProviderStatus> status, List<String> warnings) {}

  /** Recorded actual intensities of a region over [from, to). */
  public List<dev.greenlight.forecast.IntensityPoint> actuals(String region, Instant from, Instant to) {
    return store.actuals(region, from, to);
  }

  /**
   * The forecast the planner plans on and quotes price: the usable forecast ({@link #current}), smoothed by its track
   * record ({@link ForecastSmoothing}) when {@code smooth} (the policy's {@code forecast_smoothing}); empty when there
   * is no usable forecast.
   */
  public Optional<IntensitySeries> planningSeries(String region, Instant now, boolean smooth) {
    Optional<StoredForecast> f = current(region, now).forecast();
    if (f.isEmpty() || !smooth) {
      return f.map(StoredForecast::series);
    }
    Smoothed c = smoothed.get(region);
    if (c != null && c.vintage() == f.get().vintageId() && !now.isBefore(c.at()) && now.isBefore(c.at().plus(CACHE))) {
      return Optional.of(c.series());
    }
    IntensitySeries series = planning.smoothed(region, f.get().series(), now);
    smoothed.put(region, new Smoothed(f.get().vintageId(), now, series));
    return Optional.of(series);
  }

  /**
   * The smoothing bandwidths in force for {@code region} (chosen from its track record at most an hour ago); none when
   * {@code smooth} is off, as {@link #planningSeries} then smooths nothing.
   */
  public ForecastSmoothing.Bandwidths smoothing(String region, Instant now, boolean smooth) {
    return smooth ? planning.bandwidths(region, now) : ForecastSmoothing.Bandwidths.NONE;
  }

  public RegionForecast current(String region, Instant now) {
    Cached c = cache.get(region);
    long version = store.version();
    if (c != null && c.version() == version && !now.isBefore(c.at()) && now.isBefore(c.at().plus(CACHE))) {
      return c.value();
    }
    RegionForecast fresh = read(region, now);
    cache.put(region, new Cached(fresh, now, version));
    return fresh;
  }

  private RegionForecast read(String region, Instant now) {
    List<String> warnings = new ArrayList<>();
    ForecastProvider provider = providers.get(region);
    if (provider == null) {
      warnings.add("no forecast provider is configured for " + region + ": offline jobs are released at their latest safe start");
      return new RegionForecast(region, Optional.empty(), Optional.empty(), warnings);
    }
    Optional<ProviderStatus> status = store.status(region);
    status.filter(s -> s.lastError() != null).ifPresent(s -> warnings.add("the last " + s.consecutiveFailures()
        + " forecast refresh(es) failed: " + s.lastError()));
    Optional<StoredForecast> latest = store.latest(region);
    if (latest.isEmpty()) {
      warnings.add("no forecast has been received yet for " + region + ": offline jobs are released at their latest safe start");
      return new RegionForecast(region, Optional.empty(), status, warnings);
    }
    StoredForecast f = latest.get();
    if (f.fetchedAt().isBefore(now.minus(staleAfter))) {
      warnings.add("the newest forecast for " + region + " was fetched at " + f.fetchedAt() + ", older than "
          + staleAfter.toMinutes() + " minutes: not used; offline jobs are released at their latest safe start");
      return new RegionForecast(region, Optional.empty(), status, warnings);
    }
    if (!f.series().end().isAfter(now)) {
      warnings.add("the newest forecast for " + region + " ends at " + f.series().end() + ": not used");
      return new RegionForecast(region, Optional.empty(), status, warnings);
    }
    if (f.signal() == Signal.MARGINAL) {
      warnings.add("intensities for " + region + " are marginal (MOER), not average: compare them only with each other");
    }
    return new RegionForecast(region, latest, status, warnings);
  }
}
