package dev.greenlight.worker;

import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.job.Job;
import dev.greenlight.job.StateChange;
import dev.greenlight.job.StateChangeListener;
import dev.greenlight.queue.ClaimedJob;
import dev.greenlight.queue.Completion;
import dev.greenlight.queue.JobQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's worker slots. A producer thread claims queued jobs of the node's region in batches sized to the free
 * slots (woken by NOTIFY, else polling); each job runs on its own virtual thread; a heartbeat thread keeps the
 * claims alive, stores progress and picks up cancel requests. All blocking work stays on these threads.
 */
public final class WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private final JobQueue queue;
  private final WorkerRegistry registry;
  private final Engine engine;
  private final StateChangeListener listener;
  private final Clock clock;
  private final WorkerSettings settings;
  private final Path outputRoot;
  private final dev.greenlight.footprint.FootprintRecorder footprints;
  /**
   * The sensor of a job on each slot, asked once per job (a GPU engine's slot i measures its own GPU; a CPU node gives
   * each job its share of the CPU, closed when the job ends); null: engines report their own energy.
   */
  private volatile java.util.function.IntFunction<dev.greenlight.telemetry.PowerSensor> sensors;
  private dev.greenlight.artifact.Artifacts artifacts;
  private dev.greenlight.job.ProgressListener progress = dev.greenlight.job.ProgressListener.NONE;
  private dev.greenlight.costmodel.CostCorrections corrections;
  private dev.greenlight.credits.Credits credits;
  private final Semaphore freeSlots;
  /** The numbers of the free slots (as many as free permits): a job keeps its slot, and a GPU engine its GPU. */
  private final java.util.concurrent.ConcurrentLinkedDeque<Integer> freeSlotNumbers = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final WakeSignal wake = new WakeSignal();
  private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private volatile boolean crashed;
  private volatile boolean paused;
  private Thread producer;
  private Thread heartbeater;

  public WorkerPool(JobQueue queue, WorkerRegistry registry, Engine engine, StateChangeListener listener, Clock clock,
      WorkerSettings settings, Path outputRoot) {
    this(queue, registry, engine, listener, clock, settings, outputRoot, null);
  }

  /** With {@code footprints}, every success records the job's footprint in its completing transaction. */
  public WorkerPool(JobQueue queue, WorkerRegistry registry, Engine engine, StateChangeListener listener, Clock clock,
      WorkerSettings settings, Path outputRoot, dev.greenlight.footprint.FootprintRecorder footprints) {
    this.footprints = footprints;
    this.queue = queue;
    this.registry = registry;
    this.engine = engine;
    this.listener = listener;
    this.clock = clock;
    this.settings = settings;
    this.outputRoot = outputRoot;
    this.freeSlots = new Semaphore(settings.slots());
    for (int i = 0; i < settings.slots(); i++) {
      freeSlotNumbers.add(i);
    }
  }

  /** One sensor per slot: a GPU engine's slot i is measured on its own GPU. */
  public WorkerPool withSensors(java.util.function.IntFunction<dev.greenlight.telemetry.PowerSensor> sensors) {
    this.sensors = sensors;
    return this;
  }

  /** Every success settles the job's credits (charge, and a refund when the measured carbon beats the estimate). */
  public WorkerPool withCredits(dev.greenlight.credits.Credits credits) {
    this.credits = credits;
    return this;
  }

  /** Every success teaches the cost model the measured-to-estimated ratios of its engine and resolution. */
  public WorkerPool withCorrections(dev.greenlight.costmodel.CostCorrections corrections) {
    this.corrections = corrections;
    return this;
  }

  /** Told at every boundary of every job (the event bus in a node). */
  public WorkerPool withProgress(dev.greenlight.job.ProgressListener progress) {
    this.progress = progress;
    return this;
  }

  /** Where engines write their files, recorded with each success. */
  public WorkerPool withArtifacts(dev.greenlight.artifact.Artifacts artifacts) {
    this.artifacts = artifacts;
    return this;
  }

  public WorkerSettings settings() {
    return settings;
  }

  public void start() {
    registry.beat(settings.workerId(), settings.nodeId(), settings.region(), settings.slots(), 0, clock.instant());
    producer = Thread.ofVirtual().name("gl-producer-" + settings.workerId()).start(this::produce);
    heartbeater = Thread.ofVirtual().name("gl-heartbeat-" + settings.workerId()).start(this::heartbeatLoop);
  }

  /** New work may be waiting (a NOTIFY arrived). */
  public void wake() {
    wake.wake();
  }

  /** The owner cancelled this job; if it runs here it stops at its next boundary. */
  public void requestCancel(UUID jobId) {
    RunningJob rj = running.get(jobId);
    if (rj != null) {
      rj.requestCancel();
    }
  }

  /** Drain: claim nothing new until {@link #resume()}; running jobs go on. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    wake.wake();
  }

  public int busy() {
    return running.size();
  }

  private void produce() {
    while (!stopping) {
      try {
        int free = freeSlots.availablePermits();
        if (free == 0 || paused) {
          wake.await(settings.pollInterval().toMillis());
          continue;
        }
        List<ClaimedJob> claimed = queue.claim(settings.workerId(), settings.region(), Math.min(free, settings.claimBatch()), clock.instant());
        if (claimed.isEmpty()) {
          wake.await(settings.pollInterval().toMillis());
          continue;
        }
        List<StateChange> changes = new ArrayList<>(claimed.size());
        for (ClaimedJob cj : claimed) {
          freeSlots.acquire();
          int slot = freeSlotNumbers.pop();
          changes.add(new StateChange(cj.job().id(), cj.job().accountId(), dev.greenlight.job.JobState.QUEUED,
              dev.greenlight.job.JobState.RUNNING, clock.instant(), "claimed by worker"));
          Thread t = Thread.ofVirtual().name("gl-job-" + cj.job().id()).unstarted(() -> runJob(cj, slot));
          running.put(cj.job().id(), new RunningJob(cj, t));
          t.start();
        }
        listener.changed(changes);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        // jittered (half to one and a half poll intervals): after a database outage the nodes' retries spread out,
        // and a retry cannot lock into step with something periodic that keeps failing it
        Duration retry = settings.pollInterval().multipliedBy(50 + java.util.concurrent.ThreadLocalRandom.current().nextInt(101)).dividedBy(100);
        LOG.warn("claim failed, retrying after {} ms: {}", retry.toMillis(), e.getMessage());
        sleepQuietly(retry);
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing a sensor share failed: {}", e.getMessage());
    }
  }

  private void runJob(ClaimedJob cj, int slot) {
    dev.greenlight.telemetry.PowerSensor sensor = null;
    Job job = cj.job();
    RunningJob rj = running.get(job.id());
    Instant startedAt = clock.instant();
    try {
      EngineRequest request = new EngineRequest(job.id(), job.attempt(), job.spec().prompt(), job.spec().shape(),
          job.spec().fps(), job.spec().seed(), artifacts != null ? artifacts.store().directoryFor(job.id())
              : outputRoot.resolve(job.id().toString()), slot);
      sensor = engine.reportsOwnEnergy() || sensors == null ? null : sensors.apply(slot);
      dev.greenlight.telemetry.JobMeter meter = sensor == null ? null
          : new dev.greenlight.telemetry.JobMeter(sensor, 100);
      if (meter != null) {
        meter.start();
      }
      EngineResult raw = null;
      try {
        raw = engine.run(request, boundary -> {
          if (meter != null) {
            meter.at(boundary);
          }
          rj.reached(boundary);
          progress.progress(job.id(), job.accountId(), boundary.phase().wire(), boundary.step(), boundary.steps());
          if (rj.cancelRequested() || rj.lost() || crashed) {
            throw new JobCancelledException();
          }
        });
      } finally {
        if (meter != null && raw == null) {
          meter.stop();
        }
      }
      dev.greenlight.telemetry.PhaseEnergy measured = meter == null ? null : meter.stop();
      EngineResult result = measured == null ? raw : JobResultJson.measured(raw, measured);
      if (!rj.lost() && !crashed) {
        Completion done = new Completion(job.id(), job.attempt(), JobResultJson.of(result, measured));
        announce(durably(() -> {
          Instant finishedAt = clock.instant();
          return queue.succeed(cj.workerId(), List.of(done), finishedAt, (c, ids) -> recordSuccess(c, job, result, startedAt, finishedAt));
        }));
        if (corrections != null) {
          corrections.invalidate(); // after the commit: the next estimate reads what this job taught
        }
      }
    } catch (JobCancelledException e) {
      if (rj.cancelRequested() && !rj.lost() && !crashed) {
        announce(durably(() -> queue.acknowledgeCancel(cj.workerId(), job.id(), job.attempt(), clock.instant()).stream().toList()));
      }
    } catch (InterruptedException e) {
      // stopping: the job is re-queued by stop(), or rescued by another node after a crash
    } catch (Exception e) {
      if (!rj.lost() && !crashed) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.warn("job {} attempt {} failed: {}", job.id(), job.attempt(), error);
        announce(durably(() -> queue.fail(cj.workerId(), job.id(), job.attempt(), error, clock.instant()).stream().toList()));
      }
    } finally {
      running.remove(job.id());
      if (sensor instanceof AutoCloseable share) { // a share of a sensor that jobs running side by side split
        closeQuietly(share);
      }
      freeSlotNumbers.push(slot);
      freeSlots.release();
      wake.wake();
    }
  }

  /** The footprint, the artifact record and the cost model's lesson, in the transaction that marks the job succeeded. */
  private void recordSuccess(java.sql.Connection c, Job job, EngineResult result, Instant startedAt, Instant finishedAt)
      throws java.sql.SQLException {
    dev.greenlight.footprint.Footprint footprint = footprints == null ? null : footprints.record(c, job, result, startedAt, finishedAt);
    if (credits != null) {
      // like with like: quotes expect energy x intensity, so the facility overhead (PUE) is taken back out
      Double measured = footprint == null || footprint.operationalG() == null ? null : footprint.operationalG() / footprint.pue();
      credits.settle(c, job.id(), measured, finishedAt);
    }
    if (artifacts != null && result.video() != null) {
      artifacts.record(c, job.id(), result.video(), finishedAt);
    }
    if (corrections != null && !engine.reportsOwnEnergy()) {
      corrections.observe(c, engine.name(), job.spec().resolution().wire(), job.estimateEnergyJ(), result.energyJ(),
          job.estimateDurationS(), result.deviceSeconds());
    }
  }

  /** Retries a write until it lands: a finished job's outcome must not be lost to a database restart. */
  private List<StateChange> durably(Supplier<List<StateChange>> write) {
    long delayMs = 200;
    while (true) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (crashed) {
          return List.of();
        }
        LOG.warn("writing a job outcome failed, retrying in {} ms: {}", delayMs, e.getMessage());
        if (!sleepQuietly(Duration.ofMillis(delayMs))) {
          return List.of();
        }
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    }
  }

  private void announce(List<StateChange> changes) {
    if (!changes.isEmpty()) {
      listener.changed(changes);
    }
  }

  private void heartbeatLoop() {
    while (!stopping) {
      if (!sleepQuietly(settings.heartbeatInterval())) {
        return;
      }
      beatOnce();
    }
  }

  void beatOnce() {
    try {
      Instant now = clock.instant();
      Map<UUID, String> progress = new HashMap<>();
      running.forEach((id, rj) -> progress.put(id, rj.progressJson()));
      JobQueue.HeartbeatAnswer answer = queue.heartbeat(settings.workerId(), progress, now);
      for (UUID id : progress.keySet()) {
        RunningJob rj = running.get(id);
        if (rj == null) {
          continue;
        }
        if (answer.cancelRequested().contains(id)) {
          rj.requestCancel();
        } else if (!answer.alive().contains(id)) {
          rj.markLost();
        }
      }
      registry.beat(settings.workerId(), settings.nodeId(), settings.region(), settings.slots(), running.size(), now);
    } catch (RuntimeException e) {
      if (!stopping) {
        LOG.warn("heartbeat failed: {}", e.getMessage());
      }
    }
  }

  /**
   * Graceful stop: claim nothing more, let running jobs finish within the grace period, then put the rest back
   * in the queue so another node takes them at once.
   */
  public void stop() {
    stopping = true;
    wake.wake();
    join(producer);
    try {
      freeSlots.tryAcquire(settings.slots(), settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<UUID> unfinished = new ArrayList<>(running.keySet());
    running.values().forEach(rj -> rj.thread.interrupt());
    heartbeater.interrupt();
    join(heartbeater);
    try {
      if (!unfinished.isEmpty()) {
        announce(queue.requeue(settings.workerId(), unfinished, clock.instant()));
      }
      registry.remove(settings.workerId());
    } catch (RuntimeException e) {
      LOG.warn("could not hand back {} jobs on stop (they will be rescued): {}", unfinished.size(), e.getMessage());
    }
  }

  /** Simulates the node dying: every thread stops at once and nothing more is written. For fault tests. */
  public void crash() {
    crashed = true;
    stopping = true;
    Optional.ofNullable(producer).ifPresent(Thread::interrupt);
    Optional.ofNullable(heartbeater).ifPresent(Thread::interrupt);
    running.values().forEach(rj -> rj.thread.interrupt());
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
