package dev.greenlight.scheduler;

import dev.greenlight.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read side of planning for the API: deferred jobs' planned releases per hour, and the last tick. */
public final class PlannedReleases {
  private final Database db;

  public PlannedReleases(Database db) {
    this.db = db;
  }

  /** Deferred jobs planned to start in one hour of one region. */
  public record HourBucket(String region, Instant hour, long jobs, double energyJ) {}

  /** The newest planning tick. */
  public record LastTick(String node, Instant scheduledAt, Instant ranAt, int deferred, int released, int atRisk, double durationMs) {}

  public List<HourBucket> byHour(String region) {
    return db.withConnection(c -> {
      List<HourBucket> out = new ArrayList<>();
      try (PreparedStatement ps = PolicyStore.SQL.get("planned_releases").prepare(c, "region", region); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new HourBucket(rs.getString("region"), rs.getObject("hour", OffsetDateTime.class).toInstant(), rs.getLong("jobs"),
              rs.getDouble("energy_j")));
        }
      }
      return out;
    });
  }

  public Optional<LastTick> lastTick() {
    return db.withConnection(c -> {
      try (PreparedStatement ps = PolicyStore.SQL.get("last_tick").prepare(c); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new LastTick(rs.getString("node"), rs.getObject("scheduled_at", OffsetDateTime.class).toInstant(),
            rs.getObject("ran_at", OffsetDateTime.class).toInstant(), rs.getInt("deferred"), rs.getInt("released"),
            rs.getInt("at_risk"), rs.getDouble("duration_ms")));
      }
    });
  }
}
