package dev.greenlight.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A newcomer's first job on the default engine: a real (small) generation, a measured footprint, a playable file. */
class ReferenceJobTest {
  static final String ADMIN = "test-admin-key-0123456789";

  @Test
  void firstJobProducesAVideoWithAMeasuredFootprint() throws Exception {
    try (TestDatabase db = TestDatabase.create();
         Node node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_ENGINE", "reference",
             "GREENLIGHT_REFERENCE_WIDTH", "32", "GREENLIGHT_REFERENCE_DEPTH", "1", "GREENLIGHT_REFERENCE_VIDEO_FORMAT", "gif")),
             Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      String alice = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "alice")).bodyAsJsonObject().getString("key");
      String id = http.post("/api/v1/jobs", alice, new JsonObject().put("prompt", "a paper boat on a pond").put("resolution", "144p")
          .put("duration_s", 1).put("steps", 4)).bodyAsJsonObject().getString("id");
      Await.until(Duration.ofSeconds(60), "succeeded", () ->
          "succeeded".equals(http.get("/api/v1/jobs/" + id, alice).bodyAsJsonObject().getString("state")));
      JsonObject job = http.get("/api/v1/jobs/" + id, alice).bodyAsJsonObject();
      assertThat(job.getJsonObject("result").getString("engine")).isEqualTo("reference");
      JsonObject telemetry = job.getJsonObject("result").getJsonObject("telemetry");
      assertThat(telemetry.getString("sensor")).isIn("estimated:cpu-time", "rapl");
      assertThat(telemetry.getInteger("samples")).isGreaterThanOrEqualTo(2);
      JsonObject f = job.getJsonObject("footprint");
      assertThat(f.getString("sensor")).isEqualTo(telemetry.getString("sensor"));
      assertThat(f.getJsonObject("energy_j").getDouble("denoise")).isPositive();
      assertThat(f.getJsonObject("energy_j").getDouble("total")).isPositive();

      HttpResponse<Buffer> video = http.get("/api/v1/jobs/" + id + "/artifact", alice);
      assertThat(video.statusCode()).isEqualTo(200);
      assertThat(video.getHeader("Content-Type")).isEqualTo("image/gif");
      assertThat(video.getHeader("Accept-Ranges")).isEqualTo("bytes");
      byte[] bytes = video.body().getBytes();
      assertThat(Long.parseLong(video.getHeader("Content-Length"))).isEqualTo(bytes.length);
      assertThat(new String(bytes, 0, 6)).isEqualTo("GIF89a");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(video.getHeader("ETag")).isEqualTo("\"" + sha + "\"");

      HttpResponse<Buffer> part = Await.result(http.request(HttpMethod.GET, "/api/v1/jobs/" + id + "/artifact", alice)
          .putHeader("Range", "bytes=10-19").send());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.getHeader("Content-Range")).isEqualTo("bytes 10-19/" + bytes.length);
      assertThat(part.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 20));
      HttpResponse<Buffer> beyond = Await.result(http.request(HttpMethod.GET, "/api/v1/jobs/" + id + "/artifact", alice)
          .putHeader("Range", "bytes=" + (bytes.length + 5) + "-").send());
      assertThat(beyond.statusCode()).isEqualTo(416);

      HttpResponse<Buffer> poster = http.get("/api/v1/jobs/" + id + "/poster", alice);
      assertThat(poster.statusCode()).isEqualTo(200);
      assertThat(poster.getHeader("Content-Type")).isEqualTo("image/png");
      String bob = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "bob")).bodyAsJsonObject().getString("key");
      assertThat(http.get("/api/v1/jobs/" + id + "/artifact", bob).statusCode()).isEqualTo(404);
      assertThat(http.get("/api/v1/jobs/" + id + "/artifact", ADMIN).statusCode()).isEqualTo(200);

      // the cost model learned: this CPU is far slower than the H100 profile, so the next estimate is longer
      JsonObject same = new JsonObject().put("prompt", "again").put("resolution", "144p").put("duration_s", 1).put("steps", 4);
      double before = job.getJsonObject("estimate").getDouble("duration_s");
      double after = http.post("/api/v1/jobs", alice, same).bodyAsJsonObject().getJsonObject("estimate").getDouble("duration_s");
      assertThat(after).isGreaterThan(before * 1.5);
    }
  }
}
