package dev.greenlight.planner;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The cheapest loads per slot for fluid work with interval windows: given each slot's capacity and cost per unit of
 * work, and demands that must each be served inside a window of slots, how much work each slot should carry.
 *
 * <p>Feasibility of fluid work with interval windows is Hall's condition on intervals: in every interval of slots the
 * load is at least the demand whose windows lie inside it. That demand function is supermodular, so the feasible
 * loads form a contra-polymatroid and the greedy is optimal: start from full capacity and take load away from the
 * costliest slots first, as much as every interval's slack allows, until exactly the demand is left. Intervals longer
 * than {@code maxIntervalSlots} are not checked (a relaxation: the loads may then be a little too optimistic, never
 * worse). O(slots x maxIntervalSlots^2).
 */
public final class FluidLoads {
  private FluidLoads() {}

  /**
   * @param capacity work each slot can carry
   * @param cost cost of a unit of work per slot (NaN: unknown, used last)
   * @param first first slot of each demand's window
   * @param last last slot of each demand's window (inclusive, at least {@code first})
   * @param amount each demand's work
   * @param maxIntervalSlots the longest interval whose Hall condition is checked
   * @return the load of each slot, or null when even full capacity cannot carry the demand
   */
  public static double[] solve(double[] capacity, double[] cost, int[] first, int[] last, double[] amount, int maxIntervalSlots) {
    int slots = capacity.length;
    int maxLen = Math.max(1, Math.min(slots, maxIntervalSlots));
    double[] x = capacity.clone();
    double demandTotal = 0;
    // rows[a][len]: demand whose window is exactly [a, a + len]
    double[][] rows = new double[slots][];
    for (int i = 0; i < first.length; i++) {
      int len = last[i] - first[i];
      demandTotal += amount[i];
      if (len < maxLen) {
        if (rows[first[i]] == null) {
          rows[first[i]] = new double[maxLen];
        }
        rows[first[i]][len] += amount[i];
      }
    }
    // slack[a][len]: load minus inside demand over [a, a + len]
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
          return null;
        }
      }
      next = cur;
    }
    double excess = Arrays.stream(capacity).sum() - demandTotal;
    Integer[] order = IntStream.range(0, slots).boxed().toArray(Integer[]::new);
    // costliest first; among equal costs the latest first, so that work stays early (more room before deadlines)
    Arrays.sort(order, Comparator.comparingDouble((Integer t) -> Double.isNaN(cost[t]) ? Double.MAX_VALUE : cost[t])
        .thenComparingInt(t -> t).reversed());
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
    return x;
  }
}
