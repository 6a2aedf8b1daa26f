package dev.greenlight.forecast;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Blocking JSON GETs for forecast providers: one timeout for connect and answer, clear errors for every failure. */
final class ForecastHttp {
  private final HttpClient client;
  private final Duration timeout;

  ForecastHttp(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The decoded JSON body (a JsonObject or JsonArray) of a 2xx answer. */
  Object getJson(String provider, URI uri, Map<String, String> headers) throws ForecastException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    headers.forEach(b::header);
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new ForecastException(provider + ": no answer from " + uri.getHost() + " within " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new ForecastException(provider + ": request to " + uri.getHost() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ForecastException(provider + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status == 429) {
      String retry = response.headers().firstValue("Retry-After").orElse("?");
      throw new ForecastException(provider + ": rate limited (HTTP 429, Retry-After " + retry + ")");
    }
    if (status == 401 || status == 403) {
      throw new ForecastException(provider + ": credentials refused (HTTP " + status + ")");
    }
    if (status < 200 || status >= 300) {
      throw new ForecastException(provider + ": HTTP " + status + " from " + uri.getHost());
    }
    try {
      Object body = Json.decodeValue(response.body());
      if (body == null) {
        throw new ForecastException(provider + ": empty body");
      }
      return body;
    } catch (DecodeException e) {
      throw new ForecastException(provider + ": the answer is not valid JSON (truncated?)", e);
    }
  }

  /** For the WattTime login: a GET with basic authentication returning the body as JSON. */
  Object getJsonWithBasicAuth(String provider, URI uri, String user, String password) throws ForecastException {
    String token = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return getJson(provider, uri, Map.of("Authorization", "Basic " + token));
  }
}
