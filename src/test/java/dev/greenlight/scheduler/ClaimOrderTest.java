package dev.greenlight.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.db.Database;
import dev.greenlight.forecast.ForecastStore;
import dev.greenlight.forecast.ForecastView;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.planner.PlannerPolicy;
import dev.greenlight.queue.ClaimedJob;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The claim order between online jobs and deferred jobs the planner released ({@link dev.greenlight.queue.ClaimRank}):
 * offline jobs whose latest safe start comes before the next tick, then online jobs, then the offline jobs released
 * with time to spare, earliest latest start first; a planning tick promotes a released job whose latest start has come.
 */
class ClaimOrderTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("claim-order-test");
  Database db;
  static final Duration TICK = Duration.ofSeconds(60);
  // the default margin keeps max(900 s, half the 2 s estimate) before the deadline
  static final Duration MARGIN = Duration.ofSeconds(902);
  final Instant t0 = Instant.parse("2026-11-26T12:00:10Z");
  JobQueue queue;
  JobFactory factory;
  PolicyStore policies;
  UUID account;
  String region;

  @BeforeEach
  void setUp() {
    db = DATABASE.db();
    queue = new JobQueue(db, attempt -> Duration.ofSeconds(10));
    factory = new JobFactory(db, queue);
    account = factory.account();
    region = "r-" + UUID.randomUUID().toString().substring(0, 8);
    policies = new PolicyStore(db, List.of(region));
    // kill switch off: every deferred job is released at the next tick, as planned "now"; one GPU planned
    PlannerPolicy p = PlannerPolicy.DEFAULT;
    policies.put(new PlannerPolicy(false, p.releaseBelowGPerKwh(), p.maxDeferralH(), p.safetyMarginFraction(), p.safetyMarginMinS(),
        p.horizonH(), p.slotMinutes(), Map.of(region, 1), p.regionAllowList(), p.onlineReserve(), p.onlineReserveFromHistory(),
        p.onlineReserveMin(), p.onlineReserveHeadroom(), p.onlineReserveHeadroomFullH(), p.onlineReserveHeadroomNoneH(),
        p.forecastSmoothing()), "test", t0);
  }

  private PlanningService planningAt(Instant now) {
    return new PlanningService(db, new ForecastView(new ForecastStore(db), Map.of(), Duration.ofMinutes(30)), policies,
        List.of(region), StateChangeListener.NONE, Clock.fixed(now, ZoneOffset.UTC), TICK, Duration.ofSeconds(30), "test-node");
  }

  /** An offline job whose latest safe start is {@code latestStart}. */
  private UUID offline(Instant latestStart) {
    JobSpec spec = new JobSpec("a lighthouse at dusk", Resolution.P240, 2, 8, 20, 7L, JobMode.OFFLINE, latestStart.plus(MARGIN),
        List.of(region), 0, null);
    return factory.insert(account, spec, t0, latestStart, 3);
  }

  private UUID online(Instant at) {
    return factory.insert(account, JobFactory.online(List.of(region)), at, at, 3);
  }

  private UUID claimOne(Instant now) {
    List<ClaimedJob> claimed = queue.claim("w1", region, 1, now);
    assertThat(claimed).hasSize(1);
    return claimed.getFirst().job().id();
  }

  @Test
  void onlineAndUrgentJobsAreClaimedBeforeDeferredWorkReleasedOnPlan() {
    UUID relaxed = offline(t0.plus(Duration.ofHours(20)));
    UUID urgent = offline(t0.plusSeconds(30)); // its latest start comes before the next tick
    assertThat(planningAt(t0).tick(t0).released()).isEqualTo(2);
    UUID onlineJob = online(t0.plusSeconds(5));

    Instant now = t0.plusSeconds(6);
    // both offline jobs were released with run_after = now (t0), before the online job's submission
    assertThat(List.of(claimOne(now), claimOne(now), claimOne(now))).containsExactly(urgent, onlineJob, relaxed);
  }

  @Test
  void deferredWorkReleasedWithTimeToSpareIsClaimedEarliestLatestStartFirst() {
    UUID loose = offline(t0.plus(Duration.ofHours(20)));
    assertThat(planningAt(t0).tick(t0).released()).isEqualTo(1);
    Instant later = t0.plus(Duration.ofMinutes(5));
    UUID tight = offline(later.plus(Duration.ofHours(1)));
    UUID onlineJob = online(later);
    assertThat(planningAt(later).tick(later).released()).isEqualTo(1);

    Instant now = later.plusSeconds(1);
    // the loose job was released first (run_after t0); the tight one's deadline comes first
    assertThat(List.of(claimOne(now), claimOne(now), claimOne(now))).containsExactly(onlineJob, tight, loose);
  }

  @Test
  void aReleasedJobIsPromotedWhenItsLatestStartComes() {
    UUID planned = offline(t0.plus(Duration.ofMinutes(10)));
    assertThat(planningAt(t0).tick(t0).released()).isEqualTo(1);
    UUID first = online(t0.plus(Duration.ofMinutes(9)));
    assertThat(claimOne(t0.plus(Duration.ofMinutes(9)).plusSeconds(1))).isEqualTo(first);

    Instant later = t0.plus(Duration.ofMinutes(9)).plusSeconds(30); // the next tick falls after the latest start
    planningAt(later).tick(later);
    UUID second = online(later.plusSeconds(5));
    assertThat(claimOne(later.plusSeconds(6))).as("promoted ahead of a newer online job").isEqualTo(planned);
    assertThat(claimOne(later.plusSeconds(6))).isEqualTo(second);
  }

  @Test
  void withoutPlanningTicksHousekeepingPromotesAJobWhoseLatestStartHasCome() {
    UUID planned = offline(t0.plus(Duration.ofMinutes(10)));
    assertThat(planningAt(t0).tick(t0).released()).isEqualTo(1);
    // no tick runs after this one; the latest start passes
    Instant late = t0.plus(Duration.ofMinutes(11));
    UUID online = online(late);
    assertThat(new dev.greenlight.queue.QueueMaintenance(db, "test-housekeeping").promoteLate(late)).isEqualTo(1);
    assertThat(claimOne(late.plusSeconds(1))).isEqualTo(planned);
    assertThat(claimOne(late.plusSeconds(1))).isEqualTo(online);
  }
}
