package dev.greenlight.scheduler;

import static dev.greenlight.scheduler.ExpectedArrivalsTickTest.REGION;
import static dev.greenlight.scheduler.ExpectedArrivalsTickTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.db.Database;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.NewJob;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The planning tick reads the last day's online jobs from PostgreSQL and keeps each slot's online reserve where they
 * came: a clean hour that saw no online work yesterday takes more deferred jobs than under the flat reserve, one at
 * yesterday's online peak fewer; a service with less than a day of online history, or a policy that turns it off,
 * keeps the flat {@code online_reserve}.
 */
class OnlineReserveTickTest {
  Database db;
  JobQueue queue;
  UUID account;
  PlanningService planning;

  /** Four GPUs; 300 g/kWh but 100 in 15:00-16:00; thirty 600-s jobs with 8 hours to go, submitted a minute ago. */
  void setUp(MigratedDatabase database) {
    db = database.db();
    queue = new JobQueue(db, attempt -> Duration.ofSeconds(10));
    account = new JobFactory(db, queue).account();
    planning = ExpectedArrivalsTickTest.planning(db, Map.of(3, 100.0));
    policy(PlannerPolicy.DEFAULT);
    IntStream.range(0, 30).forEach(i -> ExpectedArrivalsTickTest.insert(db, queue, account, T0.minusSeconds(60), 600, T0.plus(Duration.ofHours(8))));
  }

  void policy(PlannerPolicy p) {
    new PolicyStore(db, List.of(REGION)).put(new PlannerPolicy(true, 0, p.maxDeferralH(), p.safetyMarginFraction(), p.safetyMarginMinS(),
        p.horizonH(), p.slotMinutes(), Map.of(REGION, 4), List.of(), p.onlineReserve(), p.onlineReserveFromHistory(), p.onlineReserveMin(),
        p.onlineReserveHeadroom(), p.onlineReserveHeadroomFullH(), p.onlineReserveHeadroomNoneH(),
        p.forecastSmoothing()), "test", T0);
  }

  /** An online 600-s job submitted at {@code at} that ran in the region and is long done. */
  void online(Instant at) {
    online(at, 600);
  }

  void online(Instant at, double seconds) {
    UUID id = UUID.randomUUID();
    JobSpec spec = new JobSpec("a heron taking off", Resolution.P240, 2, 8, 20, 7L, JobMode.ONLINE, null, List.of(), 0, null);
    db.inTransaction(c -> queue.insert(c, new NewJob(id, account, spec, seconds * 600, seconds, at, 3), "test", at));
    db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'cancelled', finished_at = ?, region = ? WHERE id = ?")) {
        ps.setObject(1, OffsetDateTime.ofInstant(at.plusSeconds(600), ZoneOffset.UTC));
        ps.setString(2, REGION);
        ps.setObject(3, id);
        return ps.executeUpdate();
      }
    });
  }

  long plannedIntoTheCleanHour() {
    planning.tick(T0);
    return db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM jobs WHERE mode = 'offline' "
          + "AND (plan ->> 'planned_start')::timestamptz >= ? AND (plan ->> 'planned_start')::timestamptz < ?")) {
        ps.setObject(1, OffsetDateTime.ofInstant(T0.plus(Duration.ofHours(3)), ZoneOffset.UTC));
        ps.setObject(2, OffsetDateTime.ofInstant(T0.plus(Duration.ofHours(4)), ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Test
  void aCleanHourThatSawNoOnlineWorkYesterdayKeepsOnlyTheMinimum() {
    try (MigratedDatabase database = MigratedDatabase.create("online-reserve-night-test")) {
      setUp(database);
      // the flat 30 %: seven of the 600-s jobs in each of the clean hour's 30-minute slots
      assertThat(plannedIntoTheCleanHour()).isEqualTo(14);
      // a week-old service whose online jobs came at night yesterday (02:00-05:15): the clean hour keeps 10 %
      online(T0.minus(Duration.ofDays(7)));
      IntStream.range(0, 40).forEach(i -> online(T0.minus(Duration.ofHours(10)).plusSeconds(i * 300L)));
      assertThat(plannedIntoTheCleanHour()).isEqualTo(18);
      // the admin keeps the flat reserve
      policy(PlannerPolicy.DEFAULT.withFlatOnlineReserve(0.3));
      assertThat(plannedIntoTheCleanHour()).isEqualTo(14);
    }
  }

  @Test
  void aCleanHourAtYesterdaysOnlinePeakKeepsMore() {
    try (MigratedDatabase database = MigratedDatabase.create("online-reserve-peak-test")) {
      setUp(database);
      // online jobs kept 1.6 GPUs busy from 12:05 to 19:00 yesterday, two 300-s jobs in each minute (the tick reads
      // a minute's work as one): three hours ahead the headroom is gone, and 40 % of each slot is kept, six jobs in each
      IntStream.range(0, 67).forEach(i -> {
        Instant at = T0.minus(Duration.ofDays(1)).plusSeconds(300 + i * 375L);
        online(at, 300);
        online(at.plusSeconds(20), 300);
      });
      // but the first of them came less than a day ago: too young to learn from, the flat reserve
      assertThat(plannedIntoTheCleanHour()).isEqualTo(14);
      online(T0.minus(Duration.ofDays(3)));
      assertThat(plannedIntoTheCleanHour()).isEqualTo(12);
    }
  }
}
