package dev.greenlight.costmodel;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cost model learning from use: after each completed job, the ratio of measured to estimated energy and device
 * time for its engine and resolution moves a bounded running factor (a fifth of the way each time, within 1/32..32);
 * later estimates for that engine and resolution are scaled by it. Read from the database at most every 30 s.
 */
public final class CostCorrections {
  private static final SqlFile SQL = SqlFile.of(CostCorrections.class, "corrections.sql");
  private static final Duration REFRESH = Duration.ofSeconds(30);
  private final Database db;
  private final Clock clock;
  private final AtomicReference<Snapshot> cache = new AtomicReference<>(new Snapshot(Map.of(), Instant.MIN));

  /** A learned factor pair. */
  public record Factor(double energy, double duration, int samples) {}

  private record Snapshot(Map<String, Factor> factors, Instant loadedAt) {}

  public CostCorrections(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Records one completed job, on its completing transaction. */
  public void observe(Connection c, String engine, String resolution, double estimatedJ, double measuredJ, double estimatedS,
      double measuredS) throws SQLException {
    if (!(estimatedJ > 0 && measuredJ > 0 && estimatedS > 0 && measuredS > 0)) {
      return; // nothing to learn from
    }
    try (PreparedStatement ps = SQL.get("observe").prepare(c, "engine", engine, "resolution", resolution,
        "energy_ratio", measuredJ / estimatedJ, "duration_ratio", measuredS / estimatedS, "now", clock.instant())) {
      ps.executeUpdate();
    }
  }

  /** Forget the cached factors: the next estimate reads what was just learned (this node's own completions). */
  public void invalidate() {
    cache.set(new Snapshot(Map.of(), Instant.MIN));
  }

  /** The learned factor for an engine and resolution (1, 1 until something was learned). */
  public Factor factor(String engine, String resolution) {
    Snapshot s = cache.get();
    if (s.loadedAt().plus(REFRESH).isBefore(clock.instant())) {
      s = load();
      cache.set(s);
    }
    return s.factors().getOrDefault(engine + "/" + resolution, new Factor(1, 1, 0));
  }

  /** {@code estimate} scaled by what was learned for this engine and its shape's resolution. */
  public Estimate correct(String engine, String resolution, Estimate estimate) {
    Factor f = factor(engine, resolution);
    return estimate.scaled(f.energy(), f.duration());
  }

  private Snapshot load() {
    Map<String, Factor> out = new HashMap<>();
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("all").prepare(c); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString("engine") + "/" + rs.getString("resolution"),
              new Factor(rs.getDouble("energy_factor"), rs.getDouble("duration_factor"), rs.getInt("samples")));
        }
      }
      return null;
    });
    return new Snapshot(Map.copyOf(out), clock.instant());
  }
}
