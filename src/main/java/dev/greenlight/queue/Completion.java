package dev.greenlight.queue;

import java.util.UUID;

/** A successful attempt and its result document (JSON). */
public record Completion(UUID jobId, int attempt, String resultJson) {}
