package dev.greenlight.planner;

import java.time.Instant;
import java.util.List;

/** The planner's answer for every deferred job at one tick. */
public record Plan(Instant madeAt, List<PlannedJob> jobs) {
  /**
   * The jobs to release now: those planned to start before the next tick ({@code lookahead} from now), earliest
   * planned start first (within a slot that is the most constrained first).
   */
  public List<PlannedJob> due(java.time.Duration lookahead) {
    java.time.Instant until = madeAt.plus(lookahead);
    return jobs.stream().filter(j -> j.plannedStart().isBefore(until) || j.plannedStart().equals(madeAt))
        .sorted(java.util.Comparator.comparing(PlannedJob::plannedStart)).toList();
  }

  public long atRisk() {
    return jobs.stream().filter(PlannedJob::atRisk).count();
  }
}
