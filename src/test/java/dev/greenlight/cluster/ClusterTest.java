package dev.greenlight.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three clustered nodes in one JVM on 127.0.0.1 (random cluster name and ports) over one PostgreSQL: 10,000 profile
 * jobs at time scale 0 each succeed exactly once; then a node dies mid-job without a graceful stop and the
 * survivors rescue and finish its jobs; a browser's event stream on one node carries changes made on the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  static final String ADMIN = "test-admin-key-0123456789";
  static final int JOBS = 10_000;
  static TestDatabase db;
  static Map<String, String> baseEnv;
  static final List<Node> nodes = new ArrayList<>();
  static final List<Http> clients = new ArrayList<>();
  static final Set<UUID> succeededSeenByNode0 = ConcurrentHashMap.newKeySet();
  static String userKey;
  /** The load test's accounts: jobs of one account serialize on its credit balance, as they should. */
  static final List<String> loadKeys = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    db = TestDatabase.create();
    // below Linux's ephemeral range (32768 and up), where the test's own client connections take their ports
    int hzPort = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
    baseEnv = TestConfigs.with(TestConfigs.env(db),
        "GREENLIGHT_CLUSTER", "true",
        "GREENLIGHT_CLUSTER_NAME", "gl-test-" + UUID.randomUUID(),
        "GREENLIGHT_CLUSTER_PORT", String.valueOf(hzPort),
        "GREENLIGHT_CLUSTER_MEMBERS", "127.0.0.1:" + hzPort + ",127.0.0.1:" + (hzPort + 1) + ",127.0.0.1:" + (hzPort + 2)
            + ",127.0.0.1:" + (hzPort + 3),
        "GREENLIGHT_WORKER_SLOTS", "4",
        "GREENLIGHT_QUEUE_RESCUE_AFTER_MS", "3000",
        "GREENLIGHT_DB_POOL_SIZE", "6");
    for (int i = 0; i < 3; i++) {
      nodes.add(startNode(baseEnv));
    }
    nodes.getFirst().vertx().eventBus().<StateChange>consumer(Addresses.JOB_CHANGED, m -> {
      if (m.body().to() == JobState.SUCCEEDED) {
        succeededSeenByNode0.add(m.body().jobId());
      }
    });
    userKey = clients.getFirst().post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "load")).bodyAsJsonObject().getString("key");
    loadKeys.add(userKey);
    for (int i = 1; i < 8; i++) {
      loadKeys.add(clients.getFirst().post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "load " + i)).bodyAsJsonObject()
          .getString("key"));
    }
  }

  static Node startNode(Map<String, String> env) {
    Node node = Node.start(TestConfigs.config(TestConfigs.with(env, "GREENLIGHT_HTTP_PORT", "0")),
        Clock.systemUTC());
    clients.add(new Http(node.vertx(), node.httpPort()));
    return node;
  }

  @AfterAll
  static void stopCluster() {
    clients.forEach(Http::close);
    for (Node n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        // a crashed node has nothing left to close
      }
    }
    db.close();
  }

  @Test
  @Order(1)
  void tenThousandJobsSucceedExactlyOnce() {
    JsonObject body = new JsonObject().put("prompt", "load test").put("resolution", "144p").put("duration_s", 1).put("steps", 1);
    List<Future<HttpResponse<Buffer>>> window = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      Http client = clients.get(i % 3); // spread submissions over every node
      window.add(client.request(HttpMethod.POST, "/api/v1/jobs", loadKeys.get(i % loadKeys.size())).sendJsonObject(body));
      if (window.size() == 64 || i == JOBS - 1) {
        for (Future<HttpResponse<Buffer>> f : window) {
          assertThat(Await.result(f).statusCode()).isEqualTo(201);
        }
        window.clear();
      }
    }
    Await.until(Duration.ofMinutes(5), "all jobs succeeded", () -> count("SELECT count(*) FROM jobs WHERE state = 'succeeded'") == JOBS);

    assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(JOBS);
    assertThat(count("SELECT count(*) FROM jobs WHERE attempt <> 1")).isZero();
    assertThat(count("SELECT count(*) FROM job_attempts")).isEqualTo(JOBS);
    assertThat(count("SELECT count(*) FROM job_events WHERE from_state = 'running' AND to_state = 'succeeded'")).isEqualTo(JOBS);
    assertThat(count("SELECT count(*) FROM (SELECT job_id FROM job_events WHERE to_state = 'running' GROUP BY job_id HAVING count(*) > 1) d")).isZero();
    // the work was shared: every node ran some
    assertThat(count("SELECT count(DISTINCT split_part(worker_id, '/', 1)) FROM job_attempts")).isEqualTo(3);
    // and node 0 heard about every success on the event bus, wherever it ran
    Await.until(Duration.ofSeconds(30), "node 0 saw every success", () -> succeededSeenByNode0.size() == JOBS);
  }

  @Test
  @Order(2)
  void crashedNodesJobsAreRescuedAndFinishedBySurvivors() {
    // a fourth node joins; it runs the profile at 1/20 of H100 speed so that it is mid-job when it dies
    Node victim = startNode(TestConfigs.with(baseEnv, "GREENLIGHT_PROFILE_TIME_SCALE", "0.05"));
    nodes.add(victim);
    nodes.subList(0, 3).forEach(Node::pauseWorkers);
    JsonObject heavy = new JsonObject().put("prompt", "long one").put("resolution", "720p").put("duration_s", 8).put("steps", 100);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> r = clients.getFirst().post("/api/v1/jobs", userKey, heavy);
      assertThat(r.statusCode()).isEqualTo(201);
      ids.add(r.bodyAsJsonObject().getString("id"));
    }
    Await.until(Duration.ofSeconds(30), "the victim runs 4 jobs",
        () -> count("SELECT count(*) FROM jobs WHERE state = 'running' AND worker_id LIKE '" + victim.nodeId() + "/%'") == 4);

    victim.crash();
    nodes.subList(0, 3).forEach(Node::resumeWorkers);

    Await.until(Duration.ofSeconds(60), "every job finished", () -> ids.stream().allMatch(id ->
        "succeeded".equals(clients.getFirst().get("/api/v1/jobs/" + id, userKey).bodyAsJsonObject().getString("state"))));
    int rescued = 0;
    for (String id : ids) {
      JsonObject job = clients.get(1).get("/api/v1/jobs/" + id, userKey).bodyAsJsonObject();
      JsonArray attempts = job.getJsonArray("attempts");
      long successes = job.getJsonArray("events").stream().map(e -> (JsonObject) e)
          .filter(e -> "running".equals(e.getString("from")) && "succeeded".equals(e.getString("to"))).count();
      assertThat(successes).isEqualTo(1);
      JsonObject last = attempts.getJsonObject(attempts.size() - 1);
      assertThat(last.getString("outcome")).isEqualTo("succeeded");
      assertThat(last.getString("worker_id")).doesNotStartWith(victim.nodeId());
      if (attempts.size() == 2) {
        assertThat(attempts.getJsonObject(0).getString("outcome")).isEqualTo("rescued");
        assertThat(attempts.getJsonObject(0).getString("worker_id")).startsWith(victim.nodeId());
        rescued++;
      }
    }
    assertThat(rescued).isEqualTo(4);
  }

  @Test
  @Order(3)
  void aBrowserOnAnyNodeSeesLiveEventsFromTheWholeCluster() throws Exception {
    String other = clients.getFirst().post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "other")).bodyAsJsonObject()
        .getString("key");
    int port = nodes.get(2).httpPort();
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest refused = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/events?token=not-a-key")).build();
    assertThat(client.send(refused, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    List<String> mine = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> theirs = java.util.Collections.synchronizedList(new ArrayList<>());
    var streams = List.of(listen(client, port, userKey, mine), listen(client, port, other, theirs));
    try {
      Await.until(Duration.ofSeconds(10), "both streams open", () -> mine.contains(": greenlight events") && theirs.contains(": greenlight events"));
      // submitted on node 0, run by whichever node claims it, streamed by node 2
      String id = clients.getFirst().post("/api/v1/jobs", userKey, new JsonObject().put("prompt", "live")).bodyAsJsonObject().getString("id");
      Await.until(Duration.ofSeconds(30), "the success event on node 2", () -> {
        synchronized (mine) {
          return mine.stream().anyMatch(l -> l.startsWith("data:") && l.contains(id) && l.contains("\"to\":\"succeeded\""));
        }
      });
      synchronized (mine) {
        assertThat(mine).contains("event: job");
      }
      synchronized (theirs) {
        assertThat(theirs).noneMatch(l -> l.contains(id)); // another account's jobs are not streamed to it
      }
    } finally {
      streams.forEach(f -> f.cancel(true));
    }
  }

  static java.util.concurrent.CompletableFuture<?> listen(java.net.http.HttpClient client, int port, String key, List<String> into) {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/events?token=" + key)).build();
    return client.sendAsync(req, java.net.http.HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
      public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      public void onNext(String line) {
        into.add(line);
      }

      public void onError(Throwable t) {}

      public void onComplete() {}
    }));
  }

  static long count(String sql) {
    return nodes.getFirst().database().withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
