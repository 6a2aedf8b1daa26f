package dev.greenlight.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Linux RAPL package energy: {@code /sys/class/powercap/intel-rapl:N/energy_uj} of every package domain, summed,
 * unwrapping each counter at its {@code max_energy_range_uj}. Reads must come at least once per wrap period (minutes).
 */
public final class RaplSensor implements PowerSensor {
  private final List<Path> counters;
  private final long[] ranges;
  private final long[] last;
  private final double[] total;

  private RaplSensor(List<Path> counters, long[] ranges) {
    this.counters = counters;
    this.ranges = ranges;
    this.last = new long[counters.size()];
    this.total = new double[counters.size()];
    for (int i = 0; i < counters.size(); i++) {
      last[i] = read(counters.get(i));
    }
  }

  /** The sensor, if this machine exposes readable RAPL package counters under {@code root}. */
  public static Optional<RaplSensor> open(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    List<Path> counters = new ArrayList<>();
    List<Long> ranges = new ArrayList<>();
    try (Stream<Path> domains = Files.list(root)) {
      for (Path d : domains.filter(p -> p.getFileName().toString().matches("intel-rapl:\\d+")).sorted().toList()) {
        Path energy = d.resolve("energy_uj");
        Path range = d.resolve("max_energy_range_uj");
        if (Files.isReadable(energy) && Files.isReadable(range)) {
          read(energy);
          counters.add(energy);
          ranges.add(read(range));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (counters.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RaplSensor(counters, ranges.stream().mapToLong(Long::longValue).toArray()));
  }

  @Override
  public String name() {
    return "rapl";
  }

  @Override
  public synchronized double readJoules() {
    double sum = 0;
    for (int i = 0; i < counters.size(); i++) {
      long now = read(counters.get(i));
      long delta = now >= last[i] ? now - last[i] : now + ranges[i] - last[i]; // the counter wrapped
      total[i] += delta / 1e6;
      last[i] = now;
      sum += total[i];
    }
    return sum;
  }

  private static long read(Path p) {
    try {
      return Long.parseLong(Files.readString(p).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
