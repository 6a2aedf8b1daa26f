package dev.greenlight.planner;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The cheapest fluid schedule of work that draws different power: demand {@code k} is {@code amount[k]} GPU-seconds at
 * {@code power[k]} watts, spread over the slots of its window {@code [first[k], last[k]]}; no slot carries more than its
 * capacity; the cost is the sum over demands and slots of power x the slot's cost per joule x the work placed there.
 * This is the transportation LP exactly (its optimum, not a bound on it).
 *
 * <p>Method: successive shortest paths, one demand at a time (the most power-hungry first), on the graph of slots.
 * Work enters a slot of the demand's window; from there it may push another demand's work on to a slot of that
 * demand's window (at that demand's power times the difference in cost), and so on until a slot with room. Each
 * augmentation follows a cheapest such path, so the schedule stays optimal for the work placed so far (no cycle of
 * moves lowers the cost), and once every demand is placed it is optimal. Node potentials keep every move's reduced
 * cost non-negative, so each path is a Dijkstra search over the slots, in O(slots^2); the cheapest move from slot u to
 * slot t (the least power when t costs more than u, the most when it costs less) is cached per slot, updated in place
 * when a demand's work arrives in u and recomputed only when a demand's work leaves it. Demands with the same window and
 * power are merged first.
 */
public final class FluidSchedule {
  private static final double EPS = 1e-7;
  private static final double INF = Double.POSITIVE_INFINITY;

  private final int slots;
  private final double[] cost;
  private final double[] spare;
  // the merged demands: window, power, work still to place, work placed per slot of the window
  private final int[] first;
  private final int[] last;
  private final double[] power;
  private final double[] left;
  private final double[][] flow;
  private final boolean[][] listed;
  private final int[][] at; // per slot: demands that have (or had) work there, first atCount[t] entries
  private final int[] atCount;
  // cached cheapest moves out of each slot (null: to be computed)
  private final double[][] minP;
  private final int[][] minK;
  private final double[][] maxP;
  private final int[][] maxK;
  private final boolean[] fresh; // per slot: whether its cached moves are up to date
  private final int[] powerRank; // per demand: the rank of its power among the distinct powers, the least 0
  private final int distinctPowers;
  private final int[] nextFree; // movesFrom: the next slot not yet claimed
  private int[] byPower = new int[16]; // movesFrom: positions in at[u], by power
  private final int[] rankStart; // sortByPower: the counting sort's buckets
  private final double[] h; // potentials: slots, then the sink
  private final boolean[] marked;
  private final int[] mergedInto; // per input demand: its merged demand

  private FluidSchedule(double[] capacity, double[] cost, int[] first, int[] last, double[] power, double[] amount, boolean[] marked) {
    this.slots = capacity.length;
    double worst = 0;
    for (double c : cost) {
      if (!Double.isNaN(c)) {
        worst = Math.max(worst, Math.abs(c));
      }
    }
    double unknown = (worst + 1) * 10; // a slot of unknown cost is used last
    this.cost = Arrays.stream(cost).map(c -> Double.isNaN(c) ? unknown : c).toArray();
    this.spare = capacity.clone();
    Map<Key, Integer> merged = new HashMap<>();
    int[] of = new int[first.length];
    this.mergedInto = of;
    int n = 0;
    for (int i = 0; i < first.length; i++) {
      boolean mark = marked != null && marked[i];
      Integer k = merged.putIfAbsent(new Key(first[i], last[i], power[i], mark), n);
      of[i] = k == null ? n++ : k;
    }
    this.first = new int[n];
    this.last = new int[n];
    this.power = new double[n];
    this.left = new double[n];
    this.marked = new boolean[n];
    for (int i = 0; i < first.length; i++) {
      this.marked[of[i]] = marked != null && marked[i];
      this.first[of[i]] = first[i];
      this.last[of[i]] = last[i];
      this.power[of[i]] = power[i];
      this.left[of[i]] += amount[i];
    }
    flow = new double[n][];
    listed = new boolean[n][];
    for (int k = 0; k < n; k++) {
      flow[k] = new double[this.last[k] - this.first[k] + 1];
      listed[k] = new boolean[flow[k].length];
    }
    at = new int[slots][4];
    atCount = new int[slots];
    minP = new double[slots][];
    minK = new int[slots][];
    maxP = new double[slots][];
    maxK = new int[slots][];
    fresh = new boolean[slots];
    nextFree = new int[slots + 1];
    double[] distinct = Arrays.stream(this.power).sorted().distinct().toArray();
    distinctPowers = distinct.length;
    rankStart = new int[distinctPowers + 1];
    powerRank = new int[n];
    for (int k = 0; k < n; k++) {
      powerRank[k] = Arrays.binarySearch(distinct, this.power[k]);
    }
    h = new double[slots + 1];
  }

  private record Key(int first, int last, double power, boolean marked) {}

  /**
   * The cheapest schedule, or null when even full capacity cannot carry the demand.
   *
   * @param capacity work each slot can carry
   * @param cost cost of a joule in each slot (NaN: unknown, used last)
   * @param first first slot of each demand's window
   * @param last last slot of each demand's window (inclusive, at least {@code first})
   * @param power each demand's draw
   * @param amount each demand's work
   * @param marked demands whose work {@link #markedWork()} sums (null: none)
   */
  public static FluidSchedule solve(double[] capacity, double[] cost, int[] first, int[] last, double[] power, double[] amount,
      boolean[] marked) {
    FluidSchedule s = new FluidSchedule(capacity, cost, first, last, power, amount, marked);
    return s.place() ? s : null;
  }

  /** The power-weighted load of every slot (watt-seconds: the sum over demands of power x the work placed there). */
  public double[] energy() {
    double[] energy = new double[slots];
    for (int k = 0; k < power.length; k++) {
      for (int i = 0; i < flow[k].length; i++) {
        energy[first[k] + i] += power[k] * flow[k][i];
      }
    }
    return energy;
  }

  /**
   * The merged demand input demand {@code i} belongs to: demands with the same window, power and mark are merged, and
   * {@link #workIn} answers for them together.
   */
  public int merged(int i) {
    return mergedInto[i];
  }

  /** The work that merged demand {@code k} ({@link #merged}) does in {@code slot} (0 outside its window). */
  public double workIn(int k, int slot) {
    return slot < first[k] || slot > last[k] ? 0 : flow[k][slot - first[k]];
  }

  /** The work of the marked demands in every slot. */
  public double[] markedWork() {
    double[] work = new double[slots];
    for (int k = 0; k < power.length; k++) {
      if (marked[k]) {
        for (int i = 0; i < flow[k].length; i++) {
          work[first[k] + i] += flow[k][i];
        }
      }
    }
    return work;
  }

  private boolean place() {
    Integer[] order = IntStream.range(0, power.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> -power[k]).thenComparingInt(k -> last[k] - first[k]));
    double[] d = new double[slots + 1];
    boolean[] done = new boolean[slots + 1];
    int[] prevSlot = new int[slots];
    int[] prevDemand = new int[slots];
    for (int k : order) {
      while (left[k] > EPS) {
        int end = cheapestPath(k, d, done, prevSlot, prevDemand);
        if (end < 0) {
          return false;
        }
        augment(k, end, prevSlot, prevDemand);
      }
    }
    return true;
  }

  /** Dijkstra from demand {@code k} to the sink; returns the slot the path leaves by (-1: none), potentials updated. */
  private int cheapestPath(int k, double[] d, boolean[] done, int[] prevSlot, int[] prevDemand) {
    int sink = slots;
    Arrays.fill(d, INF);
    Arrays.fill(done, false);
    double hs = -INF; // the demand's own potential: every way in has a non-negative reduced cost
    for (int t = first[k]; t <= last[k]; t++) {
      hs = Math.max(hs, h[t] - power[k] * cost[t]);
    }
    for (int t = first[k]; t <= last[k]; t++) {
      d[t] = Math.max(0, power[k] * cost[t] + hs - h[t]);
      prevSlot[t] = -1;
    }
    int exit = -1;
    int u = -1;
    double best = INF;
    for (int v = 0; v <= slots; v++) {
      if (d[v] < best) {
        best = d[v];
        u = v;
      }
    }
    while (true) {
      if (u < 0) {
        return -1;
      }
      done[u] = true;
      if (u == sink) {
        break;
      }
      if (spare[u] > EPS) {
        double nd = d[u] + Math.max(0, h[u] - h[sink]);
        if (nd < d[sink]) {
          d[sink] = nd;
          exit = u;
        }
      }
      movesFrom(u);
      double[] lo = minP[u];
      double[] hi = maxP[u];
      double du = d[u];
      double hu = h[u];
      double cu = cost[u];
      // relax the moves out of u and, in the same pass, find the next slot to settle (the nearest, the lowest index
      // among equals, the sink only when strictly nearer than every slot)
      int next = -1;
      best = INF;
      for (int t = 0; t < slots; t++) {
        if (done[t]) {
          continue;
        }
        if (lo[t] != INF) {
          double delta = cost[t] - cu;
          boolean dearer = delta >= 0;
          double nd = du + Math.max(0, (dearer ? lo[t] : hi[t]) * delta + hu - h[t]);
          if (nd < d[t]) {
            d[t] = nd;
            prevSlot[t] = u;
            prevDemand[t] = dearer ? minK[u][t] : maxK[u][t];
          }
        }
        if (d[t] < best) {
          best = d[t];
          next = t;
        }
      }
      if (!done[sink] && d[sink] < best) {
        next = sink;
      }
      u = next;
    }
    double reach = d[sink];
    for (int v = 0; v <= slots; v++) {
      h[v] += Math.min(d[v], reach);
    }
    return exit;
  }

  /** Moves {@code k}'s work in along the path that leaves by slot {@code end}, as much as the path allows. */
  private void augment(int k, int end, int[] prevSlot, int[] prevDemand) {
    double amount = Math.min(left[k], spare[end]);
    int t = end;
    while (prevSlot[t] >= 0) {
      int u = prevSlot[t];
      amount = Math.min(amount, flow[prevDemand[t]][u - first[prevDemand[t]]]);
      t = u;
    }
    t = end;
    while (prevSlot[t] >= 0) {
      int u = prevSlot[t];
      int j = prevDemand[t];
      add(j, t, amount);
      add(j, u, -amount);
      t = u;
    }
    add(k, t, amount);
    left[k] -= amount;
    spare[end] -= amount;
  }

  private void add(int k, int t, double amount) {
    int i = t - first[k];
    boolean had = flow[k][i] > EPS;
    flow[k][i] += amount;
    if (flow[k][i] <= EPS) {
      flow[k][i] = 0;
    }
    boolean has = flow[k][i] > EPS;
    if (had && !has) {
      fresh[t] = false; // a demand left t: its cheapest moves are computed anew
    } else if (!had && has) {
      if (listed[k][i]) {
        fresh[t] = false; // back before t's list was compacted (so t's moves are stale already)
      } else {
        listed[k][i] = true;
        if (atCount[t] == at[t].length) {
          at[t] = Arrays.copyOf(at[t], at[t].length * 2);
        }
        at[t][atCount[t]++] = k;
        if (fresh[t]) {
          arrived(t, k); // last in t's list: it wins only where strictly better, as a recomputation would have it
        }
      }
    }
  }

  /** Updates the cached moves out of slot {@code u} for demand {@code k}, newly there. */
  private void arrived(int u, int k) {
    double[] lo = minP[u];
    double[] hi = maxP[u];
    double p = power[k];
    for (int t = first[k]; t <= last[k]; t++) {
      if (p < lo[t] && t != u) {
        lo[t] = p;
        minK[u][t] = k;
      }
      if (p > hi[t]) {
        hi[t] = p;
        maxK[u][t] = k;
      }
    }
  }

  /**
   * Computes (if not cached) the cheapest move of work out of slot {@code u} to every other slot. The demands with work
   * in u are taken by power (the least first for {@code lo}, the most first for {@code hi}; among equal powers in
   * their order in {@code at[u]}), and each claims the slots of its window not yet claimed, skipped over with a
   * next-unclaimed pointer: O(d log d + slots) for d demands rather than O(d x window).
   */
  private void movesFrom(int u) {
    if (fresh[u]) {
      return;
    }
    if (minP[u] == null) {
      minP[u] = new double[slots];
      maxP[u] = new double[slots];
      minK[u] = new int[slots];
      maxK[u] = new int[slots];
    }
    double[] lo = minP[u];
    double[] hi = maxP[u];
    Arrays.fill(lo, INF);
    Arrays.fill(hi, -INF);
    int kept = 0;
    for (int i = 0; i < atCount[u]; i++) {
      int k = at[u][i];
      if (flow[k][u - first[k]] <= EPS) {
        listed[k][u - first[k]] = false;
        continue;
      }
      at[u][kept++] = k;
    }
    atCount[u] = kept;
    sortByPower(u, kept, false);
    claim(u, kept, lo, minK[u]);
    sortByPower(u, kept, true);
    claim(u, kept, hi, maxK[u]);
    lo[u] = INF; // no move from a slot to itself
    fresh[u] = true;
  }

  /**
   * Puts the positions in {@code at[u]} of its first {@code count} demands into {@code byPower}, by power (ascending or
   * descending), in their order in {@code at[u]} among equal powers: a counting sort over the few distinct powers.
   */
  private void sortByPower(int u, int count, boolean descending) {
    if (byPower.length < count) {
      byPower = new int[Math.max(count, byPower.length * 2)];
    }
    Arrays.fill(rankStart, 0);
    for (int i = 0; i < count; i++) {
      rankStart[rankOf(at[u][i], descending) + 1]++;
    }
    for (int r = 0; r < distinctPowers; r++) {
      rankStart[r + 1] += rankStart[r];
    }
    for (int i = 0; i < count; i++) {
      byPower[rankStart[rankOf(at[u][i], descending)]++] = i;
    }
  }

  private int rankOf(int k, boolean descending) {
    return descending ? distinctPowers - 1 - powerRank[k] : powerRank[k];
  }

  /**
   * The first {@code count} demands of {@code at[u]}, in the order of {@code byPower}, claim the slots of their windows
   * still free, until none is.
   */
  private void claim(int u, int count, double[] value, int[] demand) {
    for (int t = 0; t <= slots; t++) {
      nextFree[t] = t;
    }
    int unclaimed = slots;
    for (int i = 0; i < count && unclaimed > 0; i++) {
      int k = at[u][byPower[i]];
      int t = free(first[k]);
      while (t <= last[k]) {
        value[t] = power[k];
        demand[t] = k;
        unclaimed--;
        nextFree[t] = t + 1;
        t = free(t + 1);
      }
    }
  }

  private int free(int t) {
    while (nextFree[t] != t) {
      nextFree[t] = nextFree[nextFree[t]];
      t = nextFree[t];
    }
    return t;
  }
}
