package dev.greenlight.planner;

import java.time.Instant;
import java.util.UUID;

/**
 * One job's plan: when and where it should start, the intensity and carbon expected there, the carbon of running it
 * now instead, whether its deadline is at risk, and why, in words.
 */
public record PlannedJob(UUID jobId, Instant plannedStart, String region, double expectedGPerKwh, double expectedCarbonG,
    double runNowCarbonG, boolean atRisk, String reason) {

  public boolean dueBy(Instant now) {
    return !plannedStart.isAfter(now);
  }
}
