package dev.greenlight.forecast;

import java.time.Instant;

/** A source of carbon-intensity forecasts and actuals for one region. Blocking; called off the event loop. */
public interface ForecastProvider {
  String name();

  /** Forecast for at least the next {@code horizonHours} from {@code now}, and recent actuals. */
  ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException;
}
