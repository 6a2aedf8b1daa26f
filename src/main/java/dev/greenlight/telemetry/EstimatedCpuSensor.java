package dev.greenlight.telemetry;

import java.lang.management.ManagementFactory;

/**
 * An estimate for machines with neither NVML nor RAPL: the CPU time of this process and of the processes it started
 * (the torch engine's, when it runs on the CPU) x watts per busy core, plus an idle share over wall time. Named
 * {@code estimated:cpu-time} everywhere it appears, because it is not a measurement.
 */
public final class EstimatedCpuSensor implements PowerSensor {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final double wattsPerCore;
  private final double idleWatts;
  private final long originNanos = System.nanoTime();
  private double last;
  /** This process's descendants, found again at most every {@link #RESCAN_NS}: finding them reads all of /proc. */
  private java.util.List<ProcessHandle> children = java.util.List.of();
  private long scannedNs;
  private boolean scanned;
  private static final long RESCAN_NS = 1_000_000_000L;

  public EstimatedCpuSensor(double wattsPerCore, double idleWatts) {
    this.wattsPerCore = wattsPerCore;
    this.idleWatts = idleWatts;
  }

  @Override
  public String name() {
    return "estimated:cpu-time";
  }

  @Override
  public synchronized double readJoules() {
    // the processes still running, and those that ended and were waited for (the kernel adds those to ours); a child
    // found at the next scan counts from its start, so nothing it used is lost
    long now = System.nanoTime();
    if (!scanned || now - scannedNs >= RESCAN_NS) {
      children = ProcessHandle.current().descendants().toList();
      scannedNs = now;
      scanned = true;
    }
    long running = children.stream().mapToLong(p -> p.info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L)).sum();
    double cpuSeconds = (os.getProcessCpuTime() + running + endedChildrenCpuNanos()) / 1e9;
    double wallSeconds = (System.nanoTime() - originNanos) / 1e9;
    // monotone: a child that has ended but not yet been waited for is briefly in neither sum
    last = Math.max(last, cpuSeconds * wattsPerCore + wallSeconds * idleWatts);
    return last;
  }

  /** cutime + cstime from /proc/self/stat (Linux; USER_HZ = 100 ticks per second), 0 where there is none. */
  static long endedChildrenCpuNanos() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L; // fields 16 and 17
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }
}
