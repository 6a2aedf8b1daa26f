package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.credits.PricingPolicy;
import dev.greenlight.credits.Quote;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Credits over HTTP: {@code POST /api/v1/quotes}, {@code GET /api/v1/discounts}, {@code GET /api/v1/account}, and
 * for admins grants and the pricing policy.
 */
final class QuotesHandler {
  private final ApiServices api;

  QuotesHandler(ApiServices api) {
    this.api = api;
  }

  static JsonObject json(Quote q) {
    return new JsonObject().put("label", q.label()).put("mode", q.offline() ? "offline" : "online")
        .put("deadline", q.deadline() == null ? null : q.deadline().toString()).put("credits", q.credits())
        .put("discount", q.discount()).put("expected_start", q.expectedStart() == null ? null : q.expectedStart().toString())
        .put("region", q.region()).put("expected_g", q.expectedG()).put("saved_g", q.savedG());
  }

  /** The same body as a job; options side by side. */
  void quote(RoutingContext ctx) {
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    Instant now = api.clock().instant();
    api.db().run(() -> {
      JobRequestParser.Parsed parsed = api.parser().parse(body, now);
      return api.quotes().options(parsed.spec(), parsed.estimate(), now);
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonArray options = new JsonArray();
      ar.result().forEach(q -> options.add(json(q)));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("options", options).encode());
    });
  }

  /** The price of the reference job (240p, 2 s, default steps) started in each of the next hours. */
  void discounts(RoutingContext ctx) {
    QueryParams q = new QueryParams(ctx, Set.of("region", "hours"));
    int hours = q.integer("hours", 1, 48, 24);
    q.done();
    String region = ctx.queryParams().get("region") == null ? api.config().worker().region() : ctx.queryParams().get("region");
    if (!api.config().regions().contains(region)) {
      throw ValidationException.of("region", "unknown region '" + region + "'; known: " + String.join(", ", api.config().regions()));
    }
    Instant now = api.clock().instant();
    api.db().run(() -> {
      var pricer = api.quotes().pricer();
      PricingPolicy pricing = api.credits().pricing();
      var estimate = api.parser().estimate(pricer.reference());
      var view = api.forecasts().current(region, now);
      // priced on what the planner believes: the forecast smoothed by its track record
      var series = api.forecasts().planningSeries(region, now, api.policies().current().forecastSmoothing());
      List<JsonObject> out = new ArrayList<>();
      Instant hour = now.truncatedTo(ChronoUnit.HOURS);
      double nowG = series.flatMap(f -> boxed(f.average(now, now.plusSeconds(3600)))).orElse(Double.NaN);
      double nowPrice = pricer.price(pricing, pricer.reference(), 2, estimate.energyJ(), nowG, nowG, false).credits();
      for (int h = 0; h < hours; h++) {
        Instant at = hour.plus(Duration.ofHours(h));
        double g = series.flatMap(f -> boxed(f.average(at, at.plusSeconds(3600)))).orElse(Double.NaN);
        var price = pricer.price(pricing, pricer.reference(), 2, estimate.energyJ(), g, nowG, h > 0);
        out.add(new JsonObject().put("hour", at.toString()).put("g_per_kwh", Double.isFinite(g) ? g : null)
            .put("credits", price.credits()).put("discount", price.discount())
            .put("vs_now", nowPrice > 0 ? Math.round((price.credits() / nowPrice - 1) * 10000) / 10000.0 : null));
      }
      return new JsonObject().put("region", region).put("reference", new JsonObject().put("resolution", "240p").put("duration_s", 2)
          .put("steps", pricer.reference().steps())).put("now_credits", nowPrice).put("hours", new JsonArray(out))
          .put("warnings", new JsonArray(view.warnings()));
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
    });
  }

  void account(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    api.db().run(() -> api.credits().account(caller.accountId()).orElseThrow()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      var a = ar.result();
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("id", a.id().toString())
          .put("name", a.name()).put("balance", a.balance()).put("on_hold", a.onHold()).put("role", caller.role().wire())
          .put("created_at", a.createdAt().toString()).put("regions", new io.vertx.core.json.JsonArray(api.config().regions())).encode());
    });
  }

  void grant(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID account;
    try {
      account = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("id", "must be an account id (a UUID)");
    }
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    JsonInput in = new JsonInput(body, Set.of("credits", "note"));
    Object credits = body.getValue("credits");
    double amount = 0;
    if (!(credits instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() <= 0 || n.doubleValue() > 1e12) {
      in.fail("credits", "must be a positive number up to 1e12");
    } else {
      amount = n.doubleValue();
    }
    String note = in.string("note", 1, 500, "granted by " + caller.actor());
    in.done();
    double a = amount;
    UUID id = account;
    api.db().run(() -> api.credits().grant(id, a, note, api.clock().instant()) ? api.credits().account(id).orElseThrow() : null)
        .onComplete(ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
          } else if (ar.result() == null) {
            Problem.notFound(ctx, "no account " + id);
          } else {
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("account_id", id.toString()).put("credits", a).put("note", note).put("balance", ar.result().balance()).encode());
          }
        });
  }

  void getPricing(RoutingContext ctx) {
    api.db().run(() -> api.credits().pricing()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toJson().encode());
      }
    });
  }

  void putPricing(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    api.db().run(() -> {
      List<PricingPolicy.Problem> problems = new ArrayList<>();
      PricingPolicy next = api.credits().pricing().merge(body, problems);
      if (!problems.isEmpty()) {
        throw new ValidationException(problems.stream().map(p -> new FieldError(p.field(), p.detail())).toList());
      }
      api.credits().putPricing(next, caller.actor(), api.clock().instant());
      return next;
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toJson().encode());
      }
    });
  }

  private static java.util.Optional<Double> boxed(java.util.OptionalDouble d) {
    return d.isPresent() ? java.util.Optional.of(d.getAsDouble()) : java.util.Optional.empty();
  }

  static boolean offline(JobSpec spec) {
    return spec.mode() == JobMode.OFFLINE;
  }
}
