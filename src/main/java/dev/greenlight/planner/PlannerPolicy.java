package dev.greenlight.planner;

import java.util.List;
import java.util.Map;

/**
 * The admin-tunable rules of planning.
 *
 * @param carbonAware kill switch: false releases every deferred job at once
 * @param releaseBelowGPerKwh any slot at or below this intensity counts as clean enough: jobs take the earliest such
 *     slot rather than wait for a cleaner one (0 disables)
 * @param maxDeferralH no job waits longer than this after submission
 * @param safetyMarginFraction the latest start keeps this fraction of the estimated duration free before the deadline
 * @param safetyMarginMinS ... and at least this many seconds
 * @param horizonH how far ahead to plan
 * @param slotMinutes the planning grain
 * @param capacityOverride GPUs per region to plan with instead of the workers online
 * @param regionAllowList regions jobs may be planned into (empty = all)
 * @param onlineReserve share of every future slot's capacity kept free for online jobs, which arrive unplanned: always
 *     when {@code onlineReserveFromHistory} is off, else until the service has a day of online history
 * @param onlineReserveFromHistory whether each slot keeps what the online jobs of the last day brought in those hours
 *     of the day ({@link ExpectedOnlineLoad}, x {@code onlineReserveHeadroom}) instead of the flat share
 * @param onlineReserveMin the least share a slot keeps for online jobs when the reserve comes from history
 * @param onlineReserveHeadroom how much more than the history the reserve keeps ({@link ExpectedOnlineLoad#HEADROOM}
 *     by default): less plans more deferred work into busy hours, more shortens online waits near full load
 * @param onlineReserveHeadroomFullH slots starting up to this many hours ahead keep the whole headroom
 * @param onlineReserveHeadroomNoneH slots starting this many hours ahead or more keep the expected online work alone (no
 *     headroom); in between the headroom falls linearly. At least {@code onlineReserveHeadroomFullH}
 * @param forecastSmoothing whether forecasts are smoothed by their track record before planning (the forecast layer
 *     applies it; false plans on each forecast as it comes)
 */
public record PlannerPolicy(boolean carbonAware, double releaseBelowGPerKwh, double maxDeferralH, double safetyMarginFraction,
    double safetyMarginMinS, int horizonH, int slotMinutes, Map<String, Integer> capacityOverride, List<String> regionAllowList,
    double onlineReserve, boolean onlineReserveFromHistory, double onlineReserveMin, double onlineReserveHeadroom,
    double onlineReserveHeadroomFullH, double onlineReserveHeadroomNoneH, boolean forecastSmoothing) {

  /** The planning grains the policy accepts, finest first: each divides an hour. */
  public static final List<Integer> SLOT_MINUTES = List.of(5, 10, 15, 20, 30, 60);

  public static final PlannerPolicy DEFAULT = new PlannerPolicy(true, 0, 24, 0.5, 900, 48, 30, Map.of(), List.of(), 0.3, true, 0.1,
      ExpectedOnlineLoad.HEADROOM, 1, 3, true);

  /** This policy with a flat online reserve of {@code share} in every slot, history or not. */
  public PlannerPolicy withFlatOnlineReserve(double share) {
    return new PlannerPolicy(carbonAware, releaseBelowGPerKwh, maxDeferralH, safetyMarginFraction, safetyMarginMinS, horizonH, slotMinutes,
        capacityOverride, regionAllowList, share, false, onlineReserveMin, onlineReserveHeadroom, onlineReserveHeadroomFullH,
        onlineReserveHeadroomNoneH, forecastSmoothing);
  }

  public boolean regionAllowed(String region) {
    return regionAllowList.isEmpty() || regionAllowList.contains(region);
  }
}
