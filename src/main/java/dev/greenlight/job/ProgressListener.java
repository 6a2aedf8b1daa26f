package dev.greenlight.job;

import java.util.UUID;

/** Told when a running job reaches a phase or denoising step; the cluster package publishes it on the event bus. */
@FunctionalInterface
public interface ProgressListener {
  void progress(UUID jobId, UUID accountId, String phase, int step, int steps);

  ProgressListener NONE = (jobId, accountId, phase, step, steps) -> { };
}
