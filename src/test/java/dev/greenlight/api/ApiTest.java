package dev.greenlight.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API over real HTTP against a running node and a real PostgreSQL. */
class ApiTest {
  static final String ADMIN = "test-admin-key-0123456789";
  static TestDatabase db;
  static Node node;
  static Http http;
  static String alice;
  static String bob;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    // no worker slots: jobs stay where the API put them, so the tests see exactly what the API did
    Map<String, String> env = TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_WORKER_SLOTS", "0",
        "GREENLIGHT_REGIONS", "local,eu-north", "GREENLIGHT_WORKER_REGION", "local");
    node = Node.start(TestConfigs.config(env), Clock.systemUTC());
    http = new Http(node.vertx(), node.httpPort());
    alice = newUserKey("alice");
    bob = newUserKey("bob");
  }

  @AfterAll
  static void stop() {
    http.close();
    node.close();
    db.close();
  }

  static String newUserKey(String name) {
    HttpResponse<Buffer> r = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", name));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("role")).isEqualTo("user");
    assertThat(body.getString("account_id")).isNotBlank();
    return body.getString("key");
  }

  static JsonObject job() {
    return new JsonObject().put("prompt", "a lighthouse at dawn, waves, 35mm").put("resolution", "240p");
  }

  @Test
  void createsAnOnlineJobWithItsEstimate() {
    HttpResponse<Buffer> r = http.post("/api/v1/jobs", alice, job().put("steps", 40).put("seed", 42));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject j = r.bodyAsJsonObject();
    assertThat(r.getHeader("Location")).isEqualTo("/api/v1/jobs/" + j.getString("id"));
    assertThat(j.getString("state")).isEqualTo("queued");
    assertThat(j.getString("mode")).isEqualTo("online");
    assertThat(j.getInteger("duration_s")).isEqualTo(2);
    assertThat(j.getInteger("fps")).isEqualTo(8);
    assertThat(j.getInteger("frames")).isEqualTo(16);
    assertThat(j.getInteger("steps")).isEqualTo(40);
    assertThat(j.getLong("seed")).isEqualTo(42L);
    // 240p x 16 frames on the H100 profile: encode 4.04 J + 40 x 47.17 J + decode 46.30 J
    assertThat(j.getJsonObject("estimate").getDouble("energy_j")).isCloseTo(4.044 + 40 * 47.1656 + 46.2973, org.assertj.core.data.Offset.offset(0.01));
    assertThat(j.getJsonObject("estimate").getDouble("duration_s")).isCloseTo(0.00702 + 40 * 0.07605 + 0.08564, org.assertj.core.data.Offset.offset(0.001));

    JsonObject fetched = http.get("/api/v1/jobs/" + j.getString("id"), alice).bodyAsJsonObject();
    assertThat(fetched.getString("prompt")).isEqualTo("a lighthouse at dawn, waves, 35mm");
    assertThat(fetched.getJsonArray("events")).hasSize(1);
    assertThat(fetched.getJsonArray("events").getJsonObject(0).getString("to")).isEqualTo("queued");
  }

  @Test
  void offlineJobIsDeferredUntilItsLatestSafeStart() {
    Instant deadline = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<Buffer> r = http.post("/api/v1/jobs", alice, job().put("mode", "offline").put("deadline", deadline.toString()));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject j = r.bodyAsJsonObject();
    assertThat(j.getString("state")).isEqualTo("deferred");
    assertThat(Instant.parse(j.getString("deadline"))).isEqualTo(deadline);
    Instant runAfter = Instant.parse(j.getString("run_after"));
    assertThat(runAfter).isBefore(deadline.minusSeconds(120)).isAfter(deadline.minusSeconds(130));
  }

  @Test
  void acceptsAnyUnicodePromptAndOffsetDeadlines() {
    String prompt = "雪の中の狐 🦊 — «Füchse» ∑";
    String deadline = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(9)).plusHours(3).toString();
    HttpResponse<Buffer> r = http.post("/api/v1/jobs", alice, job().put("prompt", prompt).put("mode", "offline").put("deadline", deadline));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getString("prompt")).isEqualTo(prompt);
    String maxPrompt = "字".repeat(2000);
    assertThat(http.post("/api/v1/jobs", alice, job().put("prompt", maxPrompt)).statusCode()).isEqualTo(201);
  }

  static Stream<Arguments> badBodies() {
    String soon = Instant.now().plusSeconds(30).toString();
    String far = Instant.now().plus(Duration.ofDays(8)).toString();
    String ok = Instant.now().plus(Duration.ofHours(2)).toString();
    return Stream.of(
        Arguments.of(new JsonObject(), "prompt"),
        Arguments.of(job().put("prompt", ""), "prompt"),
        Arguments.of(job().put("prompt", "x".repeat(2001)), "prompt"),
        Arguments.of(job().put("prompt", 42), "prompt"),
        Arguments.of(job().put("prompt", "nul \u0000 inside"), "prompt"),
        Arguments.of(job().put("resolution", "1080p"), "resolution"),
        Arguments.of(job().put("resolution", 240), "resolution"),
        Arguments.of(job().put("duration_s", 0), "duration_s"),
        Arguments.of(job().put("duration_s", 17), "duration_s"),
        Arguments.of(job().put("duration_s", 2.5), "duration_s"),
        Arguments.of(job().put("duration_s", "2"), "duration_s"),
        Arguments.of(job().put("fps", 0), "fps"),
        Arguments.of(job().put("steps", 0), "steps"),
        Arguments.of(job().put("steps", 201), "steps"),
        Arguments.of(job().put("steps", new java.math.BigInteger("99999999999999999999999")), "steps"),
        Arguments.of(job().put("seed", -1), "seed"),
        Arguments.of(job().put("seed", "abc"), "seed"),
        Arguments.of(job().put("mode", "batch"), "mode"),
        Arguments.of(job().put("mode", "offline"), "deadline"),
        Arguments.of(job().put("mode", "offline").put("deadline", "tomorrow"), "deadline"),
        Arguments.of(job().put("mode", "offline").put("deadline", "2026-12-01T10:00:00"), "deadline"),
        Arguments.of(job().put("mode", "offline").put("deadline", soon), "deadline"),
        Arguments.of(job().put("mode", "offline").put("deadline", far), "deadline"),
        Arguments.of(job().put("deadline", ok), "deadline"),
        Arguments.of(job().put("regions", "local"), "regions"),
        Arguments.of(job().put("regions", new JsonArray().add("mars")), "regions[0]"),
        Arguments.of(job().put("regions", new JsonArray().add("local").add(7)), "regions[1]"),
        Arguments.of(job().put("priority", 10), "priority"),
        Arguments.of(job().put("priority", -1), "priority"),
        Arguments.of(job().put("callback_url", "ftp://example.test/x"), "callback_url"),
        Arguments.of(job().put("callback_url", "not a url"), "callback_url"),
        Arguments.of(job().put("colour", "blue"), "colour"));
  }

  @ParameterizedTest
  @MethodSource("badBodies")
  void rejectsBadInputWith400NamingTheField(JsonObject body, String field) {
    HttpResponse<Buffer> r = http.post("/api/v1/jobs", alice, body);
    assertProblem(r, 400, field);
  }

  @Test
  void reportsEveryBadFieldAtOnce() {
    HttpResponse<Buffer> r = http.post("/api/v1/jobs", alice, new JsonObject().put("prompt", "").put("steps", 0).put("x", 1));
    assertThat(r.statusCode()).isEqualTo(400);
    Set<String> fields = new HashSet<>();
    r.bodyAsJsonObject().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    assertThat(fields).containsExactlyInAnyOrder("prompt", "steps", "x");
  }

  @Test
  void rejectsMalformedBodies() {
    assertProblem(http.postRaw("/api/v1/jobs", alice, "application/json", Buffer.buffer("{\"prompt\": ")), 400, "body");
    assertProblem(http.postRaw("/api/v1/jobs", alice, "application/json", Buffer.buffer("[1,2]")), 400, "body");
    assertProblem(http.postRaw("/api/v1/jobs", alice, "application/json", Buffer.buffer("")), 400, "body");
    assertProblem(http.postRaw("/api/v1/jobs", alice, "application/json", Buffer.buffer("{\"prompt\":\"\\ud800x\"}")), 400, "prompt");
    HttpResponse<Buffer> text = http.postRaw("/api/v1/jobs", alice, "text/plain", Buffer.buffer("hello"));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.getHeader("Content-Type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> big = http.postRaw("/api/v1/jobs", alice, "application/json",
        Buffer.buffer(job().put("prompt", "x".repeat(70_000)).encode()));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(big.bodyAsJsonObject().getInteger("status")).isEqualTo(413);
  }

  @Test
  void idempotencyKeyReturnsTheSameJobOrConflicts() {
    JsonObject body = job().put("prompt", "idempotent fox");
    HttpResponse<Buffer> first = Await.result(http.request(HttpMethod.POST, "/api/v1/jobs", alice)
        .putHeader("Idempotency-Key", "order-77").sendJsonObject(body));
    HttpResponse<Buffer> again = Await.result(http.request(HttpMethod.POST, "/api/v1/jobs", alice)
        .putHeader("Idempotency-Key", "order-77").sendJsonObject(body));
    HttpResponse<Buffer> other = Await.result(http.request(HttpMethod.POST, "/api/v1/jobs", alice)
        .putHeader("Idempotency-Key", "order-77").sendJsonObject(body.copy().put("steps", 10)));
    HttpResponse<Buffer> bobSameKey = Await.result(http.request(HttpMethod.POST, "/api/v1/jobs", bob)
        .putHeader("Idempotency-Key", "order-77").sendJsonObject(body));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertProblem(other, 409, "Idempotency-Key");
    assertThat(bobSameKey.statusCode()).isEqualTo(201); // keys are per account
    HttpResponse<Buffer> badKey = Await.result(http.request(HttpMethod.POST, "/api/v1/jobs", alice)
        .putHeader("Idempotency-Key", "with space").sendJsonObject(body));
    assertProblem(badKey, 400, "Idempotency-Key");
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneJob() {
    JsonObject body = job().put("prompt", "race");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(http.request(HttpMethod.POST, "/api/v1/jobs", alice).putHeader("Idempotency-Key", "race-1").sendJsonObject(body));
    }
    Set<String> ids = new HashSet<>();
    int created = 0;
    for (var f : all) {
      HttpResponse<Buffer> r = Await.result(f);
      assertThat(r.statusCode()).isIn(200, 201);
      created += r.statusCode() == 201 ? 1 : 0;
      ids.add(r.bodyAsJsonObject().getString("id"));
    }
    assertThat(created).isEqualTo(1);
    assertThat(ids).hasSize(1);
  }

  @Test
  void authenticationAndOwnership() {
    assertThat(http.get("/api/v1/jobs", null).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/jobs", "glk_not-a-real-key").statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/jobs", null).getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(http.post("/api/v1/admin/keys", alice, new JsonObject().put("name", "x")).statusCode()).isEqualTo(403);

    String id = http.post("/api/v1/jobs", alice, job()).bodyAsJsonObject().getString("id");
    assertThat(http.get("/api/v1/jobs/" + id, bob).statusCode()).isEqualTo(404);
    assertThat(http.post("/api/v1/jobs/" + id + "/cancel", bob, new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(http.get("/api/v1/jobs/" + id, ADMIN).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/v1/jobs", bob).bodyAsJsonObject().getJsonArray("jobs").stream()
        .map(o -> ((JsonObject) o).getString("id"))).doesNotContain(id);
    assertProblem(http.get("/api/v1/jobs/not-a-uuid", alice), 400, "id");
    assertThat(http.get("/api/v1/jobs/" + java.util.UUID.randomUUID(), alice).statusCode()).isEqualTo(404);
  }

  @Test
  void adminKeyValidation() {
    assertProblem(http.post("/api/v1/admin/keys", ADMIN, new JsonObject()), 400, "name");
    assertProblem(http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "a").put("role", "admin")), 400, "role");
    assertProblem(http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", 5)), 400, "name");
  }

  @Test
  void listsWithFiltersAndCursorPagination() {
    String carol = newUserKey("carol");
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      created.add(http.post("/api/v1/jobs", carol, job().put("prompt", "job " + i)).bodyAsJsonObject().getString("id"));
    }
    String offline = http.post("/api/v1/jobs", carol, job().put("mode", "offline")
        .put("deadline", Instant.now().plus(Duration.ofHours(3)).toString())).bodyAsJsonObject().getString("id");
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r = http.get("/api/v1/jobs?mode=online&limit=3" + (cursor == null ? "" : "&cursor=" + cursor), carol);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject page = r.bodyAsJsonObject();
      assertThat(page.getJsonArray("jobs").size()).isLessThanOrEqualTo(3);
      page.getJsonArray("jobs").forEach(o -> seen.add(((JsonObject) o).getString("id")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).isEqualTo(created);
    assertThat(pages).isEqualTo(3);
    JsonArray deferred = http.get("/api/v1/jobs?state=deferred", carol).bodyAsJsonObject().getJsonArray("jobs");
    assertThat(deferred).hasSize(1);
    assertThat(deferred.getJsonObject(0).getString("id")).isEqualTo(offline);

    assertProblem(http.get("/api/v1/jobs?limit=201", carol), 400, "limit");
    assertProblem(http.get("/api/v1/jobs?limit=abc", carol), 400, "limit");
    assertProblem(http.get("/api/v1/jobs?state=done", carol), 400, "state");
    assertProblem(http.get("/api/v1/jobs?mode=x", carol), 400, "mode");
    assertProblem(http.get("/api/v1/jobs?cursor=zzz", carol), 400, "cursor");
    assertProblem(http.get("/api/v1/jobs?sort=asc", carol), 400, "sort");
  }

  @Test
  void cancelsWaitingJobsAndRefusesFinalOnes() {
    String id = http.post("/api/v1/jobs", alice, job()).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> r = http.post("/api/v1/jobs/" + id + "/cancel", alice, new JsonObject());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
    assertThat(r.bodyAsJsonObject().getString("finished_at")).isNotNull();
    assertProblem(http.post("/api/v1/jobs/" + id + "/cancel", alice, new JsonObject()), 409, null);
  }

  @Test
  void queuesShowCountsAndHealthIsReady() {
    http.post("/api/v1/jobs", alice, job().put("regions", new JsonArray().add("eu-north")));
    JsonObject q = http.get("/api/v1/queues", alice).bodyAsJsonObject();
    assertThat(q.getJsonObject("by_state").getLong("queued")).isGreaterThanOrEqualTo(1L);
    assertThat(q.getJsonArray("counts")).isNotEmpty();
    assertThat(q.getJsonArray("workers")).isEmpty(); // this node runs no slots

    HttpResponse<Buffer> live = http.get("/health/live", null);
    assertThat(live.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = http.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getBoolean("database")).isTrue();
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getBoolean("migrations")).isTrue();
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    assertProblem(http.get("/api/v1/nope", alice), 404, null);
    HttpResponse<Buffer> r = Await.result(http.request(HttpMethod.DELETE, "/api/v1/jobs", alice).send());
    assertThat(r.statusCode()).isIn(404, 405);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  static void assertProblem(HttpResponse<Buffer> r, int status, String field) {
    assertThat(r.statusCode()).as("status of %s", r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject p = r.bodyAsJsonObject();
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("title")).isNotBlank();
    assertThat(p.getString("detail")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    if (field != null) {
      assertThat(p.getJsonArray("errors")).as("errors of %s", p).isNotNull();
      assertThat(p.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field"))).contains(field);
    }
  }
}
