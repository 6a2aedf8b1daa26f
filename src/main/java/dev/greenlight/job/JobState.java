package dev.greenlight.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The states of a job and the transitions allowed between them. The same table is enforced by the
 * database (migration V1, {@code job_transitions}); {@code JobStateTest} checks both agree.
 */
public enum JobState {
  DEFERRED, QUEUED, RUNNING, RETRYING, SUCCEEDED, FAILED, CANCELLED;

  private static final Map<JobState, Set<JobState>> ALLOWED = Map.of(
      DEFERRED, EnumSet.of(QUEUED, CANCELLED),
      QUEUED, EnumSet.of(RUNNING, CANCELLED),
      RUNNING, EnumSet.of(SUCCEEDED, RETRYING, FAILED, QUEUED, CANCELLED),
      RETRYING, EnumSet.of(QUEUED, CANCELLED),
      SUCCEEDED, EnumSet.noneOf(JobState.class),
      FAILED, EnumSet.noneOf(JobState.class),
      CANCELLED, EnumSet.noneOf(JobState.class));

  public boolean canMoveTo(JobState next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** The name used in the database and in JSON. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobState fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
