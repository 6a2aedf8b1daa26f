package dev.greenlight.planner;

import dev.greenlight.forecast.IntensitySeries;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one planning tick looks at.
 *
 * @param jobs the deferred jobs
 * @param forecasts forecast intensity per region (a region without one is planned deadline-safe: as late as allowed)
 * @param gpus GPUs (worker slots) per region
 * @param committedGpuSeconds work already released per region (queued and running), taken from the earliest slots
 * @param now the planner's clock
 * @param expectedArrivals deferred jobs expected to be submitted after {@code now} (their {@code submittedAt} is the
 *     expected arrival), for which the plan leaves room; empty when there is no prediction
 */
public record PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
    Map<String, Double> committedGpuSeconds, Instant now, List<PlanningJob> expectedArrivals) {

  /** Without expected arrivals. */
  public PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
      Map<String, Double> committedGpuSeconds, Instant now) {
    this(jobs, forecasts, gpus, committedGpuSeconds, now, List.of());
  }
}
