package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.scheduler.PolicyJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code GET/PUT /api/v1/admin/policy}: the planner policy; a PUT may change any subset of fields. */
final class PolicyHandler {
  private final ApiServices api;

  PolicyHandler(ApiServices api) {
    this.api = api;
  }

  void get(RoutingContext ctx) {
    api.db().run(() -> api.policies().current()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").end(PolicyJson.toJson(ar.result()).encode());
    });
  }

  void put(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    api.db().run(() -> {
      List<PolicyJson.Problem> problems = new ArrayList<>();
      PlannerPolicy next = PolicyJson.merge(api.policies().current(), body, api.config().regions(), problems);
      if (!problems.isEmpty()) {
        throw new ValidationException(problems.stream().map(p -> new FieldError(p.field(), p.detail())).toList());
      }
      api.policies().put(next, caller.actor(), api.clock().instant());
      return next;
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").end(PolicyJson.toJson(ar.result()).encode());
    });
  }
}
