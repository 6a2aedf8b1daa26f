package dev.greenlight.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded carbon-intensity trace in the canonical CSV format ({@code datetime_utc,gco2_per_kwh}, one header line,
 * UTC timestamps, irregular steps allowed). Each row lasts until the next; the last lasts the median step.
 */
public final class CarbonTrace {
  private final String name;
  private final IntensitySeries series;

  private CarbonTrace(String name, IntensitySeries series) {
    this.name = name;
    this.series = series;
  }

  public String name() {
    return name;
  }

  public IntensitySeries series() {
    return series;
  }

  public static CarbonTrace load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.getFileName().toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
  }

  public static CarbonTrace parse(String name, InputStream in) throws IOException {
    List<Instant> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null || !header.trim().equals("datetime_utc,gco2_per_kwh")) {
        throw new IllegalArgumentException(name + ": expected header 'datetime_utc,gco2_per_kwh', got '" + header + "'");
      }
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        int comma = line.indexOf(',');
        if (comma < 0) {
          throw new IllegalArgumentException(name + ":" + lineNo + ": expected 'time,value'");
        }
        try {
          Instant t = Instant.parse(line.substring(0, comma).trim());
          double v = Double.parseDouble(line.substring(comma + 1).trim());
          if (!times.isEmpty() && !t.isAfter(times.getLast())) {
            throw new IllegalArgumentException(name + ":" + lineNo + ": times must increase");
          }
          times.add(t);
          values.add(v);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    if (times.size() < 2) {
      throw new IllegalArgumentException(name + ": a trace needs at least two rows");
    }
    List<Long> steps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      steps.add(Duration.between(times.get(i - 1), times.get(i)).getSeconds());
    }
    long median = steps.stream().sorted().toList().get(steps.size() / 2);
    List<IntensityPoint> points = new ArrayList<>(times.size());
    for (int i = 0; i < times.size(); i++) {
      Instant end = i + 1 < times.size() ? times.get(i + 1) : times.get(i).plusSeconds(median);
      points.add(new IntensityPoint(times.get(i), end, values.get(i)));
    }
    return new CarbonTrace(name, new IntensitySeries(points));
  }
}
