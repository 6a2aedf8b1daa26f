package dev.greenlight.forecast;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Maps wall-clock time onto a recorded trace: the same month, day and hour of the replay year, moved by up to three
 * days so the weekday matches too (weekday patterns matter for grids); outside the trace it wraps by whole
 * 52-week periods, which keep weekday and hour.
 */
public final class TraceClock {
  private static final Duration YEAR_OF_WEEKS = Duration.ofDays(364);
  private final int replayYear;
  private final Instant traceStart;
  private final Instant traceEnd;

  public TraceClock(int replayYear, Instant traceStart, Instant traceEnd) {
    this.replayYear = replayYear;
    this.traceStart = traceStart;
    this.traceEnd = traceEnd;
  }

  /** The trace time that stands for wall-clock time {@code t}. */
  public Instant toTrace(Instant t) {
    ZonedDateTime wall = t.atZone(ZoneOffset.UTC);
    int day = Math.min(wall.getDayOfMonth(), java.time.YearMonth.of(replayYear, wall.getMonth()).lengthOfMonth());
    ZonedDateTime candidate = wall.withYear(replayYear).withDayOfMonth(day);
    int shift = weekdayShift(wall.getDayOfWeek(), candidate.getDayOfWeek());
    Instant mapped = candidate.plusDays(shift).toInstant();
    long span = Duration.between(traceStart, traceEnd).getSeconds();
    long period = YEAR_OF_WEEKS.getSeconds();
    while (mapped.isBefore(traceStart)) {
      mapped = mapped.plus(YEAR_OF_WEEKS);
    }
    while (!mapped.isBefore(traceEnd) && span > period) {
      mapped = mapped.minus(YEAR_OF_WEEKS);
    }
    if (!mapped.isBefore(traceEnd)) {
      // a trace shorter than 52 weeks: wrap by whole weeks instead
      long weeks = Math.max(1, span / Duration.ofDays(7).getSeconds());
      long over = Duration.between(traceStart, mapped).getSeconds() % (weeks * Duration.ofDays(7).getSeconds());
      mapped = traceStart.plusSeconds(over);
    }
    return mapped;
  }

  static int weekdayShift(DayOfWeek wanted, DayOfWeek got) {
    int d = wanted.getValue() - got.getValue();
    if (d > 3) {
      d -= 7;
    } else if (d < -3) {
      d += 7;
    }
    return d;
  }
}
