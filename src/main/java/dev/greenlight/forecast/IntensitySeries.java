package dev.greenlight.forecast;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A time series of intensity points, sorted, possibly with irregular steps and gaps. Averages are weighted by time;
 * a time in a gap takes the nearest point before it (intensity does not jump to zero when a feed skips a slot).
 */
public final class IntensitySeries {
  private final List<IntensityPoint> points;
  private final long[] starts;

  public IntensitySeries(List<IntensityPoint> points) {
    List<IntensityPoint> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparing(IntensityPoint::start));
    this.points = List.copyOf(sorted);
    this.starts = new long[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      starts[i] = sorted.get(i).start().getEpochSecond();
    }
  }

  public List<IntensityPoint> points() {
    return points;
  }

  public boolean isEmpty() {
    return points.isEmpty();
  }

  public Instant start() {
    return points.getFirst().start();
  }

  public Instant end() {
    return points.getLast().end();
  }

  /** True when [from, to) lies inside the series' span. */
  public boolean covers(Instant from, Instant to) {
    return !points.isEmpty() && !from.isBefore(start()) && !to.isAfter(end());
  }

  /** Intensity at {@code t}, or empty outside the series. */
  public OptionalDouble at(Instant t) {
    int i = indexAt(t.getEpochSecond());
    if (i < 0 || t.isAfter(end()) || t.equals(end())) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(points.get(i).gPerKwh());
  }

  /** The point in force at {@code t} (the last one starting at or before it), or null before the series. */
  public IntensityPoint pointAt(Instant t) {
    int i = indexAt(t.getEpochSecond());
    return i < 0 ? null : points.get(i);
  }

  /** Time-weighted mean over [from, to); parts outside the series are left out. Empty if none is inside. */
  public OptionalDouble average(Instant from, Instant to) {
    long a = from.getEpochSecond();
    long b = Math.max(to.getEpochSecond(), a + 1);
    if (points.isEmpty() || b <= starts[0] || a >= end().getEpochSecond()) {
      return OptionalDouble.empty();
    }
    int i = Math.max(0, indexAt(a));
    double weighted = 0;
    long covered = 0;
    for (; i < points.size() && starts[i] < b; i++) {
      long s = Math.max(a, starts[i]);
      long e = Math.min(b, i + 1 < points.size() ? starts[i + 1] : points.get(i).end().getEpochSecond());
      if (e > s) {
        weighted += points.get(i).gPerKwh() * (e - s);
        covered += e - s;
      }
    }
    return covered == 0 ? OptionalDouble.empty() : OptionalDouble.of(weighted / covered);
  }

  /** The points overlapping [from, to). */
  public List<IntensityPoint> between(Instant from, Instant to) {
    List<IntensityPoint> out = new ArrayList<>();
    for (IntensityPoint p : points) {
      if (p.end().isAfter(from) && p.start().isBefore(to)) {
        out.add(p);
      }
    }
    return out;
  }

  private int indexAt(long epochSecond) {
    int lo = 0;
    int hi = starts.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= epochSecond) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
