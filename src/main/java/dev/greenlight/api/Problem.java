package dev.greenlight.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** RFC 9457 problem details: every error response of the API is one of these, as application/problem+json. */
public final class Problem {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problem() {}

  public static void send(RoutingContext ctx, int status, String type, String title, String detail) {
    send(ctx, status, type, title, detail, List.of());
  }

  public static void send(RoutingContext ctx, int status, String type, String title, String detail, List<FieldError> errors) {
    JsonObject body = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", ctx.request().path());
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("detail", e.detail())));
      body.put("errors", list);
    }
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }

  /** With extension members (RFC 9457 section 3.2), e.g. how many credits are missing. */
  public static void send(RoutingContext ctx, int status, String type, String title, String detail, JsonObject extensions) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body = new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail)
        .put("instance", ctx.request().path());
    extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
  }

  public static void validation(RoutingContext ctx, ValidationException e) {
    String detail = e.errors().size() == 1 ? e.errors().getFirst().field() + ": " + e.errors().getFirst().detail()
        : e.errors().size() + " fields are invalid: " + String.join(", ", e.errors().stream().map(FieldError::field).toList());
    send(ctx, 400, "/problems/validation", "Invalid request", detail, e.errors());
  }

  public static void notFound(RoutingContext ctx, String detail) {
    send(ctx, 404, "about:blank", "Not Found", detail);
  }
}
