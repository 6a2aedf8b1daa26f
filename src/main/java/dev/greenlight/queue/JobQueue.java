package dev.greenlight.queue;

import dev.greenlight.db.Database;
import dev.greenlight.db.NamedQuery;
import dev.greenlight.db.SqlFile;
import dev.greenlight.job.JobState;
import dev.greenlight.job.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The job lifecycle writes: insert, claim, heartbeat, complete, fail, cancel. Blocking; each method is one
 * transaction and returns the transitions it committed so the caller can announce them. Writes by a worker are
 * fenced by (job, attempt, worker): a worker that lost its job to a rescue cannot overwrite the new attempt.
 */
public final class JobQueue {
  static final SqlFile SQL = SqlFile.of(JobQueue.class, "queue.sql");
  private final Database db;
  private final Backoff backoff;

  public JobQueue(Database db, Backoff backoff) {
    this.db = db;
    this.backoff = backoff;
  }

  public Database database() {
    return db;
  }

  /** Inserts a job on {@code c} (the caller's transaction, so idempotency and credits can share it). */
  public StateChange insert(Connection c, NewJob job, String actor, Instant now) throws SQLException {
    JobState state = job.spec().mode().initialState();
    String reason = state == JobState.QUEUED ? "submitted online: runs as soon as a GPU is free"
        : "submitted offline: waits for a low-carbon release before its deadline";
    try (PreparedStatement ps = SQL.get("insert_job").prepare(c,
        "id", job.id(), "account_id", job.accountId(), "state", state.wire(), "mode", job.spec().mode().wire(),
        "prompt", job.spec().prompt(), "resolution", job.spec().resolution().wire(),
        "duration_s", job.spec().durationS(), "fps", job.spec().fps(), "steps", job.spec().steps(),
        "seed", job.spec().seed(), "deadline", job.spec().deadline(),
        "regions", job.spec().regions().toArray(String[]::new), "priority", job.spec().priority(),
        "callback_url", job.spec().callbackUrl(), "energy_j", job.energyJ(), "duration_est_s", job.durationS(),
        "max_attempts", job.maxAttempts(), "run_after", job.runAfter(),
        "latest_start", job.spec().mode() == dev.greenlight.job.JobMode.OFFLINE ? job.runAfter() : null,
        "claim_rank", job.spec().mode() == dev.greenlight.job.JobMode.OFFLINE ? ClaimRank.DUE : ClaimRank.ONLINE,
        "actor", actor, "reason", reason, "now", now)) {
      ps.executeUpdate();
    }
    return new StateChange(job.id(), job.accountId(), null, state, now, reason);
  }

  /** Remembers which job an idempotency key created, with the hash of the request it came with. */
  public void rememberIdempotencyKey(Connection c, UUID accountId, String key, byte[] requestHash, UUID jobId, Instant now)
      throws SQLException {
    try (PreparedStatement ps = SQL.get("insert_idempotency_key").prepare(c, "account_id", accountId, "key", key,
        "request_hash", requestHash, "job_id", jobId, "now", now)) {
      ps.executeUpdate();
    }
  }

  /** The request hash and job an idempotency key was first used for. */
  public record IdempotencyRecord(byte[] requestHash, UUID jobId) {}

  public Optional<IdempotencyRecord> findIdempotencyKey(Connection c, UUID accountId, String key) throws SQLException {
    try (PreparedStatement ps = SQL.get("find_idempotency_key").prepare(c, "account_id", accountId, "key", key);
         ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(new IdempotencyRecord(rs.getBytes("request_hash"), rs.getObject("job_id", UUID.class)))
          : Optional.empty();
    }
  }

  /** Claims up to {@code limit} queued jobs of {@code region} for {@code workerId}. */
  public List<ClaimedJob> claim(String workerId, String region, int limit, Instant now) {
    return db.inTransaction(c -> {
      List<ClaimedJob> out = new ArrayList<>(limit);
      try (PreparedStatement ps = SQL.get("claim").prepare(c, "now", now, "region", region, "limit", limit, "worker", workerId);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ClaimedJob(JobRows.job(rs), workerId));
        }
      }
      return out;
    });
  }

  /**
   * Records that {@code workerId} still runs these jobs (with their progress JSON, or null) and returns the ids
   * whose owner asked to cancel. Jobs missing from the answer are no longer this worker's.
   */
  public HeartbeatAnswer heartbeat(String workerId, Map<UUID, String> progressByJob, Instant now) {
    if (progressByJob.isEmpty()) {
      return new HeartbeatAnswer(Set.of(), Set.of());
    }
    UUID[] ids = progressByJob.keySet().toArray(UUID[]::new);
    String[] progress = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      progress[i] = progressByJob.get(ids[i]);
    }
    return db.withConnection(c -> {
      Set<UUID> alive = new HashSet<>();
      Set<UUID> cancel = new HashSet<>();
      try (PreparedStatement ps = SQL.get("heartbeat").prepare(c, "now", now, "ids", ids, "progress", progress, "worker", workerId);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject(1, UUID.class);
          alive.add(id);
          if (rs.getBoolean(2)) {
            cancel.add(id);
          }
        }
      }
      return new HeartbeatAnswer(alive, cancel);
    });
  }

  /** The jobs still owned by the worker and those of them to cancel. */
  public record HeartbeatAnswer(Set<UUID> alive, Set<UUID> cancelRequested) {}

  /** Work done in the completing transaction for the jobs that did succeed (their footprints, later their credits). */
  @FunctionalInterface
  public interface CompletionHook {
    void succeeded(Connection c, Set<UUID> jobIds) throws SQLException;

    CompletionHook NONE = (c, ids) -> { };
  }

  /** Marks these attempts succeeded, in one statement. Attempts no longer owned by the worker are skipped. */
  public List<StateChange> succeed(String workerId, List<Completion> completions, Instant now) {
    return succeed(workerId, completions, now, CompletionHook.NONE);
  }

  /** As {@link #succeed(String, List, Instant)}, running {@code hook} in the same transaction. */
  public List<StateChange> succeed(String workerId, List<Completion> completions, Instant now, CompletionHook hook) {
    UUID[] ids = new UUID[completions.size()];
    Integer[] attempts = new Integer[completions.size()];
    String[] results = new String[completions.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = completions.get(i).jobId();
      attempts[i] = completions.get(i).attempt();
      results[i] = completions.get(i).resultJson();
    }
    return db.inTransaction(c -> {
      List<StateChange> done = changes(c, SQL.get("succeed"), JobState.RUNNING, JobState.SUCCEEDED, "completed", now,
          "ids", ids, "attempts", attempts, "results", results, "worker", workerId, "now", now);
      if (!done.isEmpty()) {
        Set<UUID> succeeded = new HashSet<>();
        done.forEach(ch -> succeeded.add(ch.jobId()));
        hook.succeeded(c, succeeded);
      }
      return done;
    });
  }

  /** Records a failed attempt: the job retries after a backoff, or fails when no attempts are left. */
  public Optional<StateChange> fail(String workerId, UUID jobId, int attempt, String error, Instant now) {
    Instant retryAt = now.plus(backoff.delayAfter(attempt));
    return db.inTransaction(c -> {
      try (PreparedStatement ps = SQL.get("fail").prepare(c, "id", jobId, "attempt", attempt, "worker", workerId,
          "error", error, "now", now, "retry_at", retryAt);
           ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        JobState to = JobState.fromWire(rs.getString("state"));
        return Optional.of(new StateChange(jobId, rs.getObject("account_id", UUID.class), JobState.RUNNING, to, now,
            to == JobState.FAILED ? "attempt failed; no attempts left" : "attempt failed; retry scheduled"));
      }
    });
  }

  /** The worker stopped a job whose owner cancelled it. */
  public Optional<StateChange> acknowledgeCancel(String workerId, UUID jobId, int attempt, Instant now) {
    return db.inTransaction(c -> changes(c, SQL.get("acknowledge_cancel"), JobState.RUNNING, JobState.CANCELLED,
        "cancelled at a step boundary", now, "id", jobId, "attempt", attempt, "worker", workerId, "now", now))
        .stream().findFirst();
  }

  /** Puts a stopping worker's unfinished jobs back in the queue at once, rather than waiting for a rescue. */
  public List<StateChange> requeue(String workerId, List<UUID> jobIds, Instant now) {
    if (jobIds.isEmpty()) {
      return List.of();
    }
    return db.inTransaction(c -> changes(c, SQL.get("requeue_worker_jobs"), JobState.RUNNING, JobState.QUEUED,
        "worker shut down before the job finished", now, "ids", jobIds.toArray(UUID[]::new), "worker", workerId, "now", now));
  }

  /**
   * Cancels a waiting job at once, or asks a running one to stop at its next boundary. {@code accountId} null
   * means any owner (admin).
   */
  public CancelOutcome requestCancel(UUID jobId, UUID accountId, String actor, Instant now) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = SQL.get("request_cancel").prepare(c, "id", jobId, "account_id", accountId, "actor", actor, "now", now);
           ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          JobState from = JobState.fromWire(rs.getString("from_state"));
          JobState to = JobState.fromWire(rs.getString("to_state"));
          UUID owner = rs.getObject("account_id", UUID.class);
          if (to == JobState.CANCELLED) {
            return new CancelOutcome(CancelOutcome.Kind.CANCELLED,
                Optional.of(new StateChange(jobId, owner, from, to, now, "cancelled by its owner")), null);
          }
          return new CancelOutcome(CancelOutcome.Kind.REQUESTED, Optional.empty(), rs.getString("worker_id"));
        }
      }
      try (PreparedStatement ps = SQL.get("get_job").prepare(c, "id", jobId, "account_id", accountId);
           ResultSet rs = ps.executeQuery()) {
        return new CancelOutcome(rs.next() ? CancelOutcome.Kind.ALREADY_FINAL : CancelOutcome.Kind.NOT_FOUND, Optional.empty(), null);
      }
    });
  }

  /**
   * Moves deferred work released on plan ({@link ClaimRank#PLANNED}, claimed after online jobs) up to
   * {@link ClaimRank#DUE}, ahead of online jobs, once its latest deadline-safe start falls before {@code until};
   * returns how many. The planning tick calls it one tick ahead; housekeeping calls it at now, as the safety net when
   * no tick runs.
   */
  public static int promoteLate(Connection c, Instant until) throws SQLException {
    try (PreparedStatement ps = SQL.get("promote_late").prepare(c, "until", until)) {
      return ps.executeUpdate();
    }
  }

  /** Runs a statement that returns (id, account_id) for each job it moved from {@code from} to {@code to}. */
  static List<StateChange> changes(Connection c, NamedQuery q, JobState from, JobState to, String reason, Instant now,
      Object... params) throws SQLException {
    List<StateChange> out = new ArrayList<>();
    try (PreparedStatement ps = q.prepare(c, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new StateChange(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), from, to, now, reason));
      }
    }
    return out;
  }
}
