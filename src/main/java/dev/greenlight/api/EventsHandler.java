package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.job.StateChange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/v1/events}: server-sent events for the web UI, fed by the cluster-wide event bus, so a browser on
 * any node sees every change: {@code job} (a state change) and {@code progress} (a phase or denoising step). A user
 * receives its own account's jobs, an admin all. Browsers' EventSource cannot send headers, so the key may also come
 * as {@code ?token=} on this route only.
 *
 * <p>The node subscribes once, at start ({@link #start}), and fans each message out to its open streams. A
 * subscription per browser would have to reach every other node before that browser could be sure of seeing their
 * changes, and cluster registrations spread asynchronously (slowly while the cluster is missing a dead member).
 */
final class EventsHandler {
  /** The route; the one that accepts the key as {@code ?token=} (see {@link Authentication}). */
  static final String PATH = "/api/v1/events";

  private record Stream(Caller caller, HttpServerResponse res, Context context) {}

  private final Vertx vertx;
  private final String jobAddress;
  private final String progressAddress;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

  EventsHandler(Vertx vertx, String jobAddress, String progressAddress) {
    this.vertx = vertx;
    this.jobAddress = jobAddress;
    this.progressAddress = progressAddress;
  }

  /** Subscribes this node to the cluster's job and progress events; completes once both subscriptions are in place. */
  Future<Void> start() {
    Future<Void> jobs = vertx.eventBus().<StateChange>consumer(jobAddress, m -> {
      StateChange c = m.body();
      JsonObject data = new JsonObject().put("job_id", c.jobId().toString()).put("from", c.from() == null ? null : c.from().wire())
          .put("to", c.to().wire()).put("at", c.at().toString()).put("reason", c.reason());
      fanOut(c.accountId(), "job", data);
    }).completion();
    Future<Void> progress = vertx.eventBus().<JsonObject>consumer(progressAddress, m -> {
      String account = m.body().getString("account_id");
      fanOut(account == null ? null : UUID.fromString(account), "progress", m.body().copy().put("account_id", (String) null));
    }).completion();
    return Future.all(jobs, progress).mapEmpty();
  }

  void stream(RoutingContext ctx) {
    Stream s = new Stream(Authentication.caller(ctx), ctx.response(), vertx.getOrCreateContext());
    s.res().setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    s.res().write(": greenlight events\n\n");
    streams.add(s);
    long ping = vertx.setPeriodic(15_000, id -> {
      if (!s.res().ended() && !s.res().closed()) {
        s.res().write(": ping\n\n");
      }
    });
    s.res().closeHandler(v -> {
      streams.remove(s);
      vertx.cancelTimer(ping);
    });
  }

  private void fanOut(UUID account, String event, JsonObject data) {
    for (Stream s : streams) {
      if (s.caller().isAdmin() || s.caller().accountId().equals(account)) {
        if (Vertx.currentContext() == s.context()) {
          send(s.res(), event, data);
        } else {
          s.context().runOnContext(v -> send(s.res(), event, data));
        }
      }
    }
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
