package dev.greenlight.cluster;

/** Every event-bus address Greenlight uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /** Published on every committed job transition ({@link dev.greenlight.job.StateChange}), to all nodes. */
  public static final String JOB_CHANGED = "greenlight.jobs.changed";

  /** Published at every phase and denoising step of a running job: {job_id, account_id, phase, step, steps}. */
  public static final String JOB_PROGRESS = "greenlight.jobs.progress";

  /** Published when an owner cancels a running job, so the node running it stops at the next boundary. */
  public static final String JOB_CANCEL = "greenlight.jobs.cancel";
}
