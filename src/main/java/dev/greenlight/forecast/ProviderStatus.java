package dev.greenlight.forecast;

import java.time.Instant;

/** How a region's provider is doing: its last attempt, last success, last error and failures in a row. */
public record ProviderStatus(String region, String provider, Instant lastAttemptAt, Instant lastSuccessAt, String lastError,
    int consecutiveFailures) {}
