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
 */
public record PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
    Map<String, Double> committedGpuSeconds, Instant now) {}
