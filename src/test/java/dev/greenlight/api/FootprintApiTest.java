package dev.greenlight.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.Http;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A finished job carries its footprint, which recomputes exactly from its stored parts; totals sum per account. */
class FootprintApiTest {
  static final String ADMIN = "test-admin-key-0123456789";

  @Test
  void succeededJobHasAFootprintThatRecomputesAndSums() {
    try (TestDatabase db = TestDatabase.create();
         Node node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_FOOTPRINT_PUE_BY_REGION", "es=1.1")),
             Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      // wait for the first forecast so the intensity is known
      Await.until(Duration.ofSeconds(20), "a forecast", () -> http.get("/api/v1/forecast?region=es", ADMIN).bodyAsJsonObject()
          .getValue("current_g_per_kwh") != null);
      String user = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "f")).bodyAsJsonObject().getString("key");
      String id = http.post("/api/v1/jobs", user, new JsonObject().put("prompt", "measured").put("steps", 40))
          .bodyAsJsonObject().getString("id");
      Await.until(Duration.ofSeconds(20), "succeeded", () ->
          "succeeded".equals(http.get("/api/v1/jobs/" + id, user).bodyAsJsonObject().getString("state")));
      JsonObject job = http.get("/api/v1/jobs/" + id, user).bodyAsJsonObject();
      JsonObject f = job.getJsonObject("footprint");
      assertThat(f.getString("sensor")).isEqualTo("estimated:profile");
      assertThat(f.getString("region")).isEqualTo("es");
      assertThat(f.getDouble("pue")).isEqualTo(1.1);
      assertThat(f.getString("intensity_source")).isIn("actual", "forecast");
      JsonObject e = f.getJsonObject("energy_j");
      assertThat(e.getDouble("total")).isCloseTo(e.getDouble("encode") + e.getDouble("denoise") + e.getDouble("decode")
          + e.getDouble("mux"), within(1e-9));
      assertThat(e.getDouble("total")).isCloseTo(job.getJsonObject("estimate").getDouble("energy_j"), within(1e-6));
      double kwh = e.getDouble("total") / 3.6e6;
      double embodied = f.getDouble("device_seconds") / (5 * 365.25 * 86400) * 462_500;
      assertThat(f.getDouble("embodied_g")).isCloseTo(embodied, within(1e-12));
      assertThat(f.getDouble("operational_g")).isCloseTo(kwh * 1.1 * f.getDouble("intensity_g_per_kwh"), within(1e-12));
      assertThat(f.getDouble("total_g")).isCloseTo(f.getDouble("operational_g") + embodied, within(1e-12));
      assertThat(f.getDouble("run_now_g")).isCloseTo(kwh * 1.1 * f.getDouble("run_now_g_per_kwh") + embodied, within(1e-12));
      assertThat(f.getDouble("saved_g")).isCloseTo(f.getDouble("run_now_g") - f.getDouble("total_g"), within(1e-12));

      JsonObject mine = http.get("/api/v1/footprint", user).bodyAsJsonObject();
      assertThat(mine.getJsonObject("total").getLong("jobs")).isEqualTo(1L);
      assertThat(mine.getJsonObject("total").getDouble("total_g")).isCloseTo(f.getDouble("total_g"), within(1e-9));
      assertThat(mine.getJsonObject("total").getDouble("kwh")).isCloseTo(kwh, within(1e-12));
      String other = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "g")).bodyAsJsonObject().getString("key");
      assertThat(http.get("/api/v1/footprint", other).bodyAsJsonObject().getJsonObject("total").getLong("jobs")).isZero();
      assertThat(http.get("/api/v1/footprint", ADMIN).bodyAsJsonObject().getString("scope")).isEqualTo("all accounts");
      ApiTest.assertProblem(http.get("/api/v1/footprint?from=yesterday", user), 400, "from");
      ApiTest.assertProblem(http.get("/api/v1/footprint?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", user), 400, "from");
    }
  }
}
