package dev.greenlight.worker;

import dev.greenlight.engine.Boundary;
import dev.greenlight.queue.ClaimedJob;
import io.vertx.core.json.JsonObject;

/** A job on one of this node's slots: where it is in its pipeline, and whether it must stop. */
final class RunningJob {
  final ClaimedJob claimed;
  final Thread thread;
  private volatile Boundary at;
  private volatile boolean cancelRequested;
  private volatile boolean lost;

  RunningJob(ClaimedJob claimed, Thread thread) {
    this.claimed = claimed;
    this.thread = thread;
  }

  void reached(Boundary boundary) {
    this.at = boundary;
  }

  void requestCancel() {
    cancelRequested = true;
  }

  boolean cancelRequested() {
    return cancelRequested;
  }

  /** The queue no longer lists this attempt as ours (it was rescued elsewhere): stop without writing. */
  void markLost() {
    lost = true;
  }

  boolean lost() {
    return lost;
  }

  /** Progress as stored in {@code jobs.progress} and shown by the API. */
  String progressJson() {
    Boundary b = at;
    if (b == null) {
      return null;
    }
    JsonObject p = new JsonObject().put("phase", b.phase().wire());
    if (b.steps() > 0) {
      p.put("step", b.step()).put("steps", b.steps());
    }
    return p.encode();
  }
}
