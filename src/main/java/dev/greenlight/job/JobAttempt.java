package dev.greenlight.job;

import java.time.Instant;

/** One run of a job on a worker, with its outcome and error if it failed. */
public record JobAttempt(int attempt, String workerId, String region, Instant startedAt, Instant finishedAt, String outcome, String error) {}
