package dev.greenlight.worker;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code workers} table: which nodes run worker slots in which region, and how busy they are. */
public final class WorkerRegistry {
  private static final SqlFile SQL = SqlFile.of(WorkerRegistry.class, "workers.sql");
  private final Database db;

  public WorkerRegistry(Database db) {
    this.db = db;
  }

  /** A worker as last reported. */
  public record WorkerInfo(String id, String nodeId, String region, int slots, int busy, Instant heartbeatAt) {}

  public void beat(String id, String nodeId, String region, int slots, int busy, Instant now) {
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("upsert_worker").prepare(c, "id", id, "node_id", nodeId, "region", region,
          "slots", slots, "busy", busy, "now", now)) {
        return ps.executeUpdate();
      }
    });
  }

  public void remove(String id) {
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("remove_worker").prepare(c, "id", id)) {
        return ps.executeUpdate();
      }
    });
  }

  /** Workers whose last heartbeat is newer than {@code now - timeout}. */
  public List<WorkerInfo> online(Duration timeout, Instant now) {
    return db.withConnection(c -> {
      List<WorkerInfo> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("online_workers").prepare(c, "since", now.minus(timeout)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new WorkerInfo(rs.getString("id"), rs.getString("node_id"), rs.getString("region"), rs.getInt("slots"),
              rs.getInt("busy"), rs.getObject("heartbeat_at", java.time.OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    });
  }

  /** Forgets workers silent for longer than {@code age}. */
  public int forgetGone(Duration age, Instant now) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("forget_gone_workers").prepare(c, "before", now.minus(age))) {
        return ps.executeUpdate();
      }
    });
  }
}
