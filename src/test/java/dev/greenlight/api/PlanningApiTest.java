package dev.greenlight.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.CleanHourTrace;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner through the API: plans with reasons, the forecast view, and admin policy changes taking effect. */
class PlanningApiTest {
  static final String ADMIN = "test-admin-key-0123456789";
  static TestDatabase db;
  static Node node;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    node = Node.start(TestConfigs.config(TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_PLANNER_TICK_SECONDS", "1",
        "GREENLIGHT_WORKER_SLOTS", "0", "GREENLIGHT_FORECAST_PROVIDERS_ES", "trace:" + CleanHourTrace.write("es-test") + "?year=2022")), Clock.systemUTC());
    http = new Http(node.vertx(), node.httpPort());
    // this node runs no worker slots: plan as if region es had one GPU
    assertThat(put("/api/v1/admin/policy", new JsonObject().put("capacity_override", new JsonObject().put("es", 1))).statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    http.close();
    node.close();
    db.close();
  }

  static HttpResponse<Buffer> put(String path, JsonObject body) {
    return Await.result(http.request(HttpMethod.PUT, path, ADMIN).sendJsonObject(body));
  }

  @Test
  void offlineJobGetsAPlanAndThePolicyKillSwitchReleasesItAtTheNextTick() {
    String deadline = Instant.now().plus(Duration.ofHours(20)).toString();
    String id = http.post("/api/v1/jobs", ADMIN, new JsonObject().put("prompt", "overnight").put("mode", "offline")
        .put("deadline", deadline).put("regions", new JsonArray().add("es"))).bodyAsJsonObject().getString("id");
    AtomicReference<JsonObject> job = new AtomicReference<>();
    Await.until(Duration.ofSeconds(20), "a plan", () -> {
      job.set(http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject());
      return job.get().getJsonObject("plan") != null;
    });
    JsonObject plan = job.get().getJsonObject("plan");
    assertThat(plan.getString("region")).isEqualTo("es");
    assertThat(plan.getString("reason")).isNotBlank();
    assertThat(plan.getDouble("expected_g_per_kwh")).isPositive();
    assertThat(plan.getDouble("expected_carbon_g")).isLessThanOrEqualTo(plan.getDouble("run_now_carbon_g") + 1e-9);
    Instant plannedStart = Instant.parse(plan.getString("planned_start"));
    assertThat(Duration.between(Instant.now(), plannedStart)).isBetween(Duration.ofHours(3), Duration.ofHours(6));
    assertThat(job.get().getString("state")).isEqualTo("deferred");
    assertThat(plan.getDouble("expected_g_per_kwh")).isEqualTo(50.0);
    assertThat(plan.getString("reason")).matches("deferred to \\d\\d:00 UTC in es: forecast 50 g/kWh against 300 now, saves about 83 %");
    {
      HttpResponse<Buffer> off = put("/api/v1/admin/policy", new JsonObject().put("carbon_aware", false));
      assertThat(off.statusCode()).isEqualTo(200);
      assertThat(off.bodyAsJsonObject().getBoolean("carbon_aware")).isFalse();
      Await.until(Duration.ofSeconds(20), "released by the next tick", () ->
          "queued".equals(http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject().getString("state")));
      JsonObject released = http.get("/api/v1/jobs/" + id, ADMIN).bodyAsJsonObject();
      assertThat(released.getJsonArray("events").getJsonObject(1).getString("reason")).contains("switched off");
      assertThat(put("/api/v1/admin/policy", new JsonObject().put("carbon_aware", true)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void forecastViewShowsPointsActualsAndTheProvider() {
    Await.until(Duration.ofSeconds(20), "a forecast", () -> !http.get("/api/v1/forecast?region=es", ADMIN).bodyAsJsonObject()
        .getJsonArray("forecast").isEmpty());
    JsonObject f = http.get("/api/v1/forecast?region=es", ADMIN).bodyAsJsonObject();
    assertThat(f.getJsonObject("provider").getString("name")).startsWith("trace:es-test");
    assertThat(f.getJsonObject("provider").getString("signal")).isEqualTo("average");
    assertThat(f.getDouble("current_g_per_kwh")).isPositive();
    assertThat(f.getJsonArray("forecast").size()).isGreaterThanOrEqualTo(47);
    assertThat(f.getJsonArray("actuals")).isNotEmpty();
    assertThat(f.getJsonArray("warnings")).isEmpty();
    assertThat(f.getLong("forecast_step_s")).isEqualTo(3600L);
    assertThat(f.getInteger("slot_minutes")).isEqualTo(30);
    // a service younger than a day has no track record to judge its forecast by: the planner takes it as it comes
    JsonObject smoothing = f.getJsonObject("smoothing");
    assertThat(smoothing.getBoolean("enabled")).isTrue();
    assertThat(smoothing.getBoolean("active")).isFalse();
    assertThat(smoothing.getInteger("track_record_h")).isEqualTo(72);
    assertThat(smoothing.getJsonArray("bands").stream().map(b -> ((JsonObject) b).getLong("bandwidth_minutes"))).containsOnly(0L);
    assertThat(smoothing.getJsonArray("bands").getJsonObject(0).getLong("lead_to_h")).isEqualTo(2L);
    assertThat(smoothing.getJsonArray("bands").getJsonObject(4).getValue("lead_to_h")).isNull();
    assertThat(f.getJsonArray("planning_forecast")).isEqualTo(f.getJsonArray("forecast"));
    ApiTest.assertProblem(http.get("/api/v1/forecast?region=mars", ADMIN), 400, "region");
  }

  @Test
  void slotsThatAverageManyOfTheForecastsStepsGetAHint() {
    // de replays the shipped 15-minute trace: two steps a 30-minute slot, no hint; four an hour's slot, a hint
    Await.until(Duration.ofSeconds(20), "a forecast for de", () -> !http.get("/api/v1/forecast?region=de", ADMIN).bodyAsJsonObject()
        .getJsonArray("forecast").isEmpty());
    JsonObject f = http.get("/api/v1/forecast?region=de", ADMIN).bodyAsJsonObject();
    assertThat(f.getLong("forecast_step_s")).isEqualTo(900L);
    assertThat(f.getJsonArray("warnings").stream().map(String::valueOf)).noneMatch(w -> w.contains("slot_minutes"));
    try {
      assertThat(put("/api/v1/admin/policy", new JsonObject().put("slot_minutes", 60)).statusCode()).isEqualTo(200);
      JsonObject coarse = http.get("/api/v1/forecast?region=de", ADMIN).bodyAsJsonObject();
      assertThat(coarse.getInteger("slot_minutes")).isEqualTo(60);
      assertThat(coarse.getJsonArray("warnings").stream().map(String::valueOf)).containsExactly(
          "the forecast for de comes in 15-minute steps and the planner's 60-minute slots average 4 of them, hiding its dips: "
              + "a slot_minutes of 15 follows the signal more closely, at more planning time per tick");
    } finally {
      assertThat(put("/api/v1/admin/policy", new JsonObject().put("slot_minutes", 30)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void policyValidationNamesEveryBadField() {
    HttpResponse<Buffer> r = put("/api/v1/admin/policy", new JsonObject().put("slot_minutes", 7).put("horizon_h", 500)
        .put("safety_margin", new JsonObject().put("fraction", -1)).put("region_allow_list", new JsonArray().add("mars"))
        .put("online_reserve", "lots").put("online_reserve_from_history", 1).put("online_reserve_min", 0.95)
        .put("online_reserve_headroom", 0.2).put("online_reserve_headroom_lead_h", new JsonObject().put("full", 4).put("none", 2).put("half", 3))
        .put("forecast_smoothing", "yes").put("nope", true));
    ApiTest.assertProblem(r, 400, "slot_minutes");
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("slot_minutes", "horizon_h", "safety_margin.fraction", "region_allow_list[0]", "online_reserve",
            "online_reserve_from_history", "online_reserve_min", "online_reserve_headroom", "online_reserve_headroom_lead_h.none",
            "online_reserve_headroom_lead_h.half", "forecast_smoothing", "nope");
    JsonObject unchanged = http.get("/api/v1/admin/policy", ADMIN).bodyAsJsonObject();
    assertThat(unchanged.getInteger("slot_minutes")).isEqualTo(30);
    assertThat(unchanged.getBoolean("online_reserve_from_history")).isTrue();
    assertThat(unchanged.getDouble("online_reserve_min")).isEqualTo(0.1);
    assertThat(unchanged.getDouble("online_reserve_headroom")).isEqualTo(1.25);
    assertThat(unchanged.getJsonObject("online_reserve_headroom_lead_h")).isEqualTo(new JsonObject().put("full", 1.0).put("none", 3.0));
    HttpResponse<Buffer> ok = put("/api/v1/admin/policy", new JsonObject().put("release_below_g_per_kwh", 80)
        .put("capacity_override", new JsonObject().put("es", 1).put("de", 4))
        .put("online_reserve_headroom_lead_h", new JsonObject().put("full", 2)));
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject saved = http.get("/api/v1/admin/policy", ADMIN).bodyAsJsonObject();
    assertThat(saved.getDouble("release_below_g_per_kwh")).isEqualTo(80.0);
    // a partial object changes only what it names
    assertThat(saved.getJsonObject("online_reserve_headroom_lead_h")).isEqualTo(new JsonObject().put("full", 2.0).put("none", 3.0));
    String user = http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", "u")).bodyAsJsonObject().getString("key");
    assertThat(http.get("/api/v1/admin/policy", user).statusCode()).isEqualTo(403);
    put("/api/v1/admin/policy", new JsonObject().put("release_below_g_per_kwh", 0).put("capacity_override", new JsonObject().put("es", 1))
        .put("online_reserve_headroom_lead_h", new JsonObject().put("full", 1)));
  }
}
