package dev.greenlight.telemetry;

import java.lang.management.ManagementFactory;

/**
 * An estimate for machines with neither NVML nor RAPL: this process's CPU time x watts per busy core, plus an idle
 * share over wall time. Named {@code estimated:cpu-time} everywhere it appears, because it is not a measurement.
 */
public final class EstimatedCpuSensor implements PowerSensor {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final double wattsPerCore;
  private final double idleWatts;
  private final long originNanos = System.nanoTime();

  public EstimatedCpuSensor(double wattsPerCore, double idleWatts) {
    this.wattsPerCore = wattsPerCore;
    this.idleWatts = idleWatts;
  }

  @Override
  public String name() {
    return "estimated:cpu-time";
  }

  @Override
  public double readJoules() {
    double cpuSeconds = os.getProcessCpuTime() / 1e9;
    double wallSeconds = (System.nanoTime() - originNanos) / 1e9;
    return cpuSeconds * wattsPerCore + wallSeconds * idleWatts;
  }
}
