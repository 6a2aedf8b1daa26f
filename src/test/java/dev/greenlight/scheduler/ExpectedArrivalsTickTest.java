package dev.greenlight.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.db.Database;
import dev.greenlight.forecast.ForecastException;
import dev.greenlight.forecast.ForecastProvider;
import dev.greenlight.forecast.ForecastRefresher;
import dev.greenlight.forecast.ForecastSnapshot;
import dev.greenlight.forecast.ForecastStore;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.Signal;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.NewJob;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The planning tick reads yesterday's offline submissions from PostgreSQL as its forecast of the jobs still to come:
 * where yesterday's jobs filled the cleanest hour at this time of day, the job known now is planned into the next
 * cleanest hour; without that history it takes the cleanest one. A service younger than a day repeats the hours
 * it has seen.
 */
class ExpectedArrivalsTickTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("expected-arrivals-tick-test");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final String REGION = "zz";

  @Test
  void yesterdaysSubmissionsKeepTheCleanHourForTodaysAndTheKnownJobTakesTheNextCleanest() {
    Database db = DATABASE.db();
    JobQueue queue = new JobQueue(db, attempt -> Duration.ofSeconds(10));
    UUID account = new JobFactory(db, queue).account();
    // forecast: 300 g/kWh, but 100 in hour 2 and 150 in hour 4
    PlanningService planning = planning(db, Map.of(2, 100.0, 4, 150.0));

    // a service running for days: last week's first job; yesterday, 22 and 21.5 hours ago: a 1200-s job each with
    // 10 minutes of slack, long since done
    for (Instant at : List.of(T0.minus(Duration.ofDays(7)), T0.minus(Duration.ofHours(22)), T0.minus(Duration.ofMinutes(21 * 60 + 30)))) {
      UUID id = insert(db, queue, account, at, 1200, at.plus(Duration.ofMinutes(20 + 15 + 10)));
      update(db, "UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ?", at.plusSeconds(60), id);
    }
    // today: one 1000-s job a minute ago with a day's slack
    UUID known = insert(db, queue, account, T0.minusSeconds(60), 1000, T0.plus(Duration.ofHours(23)));

    planning.tick(T0);
    assertThat(plannedStart(db, known)).isBetween(T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofMinutes(4 * 60 + 59)));

    // the same without that history (moved three days back): the cleanest hour is the known job's
    update(db, "UPDATE jobs SET created_at = created_at - interval '3 days' WHERE id <> ? AND state = ?::job_state", known, "cancelled");
    planning.tick(T0);
    assertThat(plannedStart(db, known)).isEqualTo(T0.plus(Duration.ofHours(2)));
  }

  @Test
  void aServiceYoungerThanADayExpectsTheHoursItHasSeenToRepeat() {
    try (MigratedDatabase young = MigratedDatabase.create("young-service-tick-test")) {
      Database db = young.db();
      JobQueue queue = new JobQueue(db, attempt -> Duration.ofSeconds(10));
      UUID account = new JobFactory(db, queue).account();
      // forecast: 300 g/kWh, but 100 in hour 2 and 150 in hour 3
      PlanningService planning = planning(db, Map.of(2, 100.0, 3, 150.0));
      // the service's first two hours: a 1200-s job with 10 minutes of slack at their start and half an hour later
      for (Instant at : List.of(T0.minus(Duration.ofHours(2)), T0.minus(Duration.ofMinutes(90)))) {
        UUID id = insert(db, queue, account, at, 1200, at.plus(Duration.ofMinutes(20 + 15 + 10)));
        update(db, "UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ?", at.plusSeconds(60), id);
      }
      UUID known = insert(db, queue, account, T0.minusSeconds(60), 1000, T0.plus(Duration.ofHours(23)));

      // the two hours repeat: their jobs are expected again two hours on, filling hour 2; the known job takes hour 3
      // (with its own repetition, expected two hours from now)
      planning.tick(T0);
      assertThat(plannedStart(db, known)).isBetween(T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofMinutes(3 * 60 + 59)));

      // under an hour of history is too little to repeat: the known job takes the cleanest hour
      update(db, "UPDATE jobs SET created_at = ? WHERE state = ?::job_state", T0.minus(Duration.ofMinutes(30)), "cancelled");
      planning.tick(T0);
      assertThat(plannedStart(db, known)).isEqualTo(T0.plus(Duration.ofHours(2)));
    }
  }

  /** A planning tick on one GPU in region {@value #REGION}, whose forecast is 300 g/kWh but in the given hours from now. */
  static PlanningService planning(Database db, Map<Integer, Double> hours) {
    ForecastProvider provider = new ForecastProvider() {
      @Override
      public String name() {
        return "test-hours";
      }

      @Override
      public ForecastSnapshot fetch(Instant now, int horizonHours) throws ForecastException {
        List<IntensityPoint> points = new ArrayList<>();
        for (int h = 0; h < horizonHours; h++) {
          Instant s = now.plus(Duration.ofHours(h));
          points.add(new IntensityPoint(s, s.plus(Duration.ofHours(1)), hours.getOrDefault(h, 300.0)));
        }
        return new ForecastSnapshot(REGION, name(), Signal.AVERAGE, now, points, List.of());
      }
    };
    ForecastStore store = new ForecastStore(db);
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    assertThat(new ForecastRefresher(Map.of(REGION, provider), store, clock, 48, 1, Duration.ofMillis(1)).refreshAll()).isEqualTo(1);
    PolicyStore policies = new PolicyStore(db, List.of(REGION));
    PlannerPolicy p = PlannerPolicy.DEFAULT;
    policies.put(new PlannerPolicy(true, 0, p.maxDeferralH(), p.safetyMarginFraction(), p.safetyMarginMinS(), p.horizonH(),
        p.slotMinutes(), Map.of(REGION, 1), List.of(), p.onlineReserve(), p.onlineReserveFromHistory(), p.onlineReserveMin(),
        p.onlineReserveHeadroom(), p.onlineReserveHeadroomFullH(), p.onlineReserveHeadroomNoneH(),
        p.forecastSmoothing()), "test", T0);
    return new PlanningService(db, new ForecastView(store, Map.of(REGION, provider), Duration.ofHours(1)),
        policies, List.of(REGION), StateChangeListener.NONE, clock, Duration.ofSeconds(60), Duration.ofSeconds(30), "test-node");
  }

  static UUID insert(Database db, JobQueue queue, UUID account, Instant createdAt, double durationS, Instant deadline) {
    return insert(db, queue, account, createdAt, durationS, deadline, REGION);
  }

  /** An offline job that may run only in {@code region}. */
  static UUID insert(Database db, JobQueue queue, UUID account, Instant createdAt, double durationS, Instant deadline, String region) {
    UUID id = UUID.randomUUID();
    JobSpec spec = new JobSpec("a lighthouse at dusk", Resolution.P240, 2, 8, 20, 7L, JobMode.OFFLINE, deadline, List.of(region), 0, null);
    db.inTransaction(c -> queue.insert(c, new NewJob(id, account, spec, durationS * 600, durationS, deadline, 3), "test", createdAt));
    return id;
  }

  static void update(Database db, String sql, Object a, Object b) {
    db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setObject(1, a instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : a);
        ps.setObject(2, b instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : b);
        return ps.executeUpdate();
      }
    });
  }

  static Instant plannedStart(Database db, UUID id) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT (plan ->> 'planned_start')::timestamptz FROM jobs WHERE id = ?")) {
        ps.setObject(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
      }
    });
  }
}
