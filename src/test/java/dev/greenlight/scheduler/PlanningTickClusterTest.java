package dev.greenlight.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.app.Node;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.TestConfigs;
import dev.greenlight.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two nodes on one database: each planning tick runs on exactly one of them, and ticks go on when one dies. */
class PlanningTickClusterTest {

  @Test
  void everyTickRunsOnceAndTheScheduleSurvivesANodeDeath() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> env = TestConfigs.with(TestConfigs.env(db), "GREENLIGHT_PLANNER_TICK_SECONDS", "1",
          "GREENLIGHT_PLANNER_CLUSTER_CHECKIN_MS", "1000", "GREENLIGHT_WORKER_SLOTS", "0");
      Node a = Node.start(TestConfigs.config(TestConfigs.with(env, "GREENLIGHT_HTTP_PORT", "0")), Clock.systemUTC());
      Node b = Node.start(TestConfigs.config(TestConfigs.with(env, "GREENLIGHT_HTTP_PORT", "0")), Clock.systemUTC());
      try {
        Await.until(Duration.ofSeconds(30), "eight ticks", () -> count(db, "SELECT count(*) FROM planner_ticks") >= 8);
        assertThat(count(db, "SELECT count(*) FROM (SELECT scheduled_at FROM planner_ticks GROUP BY 1 HAVING count(*) > 1) d")).isZero();

        a.crash();
        Instant crashedAt = Instant.now();
        Await.until(Duration.ofSeconds(30), "ticks by the survivor after the crash", () ->
            count(db, "SELECT count(*) FROM planner_ticks WHERE node = '" + b.nodeId() + "' AND ran_at > '" + crashedAt + "'") >= 3);
        assertThat(count(db, "SELECT count(*) FROM (SELECT scheduled_at FROM planner_ticks GROUP BY 1 HAVING count(*) > 1) d")).isZero();
        assertThat(count(db, "SELECT count(*) FROM planner_ticks WHERE node = '" + a.nodeId() + "' AND ran_at > '"
            + crashedAt.plusSeconds(1) + "'")).isZero();
        // no gap longer than a few ticks: the survivor took over within the check-in interval
        Instant last = lastTick(db);
        assertThat(Duration.between(last, Instant.now())).isLessThan(Duration.ofSeconds(5));
      } finally {
        b.close();
      }
    }
  }

  static long count(TestDatabase db, String sql) {
    try (Connection c = DriverManager.getConnection(db.url(), "postgres", ""); PreparedStatement ps = c.prepareStatement(sql);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant lastTick(TestDatabase db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), "postgres", "");
         PreparedStatement ps = c.prepareStatement("SELECT max(ran_at) FROM planner_ticks"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }
}
