package dev.greenlight.engine;

/**
 * Told at every boundary of a run. The worker uses it to attribute energy to phases, publish progress and stop a
 * cancelled job: throwing {@link JobCancelledException} here ends the run at that boundary.
 */
@FunctionalInterface
public interface BoundaryListener {
  void at(Boundary boundary) throws JobCancelledException;
}
