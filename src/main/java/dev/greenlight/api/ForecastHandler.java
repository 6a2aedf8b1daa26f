package dev.greenlight.api;

import dev.greenlight.forecast.ForecastSmoothing;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.planner.PlanningGrain;
import dev.greenlight.scheduler.PlannedReleases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/forecast?region=}: a region's forecast points, recent actuals, current intensity, provider status
 * with warnings (among them a hint when the planner's slots average several of the forecast's steps, {@link
 * PlanningGrain}), and the deferred jobs' planned releases per hour (what the UI's chart draws).
 */
final class ForecastHandler {
  private final ApiServices api;
  private final PlannedReleases releases;

  ForecastHandler(ApiServices api, PlannedReleases releases) {
    this.api = api;
    this.releases = releases;
  }

  private record Snapshot(ForecastView.RegionForecast view, List<IntensityPoint> actuals, List<PlannedReleases.HourBucket> planned,
      dev.greenlight.planner.PlannerPolicy policy,
      java.util.Optional<PlannedReleases.LastTick> tick, java.util.Optional<IntensitySeries> planning, ForecastSmoothing.Bandwidths smoothing) {}

  void get(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx, Set.of("region"));
    String region = ctx.queryParams().get("region");
    if (region == null) {
      region = api.config().worker().region();
    } else if (!api.config().regions().contains(region)) {
      throw ValidationException.of("region", "unknown region '" + region + "'; known: " + String.join(", ", api.config().regions()));
    }
    q.done();
    String r = region;
    Instant now = api.clock().instant();
    api.db().run(() -> {
      var policy = api.policies().current();
      return new Snapshot(api.forecasts().current(r, now), api.forecasts().actuals(r, now.minus(Duration.ofHours(24)), now),
          releases.byHour(r), policy, releases.lastTick(), api.forecasts().planningSeries(r, now, policy.forecastSmoothing()),
          api.forecasts().smoothing(r, now, policy.forecastSmoothing()));
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Snapshot s = ar.result();
      JsonArray points = new JsonArray();
      JsonArray warnings = new JsonArray(new java.util.ArrayList<>(s.view().warnings()));
      Long stepS = null;
      Double currentG = null;
      JsonObject provider = new JsonObject().put("name", s.view().status().map(st -> st.provider()).orElse(null));
      if (s.view().forecast().isPresent()) {
        var f = s.view().forecast().get();
        for (IntensityPoint p : f.series().points()) {
          if (p.end().isAfter(now)) {
            points.add(point(p));
          }
        }
        currentG = f.series().at(now).isPresent() ? f.series().at(now).getAsDouble() : null;
        java.util.Optional<Duration> step = PlanningGrain.step(f.series(), now);
        stepS = step.map(Duration::getSeconds).orElse(null);
        step.flatMap(d -> PlanningGrain.hint(r, d, s.policy().slotMinutes())).ifPresent(warnings::add);
        provider.put("name", f.provider()).put("signal", f.signal().name().toLowerCase(java.util.Locale.ROOT))
            .put("made_at", f.madeAt().toString()).put("fetched_at", f.fetchedAt().toString());
      }
      s.view().status().ifPresent(st -> provider.put("last_success_at", st.lastSuccessAt() == null ? null : st.lastSuccessAt().toString())
          .put("last_error", st.lastError()).put("consecutive_failures", st.consecutiveFailures()));
      JsonArray actuals = new JsonArray();
      s.actuals().forEach(p -> actuals.add(point(p)));
      if (currentG == null && !s.actuals().isEmpty()) {
        currentG = s.actuals().getLast().gPerKwh();
      }
      JsonArray planned = new JsonArray();
      s.planned().forEach(b -> planned.add(new JsonObject().put("hour", b.hour().toString()).put("jobs", b.jobs()).put("energy_j", b.energyJ())));
      JsonObject body = new JsonObject()
          .put("region", r)
          .put("current_g_per_kwh", currentG)
          .put("provider", provider)
          .put("warnings", warnings)
          .put("forecast", points)
          .put("forecast_step_s", stepS)
          .put("slot_minutes", s.policy().slotMinutes())
          .put("planning_forecast", planningPoints(s.planning(), now))
          .put("smoothing", smoothing(s.smoothing()).put("enabled", s.policy().forecastSmoothing()))
          .put("actuals", actuals)
          .put("planned_releases", planned)
          .put("release_below_g_per_kwh", s.policy().carbonAware() && s.policy().releaseBelowGPerKwh() > 0
              ? s.policy().releaseBelowGPerKwh() : null)
          .put("last_planning_tick", s.tick().map(t -> new JsonObject().put("node", t.node()).put("ran_at", t.ranAt().toString())
              .put("deferred", t.deferred()).put("released", t.released()).put("at_risk", t.atRisk()).put("duration_ms", t.durationMs()))
              .orElse(null));
      ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    });
  }

  /** The forecast the planner plans on (the provider's, smoothed by its track record), from now on. */
  private static JsonArray planningPoints(java.util.Optional<IntensitySeries> series, Instant now) {
    JsonArray out = new JsonArray();
    series.ifPresent(f -> f.points().stream().filter(p -> p.end().isAfter(now)).forEach(p -> out.add(point(p))));
    return out;
  }

  /**
   * The smoothing in force: the kernel's standard deviation per band of lead time (0: the forecast as it comes); all 0
   * when the policy turns smoothing off.
   */
  private static JsonObject smoothing(ForecastSmoothing.Bandwidths b) {
    JsonArray bands = new JsonArray();
    long from = 0;
    for (int i = 0; i < b.seconds().length; i++) {
      Long to = i < ForecastSmoothing.BAND_ENDS.size() ? ForecastSmoothing.BAND_ENDS.get(i).toHours() : null;
      bands.add(new JsonObject().put("lead_from_h", from).put("lead_to_h", to).put("bandwidth_minutes", Math.round(b.seconds()[i] / 60)));
      from = to == null ? from : to;
    }
    return new JsonObject().put("active", b.smooths()).put("track_record_h", ForecastSmoothing.HISTORY.toHours()).put("bands", bands);
  }

  private static JsonObject point(IntensityPoint p) {
    return new JsonObject().put("from", p.start().toString()).put("to", p.end().toString()).put("g_per_kwh", p.gPerKwh());
  }
}
