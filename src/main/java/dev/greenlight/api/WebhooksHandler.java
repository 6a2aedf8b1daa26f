package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.webhook.WebhookStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook endpoints ({@code /api/v1/webhooks/endpoints}), secrets (shown once, rotatable with an overlap during which
 * both sign), and the delivery log ({@code /api/v1/jobs/{id}/deliveries}, {@code /api/v1/deliveries/{id}/redeliver}).
 */
final class WebhooksHandler {
  static final List<String> EVENTS = List.of("job.succeeded", "job.failed", "job.cancelled", "job.released");
  private final ApiServices api;

  WebhooksHandler(ApiServices api) {
    this.api = api;
  }

  void create(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    JsonInput in = new JsonInput(body, Set.of("url", "event_types"));
    String url = in.string("url", 1, 2048, null);
    if (!in.has("url")) {
      in.fail("url", "is required");
    }
    List<String> events = in.has("event_types") ? in.strings("event_types", 4, 40) : List.of("job.succeeded", "job.failed", "job.cancelled");
    for (int i = 0; i < events.size(); i++) {
      if (!EVENTS.contains(events.get(i))) {
        in.fail("event_types[" + i + "]", "unknown event '" + events.get(i) + "'; known: " + String.join(", ", EVENTS));
      }
    }
    if (in.has("event_types") && events.isEmpty() && in.ok()) {
      in.fail("event_types", "must name at least one event");
    }
    in.done();
    Instant now = api.clock().instant();
    UUID id = UUID.randomUUID();
    api.db().run(() -> {
      String problem = api.urlGuard().problem(url);
      if (problem != null) {
        throw ValidationException.of("url", problem);
      }
      return api.webhooks().createEndpoint(id, caller.accountId(), url, events, now);
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("id", id.toString()).put("url", url).put("event_types", new JsonArray(events))
              .put("secret", ar.result()).put("created_at", now.toString()).encode());
    });
  }

  void list(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    api.db().run(() -> api.webhooks().endpoints(caller.accountId())).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonArray list = new JsonArray();
      for (WebhookStore.Endpoint e : ar.result()) {
        list.add(new JsonObject().put("id", e.id().toString()).put("url", e.url()).put("event_types", new JsonArray(e.eventTypes()))
            .put("created_at", e.createdAt().toString()).put("failing_since", str(e.failingSince()))
            .put("disabled_at", str(e.disabledAt())).put("disabled_reason", e.disabledReason()));
      }
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("endpoints", list).encode());
    });
  }

  void delete(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID id = uuid(ctx, "id");
    api.db().run(() -> api.webhooks().deleteEndpoint(id, caller.accountId(), api.clock().instant())).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (!ar.result()) {
        Problem.notFound(ctx, "no webhook endpoint " + id);
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  void rotateEndpoint(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID id = uuid(ctx, "id");
    Instant until = api.clock().instant().plus(Duration.ofHours(api.config().webhook().secretOverlapHours()));
    api.db().run(() -> api.webhooks().rotateEndpointSecret(id, caller.accountId(), until)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        Problem.notFound(ctx, "no webhook endpoint " + id);
      } else {
        secret(ctx, ar.result().get(), until);
      }
    });
  }

  void rotateAccount(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    Instant now = api.clock().instant();
    Instant until = now.plus(Duration.ofHours(api.config().webhook().secretOverlapHours()));
    api.db().run(() -> api.webhooks().rotateAccountSecret(caller.accountId(), now, until)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        secret(ctx, ar.result(), until);
      }
    });
  }

  void jobDeliveries(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID id = JobsHandler.jobId(ctx);
    api.db().run(() -> api.store().find(id, caller.isAdmin() ? null : caller.accountId()).isPresent()
        ? api.webhooks().deliveries(id, caller.isAdmin() ? null : caller.accountId()) : null).onComplete(ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
            return;
          }
          if (ar.result() == null) {
            Problem.notFound(ctx, "no job " + id);
            return;
          }
          JsonArray list = new JsonArray();
          for (WebhookStore.Delivery d : ar.result()) {
            JsonArray attempts = new JsonArray();
            d.log().forEach(a -> attempts.add(new JsonObject().put("attempt", a.attempt()).put("at", a.at().toString())
                .put("status", a.status()).put("latency_ms", a.latencyMs()).put("response_excerpt", a.excerpt()).put("error", a.error())));
            list.add(new JsonObject().put("id", d.id()).put("endpoint_id", d.endpointId() == null ? null : d.endpointId().toString())
                .put("target", d.endpointId() == null ? "callback_url" : "endpoint").put("url", d.url()).put("event_type", d.eventType())
                .put("state", d.state()).put("attempts", d.attempts()).put("next_attempt_at", str(d.nextAttemptAt()))
                .put("last_status", d.lastStatus()).put("last_error", d.lastError()).put("created_at", str(d.createdAt()))
                .put("finished_at", str(d.finishedAt())).put("log", attempts));
          }
          ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("deliveries", list).encode());
        });
  }

  void redeliver(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    String id = ctx.pathParam("id");
    if (!id.matches("msg_[0-9a-f]{32}")) {
      throw ValidationException.of("id", "must be a delivery id (msg_ and 32 hex digits), got '" + id + "'");
    }
    api.db().run(() -> api.webhooks().redeliver(id, caller.isAdmin() ? null : caller.accountId(), api.clock().instant())).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (!ar.result()) {
        Problem.notFound(ctx, "no delivery " + id);
      } else {
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("id", id).put("state", "pending").encode());
      }
    });
  }

  private static void secret(RoutingContext ctx, String secret, Instant previousUntil) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("secret", secret).put("previous_secret_valid_until", previousUntil.toString()).encode());
  }

  private static UUID uuid(RoutingContext ctx, String param) {
    try {
      return UUID.fromString(ctx.pathParam(param));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(param, "must be a UUID");
    }
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

}
