package dev.greenlight.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.api.ApiTestSupport;
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
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Credits end to end: quotes, holds, 402, settlement, releases, grants, pricing, and the ledger under concurrency. */
class CreditsApiTest {
  static final String ADMIN = "test-admin-key-0123456789";

  static Map<String, String> env(TestDatabase db) {
    return TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_CREDITS_INITIAL_BALANCE", "0", "GREENLIGHT_PLANNER_TICK_SECONDS", "1");
  }

  static String user(Http http, String name) {
    return http.post("/api/v1/admin/keys", ADMIN, new JsonObject().put("name", name)).bodyAsJsonObject().getString("key");
  }

  static String accountId(Http http, String key) {
    return http.get("/api/v1/account", key).bodyAsJsonObject().getString("id");
  }

  static double balance(Http http, String key) {
    return http.get("/api/v1/account", key).bodyAsJsonObject().getDouble("balance");
  }

  /** Waits for the node's first forecast refresh: until then prices use the reference intensity, after it the forecast. */
  static void awaitForecasts(Http http) {
    for (String region : List.of("es", "de")) {
      Await.until(Duration.ofSeconds(20), "a forecast for " + region, () -> http.get("/api/v1/forecast?region=" + region, ADMIN)
          .bodyAsJsonObject().getValue("current_g_per_kwh") != null);
    }
  }

  @Test
  void quoteHoldSettleReleaseAnd402() {
    try (TestDatabase db = TestDatabase.create(); Node node = Node.start(TestConfigs.config(env(db)), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      String erin = user(http, "erin");
      assertThat(balance(http, erin)).isZero();
      JsonObject job = new JsonObject().put("prompt", "priced").put("resolution", "240p").put("steps", 50);

      // nothing to pay with: 402, saying how much is missing, and nothing held or created
      HttpResponse<Buffer> poor = http.post("/api/v1/jobs", erin, job);
      assertThat(poor.statusCode()).isEqualTo(402);
      assertThat(poor.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(poor.bodyAsJsonObject().getDouble("missing_credits")).isPositive();
      assertThat(poor.bodyAsJsonObject().getString("detail")).contains("missing");
      assertThat(http.get("/api/v1/jobs", erin).bodyAsJsonObject().getJsonArray("jobs")).isEmpty();
      assertThat(http.get("/api/v1/account", erin).bodyAsJsonObject().getDouble("on_hold")).isZero();

      // an admin grants credits
      String account = accountId(http, erin);
      HttpResponse<Buffer> grant = http.post("/api/v1/admin/accounts/" + account + "/grants", ADMIN,
          new JsonObject().put("credits", 100).put("note", "welcome"));
      assertThat(grant.statusCode()).isEqualTo(201);
      assertThat(balance(http, erin)).isEqualTo(100.0);
      ApiTestSupport.assertProblem(http.post("/api/v1/admin/accounts/" + account + "/grants", ADMIN, new JsonObject().put("credits", -5)), 400, "credits");
      assertThat(http.post("/api/v1/admin/accounts/" + account + "/grants", erin, new JsonObject().put("credits", 5)).statusCode()).isEqualTo(403);

      // quotes side by side (on the forecast, as the submission below will be)
      awaitForecasts(http);
      JsonArray options = http.post("/api/v1/quotes", erin, job).bodyAsJsonObject().getJsonArray("options");
      assertThat(options.stream().map(o -> ((JsonObject) o).getString("label"))).contains("now", "+2h", "+6h", "+12h", "+24h");
      JsonObject now = options.getJsonObject(0);
      assertThat(now.getString("mode")).isEqualTo("online");
      assertThat(now.getDouble("credits")).isPositive();
      for (Object o : options) {
        JsonObject q = (JsonObject) o;
        if (q.getString("mode").equals("offline")) {
          assertThat(q.getDouble("credits")).isLessThanOrEqualTo(now.getDouble("credits") + 1e-9);
          assertThat(q.getDouble("discount")).isBetween(0.0, 0.5);
          assertThat(q.getDouble("saved_g")).isGreaterThanOrEqualTo(0.0);
        }
      }

      // submitting holds the binding quote; success settles it
      JsonObject created = http.post("/api/v1/jobs", erin, job).bodyAsJsonObject();
      double price = created.getJsonObject("quote").getDouble("credits");
      assertThat(price).isCloseTo(now.getDouble("credits"), within(1e-6));
      assertThat(balance(http, erin)).isCloseTo(100 - price, within(1e-4));
      String id = created.getString("id");
      Await.until(Duration.ofSeconds(20), "settled", () -> {
        JsonObject c = http.get("/api/v1/jobs/" + id, erin).bodyAsJsonObject().getJsonObject("credits");
        return c != null && c.getValue("charged") != null;
      });
      JsonObject credits = http.get("/api/v1/jobs/" + id, erin).bodyAsJsonObject().getJsonObject("credits");
      assertThat(credits.getDouble("quoted")).isEqualTo(price);
      assertThat(credits.getDouble("held")).isZero();
      assertThat(credits.getDouble("charged") + credits.getDouble("refunded")).isCloseTo(price, within(1e-4));
      assertThat(balance(http, erin)).isCloseTo(100 - credits.getDouble("charged"), within(1e-4));

      // cancelling a deferred job gives its hold back
      JsonObject offline = job.copy().put("mode", "offline").put("deadline", Instant.now().plus(Duration.ofHours(20)).toString());
      String waiting = http.post("/api/v1/jobs", erin, offline).bodyAsJsonObject().getString("id");
      double before = balance(http, erin);
      http.post("/api/v1/jobs/" + waiting + "/cancel", erin, new JsonObject());
      JsonObject released = http.get("/api/v1/jobs/" + waiting, erin).bodyAsJsonObject().getJsonObject("credits");
      assertThat(released.getDouble("released")).isPositive();
      assertThat(balance(http, erin)).isCloseTo(before + released.getDouble("released"), within(1e-4));
      assertThat(ledgerMatchesBalances(db)).isTrue();
    }
  }

  @Test
  void pricingIsAdminEditableAndDiscountsChartThePrice() {
    try (TestDatabase db = TestDatabase.create(); Node node = Node.start(TestConfigs.config(env(db)), Clock.systemUTC());
         Http http = new Http(node.vertx(), node.httpPort())) {
      JsonObject p = http.get("/api/v1/admin/pricing", ADMIN).bodyAsJsonObject();
      assertThat(p.getDouble("reference_credits")).isEqualTo(10.0);
      HttpResponse<Buffer> bad = Await.result(http.request(HttpMethod.PUT, "/api/v1/admin/pricing", ADMIN)
          .sendJsonObject(new JsonObject().put("carbon_share", 2).put("max_offline_discount", "lots").put("x", 1)));
      ApiTestSupport.assertProblem(bad, 400, "carbon_share");
      assertThat(bad.bodyAsJsonObject().getJsonArray("errors")).hasSize(3);
      HttpResponse<Buffer> ok = Await.result(http.request(HttpMethod.PUT, "/api/v1/admin/pricing", ADMIN)
          .sendJsonObject(new JsonObject().put("reference_credits", 20)));
      assertThat(ok.statusCode()).isEqualTo(200);
      awaitForecasts(http);
      JsonObject d = http.get("/api/v1/discounts?region=es&hours=24", ADMIN).bodyAsJsonObject();
      assertThat(d.getJsonArray("hours")).hasSize(24);
      List<Double> prices = new ArrayList<>();
      List<Double> intensities = new ArrayList<>();
      d.getJsonArray("hours").forEach(h -> {
        prices.add(((JsonObject) h).getDouble("credits"));
        intensities.add(((JsonObject) h).getDouble("g_per_kwh"));
      });
      // the cleanest hour is the cheapest
      int cleanest = intensities.indexOf(intensities.stream().min(Double::compare).orElseThrow());
      int dirtiest = intensities.indexOf(intensities.stream().max(Double::compare).orElseThrow());
      assertThat(prices.get(cleanest)).isLessThan(prices.get(dirtiest));
      ApiTestSupport.assertProblem(http.get("/api/v1/discounts?region=mars", ADMIN), 400, "region");
    }
  }

  @Test
  void theLedgerHoldsUnderConcurrentSubmissionsCancellationsAndFailuresOnTwoNodes() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> env = TestConfigs.with(env(db), "GREENLIGHT_PROFILE_FAILURE_RATE", "0.2", "GREENLIGHT_QUEUE_MAX_ATTEMPTS", "1",
          "GREENLIGHT_PROFILE_TIME_SCALE", "0.01");
      try (Node a = Node.start(TestConfigs.config(env), Clock.systemUTC());
           Node b = Node.start(TestConfigs.config(TestConfigs.with(env, "GREENLIGHT_HTTP_PORT", "0")),
               Clock.systemUTC());
           Http ha = new Http(a.vertx(), a.httpPort()); Http hb = new Http(b.vertx(), b.httpPort())) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String key = user(ha, "u" + i);
          ha.post("/api/v1/admin/accounts/" + accountId(ha, key) + "/grants", ADMIN, new JsonObject().put("credits", 100));
          keys.add(key);
        }
        JsonObject job = new JsonObject().put("prompt", "load").put("resolution", "144p").put("steps", 10);
        List<io.vertx.core.Future<HttpResponse<Buffer>>> window = new ArrayList<>();
        List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        int rejected = 0;
        for (int i = 0; i < 2000; i++) {
          Http h = i % 2 == 0 ? ha : hb;
          String key = keys.get(i % keys.size());
          JsonObject body = i % 3 == 0 ? job.copy().put("mode", "offline").put("deadline", Instant.now().plus(Duration.ofHours(12)).toString()) : job;
          window.add(h.request(HttpMethod.POST, "/api/v1/jobs", key).sendJsonObject(body));
          if (window.size() == 32 || i == 1999) {
            for (var f : window) {
              HttpResponse<Buffer> r = Await.result(f);
              if (r.statusCode() == 201) {
                ids.add(r.bodyAsJsonObject().getString("id") + "|" + key);
              } else {
                assertThat(r.statusCode()).isEqualTo(402);
                rejected++;
              }
            }
            window.clear();
            // cancel some, from either node, while others run
            for (int k = 0; k < 4 && !ids.isEmpty(); k++) {
              String[] pick = ids.get(ThreadLocalRandom.current().nextInt(ids.size())).split("\\|");
              (k % 2 == 0 ? ha : hb).request(HttpMethod.POST, "/api/v1/jobs/" + pick[0] + "/cancel", pick[1]).send();
            }
          }
        }
        assertThat(rejected).isPositive(); // the grants run out: some submissions were refused
        // release the deferred ones so everything ends
        Await.result(ha.request(HttpMethod.PUT, "/api/v1/admin/policy", ADMIN).sendJsonObject(new JsonObject().put("carbon_aware", false)));
        Await.until(Duration.ofMinutes(3), "every job final", () -> scalar(db,
            "SELECT count(*) FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled')").signum() == 0);
        Await.until(Duration.ofSeconds(30), "every job settled", () -> scalar(db,
            "SELECT count(*) FROM job_credits WHERE settled_at IS NULL").signum() == 0);
        assertThat(scalar(db, "SELECT count(*) FROM jobs WHERE state = 'failed'").signum()).isPositive();
        assertThat(scalar(db, "SELECT count(*) FROM jobs WHERE state = 'cancelled'").signum()).isPositive();
        assertThat(ledgerMatchesBalances(db)).isTrue();
        // every job is exactly accounted: balance = grants - charges; released jobs charged nothing
        assertThat(scalar(db, """
            SELECT count(*) FROM accounts a WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM credit_ledger l
              WHERE l.account_id = a.id AND l.kind = 'grant') - (SELECT coalesce(sum(charged), 0) FROM job_credits c WHERE c.account_id = a.id)
            """).signum()).isZero();
        assertThat(scalar(db, """
            SELECT count(*) FROM job_credits c JOIN jobs j ON j.id = c.job_id
            WHERE (j.state = 'succeeded' AND (c.charged IS NULL OR c.released <> 0))
               OR (j.state IN ('failed', 'cancelled') AND (c.charged IS NOT NULL OR c.released <> c.held))
            """).signum()).isZero();
        assertThat(scalar(db, "SELECT count(*) FROM accounts WHERE balance < 0").signum()).isZero();
      }
    }
  }

  static boolean ledgerMatchesBalances(TestDatabase db) {
    return scalar(db, "SELECT count(*) FROM accounts a WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM credit_ledger l WHERE l.account_id = a.id)")
        .signum() == 0;
  }

  static BigDecimal scalar(TestDatabase db, String sql) {
    try (Connection c = DriverManager.getConnection(db.url(), "postgres", ""); PreparedStatement ps = c.prepareStatement(sql);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBigDecimal(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
