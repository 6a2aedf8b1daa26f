package dev.greenlight.telemetry;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.Phase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one run and attributes its energy to the phases the engine reports.
 *
 * <p>A sensor that reads the energy up to the instant it is asked (RAPL, the CPU-time estimate) is read at every
 * phase boundary, so each phase gets exactly what the counter moved between its edges; a sampler thread reads it
 * every {@code sampleMs} for mean and peak power.
 *
 * <p>A sensor whose counter moves in steps ({@link PowerSensor#updatesInSteps()}: NVML) is polled every millisecond
 * into an {@link EnergyCurve}, and a phase gets the curve's energy between its edges, interpolated within the step it
 * falls in. The meter waits for the counter's first step before the job and its first step after it (one update
 * period, tens of milliseconds), so that both ends of the run fall between known steps.
 */
public final class JobMeter {
  /** How long to wait for a stepped counter to move before taking what it says. */
  private static final long STEP_WAIT_NS = 1_000_000_000L;
  private final PowerSensor sensor;
  private final long sampleMs;
  private final boolean stepped;
  private final EnergyCurve curve = new EnergyCurve();
  private final Map<Phase, Double> joules = new EnumMap<>(Phase.class);
  private final Map<Phase, Double> seconds = new EnumMap<>(Phase.class);
  /** Stepped sensors: each phase's start, in order. */
  private final List<Edge> edges = new ArrayList<>();
  private Phase current;
  private double phaseStartJ;
  private long phaseStartNs;
  private double firstJ;
  private long firstNs;
  private volatile boolean running;
  private volatile int samples;
  private volatile double peakW;
  private Thread sampler;

  public JobMeter(PowerSensor sensor, long sampleMs) {
    this.sensor = sensor;
    this.sampleMs = sampleMs;
    this.stepped = sensor.updatesInSteps();
  }

  public void start() {
    running = true;
    if (stepped) {
      double before = sensor.readJoules();
      awaitStep(before, System.nanoTime() + STEP_WAIT_NS);
      // a platform thread: a millisecond poll should not wait on the virtual-thread scheduler
      sampler = Thread.ofPlatform().daemon().name("gl-meter-poll").start(this::poll);
    } else {
      firstJ = sensor.readJoules();
      sampler = Thread.ofVirtual().name("gl-meter").start(this::sample);
    }
    firstNs = System.nanoTime();
  }

  /** The engine reached a boundary: a new phase closes the previous one. Steps within a phase do not split it. */
  public synchronized void at(Boundary b) {
    if (b.phase() != current) {
      close();
      current = b.phase();
      phaseStartNs = System.nanoTime();
      if (stepped) {
        edges.add(new Edge(current, phaseStartNs));
      } else {
        phaseStartJ = sensor.readJoules();
      }
    }
  }

  /** What a stepped sensor's counter did during the run (empty for other sensors); for diagnostics. */
  public EnergyCurve curve() {
    return curve;
  }

  public synchronized PhaseEnergy stop() {
    close();
    long endNs = System.nanoTime();
    if (stepped) {
      long deadline = endNs + STEP_WAIT_NS;
      while (curve.lastStepNs() <= endNs && System.nanoTime() < deadline) {
        sleep(1);
      }
    }
    running = false;
    sampler.interrupt();
    double wall = (endNs - firstNs) / 1e9;
    double total;
    double peak;
    if (stepped) {
      for (int i = 0; i < edges.size(); i++) {
        long to = i + 1 < edges.size() ? edges.get(i + 1).ns() : endNs;
        joules.merge(edges.get(i).phase(), Math.max(0, curve.at(to) - curve.at(edges.get(i).ns())), Double::sum);
      }
      total = curve.at(endNs) - curve.at(firstNs);
      peak = curve.peakW(firstNs, endNs);
    } else {
      total = sensor.readJoules() - firstJ;
      peak = peakW;
    }
    double mean = wall > 0 ? total / wall : 0;
    int n = stepped ? curve.steps() : samples + 2;
    return new PhaseEnergy(sensor.name(), n, Map.copyOf(joules), Map.copyOf(seconds), mean, Math.max(peak, mean));
  }

  private void close() {
    if (current != null) {
      if (!stepped) {
        joules.merge(current, Math.max(0, sensor.readJoules() - phaseStartJ), Double::sum);
      }
      seconds.merge(current, (System.nanoTime() - phaseStartNs) / 1e9, Double::sum);
      current = null;
    }
  }

  /** Reads until the counter moves (or the deadline passes), recording where it moved. */
  private void awaitStep(double from, long deadlineNs) {
    double j = from;
    while (j == from && System.nanoTime() < deadlineNs) {
      sleep(1);
      j = sensor.readJoules();
    }
    curve.observe(System.nanoTime(), j);
  }

  private void poll() {
    while (running) {
      curve.observe(System.nanoTime(), sensor.readJoules());
      if (!sleep(1)) {
        return;
      }
    }
  }

  private void sample() {
    double lastJ = firstJ;
    long lastNs = System.nanoTime();
    while (running) {
      if (!sleep(sampleMs)) {
        return;
      }
      double j = sensor.readJoules();
      long ns = System.nanoTime();
      samples++;
      double w = (j - lastJ) / ((ns - lastNs) / 1e9);
      if (w > peakW) {
        peakW = w;
      }
      lastJ = j;
      lastNs = ns;
    }
  }

  private record Edge(Phase phase, long ns) {}

  private static boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
