package dev.greenlight.engine;

/** Thrown at a step or phase boundary when the job's owner asked to cancel it. */
public final class JobCancelledException extends Exception {
  public JobCancelledException() {
    super("cancelled at a step boundary", null, false, false);
  }
}
