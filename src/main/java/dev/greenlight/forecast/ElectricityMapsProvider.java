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
 * Electricity Maps v3: {@code {base}/v3/carbon-intensity/forecast?zone=} ({@code forecast[].carbonIntensity/datetime})
 * and {@code {base}/v3/carbon-intensity/history?zone=} for actuals, with the {@code auth-token} header. Points last
 * until the next one (hourly).
 */
public final class ElectricityMapsProvider implements ForecastProvider {
  private final String region;
  private final String base;
  private final String zone;
  private final String token;
  private final ForecastHttp http;

  public ElectricityMapsProvider(String region, String base, String zone, String token, Duration timeout) {
    this.region = region;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.zone = zone;
    this.token = token;
    this.http = new ForecastHttp(timeout);
  }

  @Override
  public String name() {
    return "electricity-maps:" + zone;
  }

  @Override
  public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
    String z = URLEncoder.encode(zone, StandardCharsets.UTF_8);
    JsonObject f = JsonShapes.object(name(), http.getJson(name(), URI.create(base + "/v3/carbon-intensity/forecast?zone=" + z),
        Map.of("auth-token", token)), "the forecast answer");
    List<IntensityPoint> forecast = series(JsonShapes.array(name(), f.getValue("forecast"), "forecast"));
    JsonObject h = JsonShapes.object(name(), http.getJson(name(), URI.create(base + "/v3/carbon-intensity/history?zone=" + z),
        Map.of("auth-token", token)), "the history answer");
    List<IntensityPoint> actuals = series(JsonShapes.array(name(), h.getValue("history"), "history"));
    Instant madeAt = f.getValue("updatedAt") instanceof String ? JsonShapes.time(name(), f, "updatedAt") : now;
    return new ForecastSnapshot(region, name(), Signal.AVERAGE, madeAt, forecast, actuals);
  }

  private List<IntensityPoint> series(JsonArray rows) throws ForecastException {
    List<Instant> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject p = JsonShapes.object(name(), rows.getValue(i), "point " + i);
      if (p.getValue("carbonIntensity") == null) {
        continue; // a missing estimate; the next point covers it
      }
      times.add(JsonShapes.time(name(), p, "datetime"));
      values.add(JsonShapes.number(name(), p, "carbonIntensity"));
    }
    List<IntensityPoint> out = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      Instant end = i + 1 < times.size() ? times.get(i + 1) : times.get(i).plus(Duration.ofHours(1));
      if (!end.isAfter(times.get(i))) {
        throw new ForecastException(name() + ": points are not in time order at " + times.get(i));
      }
      out.add(new IntensityPoint(times.get(i), end, values.get(i)));
    }
    return out;
  }
}
