package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.footprint.FootprintStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/footprint?from=&to=}: energy (kWh at the device and with PUE), gCO2e and gCO2e saved by the
 * jobs that finished in [from, to) (default: the last 30 days), per region; a user sees its own account's, an admin
 * everyone's.
 */
final class FootprintHandler {
  private final ApiServices api;

  FootprintHandler(ApiServices api) {
    this.api = api;
  }

  void get(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    QueryParams q = new QueryParams(ctx, Set.of("from", "to"));
    q.done();
    Instant now = api.clock().instant();
    Instant to = time(ctx, "to", now);
    Instant from = time(ctx, "from", to.minus(Duration.ofDays(30)));
    if (!from.isBefore(to)) {
      throw ValidationException.of("from", "must be before to");
    }
    api.db().run(() -> api.footprints().summary(caller.isAdmin() ? null : caller.accountId(), from, to)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      List<FootprintStore.RegionTotal> rows = ar.result();
      JsonArray regions = new JsonArray();
      JsonObject total = new JsonObject().put("jobs", 0L).put("kwh", 0.0).put("facility_kwh", 0.0).put("total_g", 0.0)
          .put("operational_g", 0.0).put("embodied_g", 0.0).put("saved_g", 0.0);
      for (FootprintStore.RegionTotal r : rows) {
        JsonObject o = new JsonObject().put("region", r.region()).put("jobs", r.jobs()).put("kwh", r.kwh())
            .put("facility_kwh", r.facilityKwh()).put("total_g", r.totalG()).put("operational_g", r.operationalG())
            .put("embodied_g", r.embodiedG()).put("saved_g", r.savedG());
        regions.add(o);
        for (String k : List.of("kwh", "facility_kwh", "total_g", "operational_g", "embodied_g", "saved_g")) {
          total.put(k, total.getDouble(k) + o.getDouble(k));
        }
        total.put("jobs", total.getLong("jobs") + r.jobs());
      }
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("from", from.toString())
          .put("to", to.toString()).put("scope", caller.isAdmin() ? "all accounts" : "your account")
          .put("regions", regions).put("total", total).encode());
    });
  }

  private static Instant time(RoutingContext ctx, String name, Instant fallback) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw ValidationException.of(name, "must be an ISO-8601 date-time with an offset, got '" + v + "'");
    }
  }
}
