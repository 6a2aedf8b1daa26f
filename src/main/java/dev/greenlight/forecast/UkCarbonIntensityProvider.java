package dev.greenlight.forecast;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * National Grid ESO's Carbon Intensity API for Great Britain (no key): {@code {base}/intensity/{from}/fw48h}
 * nationally, or {@code {base}/regional/intensity/{from}/fw48h/regionid/{id}} for a DNO region. Half-hourly points
 * {@code data[].from/to/intensity.forecast/actual}; actuals are the points that carry one (national only).
 */
public final class UkCarbonIntensityProvider implements ForecastProvider {
  private static final DateTimeFormatter FROM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
  private final String region;
  private final String base;
  private final Integer regionId;
  private final ForecastHttp http;

  public UkCarbonIntensityProvider(String region, String base, Integer regionId, java.time.Duration timeout) {
    this.region = region;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.regionId = regionId;
    this.http = new ForecastHttp(timeout);
  }

  @Override
  public String name() {
    return "uk-carbon-intensity" + (regionId == null ? "" : ":region " + regionId);
  }

  @Override
  public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
    String from = FROM.format(now.truncatedTo(ChronoUnit.MINUTES));
    URI uri = URI.create(regionId == null ? base + "/intensity/" + from + "/fw48h"
        : base + "/regional/intensity/" + from + "/fw48h/regionid/" + regionId);
    JsonObject root = JsonShapes.object(name(), http.getJson(name(), uri, Map.of()), "the answer");
    JsonArray data = points(root.getValue("data"));
    List<IntensityPoint> forecast = new ArrayList<>();
    List<IntensityPoint> actuals = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonObject p = JsonShapes.object(name(), data.getValue(i), "data[" + i + "]");
      Instant start = JsonShapes.time(name(), p, "from");
      Instant end = JsonShapes.time(name(), p, "to");
      JsonObject intensity = JsonShapes.object(name(), p.getValue("intensity"), "data[" + i + "].intensity");
      if (!end.isAfter(start)) {
        throw new ForecastException(name() + ": data[" + i + "] ends before it starts");
      }
      forecast.add(new IntensityPoint(start, end, JsonShapes.number(name(), intensity, "forecast")));
      if (intensity.getValue("actual") instanceof Number) {
        actuals.add(new IntensityPoint(start, end, JsonShapes.number(name(), intensity, "actual")));
      }
    }
    return new ForecastSnapshot(region, name(), Signal.AVERAGE, now, forecast, actuals);
  }

  /** National answers put the points in {@code data}; regional ones nest them as {@code data.data} or {@code data[0].data}. */
  private JsonArray points(Object data) throws ForecastException {
    if (data instanceof JsonObject o) {
      return JsonShapes.array(name(), o.getValue("data"), "data.data");
    }
    JsonArray a = JsonShapes.array(name(), data, "data");
    if (!a.isEmpty() && a.getValue(0) instanceof JsonObject first && first.getValue("data") instanceof JsonArray nested) {
      return nested;
    }
    return a;
  }
}
