package dev.greenlight.queue;

import dev.greenlight.db.Database;
import dev.greenlight.job.Job;
import dev.greenlight.job.JobAttempt;
import dev.greenlight.job.JobEvent;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of jobs for the API and the tests. {@code accountId} null means any owner. */
public final class JobStore {
  private final Database db;

  public JobStore(Database db) {
    this.db = db;
  }

  /** A job with its timeline and attempts. */
  public record JobDetail(Job job, List<JobEvent> events, List<JobAttempt> attempts) {}

  /** Jobs in one region and state. */
  public record StateCount(String state, String region, long count) {}

  public Optional<Job> find(UUID id, UUID accountId) {
    return db.withConnection(c -> find(c, id, accountId));
  }

  public Optional<Job> find(Connection c, UUID id, UUID accountId) throws SQLException {
    try (PreparedStatement ps = JobQueue.SQL.get("get_job").prepare(c, "id", id, "account_id", accountId);
         ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(JobRows.job(rs)) : Optional.empty();
    }
  }

  public Optional<JobDetail> detail(UUID id, UUID accountId) {
    return db.withConnection(c -> {
      Optional<Job> job = find(c, id, accountId);
      if (job.isEmpty()) {
        return Optional.empty();
      }
      List<JobEvent> events = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("job_events").prepare(c, "id", id); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events.add(JobRows.event(rs));
        }
      }
      List<JobAttempt> attempts = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("job_attempts").prepare(c, "id", id); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          attempts.add(JobRows.attempt(rs));
        }
      }
      return Optional.of(new JobDetail(job.get(), events, attempts));
    });
  }

  /** A page of jobs, newest first, after {@code cursor} (the last id of the previous page). */
  public List<Job> list(UUID accountId, JobState state, JobMode mode, UUID cursor, int limit) {
    return db.withConnection(c -> {
      List<Job> out = new ArrayList<>(limit);
      try (PreparedStatement ps = JobQueue.SQL.get("list_jobs").prepare(c, "account_id", accountId,
          "state", state == null ? null : state.wire(), "mode", mode == null ? null : mode.wire(), "cursor", cursor, "limit", limit);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JobRows.job(rs));
        }
      }
      return out;
    });
  }

  public List<JobEvent> events(UUID jobId) {
    return db.withConnection(c -> {
      List<JobEvent> out = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("job_events").prepare(c, "id", jobId); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JobRows.event(rs));
        }
      }
      return out;
    });
  }

  public List<StateCount> countsByStateAndRegion() {
    return db.withConnection(c -> {
      List<StateCount> out = new ArrayList<>();
      try (PreparedStatement ps = JobQueue.SQL.get("count_by_state_region").prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StateCount(rs.getString("state"), rs.getString("region"), rs.getLong("n")));
        }
      }
      return out;
    });
  }
}
