package dev.greenlight.queue;

/**
 * Where a queued job stands in the claim order ({@code jobs.claim_rank}; {@code claim} in queue.sql): a free GPU takes
 * rank 0 first, then 1, then 2. A deadline is a promise and an online job's wait is not, so deferred work whose latest
 * deadline-safe start has come goes even before online jobs; deferred work released early, for a clean slot, waits
 * behind them while its deadline allows. Ranks 0 and 2 are served earliest latest start first (EDF), rank 1 in
 * submission order.
 */
public final class ClaimRank {
  /** An offline job whose latest deadline-safe start has come, or comes before the next planning tick. */
  public static final int DUE = 0;
  /** An online job. */
  public static final int ONLINE = 1;
  /**
   * An offline job released on plan with time to spare (at risk or not: EDF puts the tightest first); the planning
   * tick, or housekeeping should no tick run, moves it to {@link #DUE} when its latest start comes.
   */
  public static final int PLANNED = 2;

  private ClaimRank() {}

  /**
   * The rank of a queued offline job, given its latest safe start and when the next planning tick runs (epoch
   * milliseconds). The queue applies the same rule in SQL, to {@code jobs.latest_start}: when the planning tick
   * releases a job ({@code release} in planning.sql) and when it or housekeeping promotes one ({@code promote_late}).
   */
  public static int offline(long latestStartMs, long nextTickMs) {
    return latestStartMs < nextTickMs ? DUE : PLANNED;
  }
}
