package dev.greenlight.telemetry;

import java.util.Arrays;

/**
 * The cumulative energy of a sensor whose counter moves in steps (NVML's total-energy counter on an H100 moves every
 * few tens of milliseconds, docs/benchmarks.md): each new value with the time it was first seen, and the energy at
 * any instant between two steps by linear interpolation. A phase shorter than the update period then gets its share
 * of the step it falls in, instead of all of it or nothing, as a pair of reads at its boundaries would give.
 */
public final class EnergyCurve {
  private long[] ns = new long[64];
  private double[] joules = new double[64];
  private int size;

  /** A reading taken at {@code atNs}; kept only when the value moved since the last one. */
  public synchronized void observe(long atNs, double value) {
    if (size > 0 && value == joules[size - 1]) {
      return;
    }
    if (size == ns.length) {
      ns = Arrays.copyOf(ns, size * 2);
      joules = Arrays.copyOf(joules, size * 2);
    }
    ns[size] = atNs;
    joules[size] = value;
    size++;
  }

  public synchronized int steps() {
    return size;
  }

  /** Every step seen, as {time ns, joules} pairs (for diagnostics). */
  public synchronized java.util.List<double[]> points() {
    java.util.List<double[]> out = new java.util.ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new double[] {ns[i], joules[i]});
    }
    return out;
  }

  /** When the value last moved; {@link Long#MIN_VALUE} before any reading. */
  public synchronized long lastStepNs() {
    return size == 0 ? Long.MIN_VALUE : ns[size - 1];
  }

  /** The energy at {@code atNs}: interpolated between the steps around it, held flat outside them. */
  public synchronized double at(long atNs) {
    if (size == 0) {
      throw new IllegalStateException("no reading yet");
    }
    if (atNs <= ns[0]) {
      return joules[0];
    }
    if (atNs >= ns[size - 1]) {
      return joules[size - 1];
    }
    int i = Arrays.binarySearch(ns, 0, size, atNs);
    if (i >= 0) {
      return joules[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    return joules[lo] + (joules[hi] - joules[lo]) * (atNs - ns[lo]) / (double) (ns[hi] - ns[lo]);
  }

  /** The highest mean power over one step interval between {@code fromNs} and {@code toNs}, in W. */
  public synchronized double peakW(long fromNs, long toNs) {
    double peak = 0;
    for (int i = 1; i < size; i++) {
      if (ns[i] > fromNs && ns[i - 1] < toNs && ns[i] > ns[i - 1]) {
        peak = Math.max(peak, (joules[i] - joules[i - 1]) / ((ns[i] - ns[i - 1]) / 1e9));
      }
    }
    return peak;
  }
}
