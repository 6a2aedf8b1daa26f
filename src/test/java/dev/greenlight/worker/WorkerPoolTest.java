package dev.greenlight.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.db.Database;
import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.PhaseReport;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.JobStore;
import dev.greenlight.queue.QueueMaintenance;
import dev.greenlight.scheduler.QueueHousekeeping;
import dev.greenlight.testing.Await;
import dev.greenlight.testing.JobFactory;
import dev.greenlight.testing.MigratedDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker slots with engines that fail, block or succeed, against a real PostgreSQL. */
class WorkerPoolTest {
  @RegisterExtension
  static final MigratedDatabase DATABASE = MigratedDatabase.perClass("worker-test");
  Database db;
  JobQueue queue;
  JobStore store;
  JobFactory factory;
  UUID account;
  String region;
  WorkerPool pool;
  QueueListener listener;
  Thread housekeepingLoop;
  final ConcurrentLinkedQueue<StateChange> announced = new ConcurrentLinkedQueue<>();
  final StateChangeListener announcer = announced::addAll;

  @BeforeEach
  void setUp() {
    db = DATABASE.db();
    queue = new JobQueue(db, attempt -> Duration.ofMillis(50));
    store = new JobStore(db);
    factory = new JobFactory(db, queue);
    account = factory.account();
    region = "r-" + UUID.randomUUID().toString().substring(0, 8);
    QueueHousekeeping housekeeping = new QueueHousekeeping(new QueueMaintenance(db, "test"), new WorkerRegistry(db), null, announcer,
        Clock.systemUTC(), new GreenlightConfig.QueueConfig(100, 100, 60_000, 3, 50, 50, 24, 100), Duration.ofDays(1), null);
    housekeepingLoop = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        housekeeping.rescue();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  @AfterEach
  void tearDown() {
    if (listener != null) {
      listener.stop();
    }
    housekeepingLoop.interrupt();
  }

  private WorkerPool pool(Engine engine, Duration pollInterval, Duration stopGrace) {
    WorkerSettings settings = new WorkerSettings("test-node/" + region, "test-node", region, 2, 50, pollInterval,
        Duration.ofMillis(100), stopGrace);
    pool = new WorkerPool(queue, new WorkerRegistry(db), engine, announcer, Clock.systemUTC(), settings, Path.of("target/test-videos"));
    pool.start();
    return pool;
  }

  private UUID submit() {
    return factory.insert(account, JobFactory.online(List.of(region)), Clock.systemUTC().instant(), Clock.systemUTC().instant(), 3);
  }

  private static EngineResult done(String engine) {
    return new EngineResult(engine, "estimated:test", List.of(new PhaseReport(Phase.DENOISE, 0.01, 1.0)), null);
  }

  @Test
  void aFailedAttemptIsRetriedAndItsErrorKept() {
    AtomicInteger runs = new AtomicInteger();
    pool(new Engine() {
      @Override
      public String name() {
        return "flaky";
      }

      @Override
      public EngineResult run(EngineRequest request, dev.greenlight.engine.BoundaryListener listener) {
        if (runs.incrementAndGet() == 1) {
          throw new IllegalStateException("CUDA out of memory (simulated)");
        }
        return done("flaky");
      }
    }, Duration.ofMillis(100), Duration.ofSeconds(1));
    UUID id = submit();
    Await.until(Duration.ofSeconds(10), "succeeded", () -> store.find(id, null).orElseThrow().state() == JobState.SUCCEEDED);
    var detail = store.detail(id, null).orElseThrow();
    assertThat(detail.attempts()).extracting(a -> a.outcome()).containsExactly("failed", "succeeded");
    assertThat(detail.attempts().getFirst().error()).contains("CUDA out of memory (simulated)");
    assertThat(detail.events()).extracting(e -> e.to()).containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.RETRYING,
        JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
    assertThat(announced).extracting(StateChange::to).contains(JobState.RETRYING, JobState.SUCCEEDED);
    pool.stop();
  }

  @Test
  void notifyWakesAnIdleWorkerLongBeforeItsNextPoll() {
    pool(new Engine() {
      @Override
      public String name() {
        return "quick";
      }

      @Override
      public EngineResult run(EngineRequest request, dev.greenlight.engine.BoundaryListener listener) {
        return done("quick");
      }
    }, Duration.ofSeconds(60), Duration.ofSeconds(1));
    listener = new QueueListener(db, pool::wake);
    listener.start();
    // let the producer go idle on its 60 s poll first
    Await.until(Duration.ofSeconds(5), "producer idle", () -> pool.busy() == 0);
    long start = System.nanoTime();
    UUID id = submit();
    Await.until(Duration.ofSeconds(10), "succeeded", () -> store.find(id, null).orElseThrow().state() == JobState.SUCCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    pool.stop();
  }

  @Test
  void gracefulStopHandsUnfinishedJobsBackToTheQueue() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    pool(new Engine() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public EngineResult run(EngineRequest request, dev.greenlight.engine.BoundaryListener listener) throws Exception {
        listener.at(Boundary.start(Phase.ENCODE));
        started.countDown();
        Thread.sleep(Duration.ofMinutes(5));
        return done("slow");
      }
    }, Duration.ofMillis(100), Duration.ofMillis(200));
    UUID id = submit();
    started.await();
    pool.stop();
    var detail = store.detail(id, null).orElseThrow();
    assertThat(detail.job().state()).isEqualTo(JobState.QUEUED);
    assertThat(detail.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("rescued"));
    assertThat(detail.events().getLast().reason()).isEqualTo("worker shut down before the job finished");
  }

  @Test
  void concurrentJobsRunOnDifferentSlotsEachMeasuredByItsOwnSensorOrShare() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    java.util.Set<Integer> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> slots = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> sensorsAsked = new ConcurrentLinkedQueue<>();
    WorkerPool p = pool(new Engine() {
      @Override
      public String name() {
        return "slotted";
      }

      @Override
      public EngineResult run(EngineRequest request, dev.greenlight.engine.BoundaryListener listener) throws Exception {
        if (!running.add(request.slot())) {
          overlaps.add("slot " + request.slot() + " ran two jobs at once");
        }
        slots.add(request.slot());
        bothRunning.countDown();
        bothRunning.await(10, java.util.concurrent.TimeUnit.SECONDS);
        running.remove(request.slot());
        return done("slotted");
      }
    }, Duration.ofMillis(50), Duration.ofSeconds(1));
    var cpu = new dev.greenlight.telemetry.SharedSensor(new dev.greenlight.telemetry.EstimatedCpuSensor(1, 0));
    p.withSensors(slot -> {
      sensorsAsked.add(slot);
      return cpu.join();
    });
    List<UUID> ids = java.util.stream.IntStream.range(0, 6).mapToObj(i -> submit()).toList();
    Await.until(Duration.ofSeconds(20), "all succeeded",
        () -> ids.stream().allMatch(id -> store.find(id, null).orElseThrow().state() == JobState.SUCCEEDED));
    assertThat(overlaps).isEmpty();
    assertThat(slots).hasSize(6).containsOnly(0, 1).contains(0, 1);
    assertThat(sensorsAsked).containsExactlyInAnyOrderElementsOf(slots);
    Await.until(Duration.ofSeconds(5), "every job's share of the CPU closed", () -> cpu.running() == 0);
    pool.stop();
  }
}
