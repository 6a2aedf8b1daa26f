package dev.greenlight.api;

import dev.greenlight.cluster.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API. Handlers run on the event loop and hand every database call to {@link dev.greenlight.db.DbExecutor};
 * every error leaves as problem+json, and no stack trace ever reaches a client.
 */
public final class ApiVerticle extends VerticleBase {
  public static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private final ApiServices api;
  private HttpServer server;
  private EventsHandler events;

  public ApiVerticle(ApiServices api) {
    this.api = api;
  }

  @Override
  public Future<?> start() {
    events = new EventsHandler(vertx, Addresses.JOB_CHANGED, Addresses.JOB_PROGRESS);
    Router router = router();
    server = vertx.createHttpServer();
    // the event stream's subscriptions first: a browser connected once this node serves sees every change after that
    return events.start().compose(v -> server.requestHandler(router).listen(api.config().http().port(), api.config().http().host()));
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  Router router() {
    Router router = Router.router(vertx);
    HealthHandler health = new HealthHandler(api);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);

    Authentication auth = new Authentication(api);
    JobsHandler jobs = new JobsHandler(api);
    router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(auth);
    router.post("/api/v1/jobs").handler(jobs::create);
    router.get("/api/v1/jobs").handler(jobs::list);
    router.get("/api/v1/jobs/:id").handler(jobs::get);
    router.post("/api/v1/jobs/:id/cancel").handler(jobs::cancel);
    ArtifactHandler artifacts = new ArtifactHandler(api);
    router.get("/api/v1/jobs/:id/artifact").handler(artifacts::video);
    router.get("/api/v1/jobs/:id/poster").handler(artifacts::poster);
    router.get("/api/v1/queues").handler(new QueuesHandler(api)::get);
    router.get(EventsHandler.PATH).handler(events::stream);
    router.get("/api/v1/footprint").handler(new FootprintHandler(api)::get);
    WebhooksHandler webhooks = new WebhooksHandler(api);
    router.post("/api/v1/webhooks/endpoints").handler(webhooks::create);
    router.get("/api/v1/webhooks/endpoints").handler(webhooks::list);
    router.delete("/api/v1/webhooks/endpoints/:id").handler(webhooks::delete);
    router.post("/api/v1/webhooks/endpoints/:id/rotate").handler(webhooks::rotateEndpoint);
    router.post("/api/v1/webhooks/secret/rotate").handler(webhooks::rotateAccount);
    router.get("/api/v1/jobs/:id/deliveries").handler(webhooks::jobDeliveries);
    router.post("/api/v1/deliveries/:id/redeliver").handler(webhooks::redeliver);
    QuotesHandler quotes = new QuotesHandler(api);
    router.post("/api/v1/quotes").handler(quotes::quote);
    router.get("/api/v1/discounts").handler(quotes::discounts);
    router.get("/api/v1/account").handler(quotes::account);
    router.get("/api/v1/forecast").handler(new ForecastHandler(api, new dev.greenlight.scheduler.PlannedReleases(api.queue().database()))::get);
    router.route("/api/v1/admin/*").handler(Authentication.adminOnly());
    router.post("/api/v1/admin/keys").handler(new AdminKeysHandler(api)::create);
    router.post("/api/v1/admin/accounts/:id/grants").handler(quotes::grant);
    router.get("/api/v1/admin/pricing").handler(quotes::getPricing);
    router.put("/api/v1/admin/pricing").handler(quotes::putPricing);
    PolicyHandler policy = new PolicyHandler(api);
    router.get("/api/v1/admin/policy").handler(policy::get);
    router.put("/api/v1/admin/policy").handler(policy::put);

    // the web UI: static files packaged from web/, no build step, nothing fetched from elsewhere
    router.get("/*").handler(StaticHandler.create("web").setCachingEnabled(true).setMaxAgeSeconds(300)
        .setIndexPage("index.html"));
    router.route().last().handler(ctx -> Problem.notFound(ctx, "no route " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(this::failure);
    router.errorHandler(405, ctx -> Problem.send(ctx, 405, "about:blank", "Method Not Allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(404, ctx -> Problem.notFound(ctx, "no route " + ctx.request().method() + " " + ctx.request().path()));
    return router;
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof ValidationException v) {
      Problem.validation(ctx, v);
    } else if (t instanceof dev.greenlight.credits.InsufficientCredits ic) {
      Problem.send(ctx, 402, "/problems/insufficient-credits", "Insufficient credits", ic.getMessage(),
          new io.vertx.core.json.JsonObject().put("missing_credits", ic.missing()).put("balance", ic.balance()).put("price", ic.price()));
    } else if (t instanceof JobsHandler.UnsupportedMediaType) {
      Problem.send(ctx, 415, "about:blank", "Unsupported Media Type", "send the body as application/json");
    } else if (ctx.statusCode() == 413) {
      Problem.send(ctx, 413, "/problems/body-too-large", "Request body too large",
          "the body exceeds " + MAX_BODY_BYTES + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      Problem.send(ctx, ctx.statusCode(), "about:blank", HttpStatusNames.reason(ctx.statusCode()),
          t == null ? "the request cannot be served" : t.getMessage());
    } else {
      LOG.error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), t);
      int status = t instanceof dev.greenlight.db.DatabaseException ? 503 : 500;
      if (status == 503) {
        ctx.response().putHeader("Retry-After", "5");
      }
      Problem.send(ctx, status, "about:blank", status == 503 ? "Service Unavailable" : "Internal Server Error",
          status == 503 ? "the database is unavailable; retry shortly" : "an internal error occurred; it has been logged");
    }
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  static final class HttpStatusNames {
    private HttpStatusNames() {}

    static String reason(int status) {
      return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    }
  }
}
