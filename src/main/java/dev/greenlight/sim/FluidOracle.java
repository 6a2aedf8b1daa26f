package dev.greenlight.sim;

import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.planner.FluidLoads;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A lower bound on the carbon of any schedule of a workload in one region, computed on the actual intensities.
 *
 * <p>Relaxation: work is fluid (a job's GPU-seconds may be spread over its window), every GPU-second costs the
 * workload's mean power x the slot's actual intensity, and windows are generous: an offline job anywhere from its
 * submission slot to its deadline slot, an online job in its submission slot or the next. Within that relaxation the
 * loads are exact: {@link FluidLoads} checks Hall's condition on every interval up to the longest window and on every
 * prefix and suffix, which implies it on every longer interval, so no slot carries work that no job's window can
 * reach. (Until 2026-12-01 only intervals up to twice the longest window were checked, without the prefixes and
 * suffixes; that left the cheap slots near a replay's end full of work few jobs could reach and made the bound far
 * too low: on the CAISO North replay at 80 % load it claimed a 10.4 % saving where the exact relaxation allows
 * 4.7 %.) Returns NaN when even full capacity cannot hold the demand.
 */
final class FluidOracle {
  private FluidOracle() {}

  /**
   * The relaxation deciding on {@code believed} intensities and charged the {@code actual} ones: the lower bound when
   * they are the same series; otherwise the carbon of an arrival-clairvoyant, fluid schedule that trusts a forecast,
   * not a bound, which shows how much of the oracle's saving the forecast error alone gives away.
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
    int longestWindow = 1;
    double energy = 0;
    double demandTotal = 0;
    for (int i = 0; i < jobs.size(); i++) {
      SimJob j = jobs.get(i);
      ws[i] = (int) ((j.submit().getEpochSecond() - t0) / slotS);
      we[i] = j.deadline() == null ? Math.min(slots - 1, ws[i] + 1)
          : (int) Math.min(slots - 1, (j.deadline().getEpochSecond() - 1 - t0) / slotS);
      we[i] = Math.max(we[i], ws[i]);
      longestWindow = Math.max(longestWindow, we[i] - ws[i] + 1);
      energy += j.energyJ();
      demandTotal += j.durationS();
    }
    double power = energy / demandTotal; // W per busy GPU
    double[] cost = new double[slots];
    double[] charged = new double[slots];
    double[] capacity = new double[slots];
    for (int t = 0; t < slots; t++) {
      Instant from = Instant.ofEpochSecond(t0 + t * slotS);
      cost[t] = believed.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) * power / 3.6e6; // g per GPU-second
      charged[t] = actual.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) * power / 3.6e6;
      capacity[t] = (double) gpus * slotS;
    }
    double[] amount = jobs.stream().mapToDouble(SimJob::durationS).toArray();
    double[] x = FluidLoads.solve(capacity, cost, ws, we, amount, longestWindow);
    if (x == null) {
      return Double.NaN; // overloaded even at full capacity
    }
    double grams = 0;
    for (int t = 0; t < slots; t++) {
      if (x[t] > 0) {
        grams += x[t] * (Double.isNaN(charged[t]) ? 0 : charged[t]);
      }
    }
    return grams;
  }

  private static long floor(long epoch, long slotS) {
    return epoch - Math.floorMod(epoch, slotS);
  }
}
