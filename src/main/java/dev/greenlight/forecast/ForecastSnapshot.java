package dev.greenlight.forecast;

import java.time.Instant;
import java.util.List;

/**
 * One answer of a provider: forecast points for the coming hours and actual intensities for the past, as known at
 * {@code madeAt}. All values in gCO2/kWh.
 */
public record ForecastSnapshot(String region, String provider, Signal signal, Instant madeAt,
    List<IntensityPoint> forecast, List<IntensityPoint> actuals) {}
