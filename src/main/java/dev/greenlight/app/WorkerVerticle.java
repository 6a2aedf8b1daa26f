package dev.greenlight.app;

import dev.greenlight.cluster.Addresses;
import dev.greenlight.db.Database;
import dev.greenlight.worker.QueueListener;
import dev.greenlight.worker.WorkerPool;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.UUID;

/**
 * Runs this node's worker slots: the {@link WorkerPool} (its own threads), the LISTEN connection that wakes it,
 * and the event-bus consumer for cancel requests. Starting and stopping block, so they run on a worker thread.
 */
final class WorkerVerticle extends VerticleBase {
  private final WorkerPool pool;
  private final QueueListener listener;
  private MessageConsumer<String> cancels;

  WorkerVerticle(WorkerPool pool, Database db) {
    this.pool = pool;
    this.listener = new QueueListener(db, pool::wake);
  }

  @Override
  public Future<?> start() {
    cancels = vertx.eventBus().consumer(Addresses.JOB_CANCEL, msg -> pool.requestCancel(UUID.fromString(msg.body())));
    return cancels.completion().compose(v -> vertx.executeBlocking(() -> {
      pool.start();
      listener.start();
      return null;
    }));
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      listener.stop();
      pool.stop();
      return null;
    }).eventually(() -> cancels.unregister());
  }

  WorkerPool pool() {
    return pool;
  }

  /** The node died: stop at once, write nothing. */
  void crash() {
    listener.stop();
    pool.crash();
  }
}
