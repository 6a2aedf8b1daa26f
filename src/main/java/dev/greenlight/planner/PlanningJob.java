package dev.greenlight.planner;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deferred job as the planner sees it: estimated energy and duration, when it became releasable, its deadline,
 * and the regions it may run in (empty = any).
 */
public record PlanningJob(UUID id, double energyJ, double durationS, Instant submittedAt, Instant deadline, List<String> regions) {
  public boolean allows(String region) {
    return regions.isEmpty() || regions.contains(region);
  }
}
