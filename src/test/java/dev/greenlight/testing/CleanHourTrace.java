package dev.greenlight.testing;

import dev.greenlight.forecast.TraceClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A made-up 2022 trace file: {@value #DIRTY_G} g/kWh everywhere except one clean hour ({@value #CLEAN_G} g/kWh) five
 * hours from now as the replay clock maps it, so the planner's choice is known in advance. Use it as
 * {@code trace:<path>?year=2022}.
 */
public final class CleanHourTrace {
  public static final int DIRTY_G = 300;
  public static final int CLEAN_G = 50;

  private CleanHourTrace() {}

  /** Writes the trace to a temporary file whose name starts with {@code prefix} (the provider's name shows it). */
  public static Path write(String prefix) throws IOException {
    Instant start = Instant.parse("2022-01-01T00:00:00Z");
    Instant end = Instant.parse("2023-01-01T00:00:00Z");
    Instant clean = new TraceClock(2022, start, end).toTrace(Instant.now().plus(Duration.ofMinutes(1))).plus(Duration.ofHours(5))
        .truncatedTo(ChronoUnit.HOURS);
    StringBuilder csv = new StringBuilder("datetime_utc,gco2_per_kwh\n");
    for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofHours(1))) {
      csv.append(t).append(',').append(t.equals(clean) ? CLEAN_G : DIRTY_G).append('\n');
    }
    Path file = Files.createTempFile(prefix, ".csv");
    Files.writeString(file, csv);
    return file;
  }
}
