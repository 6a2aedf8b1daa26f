package dev.greenlight.cluster;

import dev.greenlight.job.StateChange;
import dev.greenlight.job.StateChangeListener;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;

/** Publishes committed transitions and cancel requests to every node of the cluster. */
public final class EventBusAnnouncer implements StateChangeListener, dev.greenlight.job.ProgressListener {
  private final EventBus bus;

  public EventBusAnnouncer(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  /** Registers the codecs every node needs; call once per Vertx instance before any publish or consume. */
  public static void registerCodecs(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(StateChange.class, new StateChangeCodec());
  }

  @Override
  public void changed(List<StateChange> changes) {
    for (StateChange c : changes) {
      bus.publish(Addresses.JOB_CHANGED, c);
    }
  }

  @Override
  public void progress(UUID jobId, UUID accountId, String phase, int step, int steps) {
    bus.publish(Addresses.JOB_PROGRESS, new io.vertx.core.json.JsonObject().put("job_id", jobId.toString())
        .put("account_id", accountId == null ? null : accountId.toString()).put("phase", phase).put("step", step).put("steps", steps));
  }

  public void cancelRequested(UUID jobId) {
    bus.publish(Addresses.JOB_CANCEL, jobId.toString());
  }
}
