package dev.greenlight.forecast;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A local HTTP server on 127.0.0.1 standing in for a forecast API: routes by path, records what it was asked. */
final class FakeProviderServer implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Map<String, Consumer<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();
  final HttpServer server;

  FakeProviderServer() throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      requests.add(req);
      Consumer<HttpServerRequest> h = routes.get(req.path());
      if (h == null) {
        req.response().setStatusCode(404).end("{}");
      } else {
        h.accept(req);
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void json(String path, int status, String body) {
    routes.put(path, req -> req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body));
  }

  void silent(String path) {
    routes.put(path, req -> { /* never answers */ });
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
