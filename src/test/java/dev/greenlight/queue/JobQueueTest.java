package dev.greenlight.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.db.Database;
import dev.greenlight.db.DatabaseException;
import dev.greenlight.job.JobEvent;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.JobState;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.StateChange;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue's mechanics against a real PostgreSQL: claims, fencing, heartbeats, rescue, retries, cancel, prune. */
class JobQueueTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("queue-test");
  Database db;
  JobQueue queue;
  JobStore store;
  QueueMaintenance maintenance;
  JobFactory factory;
  UUID account;
  String region;
  final Instant t0 = Instant.parse("2026-11-26T12:00:00Z");

  @BeforeEach
  void setUp() {
    db = DATABASE.db();
    queue = new JobQueue(db, attempt -> Duration.ofSeconds(10L * attempt));
    store = new JobStore(db);
    maintenance = new QueueMaintenance(db, "test-maintenance");
    factory = new JobFactory(db, queue);
    account = factory.account();
    region = "r-" + UUID.randomUUID().toString().substring(0, 8); // isolates each test's claims
  }

  private UUID online() {
    return factory.insert(account, JobFactory.online(List.of(region)), t0, t0, 3);
  }

  @Test
  void claimMovesQueuedToRunningAndWritesEvents() {
    UUID id = online();
    List<ClaimedJob> claimed = queue.claim("w1", region, 10, t0.plusSeconds(1));
    assertThat(claimed).extracting(c -> c.job().id()).containsExactly(id);
    assertThat(claimed.getFirst().job().state()).isEqualTo(JobState.RUNNING);
    assertThat(claimed.getFirst().attempt()).isEqualTo(1);

    queue.succeed("w1", List.of(new Completion(id, 1, "{\"ok\":true}")), t0.plusSeconds(2));
    var detail = store.detail(id, account).orElseThrow();
    assertThat(detail.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(detail.job().finishedAt()).isEqualTo(t0.plusSeconds(2));
    assertThat(detail.job().resultJson()).contains("ok");
    assertThat(detail.events()).extracting(JobEvent::from, JobEvent::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple(null, JobState.QUEUED),
        org.assertj.core.groups.Tuple.tuple(JobState.QUEUED, JobState.RUNNING),
        org.assertj.core.groups.Tuple.tuple(JobState.RUNNING, JobState.SUCCEEDED));
    assertThat(detail.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo("succeeded");
      assertThat(a.workerId()).isEqualTo("w1");
    });
  }

  @Test
  void onlyClaimsOwnRegionAndDueJobs() {
    UUID other = factory.insert(account, JobFactory.online(List.of("elsewhere-" + region)), t0, t0, 3);
    UUID later = factory.insert(account, JobFactory.online(List.of(region)), t0, t0.plusSeconds(60), 3);
    assertThat(queue.claim("w1", region, 10, t0)).isEmpty();
    assertThat(queue.claim("w1", region, 10, t0.plusSeconds(61))).extracting(c -> c.job().id()).containsExactly(later);
    assertThat(store.find(other, null).orElseThrow().state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void higherPriorityIsClaimedFirst() {
    UUID low = online();
    UUID high = factory.insert(account, withPriority(JobFactory.online(List.of(region)), 9), t0, t0, 3);
    assertThat(queue.claim("w1", region, 1, t0).getFirst().job().id()).isEqualTo(high);
    assertThat(queue.claim("w1", region, 1, t0).getFirst().job().id()).isEqualTo(low);
  }

  @Test
  void concurrentClaimersNeverShareAJob() throws Exception {
    int jobs = 600;
    for (int i = 0; i < jobs; i++) {
      online();
    }
    ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      String worker = "w" + w;
      threads.add(Thread.ofPlatform().start(() -> {
        while (true) {
          List<ClaimedJob> batch = queue.claim(worker, region, 7, t0);
          if (batch.isEmpty()) {
            return;
          }
          batch.forEach(c -> claimed.add(c.job().id()));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(claimed).hasSize(jobs);
    assertThat(new HashSet<>(claimed)).hasSize(jobs);
  }

  @Test
  void staleWorkerCannotCompleteARescuedAttempt() {
    UUID id = online();
    queue.claim("w1", region, 1, t0);
    List<StateChange> rescued = maintenance.rescue(Duration.ofSeconds(30), t0.plusSeconds(31));
    assertThat(rescued).extracting(StateChange::jobId).contains(id);
    assertThat(store.find(id, null).orElseThrow().state()).isEqualTo(JobState.QUEUED);

    ClaimedJob second = queue.claim("w2", region, 1, t0.plusSeconds(32)).getFirst();
    assertThat(second.attempt()).isEqualTo(2);
    // w1 wakes up and reports its (old) attempt done: fenced out
    assertThat(queue.succeed("w1", List.of(new Completion(id, 1, "{}")), t0.plusSeconds(33))).isEmpty();
    assertThat(queue.heartbeat("w1", Map.of(id, "{}"), t0.plusSeconds(33)).alive()).isEmpty();
    assertThat(queue.succeed("w2", List.of(new Completion(id, 2, "{}")), t0.plusSeconds(34))).hasSize(1);
    var detail = store.detail(id, null).orElseThrow();
    assertThat(detail.attempts()).extracting(a -> a.outcome()).containsExactly("rescued", "succeeded");
    assertThat(detail.events().stream().filter(e -> e.to() == JobState.SUCCEEDED)).hasSize(1);
  }

  @Test
  void heartbeatKeepsAJobFromRescue() {
    UUID id = online();
    queue.claim("w1", region, 1, t0);
    var answer = queue.heartbeat("w1", Map.of(id, "{\"phase\":\"denoise\",\"step\":3,\"steps\":20}"), t0.plusSeconds(25));
    assertThat(answer.alive()).containsExactly(id);
    assertThat(maintenance.rescue(Duration.ofSeconds(30), t0.plusSeconds(40))).extracting(StateChange::jobId).doesNotContain(id);
    assertThat(store.find(id, null).orElseThrow().progressJson()).contains("\"step\": 3");
  }

  @Test
  void failuresRetryWithBackoffThenFail() {
    UUID id = online(); // max 3 attempts
    for (int attempt = 1; attempt <= 3; attempt++) {
      Instant now = t0.plusSeconds(1000L * attempt);
      List<ClaimedJob> claimed = queue.claim("w1", region, 1, now);
      assertThat(claimed).as("attempt %d claimable", attempt).hasSize(1);
      StateChange change = queue.fail("w1", id, attempt, "boom " + attempt, now).orElseThrow();
      if (attempt < 3) {
        assertThat(change.to()).isEqualTo(JobState.RETRYING);
        assertThat(store.find(id, null).orElseThrow().runAfter()).isEqualTo(now.plusSeconds(10L * attempt));
        assertThat(maintenance.promoteRetries(now.plusSeconds(1))).extracting(StateChange::jobId).doesNotContain(id);
        assertThat(maintenance.promoteRetries(now.plusSeconds(10L * attempt))).extracting(StateChange::jobId).contains(id);
      } else {
        assertThat(change.to()).isEqualTo(JobState.FAILED);
      }
    }
    var detail = store.detail(id, null).orElseThrow();
    assertThat(detail.job().state()).isEqualTo(JobState.FAILED);
    assertThat(detail.job().lastError()).isEqualTo("boom 3");
    assertThat(detail.attempts()).extracting(a -> a.error()).containsExactly("boom 1", "boom 2", "boom 3");
  }

  @Test
  void cancelWaitingJobAtOnceAndRunningJobAtBoundary() {
    UUID waiting = online();
    CancelOutcome now = queue.requestCancel(waiting, account, "key:test", t0);
    assertThat(now.kind()).isEqualTo(CancelOutcome.Kind.CANCELLED);
    assertThat(store.find(waiting, null).orElseThrow().finishedAt()).isNotNull();

    UUID running = online();
    queue.claim("w1", region, 1, t0);
    CancelOutcome requested = queue.requestCancel(running, account, "key:test", t0);
    assertThat(requested.kind()).isEqualTo(CancelOutcome.Kind.REQUESTED);
    assertThat(queue.heartbeat("w1", Collections.singletonMap(running, null), t0.plusSeconds(1)).cancelRequested()).containsExactly(running);
    assertThat(queue.acknowledgeCancel("w1", running, 1, t0.plusSeconds(2))).isPresent();
    assertThat(store.find(running, null).orElseThrow().state()).isEqualTo(JobState.CANCELLED);

    assertThat(queue.requestCancel(running, account, "key:test", t0).kind()).isEqualTo(CancelOutcome.Kind.ALREADY_FINAL);
    assertThat(queue.requestCancel(running, UUID.randomUUID(), "key:other", t0).kind()).isEqualTo(CancelOutcome.Kind.NOT_FOUND);
  }

  @Test
  void deferredJobIsReleasedAtItsRunAfter() {
    JobSpec offline = new JobSpec("night job", Resolution.P144, 1, 8, 10, null, JobMode.OFFLINE, t0.plusSeconds(7200),
        List.of(region), 0, null);
    UUID id = factory.insert(account, offline, t0, t0.plusSeconds(3600), 3);
    assertThat(store.find(id, null).orElseThrow().state()).isEqualTo(JobState.DEFERRED);
    assertThat(maintenance.releaseDue(t0.plusSeconds(3599))).extracting(StateChange::jobId).doesNotContain(id);
    assertThat(maintenance.releaseDue(t0.plusSeconds(3600))).extracting(StateChange::jobId).contains(id);
    assertThat(queue.claim("w1", region, 1, t0.plusSeconds(3601))).hasSize(1);
  }

  @Test
  void pruneDeletesOnlyOldFinalJobs() {
    UUID old = online();
    queue.requestCancel(old, account, "t", t0);
    UUID fresh = online();
    queue.requestCancel(fresh, account, "t", t0.plus(Duration.ofDays(6)));
    UUID waiting = online();
    maintenance.prune(Duration.ofDays(7), t0.plus(Duration.ofDays(8)));
    assertThat(store.find(old, null)).isEmpty();
    assertThat(store.find(fresh, null)).isPresent();
    assertThat(store.find(waiting, null)).isPresent();
  }

  @Test
  void schemaRejectsIllegalTransitionsAndBrokenInvariants() {
    UUID id = online();
    assertThatThrownBy(() -> sql("UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = ?", id))
        .isInstanceOf(DatabaseException.class).hasMessageContaining("illegal job transition queued -> succeeded");
    queue.requestCancel(id, account, "t", t0);
    assertThatThrownBy(() -> sql("UPDATE jobs SET state = 'queued', finished_at = NULL WHERE id = ?", id))
        .isInstanceOf(DatabaseException.class).hasMessageContaining("illegal job transition cancelled -> queued");
    assertThatThrownBy(() -> sql("UPDATE jobs SET finished_at = NULL WHERE id = ?", id))
        .isInstanceOf(DatabaseException.class).hasMessageContaining("finished_iff_final");
  }

  @Test
  void javaTransitionTableMatchesTheSchema() {
    Set<String> inDb = db.withConnection(c -> {
      Set<String> out = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT from_state::text, to_state::text FROM job_transitions");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + "->" + rs.getString(2));
        }
      }
      return out;
    });
    Set<String> inJava = new HashSet<>();
    for (JobState from : JobState.values()) {
      for (JobState to : JobState.values()) {
        if (from.canMoveTo(to)) {
          inJava.add(from.wire() + "->" + to.wire());
        }
      }
    }
    assertThat(inJava).isEqualTo(inDb);
  }

  private void sql(String statement, UUID id) {
    db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        ps.setObject(1, id);
        return ps.executeUpdate();
      }
    });
  }

  private static JobSpec withPriority(JobSpec s, int priority) {
    return new JobSpec(s.prompt(), s.resolution(), s.durationS(), s.fps(), s.steps(), s.seed(), s.mode(), s.deadline(),
        s.regions(), priority, s.callbackUrl());
  }
}
