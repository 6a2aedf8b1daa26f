package dev.greenlight.job;

import java.time.Instant;
import java.util.UUID;

/** A job as stored: its request, its estimate and where it stands. */
public record Job(
    UUID id,
    UUID accountId,
    JobSpec spec,
    JobState state,
    double estimateEnergyJ,
    double estimateDurationS,
    String region,
    int attempt,
    int maxAttempts,
    Instant runAfter,
    String workerId,
    Instant heartbeatAt,
    Instant cancelRequestedAt,
    String progressJson,
    String resultJson,
    String planJson,
    String lastError,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt) {}
