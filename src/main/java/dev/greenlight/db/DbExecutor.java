package dev.greenlight.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/** Runs blocking database work off the event loop, on a worker pool sized to the connection pool. */
public final class DbExecutor implements AutoCloseable {
  private final WorkerExecutor executor;

  public DbExecutor(Vertx vertx, int poolSize) {
    this.executor = vertx.createSharedWorkerExecutor("greenlight-db", poolSize);
  }

  public <T> Future<T> run(Callable<T> work) {
    return executor.executeBlocking(work, false);
  }

  @Override
  public void close() {
    executor.close();
  }
}
