package dev.greenlight.engine;

/**
 * Runs one job's pipeline phase by phase, telling {@code listener} at every boundary (each phase start and each
 * denoising step). Blocking: the worker calls it on the job's own thread.
 */
public interface Engine {
  String name();

  EngineResult run(EngineRequest request, BoundaryListener listener) throws JobCancelledException, Exception;
}
