package dev.greenlight.telemetry;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.Phase;
import java.util.EnumMap;
import java.util.Map;

/**
 * Measures one run: reads the sensor at every phase boundary the engine reports (so energy is attributed to phases
 * exactly at their edges) and, on its own thread, samples it every {@code sampleMs} for mean and peak power.
 */
public final class JobMeter {
  private final PowerSensor sensor;
  private final long sampleMs;
  private final Map<Phase, Double> joules = new EnumMap<>(Phase.class);
  private final Map<Phase, Double> seconds = new EnumMap<>(Phase.class);
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
  }

  public void start() {
    firstJ = sensor.readJoules();
    firstNs = System.nanoTime();
    running = true;
    sampler = Thread.ofVirtual().name("gl-meter").start(() -> {
      double lastJ = firstJ;
      long lastNs = firstNs;
      while (running) {
        try {
          Thread.sleep(sampleMs);
        } catch (InterruptedException e) {
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
    });
  }

  /** The engine reached a boundary: a new phase closes the previous one. Steps within a phase do not split it. */
  public synchronized void at(Boundary b) {
    if (b.phase() != current) {
      close();
      current = b.phase();
      phaseStartJ = sensor.readJoules();
      phaseStartNs = System.nanoTime();
    }
  }

  public synchronized PhaseEnergy stop() {
    close();
    running = false;
    sampler.interrupt();
    double total = sensor.readJoules() - firstJ;
    double wall = (System.nanoTime() - firstNs) / 1e9;
    double mean = wall > 0 ? total / wall : 0;
    return new PhaseEnergy(sensor.name(), samples + 2, Map.copyOf(joules), Map.copyOf(seconds), mean, Math.max(peakW, mean));
  }

  private void close() {
    if (current != null) {
      joules.merge(current, Math.max(0, sensor.readJoules() - phaseStartJ), Double::sum);
      seconds.merge(current, (System.nanoTime() - phaseStartNs) / 1e9, Double::sum);
      current = null;
    }
  }
}
