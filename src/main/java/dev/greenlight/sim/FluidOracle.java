package dev.greenlight.sim;

import dev.greenlight.forecast.IntensitySeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A lower bound on the carbon of any schedule of a workload in one region, computed on the actual intensities.
 *
 * <p>Relaxation: work is fluid (a job's GPU-seconds may be spread over its window), every GPU-second costs the
 * workload's mean power x the slot's actual intensity, and windows are generous: an offline job anywhere from its
 * submission to its deadline, an online job in its submission slot or the next. Feasibility of fluid work with
 * interval windows is Hall's condition on intervals: for every interval, capacity used in it is at least the demand
 * of the jobs whose windows lie inside it. The demand function is supermodular, so the feasible loads form a
 * contra-polymatroid and the greedy is optimal: start from full capacity and take capacity away from the dirtiest
 * slots first, as much as every interval's slack allows, until exactly the demand is left. Intervals longer than
 * {@code maxIntervalSlots} are not checked, which only relaxes the problem further, so the result stays a lower
 * bound. Returns NaN when even full capacity cannot hold the demand.
 */
final class FluidOracle {
  private FluidOracle() {}

  static double lowerBoundG(List<SimJob> jobs, IntensitySeries actual, int gpus, Duration slot) {
    return gramsG(jobs, actual, actual, gpus, slot);
  }

  /**
   * The same relaxation deciding on {@code believed} intensities and charged the {@code actual} ones: the carbon of
   * an arrival-clairvoyant, fluid schedule that trusts a forecast. Not a bound; it shows how much of the oracle's
   * saving the forecast error alone gives away.
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
    int band = 0;
    int[] ws = new int[jobs.size()];
    int[] we = new int[jobs.size()];
    double energy = 0;
    double demandTotal = 0;
    for (int i = 0; i < jobs.size(); i++) {
      SimJob j = jobs.get(i);
      ws[i] = (int) ((j.submit().getEpochSecond() - t0) / slotS);
      we[i] = j.deadline() == null ? Math.min(slots - 1, ws[i] + 1)
          : (int) Math.min(slots - 1, (j.deadline().getEpochSecond() - 1 - t0) / slotS);
      we[i] = Math.max(we[i], ws[i]);
      band = Math.max(band, we[i] - ws[i] + 1);
      energy += j.energyJ();
      demandTotal += j.durationS();
    }
    int maxLen = Math.min(slots, band * 2);
    double power = energy / demandTotal; // W per busy GPU
    double[] cost = new double[slots];
    double[] charged = new double[slots];
    double[] x = new double[slots];
    double capacity = (double) gpus * slotS;
    for (int t = 0; t < slots; t++) {
      Instant from = Instant.ofEpochSecond(t0 + t * slotS);
      cost[t] = believed.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) * power / 3.6e6; // g per GPU-second
      charged[t] = actual.average(from, from.plusSeconds(slotS)).orElse(Double.NaN) * power / 3.6e6;
      x[t] = capacity;
    }
    // demand[a][len]: GPU-seconds of jobs whose window lies inside [a, a + len]
    double[][] rows = new double[slots][];
    for (int i = 0; i < jobs.size(); i++) {
      int len = we[i] - ws[i];
      if (len < maxLen) {
        if (rows[ws[i]] == null) {
          rows[ws[i]] = new double[maxLen];
        }
        rows[ws[i]][len] += jobs.get(i).durationS();
      }
    }
    double[][] slack = new double[slots][maxLen];
    double[] next = new double[maxLen];
    for (int a = slots - 1; a >= 0; a--) {
      double rowCum = 0;
      double xCum = 0;
      double[] cur = new double[maxLen];
      for (int len = 0; len < maxLen && a + len < slots; len++) {
        rowCum += rows[a] == null ? 0 : rows[a][len];
        xCum += x[a + len];
        cur[len] = (len >= 1 ? next[len - 1] : 0) + rowCum;
        slack[a][len] = xCum - cur[len];
        if (slack[a][len] < -1e-6) {
          return Double.NaN; // overloaded even at full capacity
        }
      }
      next = cur;
    }
    double excess = (double) slots * capacity - demandTotal;
    Integer[] order = IntStream.range(0, slots).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer t) -> Double.isNaN(cost[t]) ? Double.MAX_VALUE : cost[t]).reversed());
    for (int t : order) {
      if (excess <= 0) {
        break;
      }
      double room = Math.min(x[t], excess);
      for (int a = Math.max(0, t - maxLen + 1); a <= t && room > 0; a++) {
        for (int len = t - a; len < maxLen && a + len < slots; len++) {
          room = Math.min(room, slack[a][len]);
        }
      }
      if (room <= 0) {
        continue;
      }
      x[t] -= room;
      excess -= room;
      for (int a = Math.max(0, t - maxLen + 1); a <= t; a++) {
        for (int len = t - a; len < maxLen && a + len < slots; len++) {
          slack[a][len] -= room;
        }
      }
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
