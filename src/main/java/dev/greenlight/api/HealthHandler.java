package dev.greenlight.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /health/live} (the process answers) and {@code /health/ready} (database, migrations, cluster). */
final class HealthHandler {
  private final ApiServices api;

  HealthHandler(ApiServices api) {
    this.api = api;
  }

  void live(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "up").encode());
  }

  void ready(RoutingContext ctx) {
    api.db().run(() -> api.readiness().get()).onComplete(ar -> {
      ApiServices.Readiness r = ar.succeeded() ? ar.result() : new ApiServices.Readiness(false, false, false);
      JsonObject body = new JsonObject()
          .put("status", r.ready() ? "ready" : "not ready")
          .put("checks", new JsonObject().put("database", r.database()).put("migrations", r.migrations()).put("cluster", r.cluster()));
      ctx.response().setStatusCode(r.ready() ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
    });
  }
}
