package dev.greenlight.planner;

/**
 * The room left before each slot of one region for the deferred jobs not yet placed: for slot {@code i} (slots in
 * time order), the capacity still free in slots {@code 0..i} minus the work of the unplaced jobs that must start by
 * slot {@code i}. Every job may start from now on, so the windows are nested, and the unplaced jobs all still fit by
 * their latest starts exactly when no slot's slack is negative (Hall's condition for nested windows, with work as a
 * fluid). Placing a job of {@code d} GPU-seconds whose last slot is {@code L} in slot {@code t <= L} takes {@code d}
 * from the free capacity of {@code t} onwards and its demand from {@code L} onwards: the slack of {@code t..L-1} falls
 * by {@code d}, so the placement keeps every other job feasible when their least slack is at least {@code d}.
 *
 * <p>A segment tree with lazy range additions: each update and query costs O(log slots).
 */
final class SlotSlack {
  private final int size;
  private final double[] min;
  private final double[] pending;

  /**
   * @param free capacity still free per slot (may be negative where released work overruns a slot)
   * @param demandByLastSlot per slot, the work of the unplaced jobs whose latest start falls in it
   */
  SlotSlack(double[] free, double[] demandByLastSlot) {
    size = Math.max(1, free.length);
    min = new double[4 * size];
    pending = new double[4 * size];
    double[] slack = new double[size];
    double sum = 0;
    for (int i = 0; i < free.length; i++) {
      sum += free[i] - demandByLastSlot[i];
      slack[i] = sum;
    }
    build(1, 0, size - 1, slack);
  }

  /** Adds {@code delta} to the slack of slots {@code from..to} (inclusive); nothing when the range is empty. */
  void add(int from, int to, double delta) {
    if (from <= to && from < size && to >= 0) {
      add(1, 0, size - 1, Math.max(0, from), Math.min(size - 1, to), delta);
    }
  }

  /** The least slack over slots {@code from..to} (inclusive); +infinity when the range is empty. */
  double least(int from, int to) {
    if (from > to || from >= size || to < 0) {
      return Double.POSITIVE_INFINITY;
    }
    return least(1, 0, size - 1, Math.max(0, from), Math.min(size - 1, to));
  }

  /** Whether a job of {@code work} GPU-seconds with last slot {@code last} may take slot {@code slot} safely. */
  boolean admits(int slot, int last, double work) {
    return least(slot, last - 1) >= work - 1e-6;
  }

  /** Books a job of {@code work} GPU-seconds with last slot {@code last} into slot {@code slot}. */
  void place(int slot, int last, double work) {
    add(slot, last - 1, -work);
  }

  /** Takes away the demand of a job with last slot {@code last} that was placed elsewhere (another region). */
  void release(int last, double work) {
    add(last, size - 1, work);
  }

  private void build(int node, int lo, int hi, double[] values) {
    if (lo == hi) {
      min[node] = values[lo];
      return;
    }
    int mid = (lo + hi) >>> 1;
    build(2 * node, lo, mid, values);
    build(2 * node + 1, mid + 1, hi, values);
    min[node] = Math.min(min[2 * node], min[2 * node + 1]);
  }

  private void add(int node, int lo, int hi, int from, int to, double delta) {
    if (to < lo || hi < from) {
      return;
    }
    if (from <= lo && hi <= to) {
      min[node] += delta;
      pending[node] += delta;
      return;
    }
    push(node);
    int mid = (lo + hi) >>> 1;
    add(2 * node, lo, mid, from, to, delta);
    add(2 * node + 1, mid + 1, hi, from, to, delta);
    min[node] = Math.min(min[2 * node], min[2 * node + 1]);
  }

  private double least(int node, int lo, int hi, int from, int to) {
    if (to < lo || hi < from) {
      return Double.POSITIVE_INFINITY;
    }
    if (from <= lo && hi <= to) {
      return min[node];
    }
    push(node);
    int mid = (lo + hi) >>> 1;
    return Math.min(least(2 * node, lo, mid, from, to), least(2 * node + 1, mid + 1, hi, from, to));
  }

  private void push(int node) {
    if (pending[node] != 0) {
      for (int child = 2 * node; child <= 2 * node + 1; child++) {
        min[child] += pending[node];
        pending[child] += pending[node];
      }
      pending[node] = 0;
    }
  }
}
