package dev.greenlight.planner;

import java.time.Instant;
import java.util.List;

/**
 * Online work of the recent past, for the {@link ExpectedOnlineLoad} forecast: one job, or the jobs of one minute and
 * one region taken together (as the planning tick reads them).
 *
 * @param submittedAt when it was submitted
 * @param durationS its estimated GPU time in seconds
 * @param regions where it ran (one region) or, while that is not known yet, where it may run (empty = any): its work
 *     is split evenly over those of the planned regions
 */
public record OnlineArrival(Instant submittedAt, double durationS, List<String> regions) {}
