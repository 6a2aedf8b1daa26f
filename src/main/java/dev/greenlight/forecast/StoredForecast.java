package dev.greenlight.forecast;

import java.time.Instant;

/** The newest stored forecast vintage of a region. */
public record StoredForecast(long vintageId, String region, String provider, Signal signal, Instant madeAt, Instant fetchedAt,
    IntensitySeries series) {}
