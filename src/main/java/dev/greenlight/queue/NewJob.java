package dev.greenlight.queue;

import dev.greenlight.job.JobSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A job ready to be inserted: its owner, validated request, cost estimate and the earliest time it may be
 * claimed ({@code runAfter}: now for online jobs, the latest deadline-safe start for offline ones).
 */
public record NewJob(UUID id, UUID accountId, JobSpec spec, double energyJ, double durationS, Instant runAfter, int maxAttempts) {}
