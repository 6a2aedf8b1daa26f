package dev.greenlight.job;

import java.util.UUID;

/** Tells the node running a job that its owner cancelled it (the database flag is the durable record). */
@FunctionalInterface
public interface CancelSignal {
  void cancelRequested(UUID jobId);
}
