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
 * @param submissionsEnd the last moment any job is submitted: slots that start after it keep no capacity for online
 *     jobs, and no arrival is expected after it. {@link Instant#MAX} in the service, whose submissions never end; a
 *     replay passes its workload's last submission, which a replay's oracle knows too
 * @param onlineLoad the online work expected per slot, from which each slot's online reserve is kept when the policy
 *     says so; {@link ExpectedOnlineLoad#NONE} keeps the flat reserve
 */
public record PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
    Map<String, Double> committedGpuSeconds, Instant now, List<PlanningJob> expectedArrivals, Instant submissionsEnd,
    ExpectedOnlineLoad onlineLoad) {

  /** Without a forecast of online work: the flat online reserve. */
  public PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
      Map<String, Double> committedGpuSeconds, Instant now, List<PlanningJob> expectedArrivals, Instant submissionsEnd) {
    this(jobs, forecasts, gpus, committedGpuSeconds, now, expectedArrivals, submissionsEnd, ExpectedOnlineLoad.NONE);
  }

  /** Submissions that never end. */
  public PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
      Map<String, Double> committedGpuSeconds, Instant now, List<PlanningJob> expectedArrivals) {
    this(jobs, forecasts, gpus, committedGpuSeconds, now, expectedArrivals, Instant.MAX);
  }

  /** Without expected arrivals; submissions never end. */
  public PlanningInput(List<PlanningJob> jobs, Map<String, IntensitySeries> forecasts, Map<String, Integer> gpus,
      Map<String, Double> committedGpuSeconds, Instant now) {
    this(jobs, forecasts, gpus, committedGpuSeconds, now, List.of());
  }

  /** The expected arrivals submitted by {@link #submissionsEnd}. */
  public List<PlanningJob> expectedBeforeEnd() {
    if (submissionsEnd.equals(Instant.MAX)) {
      return expectedArrivals;
    }
    return expectedArrivals.stream().filter(j -> !j.submittedAt().isAfter(submissionsEnd)).toList();
  }
}
