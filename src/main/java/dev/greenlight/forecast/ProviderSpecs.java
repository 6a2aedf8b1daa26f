package dev.greenlight.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds providers from their configuration specs, {@code KIND:LOCATION[?key=value&...]} (see config/greenlight.yaml).
 * A malformed spec is an {@link IllegalArgumentException} naming the region.
 */
public final class ProviderSpecs {
  private ProviderSpecs() {}

  public static Map<String, ForecastProvider> build(Map<String, String> specs, Duration timeout) {
    Map<String, ForecastProvider> out = new LinkedHashMap<>();
    specs.forEach((region, spec) -> out.put(region, build(region, spec, timeout)));
    return out;
  }

  public static ForecastProvider build(String region, String spec, Duration timeout) {
    int colon = spec.indexOf(':');
    String kind = spec.substring(0, colon);
    String rest = spec.substring(colon + 1);
    int q = rest.indexOf('?');
    String location = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> params = query(q < 0 ? "" : rest.substring(q + 1));
    try {
      return switch (kind) {
        case "trace" -> new TraceProvider(region, loadTrace(location), Integer.parseInt(params.getOrDefault("year", "2022")),
            ErrorModel.parse(params.getOrDefault("error", "none")), Long.parseLong(params.getOrDefault("seed", "1")));
        case "uk-carbon-intensity" -> new UkCarbonIntensityProvider(region, url(location),
            params.containsKey("region_id") ? Integer.valueOf(params.get("region_id")) : null, timeout);
        case "electricity-maps" -> new ElectricityMapsProvider(region, url(location), required(params, "zone"), required(params, "token"), timeout);
        case "watttime" -> new WattTimeProvider(region, url(location), required(params, "region"), required(params, "user"),
            required(params, "password"), timeout);
        case "carbon-aware-sdk" -> new CarbonAwareSdkProvider(region, url(location), required(params, "location"), timeout);
        default -> throw new IllegalArgumentException("unknown provider kind '" + kind + "'");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("forecast provider for region " + region + ": " + e.getMessage(), e);
    }
  }

  static CarbonTrace loadTrace(String location) {
    Path onDisk = Path.of(location);
    if (Files.isRegularFile(onDisk)) {
      return CarbonTrace.load(onDisk);
    }
    try (InputStream in = ProviderSpecs.class.getClassLoader().getResourceAsStream(location)) {
      if (in == null) {
        throw new IllegalArgumentException("no trace file " + location + " on disk or in the jar");
      }
      return CarbonTrace.parse(Path.of(location).getFileName().toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String location) {
    URI uri = URI.create(location);
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected an http(s) base URL, got '" + location + "'");
    }
    return location;
  }

  private static String required(Map<String, String> params, String key) {
    String v = params.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing ?" + key + "=");
    }
    return v;
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new HashMap<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
