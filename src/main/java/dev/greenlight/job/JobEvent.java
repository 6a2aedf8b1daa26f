package dev.greenlight.job;

import java.time.Instant;
import java.util.UUID;

/** One transition in a job's timeline: who moved it, when and why. {@code from} is null for creation. */
public record JobEvent(long id, UUID jobId, Instant at, JobState from, JobState to, String actor, String reason, int attempt) {}
