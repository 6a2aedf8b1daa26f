package dev.greenlight.api;

import dev.greenlight.queue.JobStore;
import dev.greenlight.worker.WorkerRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/queues}: jobs per state and region, and the workers online. */
final class QueuesHandler {
  private final ApiServices api;

  QueuesHandler(ApiServices api) {
    this.api = api;
  }

  private record Snapshot(List<JobStore.StateCount> counts, List<WorkerRegistry.WorkerInfo> workers) {}

  void get(RoutingContext ctx) {
    Instant now = api.clock().instant();
    Duration online = Duration.ofMillis(api.config().queue().rescueAfterMs());
    api.db().run(() -> new Snapshot(api.store().countsByStateAndRegion(), api.workers().online(online, now))).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonObject byState = new JsonObject();
      for (String s : List.of("deferred", "queued", "running", "retrying", "succeeded", "failed", "cancelled")) {
        byState.put(s, 0L);
      }
      JsonArray counts = new JsonArray();
      for (JobStore.StateCount c : ar.result().counts()) {
        byState.put(c.state(), byState.getLong(c.state()) + c.count());
        counts.add(new JsonObject().put("state", c.state()).put("region", c.region()).put("count", c.count()));
      }
      JsonArray workers = new JsonArray();
      for (WorkerRegistry.WorkerInfo w : ar.result().workers()) {
        workers.add(new JsonObject().put("id", w.id()).put("node", w.nodeId()).put("region", w.region())
            .put("slots", w.slots()).put("busy", w.busy())
            .put("last_heartbeat_age_s", Math.max(0, Duration.between(w.heartbeatAt(), now).toMillis()) / 1000.0));
      }
      ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("by_state", byState).put("counts", counts).put("workers", workers).encode());
    });
  }
}
