package dev.greenlight.sim;

import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.planner.FluidLoads;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A lower bound on the carbon of any schedule of a workload in one region, computed on the actual intensities.
 *
 * <p>Relaxation: work is fluid (a job's GPU-seconds may be spread over its window) and windows are generous: an
 * offline job anywhere from its submission slot to its deadline slot, an online job in its submission slot or the
 * next. Jobs draw different power (their energy over their duration), so the bound is layered by power: with the
 * distinct powers {@code p1 < p2 < ...}, a schedule's carbon is the sum over levels {@code k} of {@code (pk - pk-1)}
 * x the intensity-weighted GPU-seconds of the jobs drawing at least {@code pk}; those jobs' work in any schedule of
 * the whole workload is a schedule of theirs alone, so each term is at least the cheapest fluid schedule of that
 * subset on full capacity, and the sum of those minima bounds every schedule. (Until the fourth session of
 * 2026-12-01 every GPU-second was charged the workload's mean power, which bounds only a workload whose jobs all draw
 * it: a planner that gives the clean hours to the most power-hungry jobs beat it, by up to 9 % of the saving on
 * CAISO North.) With all powers equal it is the single fluid schedule it was. Within each layer the
 * loads are exact: {@link FluidLoads} checks Hall's condition on every interval up to the longest window and on every
 * prefix and suffix, which implies it on every longer interval, so no slot carries work that no job's window can
 * reach. (Until 2026-12-01 only intervals up to twice the longest window were checked, without the prefixes and
 * suffixes; that left the cheap slots near a replay's end full of work few jobs could reach and made the bound far
 * too low: on the CAISO North replay at 80 % load it claimed a 10.4 % saving where the exact relaxation allows
 * 4.7 %.) Returns NaN when even full capacity cannot hold the demand.
 */
final class FluidOracle {
  /** At most this many power layers (each a {@link FluidLoads} solve). */
  static final int MAX_LEVELS = 96;

  private FluidOracle() {}

  /**
   * The relaxation deciding on {@code believed} intensities and charged the {@code actual} ones: the lower bound when
   * they are the same series; otherwise each layer's fluid schedule trusts the forecast (arrival-clairvoyant) and is
   * charged what actually came: not a bound, but it shows how much of the oracle's saving the forecast error alone
   * gives away.
   */
  static double gramsG(List<SimJob> jobs, IntensitySeries believed, IntensitySeries actual, int gpus, Duration slot) {
    if (jobs.isEmpty()) {
      return 0;
    }
    long slotS = slot.getSeconds();
    long t0 = floor(jobs.stream().map(SimJob::submit).min(Comparator.naturalOrder()).orElseThrow().getEpochSecond(), slotS);
    long tEnd = jobs.stream().mapToLong(j -> (j.deadline() == null ? j.submit().plus(slot.multipliedBy(2))
        : j.deadline()).getEpochSecond()).max().orElseThrow();
    int slots = (int) ((tEnd - t0) / slotS + 2);
    int[] ws = new int[jobs.size()];
    int[] we = new int[jobs.size()];
    double[] power = new double[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      SimJob j = jobs.get(i);
      ws[i] = (int) ((j.submit().getEpochSecond() - t0) / slotS);
      we[i] = j.deadline() == null ? Math.min(slots - 1, ws[i] + 1)
          : (int) Math.min(slots - 1, (j.deadline().getEpochSecond() - 1 - t0) / slotS);
      we[i] = Math.max(we[i], ws[i]);
      power[i] = j.energyJ() / Math.max(1e-9, j.durationS());
    }
    double[] cost = new double[slots];
    double[] charged = new double[slots];
    double[] capacity = new double[slots];
    for (int t = 0; t < slots; t++) {
      Instant from = Instant.ofEpochSecond(t0 + t * slotS);
      cost[t] = believed.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) / 3.6e6; // g per joule
      charged[t] = actual.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) / 3.6e6;
      capacity[t] = (double) gpus * slotS;
    }
    double grams = 0;
    double below = 0;
    for (double level : levels(power)) {
      // the layer of power from the level below up to this one, drawn by every job at least this power-hungry
      int[] from = IntStream.range(0, jobs.size()).filter(i -> power[i] >= level).toArray();
      double[] x = FluidLoads.solve(capacity, cost, pick(ws, from), pick(we, from),
          Arrays.stream(from).mapToDouble(i -> jobs.get(i).durationS()).toArray(),
          Arrays.stream(from).map(i -> we[i] - ws[i] + 1).max().orElse(1));
      if (x == null) {
        return Double.NaN; // overloaded even at full capacity (only the first layer, all jobs, can be)
      }
      for (int t = 0; t < slots; t++) {
        if (x[t] > 0 && !Double.isNaN(charged[t])) {
          grams += (level - below) * x[t] * charged[t];
        }
      }
      below = level;
    }
    return grams;
  }

  /**
   * The power levels the bound is layered at: every distinct power, or, beyond {@link #MAX_LEVELS}, that many
   * quantiles with each job counted at the level at or below its power (less power never raises the bound).
   */
  static double[] levels(double[] power) {
    double[] distinct = Arrays.stream(power).sorted().distinct().toArray();
    if (distinct.length <= MAX_LEVELS) {
      return distinct;
    }
    double[] sorted = Arrays.stream(power).sorted().toArray();
    return IntStream.range(0, MAX_LEVELS).mapToDouble(k -> sorted[(int) ((long) k * sorted.length / MAX_LEVELS)]).distinct().toArray();
  }

  private static int[] pick(int[] values, int[] indices) {
    return Arrays.stream(indices).map(i -> values[i]).toArray();
  }

  private static long floor(long epoch, long slotS) {
    return epoch - Math.floorMod(epoch, slotS);
  }
}
