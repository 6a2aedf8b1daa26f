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
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded carbon-intensity trace in the canonical CSV format ({@code datetime_utc,gco2_per_kwh}, one header line,
 * UTC timestamps, irregular steps allowed). Each row lasts until the next; the last lasts the median step. Accepted as
 * exported by common tools: a UTF-8 byte-order mark, CRLF line ends, times as {@code 2021-01-01T00:00:00Z}, with an
 * offset ({@code +00:00}), or without a zone and with a space ({@code 2021-01-01 00:00:00}, read as UTC, as the column
 * says). A row without a value is a gap in the export: it is skipped, so the row before it lasts until the next value.
 * A negative intensity is rejected.
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
      if (header != null && header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
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
          Instant t = time(line.substring(0, comma).trim());
          String value = line.substring(comma + 1).trim();
          if (value.isEmpty()) {
            continue;
          }
          double v = Double.parseDouble(value);
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("intensity must be a finite number of at least 0 g/kWh, got " + value);
          }
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

  /** An ISO-8601 time with a zone or an offset, or without one (then UTC, as the column's name says). */
  static Instant time(String text) {
    String iso = text.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException withoutZone) {
      try {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expected an ISO-8601 UTC time such as 2021-01-01T00:00:00Z, got '" + text + "'");
      }
    }
  }
}
