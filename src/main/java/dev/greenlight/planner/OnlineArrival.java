package dev.greenlight.planner;

import java.time.Instant;
import java.util.List;

/**
 * One online job of the recent past, for the {@link ExpectedOnlineLoad} forecast.
 *
 * @param submittedAt when it was submitted
 * @param durationS its estimated GPU time
 * @param regions where it ran (one region) or, while that is not known yet, where it may run (empty = any): its work
 *     is split evenly over those of the planned regions
 */
public record OnlineArrival(Instant submittedAt, double durationS, List<String> regions) {}
