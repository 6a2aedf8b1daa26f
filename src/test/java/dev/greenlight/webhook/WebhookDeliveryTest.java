package dev.greenlight.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhooks against a real receiver on 127.0.0.1, verified by an independent implementation of Standard Webhooks. */
class WebhookDeliveryTest {
  static final String ADMIN = "test-admin-key-0123456789";
  static Vertx receiverVertx;
  static HttpServer receiver;
  static final List<Received> received = new CopyOnWriteArrayList<>();
  static final Map<String, BiConsumer<HttpServerRequest, Integer>> behaviour = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  record Received(String path, String id, String timestamp, String signature, String body, long atMillis) {}

  @BeforeAll
  static void startReceiver() throws Exception {
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.path(), req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
          req.getHeader("webhook-signature"), body.toString(StandardCharsets.UTF_8), System.currentTimeMillis()));
      int n = calls.computeIfAbsent(req.path(), k -> new AtomicInteger()).incrementAndGet();
      behaviour.getOrDefault(req.path(), (r, i) -> r.response().setStatusCode(200).end("ok")).accept(req, n);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopReceiver() throws Exception {
    receiverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  static Map<String, String> env(TestDatabase db) {
    return TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_WEBHOOK_ALLOW_HOSTS", "127.0.0.1",
        "GREENLIGHT_WEBHOOK_RETRY_SCHEDULE", "0,1s,1s,1s", "GREENLIGHT_WEBHOOK_TIMEOUT_MS", "1500",
        "GREENLIGHT_WEBHOOK_POLL_INTERVAL_MS", "100", "GREENLIGHT_PLANNER_TICK_SECONDS", "1");
  }

  /** Standard Webhooks verification, written from the spec, independent of the production code. */
  static boolean verify(String secret, Received r) throws Exception {
    byte[] key = Base64.getDecoder().decode(secret.split("_", 2)[1]);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8));
    long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(r.timestamp()));
    if (age > 300) {
      return false;
    }
    for (String candidate : r.signature().split(" ")) {
      String[] parts = candidate.split(",", 2);
      if (parts[0].equals("v1") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
        return true;
      }
    }
    return false;
  }

  static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  static String submit(Http http, String key, String callback) {
    return http.post("/api/v1/jobs", key, new JsonObject().put("prompt", "hook").put("resolution", "144p").put("steps", 2)
        .put("callback_url", callback)).bodyAsJsonObject().getString("id");
  }

  @Test
  void signedRetriedOnceIdAndDisabledOnGone() throws Exception {
    try (TestDatabase db = TestDatabase.create(); Node node = Node.start(TestConfigs.config(env(db)), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      String alice = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "alice")).bodyAsJsonObject().getString("key");
      String accountSecret = http.post("/api/v1/webhooks/secret/rotate", alice, new JsonObject()).bodyAsJsonObject().getString("secret");
      assertThat(accountSecret).startsWith("whsec_");

      // 500 then 200: two attempts, one webhook-id, both signed with the account's secret
      behaviour.put("/flaky", (req, n) -> req.response().setStatusCode(n == 1 ? 500 : 200).end(n == 1 ? "boom" : "ok"));
      String job = submit(http, alice, url("/flaky"));
      Await.until(Duration.ofSeconds(20), "two attempts", () -> at("/flaky").size() == 2);
      List<Received> flaky = at("/flaky");
      assertThat(flaky.get(0).id()).isEqualTo(flaky.get(1).id()).startsWith("msg_");
      assertThat(verify(accountSecret, flaky.get(0))).isTrue();
      assertThat(verify(accountSecret, flaky.get(1))).isTrue();
      assertThat(verify(Signatures.newSecret(), flaky.get(1))).isFalse();
      JsonObject body = new JsonObject(flaky.get(1).body());
      assertThat(body.getString("type")).isEqualTo("job.succeeded");
      assertThat(body.getJsonObject("data").getString("id")).isEqualTo(job);
      assertThat(body.getJsonObject("data").getString("artifact_url")).isEqualTo("/api/v1/jobs/" + job + "/artifact");
      assertThat(body.getJsonObject("data").getJsonObject("footprint").getDouble("energy_j")).isPositive();
      assertThat(body.getJsonObject("data").getJsonObject("credits").getDouble("charged")).isPositive();
      assertThat(flaky.get(1).body()).isEqualTo(flaky.get(0).body());
      Await.until(Duration.ofSeconds(10), "logged", () -> http.get("/api/v1/jobs/" + job + "/deliveries", alice).bodyAsJsonObject()
          .getJsonArray("deliveries").getJsonObject(0).getString("state").equals("succeeded"));
      JsonObject delivery = http.get("/api/v1/jobs/" + job + "/deliveries", alice).bodyAsJsonObject().getJsonArray("deliveries").getJsonObject(0);
      assertThat(delivery.getJsonArray("log")).hasSize(2);
      assertThat(delivery.getJsonArray("log").getJsonObject(0).getInteger("status")).isEqualTo(500);
      assertThat(delivery.getJsonArray("log").getJsonObject(0).getString("response_excerpt")).isEqualTo("boom");
      // redelivery on request: the same message again, same webhook-id
      var again = http.post("/api/v1/deliveries/" + delivery.getString("id") + "/redeliver", alice, new JsonObject());
      assertThat(again.statusCode()).isEqualTo(202);
      Await.until(Duration.ofSeconds(20), "redelivered", () -> at("/flaky").size() == 3);
      assertThat(at("/flaky").get(2).id()).isEqualTo(delivery.getString("id"));
      String other = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "mallory")).bodyAsJsonObject().getString("key");
      assertThat(http.post("/api/v1/deliveries/" + delivery.getString("id") + "/redeliver", other, new JsonObject()).statusCode()).isEqualTo(404);
      assertThat(http.get("/api/v1/jobs/" + job + "/deliveries", other).statusCode()).isEqualTo(404);

      // a rotation: the next delivery is signed with the new secret and, during the overlap, the old one too
      String newSecret = http.post("/api/v1/webhooks/secret/rotate", alice, new JsonObject()).bodyAsJsonObject().getString("secret");
      submit(http, alice, url("/rotated"));
      Await.until(Duration.ofSeconds(20), "the rotated delivery", () -> at("/rotated").size() == 1);
      Received rotated = at("/rotated").getFirst();
      assertThat(rotated.signature().split(" ")).hasSize(2);
      assertThat(verify(newSecret, rotated)).isTrue();
      assertThat(verify(accountSecret, rotated)).isTrue();

      // a redirect is a failure, not followed
      behaviour.put("/moved", (req, n) -> {
        if (n == 1) {
          req.response().setStatusCode(302).putHeader("Location", url("/elsewhere")).end();
        } else {
          req.response().setStatusCode(200).end();
        }
      });
      submit(http, alice, url("/moved"));
      Await.until(Duration.ofSeconds(20), "retried after the redirect", () -> at("/moved").size() == 2);
      assertThat(at("/elsewhere")).isEmpty();

      // Retry-After honoured
      behaviour.put("/busy", (req, n) -> {
        if (n == 1) {
          req.response().setStatusCode(429).putHeader("Retry-After", "3").end();
        } else {
          req.response().setStatusCode(204).end();
        }
      });
      submit(http, alice, url("/busy"));
      Await.until(Duration.ofSeconds(20), "retried after Retry-After", () -> at("/busy").size() == 2);
      assertThat(at("/busy").get(1).atMillis() - at("/busy").get(0).atMillis()).isGreaterThanOrEqualTo(2900);

      // an endpoint answering 410 is disabled, with the reason shown to its owner
      behaviour.put("/gone", (req, n) -> req.response().setStatusCode(410).end());
      var created = http.post("/api/v1/webhooks/endpoints", alice, new JsonObject().put("url", url("/gone"))
          .put("event_types", new JsonArray().add("job.succeeded")));
      assertThat(created.statusCode()).isEqualTo(201);
      String endpointSecret = created.bodyAsJsonObject().getString("secret");
      submit(http, alice, null);
      Await.until(Duration.ofSeconds(20), "the endpoint disabled", () -> http.get("/api/v1/webhooks/endpoints", alice).bodyAsJsonObject()
          .getJsonArray("endpoints").getJsonObject(0).getString("disabled_at") != null);
      JsonObject endpoint = http.get("/api/v1/webhooks/endpoints", alice).bodyAsJsonObject().getJsonArray("endpoints").getJsonObject(0);
      assertThat(endpoint.getString("disabled_reason")).contains("410");
      assertThat(at("/gone")).hasSize(1);
      assertThat(verify(endpointSecret, at("/gone").getFirst())).isTrue();
      assertThat(endpoint.containsKey("secret")).isFalse();

      // an endpoint that has failed for longer than the limit (5 days) is disabled, saying since when
      var longFailing = http.post("/api/v1/webhooks/endpoints", alice, new JsonObject().put("url", url("/down"))).bodyAsJsonObject();
      node.database().withConnection(c -> {
        try (var ps = c.prepareStatement("UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = ?::uuid")) {
          ps.setString(1, longFailing.getString("id"));
          return ps.executeUpdate();
        }
      });
      Await.until(Duration.ofSeconds(10), "disabled for failing too long", () -> http.get("/api/v1/webhooks/endpoints", alice).bodyAsJsonObject()
          .getJsonArray("endpoints").stream().map(o -> (JsonObject) o).filter(o -> o.getString("id").equals(longFailing.getString("id")))
          .anyMatch(o -> o.getString("disabled_reason") != null && o.getString("disabled_reason").startsWith("every delivery failed since")));
    }
  }

  @Test
  void privateTargetsAreRefusedAndBadInputIs400() {
    try (TestDatabase db = TestDatabase.create(); Node node = Node.start(TestConfigs.config(env(db)), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      String bob = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "bob")).bodyAsJsonObject().getString("key");
      // 127.0.0.2 is loopback and not allow-listed: refused without sending anything
      var refused = http.post("/api/v1/webhooks/endpoints", bob, new JsonObject().put("url", "http://127.0.0.2:9/hook"));
      dev.greenlight.api.ApiTestSupport.assertProblem(refused, 400, "url");
      assertThat(refused.bodyAsJsonObject().getString("detail")).contains("loopback");
      var job = http.post("/api/v1/jobs", bob, new JsonObject().put("prompt", "x").put("callback_url", "http://127.0.0.3/x"));
      dev.greenlight.api.ApiTestSupport.assertProblem(job, 400, "callback_url");
      dev.greenlight.api.ApiTestSupport.assertProblem(http.post("/api/v1/webhooks/endpoints", bob, new JsonObject()
          .put("url", url("/ok")).put("event_types", new JsonArray().add("job.exploded"))), 400, "event_types[0]");
      dev.greenlight.api.ApiTestSupport.assertProblem(http.post("/api/v1/webhooks/endpoints", bob, new JsonObject()
          .put("url", "ftp://127.0.0.1/x")), 400, "url");
      assertThat(received.stream().filter(r -> r.path().equals("/hook") || r.path().equals("/x"))).isEmpty();
    }
  }

  @Test
  void releasedIsOptInAndGoesOnlyToEndpointsThatAskedForIt() {
    try (TestDatabase db = TestDatabase.create(); Node node = Node.start(TestConfigs.config(env(db)), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      String dana = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "dana")).bodyAsJsonObject().getString("key");
      http.post("/api/v1/webhooks/endpoints", dana, new JsonObject().put("url", url("/released"))
          .put("event_types", new JsonArray().add("job.released")));
      http.post("/api/v1/webhooks/endpoints", dana, new JsonObject().put("url", url("/finals")));
      // the kill switch releases every deferred job at the next tick
      assertThat(Await.result(http.request(io.vertx.core.http.HttpMethod.PUT, "/api/v1/admin/policy", ADMIN)
          .sendJsonObject(new JsonObject().put("carbon_aware", false))).statusCode()).isEqualTo(200);
      String job = http.post("/api/v1/jobs", dana, new JsonObject().put("prompt", "later").put("mode", "offline")
          .put("deadline", java.time.Instant.now().plus(Duration.ofHours(6)).toString())).bodyAsJsonObject().getString("id");
      Await.until(Duration.ofSeconds(20), "released and finished", () -> !at("/released").isEmpty() && !at("/finals").isEmpty());
      assertThat(new JsonObject(at("/released").getFirst().body()).getString("type")).isEqualTo("job.released");
      assertThat(new JsonObject(at("/released").getFirst().body()).getJsonObject("data").getString("id")).isEqualTo(job);
      assertThat(at("/finals")).allSatisfy(r -> assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("job.succeeded"));
    }
  }

  @Test
  void aDispatcherKilledMidDeliveryLosesNothing() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      behaviour.put("/slow", (req, n) -> {
        if (n > 1) {
          req.response().setStatusCode(200).end("ok");
        } // the first request is never answered: its sender dies while waiting
      });
      Node a = Node.start(TestConfigs.config(TestConfigs.with(env(db), "GREENLIGHT_WEBHOOK_TIMEOUT_MS", "8000")), Clock.systemUTC());
      String job;
      String key;
      try (Http http = new Http(a.vertx(), a.httpPort())) {
        key = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "carol")).bodyAsJsonObject().getString("key");
        job = submit(http, key, url("/slow"));
        Await.until(Duration.ofSeconds(20), "the first attempt in flight", () -> at("/slow").size() == 1);
      }
      a.crash();
      try (Node b = Node.start(TestConfigs.config(TestConfigs.with(env(db), "GREENLIGHT_HTTP_PORT", "0")),
          Clock.systemUTC()); Http http = new Http(b.vertx(), b.httpPort())) {
        // the first node's lease (its 8 s timeout + 5 s) must lapse before another node may take the message
        Await.until(Duration.ofSeconds(60), "delivered by the survivor", () -> at("/slow").size() >= 2);
        assertThat(at("/slow").get(1).id()).isEqualTo(at("/slow").get(0).id());
        Await.until(Duration.ofSeconds(10), "recorded as delivered", () -> "succeeded".equals(http.get("/api/v1/jobs/" + job + "/deliveries", key)
            .bodyAsJsonObject().getJsonArray("deliveries").getJsonObject(0).getString("state")));
      }
    }
  }
}
