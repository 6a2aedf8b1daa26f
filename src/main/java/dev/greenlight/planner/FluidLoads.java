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
 * costliest slots first, as much as every interval's slack allows, until exactly the demand is left.
 *
 * <p>Not every interval needs its own check. Intervals up to {@code maxIntervalSlots} long are checked directly. For
 * a longer interval [a, b] that no window strictly contains, the windows inside it are those inside the prefix
 * [0, b] and inside the suffix [a, end] at once, so its slack is the prefix's slack plus the suffix's minus the load
 * still to shed (the excess over the demand): keeping every prefix's and suffix's slack, a reduction at slot t is
 * also bounded by the smallest prefix slack from t plus the smallest suffix slack up to t, minus the excess. So the
 * loads are exact whenever {@code maxIntervalSlots} is at least the longest window, in O(slots x (maxIntervalSlots^2
 * + slots)); with a shorter one some intervals go unchecked (a relaxation: the loads may then be too optimistic).
 */
public final class FluidLoads {
  private FluidLoads() {}

  /**
   * @param capacity work each slot can carry
   * @param cost cost of a unit of work per slot (NaN: unknown, used last)
   * @param first first slot of each demand's window
   * @param last last slot of each demand's window (inclusive, at least {@code first})
   * @param amount each demand's work
   * @param maxIntervalSlots the longest interval whose Hall condition is checked directly (besides every prefix and
   *     suffix); at least the longest window for exact loads
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
    // prefix[b]: load minus inside demand over [0, b]; suffix[a]: the same over [a, slots - 1]. Only needed when some
    // intervals are longer than those checked directly (the oracle); with every interval checked (the planner's
    // horizon) they are among them.
    boolean longIntervals = maxLen < slots;
    double[] prefix = null;
    double[] suffix = null;
    if (longIntervals) {
      double[] endsBy = new double[slots];
      double[] startsFrom = new double[slots];
      for (int i = 0; i < first.length; i++) {
        endsBy[last[i]] += amount[i];
        startsFrom[first[i]] += amount[i];
      }
      prefix = new double[slots];
      suffix = new double[slots];
      for (int b = 0; b < slots; b++) {
        prefix[b] = (b > 0 ? prefix[b - 1] : 0) + x[b] - endsBy[b];
      }
      for (int a = slots - 1; a >= 0; a--) {
        suffix[a] = (a < slots - 1 ? suffix[a + 1] : 0) + x[a] - startsFrom[a];
      }
      for (int t = 0; t < slots; t++) {
        if (prefix[t] < -1e-6 || suffix[t] < -1e-6) {
          return null;
        }
      }
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
      if (longIntervals) {
        // an interval [a, b] around t longer than any window: its slack is prefix[b] + suffix[a] - excess
        double minPrefix = Double.MAX_VALUE;
        for (int b = t; b < slots; b++) {
          minPrefix = Math.min(minPrefix, prefix[b]);
        }
        double minSuffix = Double.MAX_VALUE;
        for (int a = 0; a <= t; a++) {
          minSuffix = Math.min(minSuffix, suffix[a]);
        }
        room = Math.min(room, minPrefix + minSuffix - excess);
      }
      if (room <= 0) {
        continue;
      }
      x[t] -= room;
      excess -= room;
      if (longIntervals) {
        for (int b = t; b < slots; b++) {
          prefix[b] -= room;
        }
        for (int a = 0; a <= t; a++) {
          suffix[a] -= room;
        }
      }
      for (int a = Math.max(0, t - maxLen + 1); a <= t; a++) {
        for (int len = t - a; len < maxLen && a + len < slots; len++) {
          slack[a][len] -= room;
        }
      }
    }
    return x;
  }
}
