package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.job.StateChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /api/v1/events}: server-sent events for the web UI, fed by the cluster-wide event bus, so a browser on
 * any node sees every change: {@code job} (a state change) and {@code progress} (a phase or denoising step). A user
 * receives its own account's jobs, an admin all. Browsers' EventSource cannot send headers, so the key may also come
 * as {@code ?token=} on this route only.
 */
final class EventsHandler {
  /** The route; the one that accepts the key as {@code ?token=} (see {@link Authentication}). */
  static final String PATH = "/api/v1/events";

  private final Vertx vertx;
  private final String jobAddress;
  private final String progressAddress;

  EventsHandler(Vertx vertx, String jobAddress, String progressAddress) {
    this.vertx = vertx;
    this.jobAddress = jobAddress;
    this.progressAddress = progressAddress;
  }

  void stream(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    HttpServerResponse res = ctx.response();
    res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    MessageConsumer<StateChange> jobs = vertx.eventBus().consumer(jobAddress, m -> {
      StateChange c = m.body();
      if (visible(caller, c.accountId())) {
        send(res, "job", new JsonObject().put("job_id", c.jobId().toString()).put("from", c.from() == null ? null : c.from().wire())
            .put("to", c.to().wire()).put("at", c.at().toString()).put("reason", c.reason()));
      }
    });
    MessageConsumer<JsonObject> progress = vertx.eventBus().consumer(progressAddress, m -> {
      String account = m.body().getString("account_id");
      if (visible(caller, account == null ? null : UUID.fromString(account))) {
        send(res, "progress", m.body().copy().put("account_id", (String) null));
      }
    });
    long ping = vertx.setPeriodic(15_000, id -> {
      if (!res.ended() && !res.closed()) {
        res.write(": ping\n\n");
      }
    });
    res.closeHandler(v -> {
      jobs.unregister();
      progress.unregister();
      vertx.cancelTimer(ping);
    });
    // the opening comment tells the browser it is subscribed: it is written only once both registrations have
    // reached the whole cluster, so that no change made on another node right after it can be missed
    Future.all(jobs.completion(), progress.completion()).onComplete(done -> {
      if (res.ended() || res.closed()) {
        return;
      }
      if (done.succeeded()) {
        res.write(": greenlight events\n\n");
      } else {
        jobs.unregister();
        progress.unregister();
        vertx.cancelTimer(ping);
        Problem.send(ctx, 503, "about:blank", "Service Unavailable",
            "the event stream could not subscribe to the cluster's events; retry: " + done.cause().getMessage());
      }
    });
  }

  private static boolean visible(Caller caller, UUID account) {
    return caller.isAdmin() || caller.accountId().equals(account);
  }

  /**
   * Writes one event unless the browser cannot keep up: progress events are then dropped (the next one supersedes
   * them), and a state change that cannot be queued closes the stream, so that the browser reconnects and reloads
   * what it shows instead of the node buffering without bound.
   */
  private static void send(HttpServerResponse res, String event, JsonObject data) {
    if (res.ended() || res.closed()) {
      return;
    }
    if (res.writeQueueFull()) {
      if (!"progress".equals(event)) {
        res.reset();
      }
      return;
    }
    res.write("event: " + event + "\ndata: " + data.encode() + "\n\n");
  }
}
