package dev.greenlight.sim;

import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.planner.FluidSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A lower bound on the carbon of any schedule of a workload in one region, computed on the actual intensities.
 *
 * <p>Relaxation: work is fluid (a job's GPU-seconds may be spread over its window) and windows are generous: an
 * offline job anywhere from its submission slot to its deadline slot, an online job in its submission slot or the
 * next. Within that relaxation the bound is exact: the transportation LP in which each job's GPU-seconds cost its own
 * power (energy over duration) x the slot's intensity, solved to optimality by {@link FluidSchedule}. History of this
 * figure: until 2026-12-01 the fluid loads checked Hall's condition only on short intervals, which left clean slots
 * near a replay's end full of work no job could reach (CAISO North at 80 %: a 10.4 % saving claimed where 4.7 % was
 * possible); then every GPU-second was charged the workload's mean power, which bounds only a workload whose jobs all
 * draw it (a power-aware planner beat it by 9 % of the saving); from the fourth session of 2026-12-01 the bound was
 * layered by power (a sum of per-layer minima, each taken alone, which is below the LP: 9,980 g against the LP's
 * 9,994 g on ES 2022 at 80 %, 9,593 g against 9,630 g on CAISO North); from 2026-12-03 it is the LP itself. Returns
 * NaN when even full capacity cannot hold the demand.
 */
final class FluidOracle {
  private FluidOracle() {}

  /**
   * The relaxation deciding on {@code believed} intensities and charged the {@code actual} ones: the lower bound when
   * they are the same series; otherwise the fluid schedule trusts the forecast (arrival-clairvoyant) and is
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
    FluidSchedule schedule = FluidSchedule.solve(capacity, cost, ws, we, power,
        jobs.stream().mapToDouble(SimJob::durationS).toArray(), null);
    if (schedule == null) {
      return Double.NaN; // overloaded even at full capacity
    }
    double[] energy = schedule.energy(); // joules per slot
    double grams = 0;
    for (int t = 0; t < slots; t++) {
      if (energy[t] > 0 && !Double.isNaN(charged[t])) {
        grams += energy[t] * charged[t];
      }
    }
    return grams;
  }

  private static long floor(long epoch, long slotS) {
    return epoch - Math.floorMod(epoch, slotS);
  }
}
