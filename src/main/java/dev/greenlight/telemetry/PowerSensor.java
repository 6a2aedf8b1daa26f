package dev.greenlight.telemetry;

/**
 * A source of cumulative energy, read as joules since an arbitrary origin; callers take differences. The name says
 * what it measures, so every footprint can say which sensor produced it.
 */
public interface PowerSensor {
  /** e.g. {@code nvml:0}, {@code rapl}, {@code estimated:cpu-time}. */
  String name();

  /** Cumulative joules; monotone non-decreasing. */
  double readJoules();

  /**
   * True when the counter moves in steps, every few milliseconds or more, rather than reading the energy up to the
   * instant it is asked (see {@link JobMeter}).
   */
  default boolean updatesInSteps() {
    return false;
  }
}
