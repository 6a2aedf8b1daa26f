package dev.greenlight.job;

import java.time.Instant;
import java.util.UUID;

/** A committed transition, as announced to the cluster on the event bus. */
public record StateChange(UUID jobId, UUID accountId, JobState from, JobState to, Instant at, String reason) {}
