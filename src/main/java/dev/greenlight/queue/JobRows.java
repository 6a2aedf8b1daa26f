package dev.greenlight.queue;

import dev.greenlight.job.Job;
import dev.greenlight.job.JobAttempt;
import dev.greenlight.job.JobEvent;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.JobState;
import dev.greenlight.job.Resolution;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Maps rows of {@code jobs}, {@code job_events} and {@code job_attempts} to records. */
final class JobRows {
  private JobRows() {}

  static Job job(ResultSet rs) throws SQLException {
    long seed = rs.getLong("seed");
    Long seedOrNull = rs.wasNull() ? null : seed;
    Array regions = rs.getArray("regions");
    JobSpec spec = new JobSpec(
        rs.getString("prompt"),
        Resolution.fromWire(rs.getString("resolution")).orElseThrow(),
        rs.getInt("duration_s"),
        rs.getInt("fps"),
        rs.getInt("steps"),
        seedOrNull,
        JobMode.fromWire(rs.getString("mode")),
        instant(rs, "deadline"),
        regions == null ? List.of() : List.of((String[]) regions.getArray()),
        rs.getInt("priority"),
        rs.getString("callback_url"));
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getObject("account_id", UUID.class),
        spec,
        JobState.fromWire(rs.getString("state")),
        rs.getDouble("estimate_energy_j"),
        rs.getDouble("estimate_duration_s"),
        rs.getString("region"),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        instant(rs, "run_after"),
        rs.getString("worker_id"),
        instant(rs, "heartbeat_at"),
        instant(rs, "cancel_requested_at"),
        rs.getString("progress"),
        rs.getString("result"),
        rs.getString("plan"),
        rs.getString("last_error"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"));
  }

  static JobEvent event(ResultSet rs) throws SQLException {
    String from = rs.getString("from_state");
    return new JobEvent(rs.getLong("id"), rs.getObject("job_id", UUID.class), instant(rs, "at"),
        from == null ? null : JobState.fromWire(from), JobState.fromWire(rs.getString("to_state")),
        rs.getString("actor"), rs.getString("reason"), rs.getInt("attempt"));
  }

  static JobAttempt attempt(ResultSet rs) throws SQLException {
    return new JobAttempt(rs.getInt("attempt"), rs.getString("worker_id"), rs.getString("region"),
        instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("outcome"), rs.getString("error"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
