package dev.greenlight.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Traces, the replay clock and the error models. */
class TraceTest {
  static CarbonTrace parse(String csv) throws Exception {
    return CarbonTrace.parse("t.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void irregularStepsAndTimeWeightedAverages() throws Exception {
    CarbonTrace t = parse("datetime_utc,gco2_per_kwh\n2020-01-01T00:00:00Z,100\n2020-01-01T00:15:00Z,200\n2020-01-01T00:45:00Z,400\n");
    IntensitySeries s = t.series();
    assertThat(s.at(Instant.parse("2020-01-01T00:20:00Z")).getAsDouble()).isEqualTo(200);
    // the last row lasts the median step (30 min)
    assertThat(s.end()).isEqualTo(Instant.parse("2020-01-01T01:15:00Z"));
    // 15 min at 100 + 30 min at 200 + 15 min at 400 over one hour
    assertThat(s.average(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-01T01:00:00Z")).getAsDouble())
        .isCloseTo((15 * 100 + 30 * 200 + 15 * 400) / 60.0, within(1e-9));
  }

  @Test
  void tracesAsCommonToolsExportThemAreRead() throws Exception {
    // a byte-order mark, CRLF, an offset, a zone-less time with a space, and a row without a value
    CarbonTrace t = parse("\uFEFFdatetime_utc,gco2_per_kwh\r\n2020-01-01T00:00:00+00:00,100\r\n2020-01-01 01:00:00,200\r\n"
        + "2020-01-01T02:00:00Z,\r\n2020-01-01T03:00,400\r\n");
    IntensitySeries s = t.series();
    assertThat(s.points()).hasSize(3);
    assertThat(s.at(Instant.parse("2020-01-01T01:30:00Z")).getAsDouble()).isEqualTo(200);
    // the gap: the row before it lasts until the next value
    assertThat(s.at(Instant.parse("2020-01-01T02:30:00Z")).getAsDouble()).isEqualTo(200);
    assertThat(s.at(Instant.parse("2020-01-01T03:30:00Z")).getAsDouble()).isEqualTo(400);
    // an offset other than UTC is converted
    assertThat(parse("datetime_utc,gco2_per_kwh\n2020-01-01T01:00:00+01:00,1\n2020-01-01T01:00:00Z,2\n").series().points().getFirst().start())
        .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void badTracesAreRejected() {
    assertThatThrownBy(() -> parse("time,value\n")).hasMessageContaining("expected header");
    assertThatThrownBy(() -> parse("datetime_utc,gco2_per_kwh\n2020-01-01T00:00:00Z,1\n2019-01-01T00:00:00Z,2\n"))
        .hasMessageContaining("times must increase");
    assertThatThrownBy(() -> parse("datetime_utc,gco2_per_kwh\n2020-01-01T00:00:00Z,abc\n2020-01-01T01:00:00Z,2\n"))
        .hasMessageContaining(":2:");
    assertThatThrownBy(() -> parse("datetime_utc,gco2_per_kwh\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00Z,-5\n"))
        .hasMessageContaining(":3:").hasMessageContaining("at least 0");
    assertThatThrownBy(() -> parse("datetime_utc,gco2_per_kwh\n01/01/2020 00:00,1\n2020-01-01T01:00:00Z,2\n"))
        .hasMessageContaining(":2:").hasMessageContaining("ISO-8601");
  }

  @Test
  void shippedAndSharedTracesLoad() throws Exception {
    for (String f : new String[] {"config/traces/ES_2022_em_hourly.csv", "config/traces/DE_2020_lwa_15min.csv"}) {
      assertThat(CarbonTrace.load(Path.of(f)).series().points().size()).as(f).isGreaterThan(8000);
    }
    // the project's shared data sits beside the checkout; a clone elsewhere has only the shipped traces, checked above
    Path shared = Path.of("../shared/data/carbon");
    if (!Files.isDirectory(shared)) {
      return;
    }
    try (var files = Files.list(shared)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv") && !p.getFileName().toString().startsWith("CAISO")).toList()) {
        assertThat(CarbonTrace.load(f).series().points().size()).as(f.toString()).isGreaterThan(8000);
      }
    }
  }

  @Test
  void replayClockKeepsHourAndWeekdayAndWraps() throws Exception {
    CarbonTrace es = ProviderSpecs.loadTrace("config/traces/ES_2022_em_hourly.csv");
    TraceClock clock = new TraceClock(2022, es.series().start(), es.series().end());
    Instant wall = Instant.parse("2026-11-26T15:30:00Z"); // a Thursday
    Instant mapped = clock.toTrace(wall);
    assertThat(mapped.atZone(ZoneOffset.UTC).getYear()).isEqualTo(2022);
    assertThat(mapped.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.THURSDAY);
    assertThat(mapped.atZone(ZoneOffset.UTC).getHour()).isEqualTo(15);
    assertThat(Math.abs(mapped.atZone(ZoneOffset.UTC).getDayOfYear() - 330)).isLessThanOrEqualTo(3);
    // 31 December maps into the trace even when the matching weekday falls in the next year
    Instant late = clock.toTrace(Instant.parse("2026-12-31T23:00:00Z"));
    assertThat(es.series().at(late)).isPresent();
  }

  @Test
  void errorModelsAreReproducibleAndShapedAsConfigured() {
    Instant made = Instant.parse("2026-11-26T12:00:00Z");
    ErrorModel g = ErrorModel.parse("gaussian:0.1");
    double a = g.apply(200, 200, made, made.plusSeconds(3600), 7);
    assertThat(g.apply(200, 200, made.plusSeconds(600), made.plusSeconds(3600), 7)).isEqualTo(a); // same target, same error
    double sum = 0;
    double sumSq = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double e = g.apply(200, 200, made, made.plusSeconds(60L * i), 7) - 200;
      sum += e;
      sumSq += e * e;
    }
    assertThat(sum / n).isCloseTo(0, within(1.0));
    assertThat(Math.sqrt(sumSq / n)).isCloseTo(20, within(1.0)); // sd = 10 % of the mean
    ErrorModel growing = ErrorModel.parse("growing:0.2");
    assertThat(growing.apply(200, 200, made, made, 7)).isEqualTo(200); // no lead, no error
    assertThat(ErrorModel.parse("none").apply(123, 200, made, made.plus(Duration.ofHours(5)), 1)).isEqualTo(123);
    assertThatThrownBy(() -> ErrorModel.parse("laplace:0.1")).isInstanceOf(IllegalArgumentException.class);
    ErrorModel mae = ErrorModel.parse("mae:24");
    double abs = 0;
    for (int i = 0; i < n; i++) {
      abs += Math.abs(mae.apply(300, 200, made, made.plusSeconds(60L * i), 11) - 300);
    }
    assertThat(abs / n).isCloseTo(24, within(1.0));
  }

  @Test
  void traceProviderForecastsAheadAndActualsBehind() throws Exception {
    TraceProvider p = (TraceProvider) ProviderSpecs.build("de", "trace:config/traces/DE_2020_lwa_15min.csv?year=2020", Duration.ofSeconds(1));
    Instant now = Instant.parse("2026-11-26T12:07:00Z");
    ForecastSnapshot s = p.fetch(now, 48);
    ForecastValidator.check(s, now);
    assertThat(s.forecast().getFirst().start()).isEqualTo(now);
    assertThat(s.forecast().getLast().end()).isEqualTo(now.plus(Duration.ofHours(48)));
    assertThat(s.actuals().getLast().end()).isEqualTo(now);
    assertThat(s.forecast().getFirst().gPerKwh()).isEqualTo(p.actualAt(now)); // no error model: forecast = actual
    assertThat(p.name()).isEqualTo("trace:DE_2020_lwa_15min.csv");
  }
}
