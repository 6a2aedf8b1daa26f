package dev.greenlight.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.db.Database;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.NewJob;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The settlement rule: the quote is charged, and the carbon term refunded in proportion when the run was cleaner. */
class SettlementTest {
  @Test
  void chargesTheQuoteAndRefundsTheCarbonTermInProportion() {
    try (MigratedDatabase m = MigratedDatabase.create("settlement-test")) {
      Database db = m.db();
      Credits credits = new Credits(db);
      JobQueue queue = new JobQueue(db, a -> Duration.ofSeconds(1));
      UUID account = new JobFactory(db, queue).account();
      Instant now = Instant.now();
      credits.grant(account, 100, "test", now);
      Quote quote = new Quote("now", false, null, 12, 6, 0, now, "es", 2.0, 0);
      UUID job = UUID.randomUUID();
      JobSpec spec = new JobSpec("x", Resolution.P240, 2, 8, 50, null, JobMode.ONLINE, null, List.of(), 0, null);
      db.inTransaction(c -> {
        queue.insert(c, new NewJob(job, account, spec, 100, 2, now, 1), "test", now);
        credits.hold(c, account, job, quote, now);
        return null;
      });
      assertThat(credits.account(account).orElseThrow().balance()).isEqualTo(88.0);
      // measured 1.5 g against 2.0 g expected: a quarter of the carbon term (6) comes back
      db.inTransaction(c -> {
        credits.settle(c, job, 1.5, now);
        credits.settle(c, job, 0.1, now); // settling twice changes nothing
        return null;
      });
      var view = credits.jobCredits(job).orElseThrow();
      assertThat(view.getDouble("refunded")).isCloseTo(1.5, within(1e-9));
      assertThat(view.getDouble("charged")).isCloseTo(10.5, within(1e-9));
      assertThat(credits.account(account).orElseThrow().balance()).isCloseTo(89.5, within(1e-9));
      assertThat(ledgerSum(db, account)).isCloseTo(89.5, within(1e-9));
    }
  }

  static double ledgerSum(Database db, UUID account) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT sum(amount) FROM credit_ledger WHERE account_id = ?")) {
        ps.setObject(1, account);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getDouble(1);
        }
      }
    });
  }
}
