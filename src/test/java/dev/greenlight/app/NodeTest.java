package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A whole node: embedded database that survives restarts, the worker running, cancelling and surviving faults. */
class NodeTest {
  static final String ADMIN = "test-admin-key-0123456789";

  @Test
  void embeddedDatabaseKeepsJobsAcrossRestartsAndAdminKeyIsGeneratedOnce() throws Exception {
    Path dataDir = Files.createTempDirectory("greenlight-embedded");
    Map<String, String> env = new HashMap<>();
    env.put("GREENLIGHT_DATA_DIR", dataDir.toString());
    env.put("GREENLIGHT_HTTP_PORT", "0");
    env.put("GREENLIGHT_HTTP_HOST", "127.0.0.1");
    env.put("GREENLIGHT_WORKER_SLOTS", "0");
    String jobId;
    String adminKey;
    try (Node first = Node.start(TestConfigs.config(env), Clock.systemUTC())) {
      assertThat(first.generatedAdminKey()).isPresent();
      adminKey = first.generatedAdminKey().get();
      try (Http http = new Http(first.vertx(), first.httpPort())) {
        jobId = http.post("/api/v1/jobs", adminKey, new JsonObject().put("prompt", "kept")).bodyAsJsonObject().getString("id");
      }
    }
    assertThat(Files.isDirectory(dataDir.resolve("pg"))).isTrue();
    try (Node second = Node.start(TestConfigs.config(env), Clock.systemUTC())) {
      assertThat(second.generatedAdminKey()).isEmpty();
      try (Http http = new Http(second.vertx(), second.httpPort())) {
        JsonObject job = http.get("/api/v1/jobs/" + jobId, adminKey).bodyAsJsonObject();
        assertThat(job.getString("prompt")).isEqualTo("kept");
        assertThat(job.getString("state")).isEqualTo("queued");
      }
    }
  }

  @Test
  void runningJobShowsProgressAndStopsAtAStepBoundaryWhenCancelled() {
    try (TestDatabase db = TestDatabase.create();
         Node node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db),
             "GREENLIGHT_PROFILE_TIME_SCALE", "1.0", "GREENLIGHT_WORKER_SLOTS", "1")), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      java.util.List<io.vertx.core.json.JsonObject> published = new java.util.concurrent.CopyOnWriteArrayList<>();
      node.vertx().eventBus().<io.vertx.core.json.JsonObject>consumer(dev.greenlight.cluster.Addresses.JOB_PROGRESS, m -> published.add(m.body()));
      // 480p, 8 s, 100 steps: about 117 s on an H100, so it is certainly mid-run when cancelled
      String id = http.post("/api/v1/jobs", ADMIN, new JsonObject().put("prompt", "long").put("resolution", "480p")
          .put("duration_s", 8).put("steps", 100)).bodyAsJsonObject().getString("id");
      Await.until(Duration.ofSeconds(20), "progress past step 2", () -> {
        JsonObject p = http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject().getJsonObject("progress");
        return p != null && "denoise".equals(p.getString("phase")) && p.getInteger("step") >= 2;
      });
      Await.until(Duration.ofSeconds(10), "progress on the event bus", () -> published.stream()
          .anyMatch(p -> id.equals(p.getString("job_id")) && "denoise".equals(p.getString("phase")) && p.getInteger("step") >= 2));
      JsonObject queues = http.get("/api/v1/queues", ADMIN).bodyAsJsonObject();
      assertThat(queues.getJsonArray("workers")).singleElement()
          .satisfies(w -> assertThat(((JsonObject) w).getInteger("busy")).isEqualTo(1));
      var cancel = http.post("/api/v1/jobs/" + id + "/cancel", ADMIN, new JsonObject());
      assertThat(cancel.statusCode()).isEqualTo(202);
      assertThat(cancel.bodyAsJsonObject().getString("cancel_requested_at")).isNotNull();
      Await.until(Duration.ofSeconds(10), "cancelled", () ->
          "cancelled".equals(http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject().getString("state")));
      JsonObject job = http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject();
      assertThat(job.getJsonArray("attempts").getJsonObject(0).getString("outcome")).isEqualTo("cancelled");
    }
  }

  @Test
  void jobsFinishExactlyOnceWhileTheDatabaseDropsEveryConnection() throws Exception {
    try (TestDatabase db = TestDatabase.create();
         Node node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db),
             "GREENLIGHT_PROFILE_TIME_SCALE", "0.002", "GREENLIGHT_WORKER_SLOTS", "4")), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      int jobs = 300;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        ids.add(http.post("/api/v1/jobs", ADMIN, new JsonObject().put("prompt", "fault " + i).put("resolution", "144p")
            .put("steps", 5)).bodyAsJsonObject().getString("id"));
      }
      // as a server restart looks to its clients: every connection of this database is cut, repeatedly
      AtomicBoolean done = new AtomicBoolean();
      Thread killer = Thread.ofPlatform().start(() -> {
        while (!done.get()) {
          terminateBackends(db);
          try {
            Thread.sleep(150);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      try {
        Await.until(Duration.ofSeconds(120), "all succeeded", () -> {
          try {
            return scalar(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded'") == jobs;
          } catch (Exception e) {
            return false;
          }
        });
      } finally {
        done.set(true);
        killer.join();
      }
      assertThat(scalar(db, "SELECT count(*) FROM job_events WHERE from_state = 'running' AND to_state = 'succeeded'")).isEqualTo(jobs);
      assertThat(scalar(db, "SELECT count(*) FROM jobs WHERE state <> 'succeeded'")).isZero();
    }
  }

  static void terminateBackends(TestDatabase db) {
    try (Connection c = DriverManager.getConnection(db.url(), "postgres", "");
         PreparedStatement ps = c.prepareStatement(
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      ps.executeQuery().close();
    } catch (Exception e) {
      // the next round tries again
    }
  }

  static long scalar(TestDatabase db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), "postgres", "");
         PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
