package dev.greenlight.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A real HTTP client for one node, with blocking helpers for tests. */
public final class Http implements AutoCloseable {
  private final WebClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.port = port;
  }

  public int port() {
    return port;
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String key) {
    HttpRequest<Buffer> r = client.request(method, path);
    if (key != null) {
      r.putHeader("Authorization", "Bearer " + key);
    }
    return r;
  }

  public HttpResponse<Buffer> get(String path, String key) {
    return Await.result(request(HttpMethod.GET, path, key).send());
  }

  public HttpResponse<Buffer> post(String path, String key, JsonObject body) {
    return Await.result(request(HttpMethod.POST, path, key).sendJsonObject(body));
  }

  public HttpResponse<Buffer> postRaw(String path, String key, String contentType, Buffer body) {
    HttpRequest<Buffer> r = request(HttpMethod.POST, path, key);
    if (contentType != null) {
      r.putHeader("Content-Type", contentType);
    }
    return Await.result(r.sendBuffer(body));
  }

  @Override
  public void close() {
    client.close();
  }
}
