package dev.greenlight.forecast;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Green Software Foundation's Carbon Aware SDK WebAPI: {@code {base}/emissions/forecasts/current?location=}
 * answers {@code [{forecastData:[{timestamp, duration (minutes), value}], generatedAt}]}, values in g/kWh.
 */
public final class CarbonAwareSdkProvider implements ForecastProvider {
  private final String region;
  private final String base;
  private final String location;
  private final ForecastHttp http;

  public CarbonAwareSdkProvider(String region, String base, String location, Duration timeout) {
    this.region = region;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.location = location;
    this.http = new ForecastHttp(timeout);
  }

  @Override
  public String name() {
    return "carbon-aware-sdk:" + location;
  }

  @Override
  public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
    URI uri = URI.create(base + "/emissions/forecasts/current?location=" + URLEncoder.encode(location, StandardCharsets.UTF_8));
    JsonArray root = JsonShapes.array(name(), http.getJson(name(), uri, Map.of()), "the answer");
    if (root.isEmpty()) {
      throw new ForecastException(name() + ": no forecast for location " + location);
    }
    JsonObject first = JsonShapes.object(name(), root.getValue(0), "[0]");
    JsonArray data = JsonShapes.array(name(), first.getValue("forecastData"), "[0].forecastData");
    List<IntensityPoint> forecast = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonObject p = JsonShapes.object(name(), data.getValue(i), "forecastData[" + i + "]");
      Instant t = JsonShapes.time(name(), p, "timestamp");
      double minutes = JsonShapes.number(name(), p, "duration");
      if (minutes <= 0) {
        throw new ForecastException(name() + ": forecastData[" + i + "].duration must be positive");
      }
      forecast.add(new IntensityPoint(t, t.plusSeconds((long) (minutes * 60)), JsonShapes.number(name(), p, "value")));
    }
    Instant madeAt = first.getValue("generatedAt") instanceof String ? JsonShapes.time(name(), first, "generatedAt") : now;
    return new ForecastSnapshot(region, name(), Signal.AVERAGE, madeAt, forecast, List.of());
  }
}
