package dev.greenlight.api;

import dev.greenlight.account.Caller;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Resolves {@code Authorization: Bearer <key>} to a {@link Caller}, or answers 401; admin routes also need the admin role. */
final class Authentication implements Handler<RoutingContext> {
  static final String CALLER = "greenlight.caller";
  private final ApiServices api;

  Authentication(ApiServices api) {
    this.api = api;
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = ctx.request().path().equals(EventsHandler.PATH) ? ctx.request().getParam("token") : null;
    if (token != null && header == null) {
      header = "Bearer " + token; // EventSource cannot send headers: the event stream alone takes ?token=
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"greenlight\"");
      Problem.send(ctx, 401, "about:blank", "Unauthorized", "send an API key as 'Authorization: Bearer <key>'");
      return;
    }
    String key = header.substring(7).trim();
    api.db().run(() -> api.apiKeys().authenticate(key)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Optional<Caller> caller = ar.result();
      if (caller.isEmpty()) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"greenlight\", error=\"invalid_token\"");
        Problem.send(ctx, 401, "about:blank", "Unauthorized", "the API key is not valid");
        return;
      }
      ctx.put(CALLER, caller.get());
      ctx.next();
    });
  }

  static Handler<RoutingContext> adminOnly() {
    return ctx -> {
      if (!caller(ctx).isAdmin()) {
        Problem.send(ctx, 403, "about:blank", "Forbidden", "this route needs an admin key");
        return;
      }
      ctx.next();
    };
  }
}
