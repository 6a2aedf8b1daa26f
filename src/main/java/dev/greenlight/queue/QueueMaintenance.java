package dev.greenlight.queue;

import dev.greenlight.db.Database;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The queue's periodic housekeeping. Every statement locks with SKIP LOCKED, so every node may run it at once:
 * rescue jobs whose heartbeat stopped, queue retries whose backoff elapsed, release deferred jobs at their
 * planned start, and prune final jobs past their retention.
 */
public final class QueueMaintenance {
  private static final int BATCH = 1000;
  private final Database db;
  private final String actor;

  public QueueMaintenance(Database db, String actor) {
    this.db = db;
    this.actor = actor;
  }

  /** Running jobs silent since before {@code now - timeout} go back to the queue (or end, if cancelled or out of attempts). */
  public List<StateChange> rescue(Duration timeout, Instant now) {
    return db.inTransaction(c -> {
      List<StateChange> out = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("rescue").prepare(c, "cutoff", now.minus(timeout), "limit", BATCH, "actor", actor, "now", now);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StateChange(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), JobState.RUNNING,
              JobState.fromWire(rs.getString("state")), now, "rescued: heartbeat lost"));
        }
      }
      return out;
    });
  }

  public List<StateChange> promoteRetries(Instant now) {
    return db.inTransaction(c -> JobQueue.changes(c, JobQueue.SQL.get("promote_retries"), JobState.RETRYING, JobState.QUEUED,
        "retry backoff elapsed", now, "now", now, "limit", BATCH, "actor", actor));
  }

  /** The safety net of the claim order: released jobs whose latest start has come are claimed with the urgent ones. */
  public int promoteLate(Instant now) {
    return db.inTransaction(c -> JobQueue.promoteLate(c, now));
  }

  /** Releases deferred jobs whose {@code run_after} has come (until the planner sets it, the latest safe start). */
  public List<StateChange> releaseDue(Instant now) {
    return db.inTransaction(c -> JobQueue.changes(c, JobQueue.SQL.get("release_due"), JobState.DEFERRED, JobState.QUEUED,
        "released: latest start that still meets the deadline", now, "now", now, "limit", BATCH, "actor", actor));
  }

  /**
   * Deletes final jobs (and their events, attempts, idempotency keys, footprints, artifact records) finished before
   * {@code now - retention}; returns their ids so their files can go too.
   */
  public List<UUID> prune(Duration retention, Instant now) {
    return db.withConnection(c -> {
      List<UUID> out = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("prune").prepare(c, "cutoff", now.minus(retention), "limit", BATCH);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
      return out;
    });
  }
}
