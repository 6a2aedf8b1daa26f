package dev.greenlight.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V12 moves jobs queued under the two-rank claim order (0: online and urgent, 1: released on plan) to the three ranks
 * of {@link ClaimRank} without losing one: planned work to {@link ClaimRank#PLANNED}, online jobs to
 * {@link ClaimRank#ONLINE}, urgent offline work stays {@link ClaimRank#DUE}.
 */
class ClaimRankMigrationTest {
  @Test
  void jobsQueuedBeforeTheThreeRanksKeepTheirPlaceInLine() throws Exception {
    try (TestDatabase testDb = TestDatabase.create()) {
      Flyway.configure().dataSource(testDb.url(), testDb.user(), "").locations("classpath:db/migration").target("11").load().migrate();
      try (Connection c = DriverManager.getConnection(testDb.url(), testDb.user(), ""); Statement st = c.createStatement()) {
        st.execute("INSERT INTO accounts (id, name, created_at) VALUES ('00000000-0000-0000-0000-000000000001', 'a', now())");
        String insert = "INSERT INTO jobs (id, account_id, state, mode, prompt, resolution, duration_s, fps, steps, seed, deadline, regions,"
            + " priority, estimate_energy_j, estimate_duration_s, max_attempts, run_after, latest_start, claim_rank, state_actor, state_reason, created_at, updated_at)"
            + " VALUES ('%s', '00000000-0000-0000-0000-000000000001', 'queued', '%s', 'p', '240p', 2, 8, 20, 1, %s, '{}', 0, 1, 1, 3,"
            + " now(), %s, %d, 'test', 'test', now(), now())";
        st.execute(insert.formatted("00000000-0000-0000-0000-00000000000a", "online", "NULL", "NULL", 0));
        st.execute(insert.formatted("00000000-0000-0000-0000-00000000000b", "offline", "now() + interval '2 hours'", "now() + interval '1 hour'", 1));
        st.execute(insert.formatted("00000000-0000-0000-0000-00000000000c", "offline", "now() + interval '20 minutes'", "now()", 0));
      }
      Flyway.configure().dataSource(testDb.url(), testDb.user(), "").locations("classpath:db/migration").load().migrate();
      try (Connection c = DriverManager.getConnection(testDb.url(), testDb.user(), ""); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, claim_rank FROM jobs")) {
        Map<String, Integer> ranks = new HashMap<>();
        while (rs.next()) {
          ranks.put(rs.getString("id").substring(35), rs.getInt("claim_rank"));
        }
        assertThat(ranks).containsExactlyInAnyOrderEntriesOf(Map.of("a", ClaimRank.ONLINE, "b", ClaimRank.PLANNED, "c", ClaimRank.DUE));
      }
    }
  }
}
