package dev.greenlight.api;

import dev.greenlight.account.IssuedKey;
import dev.greenlight.account.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code POST /api/v1/admin/keys}: a new account with a user key; the key is shown in this response only. */
final class AdminKeysHandler {
  private final ApiServices api;

  AdminKeysHandler(ApiServices api) {
    this.api = api;
  }

  void create(RoutingContext ctx) {
    JsonObject body = JobsHandler.RequestBodies.object(ctx);
    JsonInput in = new JsonInput(body, Set.of("name"));
    String name = in.string("name", 1, 200, null);
    if (!in.has("name")) {
      in.fail("name", "is required");
    }
    in.done();
    api.db().run(() -> api.apiKeys().createAccountWithKey(name, Role.USER)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      IssuedKey k = ar.result();
      ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("id", k.keyId().toString()).put("name", k.name()).put("role", k.role().wire())
              .put("account_id", k.accountId().toString()).put("key", k.secret()).encode());
    });
  }
}
