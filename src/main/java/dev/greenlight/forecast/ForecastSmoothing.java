package dev.greenlight.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Smooths a noisy forecast before it is planned on, as much as its own track record says it should be.
 *
 * <p>Why. A forecast's error at one hour is partly independent of its error at the next, while the grid's intensity
 * mostly moves smoothly; averaging a forecast point with its neighbours then cancels part of the error and keeps most
 * of the signal. How much to average depends on the provider (how large and how independent its errors are) and on
 * the grid (how sharply it moves), so nothing is assumed: for each band of lead times the bandwidth is the one
 * (from {@link #CANDIDATES_S}, 0 = none) whose smoothing of the past forecasts, as they were made that far ahead,
 * came closest to the actual intensities over the last {@link #HISTORY} (time-weighted mean squared error; a larger
 * bandwidth must win by {@link #MIN_GAIN}). A perfect forecast, or one whose errors move as smoothly as the grid,
 * keeps bandwidth 0 and is used as it is. Less than {@link #MIN_HISTORY} of track record: no smoothing.
 *
 * <p>How. A Gaussian kernel in time, weighted by each point's length, over the forecast points together with the
 * actual intensities of the hours just past, so the first hours ahead lean on what was measured rather than on
 * forecast points only to one side of them. Each point keeps its start and end; only its value changes. Pure.
 */
public final class ForecastSmoothing {
  /** The bandwidths tried: the kernel's standard deviation in seconds. */
  static final double[] CANDIDATES_S = {0, 900, 1800, 3600, 5400, 7200, 10800};
  /** The upper ends of the lead-time bands, each with its own bandwidth (the last band runs to the horizon). */
  public static final List<Duration> BAND_ENDS = List.of(Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12),
      Duration.ofHours(24));
  /** The lead at which each band's past forecasts are judged: about the middle of the band. */
  static final List<Duration> BAND_LEADS = List.of(Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(9),
      Duration.ofHours(18), Duration.ofHours(36));
  /** How far back the track record is judged. */
  public static final Duration HISTORY = Duration.ofHours(72);
  /** The least track record that is trusted. */
  static final Duration MIN_HISTORY = Duration.ofHours(24);
  /** A larger bandwidth replaces a smaller one only when it cuts the past squared error by this fraction. */
  static final double MIN_GAIN = 0.02;
  /** How far before now the actuals anchor the first hours ahead. */
  static final Duration ANCHOR = Duration.ofHours(3);
  private static final double REACH = 4; // kernel cut at 4 standard deviations

  private ForecastSmoothing() {}

  /** Where the track record comes from: the forecasts stored as they were made, and the actuals. */
  public interface TrackRecord {
    /**
     * The forecast of [from, to) as it was believed {@code lead} ahead: for each point, the value from the newest
     * vintage made at least {@code lead} before the point started. Empty where there is none.
     */
    IntensitySeries forecastMadeAhead(String region, Duration lead, Instant from, Instant to);

    /** The actual intensities over [from, to). */
    List<IntensityPoint> actuals(String region, Instant from, Instant to);
  }

  /**
   * The bandwidth (kernel standard deviation, seconds) of each lead-time band, in the order of {@link #BAND_LEADS};
   * all 0 means the forecast is used as it is.
   */
  public record Bandwidths(double[] seconds) {
    public static final Bandwidths NONE = new Bandwidths(new double[BAND_LEADS.size()]);

    public boolean smooths() {
      for (double s : seconds) {
        if (s > 0) {
          return true;
        }
      }
      return false;
    }

    /** The bandwidth for a point {@code lead} ahead. */
    public double at(Duration lead) {
      for (int b = 0; b < BAND_ENDS.size(); b++) {
        if (lead.compareTo(BAND_ENDS.get(b)) < 0) {
          return seconds[b];
        }
      }
      return seconds[seconds.length - 1];
    }
  }

  /** Chooses each band's bandwidth from the region's track record up to {@code now}. */
  public static Bandwidths choose(TrackRecord record, String region, Instant now) {
    Instant from = now.minus(HISTORY);
    IntensitySeries actual = new IntensitySeries(record.actuals(region, from, now));
    double[] out = new double[BAND_LEADS.size()];
    for (int b = 0; b < out.length; b++) {
      IntensitySeries past = record.forecastMadeAhead(region, BAND_LEADS.get(b), from, now);
      out[b] = bestBandwidth(past, actual);
    }
    return new Bandwidths(out);
  }

  /**
   * The candidate bandwidth whose smoothing of {@code pastForecast} comes closest to {@code actual}; 0 when they
   * overlap by less than {@link #MIN_HISTORY}.
   */
  static double bestBandwidth(IntensitySeries pastForecast, IntensitySeries actual) {
    if (pastForecast.isEmpty() || actual.isEmpty()) {
      return 0;
    }
    double[] raw = squaredError(pastForecast, actual);
    if (raw[1] < MIN_HISTORY.getSeconds()) {
      return 0;
    }
    double best = raw[0] / raw[1];
    double bestS = 0;
    for (double h : CANDIDATES_S) {
      if (h == 0) {
        continue; // the forecast as it comes: raw
      }
      double[] err = squaredError(smooth(pastForecast.points(), List.of(), h), actual);
      double mse = err[0] / err[1];
      if (mse < best * (1 - MIN_GAIN)) {
        best = mse;
        bestS = h;
      }
    }
    return bestS;
  }

  /**
   * The forecast smoothed with each point's band bandwidth (by its lead from {@code now}), anchored on the actuals
   * of the {@link #ANCHOR} before now. The forecast itself when no band smooths.
   */
  public static IntensitySeries smooth(IntensitySeries forecast, List<IntensityPoint> recentActuals, Instant now, Bandwidths bandwidths) {
    if (!bandwidths.smooths() || forecast.isEmpty()) {
      return forecast;
    }
    List<IntensityPoint> anchors = new ArrayList<>();
    for (IntensityPoint p : recentActuals) {
      p.within(now.minus(ANCHOR), forecast.start()).ifPresent(anchors::add);
    }
    List<IntensityPoint> points = forecast.points();
    double[] h = new double[points.size()];
    for (int i = 0; i < h.length; i++) {
      Instant mid = points.get(i).start().plusSeconds(length(points.get(i)) / 2);
      h[i] = bandwidths.at(mid.isAfter(now) ? Duration.between(now, mid) : Duration.ZERO);
    }
    return kernel(points, anchors, h);
  }

  /** Every point with the same bandwidth, anchored on {@code anchors} (points before the first). */
  static IntensitySeries smooth(List<IntensityPoint> points, List<IntensityPoint> anchors, double bandwidthS) {
    double[] h = new double[points.size()];
    java.util.Arrays.fill(h, bandwidthS);
    return kernel(points, anchors, h);
  }

  private static IntensitySeries kernel(List<IntensityPoint> points, List<IntensityPoint> anchors, double[] bandwidthS) {
    List<IntensityPoint> all = new ArrayList<>(anchors.size() + points.size());
    all.addAll(anchors);
    all.addAll(points);
    all.sort(java.util.Comparator.comparing(IntensityPoint::start));
    int n = all.size();
    double[] mid = new double[n];
    double[] weight = new double[n];
    for (int k = 0; k < n; k++) {
      IntensityPoint p = all.get(k);
      mid[k] = p.start().getEpochSecond() + length(p) / 2.0;
      weight[k] = length(p);
    }
    List<IntensityPoint> out = new ArrayList<>(points.size());
    int lo = 0;
    for (int i = 0; i < points.size(); i++) {
      IntensityPoint p = points.get(i);
      double h = bandwidthS[i];
      if (h <= 0) {
        out.add(p);
        continue;
      }
      double m = p.start().getEpochSecond() + length(p) / 2.0;
      while (lo < n && mid[lo] < m - REACH * h) {
        lo++;
      }
      // bandwidths differ between bands, so the window may also have to reach back
      while (lo > 0 && mid[lo - 1] >= m - REACH * h) {
        lo--;
      }
      double num = 0;
      double den = 0;
      for (int k = lo; k < n && mid[k] <= m + REACH * h; k++) {
        double d = (mid[k] - m) / h;
        double w = Math.exp(-0.5 * d * d) * weight[k];
        num += w * all.get(k).gPerKwh();
        den += w;
      }
      out.add(den > 0 ? new IntensityPoint(p.start(), p.end(), num / den) : p);
    }
    return new IntensitySeries(out);
  }

  /** Time-weighted squared error of {@code forecast} against {@code actual} and the seconds compared. */
  private static double[] squaredError(IntensitySeries forecast, IntensitySeries actual) {
    double sum = 0;
    double seconds = 0;
    for (IntensityPoint p : forecast.points()) {
      OptionalDouble a = actual.covers(p.start(), p.end()) ? actual.average(p.start(), p.end()) : OptionalDouble.empty();
      if (a.isPresent()) {
        double d = p.gPerKwh() - a.getAsDouble();
        sum += d * d * length(p);
        seconds += length(p);
      }
    }
    return new double[] {sum, seconds};
  }

  private static long length(IntensityPoint p) {
    return p.end().getEpochSecond() - p.start().getEpochSecond();
  }
}
