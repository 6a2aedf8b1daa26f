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
 * WattTime v3: {@code {base}/login} with basic auth gives a bearer token; {@code {base}/v3/forecast?region=&signal_type=co2_moer}
 * gives {@code data[].point_time/value} in {@code meta.units} lbs_co2_per_mwh, converted here to g/kWh (x 0.45359237).
 * This is MARGINAL intensity (MOER), labelled so; it gives no actuals here.
 */
public final class WattTimeProvider implements ForecastProvider {
  static final double LBS_PER_MWH_TO_G_PER_KWH = 0.45359237;
  private final String region;
  private final String base;
  private final String wattTimeRegion;
  private final String user;
  private final String password;
  private final ForecastHttp http;

  public WattTimeProvider(String region, String base, String wattTimeRegion, String user, String password, Duration timeout) {
    this.region = region;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.wattTimeRegion = wattTimeRegion;
    this.user = user;
    this.password = password;
    this.http = new ForecastHttp(timeout);
  }

  @Override
  public String name() {
    return "watttime:" + wattTimeRegion;
  }

  @Override
  public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
    JsonObject login = JsonShapes.object(name(), http.getJsonWithBasicAuth(name(), URI.create(base + "/login"), user, password), "the login answer");
    if (!(login.getValue("token") instanceof String token) || token.isBlank()) {
      throw new ForecastException(name() + ": the login answer has no token");
    }
    URI uri = URI.create(base + "/v3/forecast?region=" + URLEncoder.encode(wattTimeRegion, StandardCharsets.UTF_8)
        + "&signal_type=co2_moer");
    JsonObject root = JsonShapes.object(name(), http.getJson(name(), uri, Map.of("Authorization", "Bearer " + token)), "the forecast answer");
    JsonObject meta = JsonShapes.object(name(), root.getValue("meta"), "meta");
    String units = meta.getValue("units") instanceof String u ? u : "";
    double factor = switch (units) {
      case "lbs_co2_per_mwh" -> LBS_PER_MWH_TO_G_PER_KWH;
      case "g_co2_per_kwh", "kg_co2_per_mwh" -> 1.0;
      default -> throw new ForecastException(name() + ": unexpected units '" + units + "' (expected lbs_co2_per_mwh)");
    };
    JsonArray data = JsonShapes.array(name(), root.getValue("data"), "data");
    long period = meta.getValue("data_point_period_seconds") instanceof Number n ? n.longValue() : 300;
    List<IntensityPoint> forecast = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonObject p = JsonShapes.object(name(), data.getValue(i), "data[" + i + "]");
      Instant t = JsonShapes.time(name(), p, "point_time");
      forecast.add(new IntensityPoint(t, t.plusSeconds(period), JsonShapes.number(name(), p, "value") * factor));
    }
    Instant madeAt = meta.getValue("generated_at") instanceof String ? JsonShapes.time(name(), meta, "generated_at") : now;
    return new ForecastSnapshot(region, name(), Signal.MARGINAL, madeAt, forecast, List.of());
  }
}
