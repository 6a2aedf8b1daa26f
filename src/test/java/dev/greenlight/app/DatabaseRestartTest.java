package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database server stops and starts again under a running node: requests during the outage get a 503
 * problem (never a 500, never a lost job), and afterwards every job accepted before the outage completes.
 */
class DatabaseRestartTest {
  static final String ADMIN = "test-admin-key-0123456789";

  @Test
  void nodeSurvivesADatabaseRestart() throws Exception {
    Path pgData = Files.createTempDirectory("greenlight-restart-pg");
    int pgPort = TestConfigs.freePort();
    EmbeddedPostgres pg = start(pgData, pgPort);
    Map<String, String> env = TestConfigs.with(Map.of(), "GREENLIGHT_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
        "GREENLIGHT_DB_USER", "postgres", "GREENLIGHT_DB_CONNECT_TIMEOUT_MS", "1000",
        "GREENLIGHT_HTTP_PORT", "0", "GREENLIGHT_HTTP_HOST", "127.0.0.1",
        "GREENLIGHT_ADMIN_KEY", ADMIN, "GREENLIGHT_DATA_DIR", Files.createTempDirectory("greenlight-restart").toString(),
        "GREENLIGHT_ENGINE", "profile", "GREENLIGHT_PROFILE_TIME_SCALE", "0.02", "GREENLIGHT_WORKER_SLOTS", "2",
        "GREENLIGHT_QUEUE_POLL_INTERVAL_MS", "200", "GREENLIGHT_QUEUE_HEARTBEAT_INTERVAL_MS", "200",
        "GREENLIGHT_QUEUE_MAINTENANCE_INTERVAL_MS", "200");
    try (Node node = Node.start(TestConfigs.config(env), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(http.post("/api/v1/jobs", ADMIN, new JsonObject().put("prompt", "before " + i).put("steps", 20))
            .bodyAsJsonObject().getString("id"));
      }
      pg.close(); // the server goes away (fast shutdown), with jobs queued and running

      HttpResponse<Buffer> during = http.post("/api/v1/jobs", "glk_unknown-key-while-the-database-is-down",
          new JsonObject().put("prompt", "during"));
      assertThat(during.statusCode()).isEqualTo(503);
      assertThat(during.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(http.get("/health/ready", null).statusCode()).isEqualTo(503);

      pg = start(pgData, pgPort); // the same server comes back
      Await.until(Duration.ofSeconds(30), "ready again", () -> http.get("/health/ready", null).statusCode() == 200);
      Await.until(Duration.ofSeconds(60), "all accepted jobs succeeded", () -> ids.stream().allMatch(id ->
          "succeeded".equals(http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject().getString("state"))));
      assertThat(http.post("/api/v1/jobs", ADMIN, new JsonObject().put("prompt", "after")).statusCode()).isEqualTo(201);
    } finally {
      pg.close();
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }
}
