package dev.greenlight.planner;

import java.time.Instant;
import java.util.List;

/** The planner's answer for every deferred job at one tick. */
public record Plan(Instant madeAt, List<PlannedJob> jobs) {
  /**
   * The jobs to release now: those planned to start before {@code until} (see {@link CarbonPlanner#releaseUntil}),
   * earliest planned start first.
   */
  public List<PlannedJob> due(java.time.Instant until) {
    return jobs.stream().filter(j -> j.plannedStart().isBefore(until) || j.plannedStart().equals(madeAt))
        .sorted(java.util.Comparator.comparing(PlannedJob::plannedStart)).toList();
  }

  public long atRisk() {
    return jobs.stream().filter(PlannedJob::atRisk).count();
  }
}
