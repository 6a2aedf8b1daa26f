package dev.greenlight.engine;

/**
 * Runs one job's pipeline phase by phase, telling {@code listener} at every boundary (each phase start and each
 * denoising step). Blocking: the worker calls it on the job's own thread.
 */
public interface Engine {
  String name();

  /**
   * True when the engine reports its own energy per phase (the profile engine replays a measured profile); false when
   * the worker's power sensor must measure it.
   */
  default boolean reportsOwnEnergy() {
    return false;
  }

  EngineResult run(EngineRequest request, BoundaryListener listener) throws JobCancelledException, Exception;
}
