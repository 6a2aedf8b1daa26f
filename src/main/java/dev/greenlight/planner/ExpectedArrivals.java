package dev.greenlight.planner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A forecast of the deferred jobs still to come, so that the plan leaves them room in the clean hours they will want
 * ({@link PlanningInput#expectedArrivals()}): a seasonal-naive forecast at a daily period with a level correction.
 * The offline jobs submitted over the last day are expected again one day later, with their size, slack and regions;
 * submissions follow the working day, so yesterday's afternoon is the best cheap guess at today's. The level follows
 * the last {@link #LEVEL_WINDOW}: when those hours brought half as many jobs as the same hours a day earlier, half of
 * yesterday's jobs are expected (at most twice as many), so a quiet day soon stops holding clean hours for jobs that
 * do not come. The level counts jobs, not their work: job sizes are heavy-tailed (a 720p, 16 s, 100-step video is
 * about a thousand 144p, 2 s, 20-step ones), and one long job would swing a ratio of work. A service younger than a
 * day (its first offline submission less than {@link #PERIOD} ago) has no yesterday yet: the hours it has seen, at
 * least {@link #MIN_SPAN}, are expected to repeat until a day is covered (the rate so far, without the daily shape).
 * Without history nothing is expected, which plans exactly as without a forecast.
 */
public final class ExpectedArrivals {
  /** How far ahead the forecast reaches: one day, the period of the submissions' pattern. */
  public static final Duration PERIOD = Duration.ofDays(1);
  /** The recent hours compared with the same hours a day earlier to scale the forecast. */
  public static final Duration LEVEL_WINDOW = Duration.ofHours(3);
  /** How far back the history must reach. */
  public static final Duration HISTORY = PERIOD.plus(LEVEL_WINDOW);
  /** The shortest history a young service's forecast repeats. */
  public static final Duration MIN_SPAN = Duration.ofHours(1);
  private static final double MAX_LEVEL = 2;

  private ExpectedArrivals() {}

  /** The forecast from a history that reaches back at least a day. */
  public static List<PlanningJob> forecast(List<PlanningJob> history, Instant now) {
    return forecast(history, now, Instant.MIN);
  }

  /**
   * @param history offline jobs submitted in {@code (now - HISTORY, now]} (older ones are ignored), whatever their
   *     state now
   * @param historyFrom when the history starts: the first offline submission the service has seen
   * @return the jobs expected in {@code (now, now + PERIOD]}: new ids, submission and deadline one period later (or,
   *     for a service younger than a day, one or more spans of its history later)
   */
  public static List<PlanningJob> forecast(List<PlanningJob> history, Instant now, Instant historyFrom) {
    if (historyFrom.isAfter(now.minus(PERIOD))) {
      return repeated(history, now, historyFrom);
    }
    double recent = count(history, now.minus(LEVEL_WINDOW), now);
    double dayBefore = count(history, now.minus(PERIOD).minus(LEVEL_WINDOW), now.minus(PERIOD));
    double level = dayBefore > 0 ? Math.min(MAX_LEVEL, recent / dayBefore) : recent > 0 ? 1 : 0;
    Instant from = now.minus(PERIOD);
    List<PlanningJob> lastDay = history.stream().filter(j -> j.submittedAt().isAfter(from) && !j.submittedAt().isAfter(now))
        .sorted(Comparator.comparing(PlanningJob::submittedAt)).toList();
    List<PlanningJob> expected = new ArrayList<>();
    // deterministic thinning (or repetition) to the level: job i is expected floor((i+1) x level) - floor(i x level) times
    for (int i = 0; i < lastDay.size(); i++) {
      PlanningJob j = lastDay.get(i);
      long copies = (long) Math.floor((i + 1) * level) - (long) Math.floor(i * level);
      for (long c = 0; c < copies; c++) {
        UUID id = UUID.nameUUIDFromBytes((j.id() + "/" + c).getBytes(StandardCharsets.UTF_8));
        expected.add(new PlanningJob(id, j.energyJ(), j.durationS(), j.submittedAt().plus(PERIOD), j.deadline().plus(PERIOD), j.regions()));
      }
    }
    return expected;
  }

  /** A young service's forecast: the jobs of {@code [historyFrom, now]} again every span until a day ahead. */
  private static List<PlanningJob> repeated(List<PlanningJob> history, Instant now, Instant historyFrom) {
    Duration span = Duration.between(historyFrom, now);
    List<PlanningJob> expected = new ArrayList<>();
    if (span.compareTo(MIN_SPAN) < 0) {
      return expected;
    }
    Instant until = now.plus(PERIOD);
    for (PlanningJob j : history) {
      if (j.submittedAt().isBefore(historyFrom) || j.submittedAt().isAfter(now)) {
        continue;
      }
      Duration shift = span;
      for (int k = 1; !j.submittedAt().plus(shift).isAfter(until); k++, shift = shift.plus(span)) {
        Instant at = j.submittedAt().plus(shift);
        if (at.isAfter(now)) {
          UUID id = UUID.nameUUIDFromBytes((j.id() + "/" + k).getBytes(StandardCharsets.UTF_8));
          expected.add(new PlanningJob(id, j.energyJ(), j.durationS(), at, j.deadline().plus(shift), j.regions()));
        }
      }
    }
    expected.sort(Comparator.comparing(PlanningJob::submittedAt));
    return expected;
  }

  private static long count(List<PlanningJob> jobs, Instant after, Instant until) {
    return jobs.stream().filter(j -> j.submittedAt().isAfter(after) && !j.submittedAt().isAfter(until)).count();
  }
}
