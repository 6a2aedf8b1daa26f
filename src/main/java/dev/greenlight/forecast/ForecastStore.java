package dev.greenlight.forecast;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every forecast vintage as it was fetched (made at, for which slots, which values), every actual intensity, and
 * each provider's health, so that a release decision can be explained later from what was believed then.
 */
public final class ForecastStore implements ForecastSmoothing.TrackRecord {
  private static final SqlFile SQL = SqlFile.of(ForecastStore.class, "forecast.sql");
  private final Database db;
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

  public ForecastStore(Database db) {
    this.db = db;
  }

  /** Changes whenever this process stores a forecast or a failure (caches compare it). */
  public long version() {
    return writes.get();
  }

  public long save(ForecastSnapshot s, Instant fetchedAt) {
    writes.incrementAndGet();
    return db.inTransaction(c -> {
      long id;
      Instant from = s.forecast().getFirst().start();
      Instant to = s.forecast().getLast().end();
      try (PreparedStatement ps = SQL.get("insert_vintage").prepare(c, "region", s.region(), "provider", s.provider(),
          "signal", s.signal().name().toLowerCase(Locale.ROOT), "made_at", s.madeAt(), "fetched_at", fetchedAt,
          "covers_from", from, "covers_to", to); ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      try (PreparedStatement ps = c.prepareStatement(SQL.get("insert_point").sql())) {
        for (IntensityPoint p : s.forecast()) {
          SQL.get("insert_point").bind(c, ps, Map.of("vintage_id", id, "starts_at", p.start(), "ends_at", p.end(), "g", p.gPerKwh()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement(SQL.get("upsert_actual").sql())) {
        for (IntensityPoint p : s.actuals()) {
          SQL.get("upsert_actual").bind(c, ps, Map.of("region", s.region(), "starts_at", p.start(), "ends_at", p.end(),
              "g", p.gPerKwh(), "provider", s.provider(), "now", fetchedAt));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = SQL.get("record_success").prepare(c, "region", s.region(), "provider", s.provider(), "now", fetchedAt)) {
        ps.executeUpdate();
      }
      return id;
    });
  }

  public void recordFailure(String region, String provider, String error, Instant now) {
    writes.incrementAndGet();
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("record_failure").prepare(c, "region", region, "provider", provider,
          "error", error.length() > 500 ? error.substring(0, 500) : error, "now", now)) {
        return ps.executeUpdate();
      }
    });
  }

  public Optional<StoredForecast> latest(String region) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("latest_vintage").prepare(c, "region", region); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long id = rs.getLong("id");
        return Optional.of(new StoredForecast(id, region, rs.getString("provider"),
            Signal.valueOf(rs.getString("signal").toUpperCase(Locale.ROOT)), instant(rs, "made_at"), instant(rs, "fetched_at"),
            new IntensitySeries(points(c, id))));
      }
    });
  }

  /** Vintages reach at most this far ahead (bounds the track record's lookup). */
  private static final java.time.Duration LONGEST_VINTAGE = java.time.Duration.ofDays(4);

  @Override
  public IntensitySeries forecastMadeAhead(String region, java.time.Duration lead, Instant from, Instant to) {
    return db.withConnection(c -> {
      List<IntensityPoint> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("forecast_made_ahead").prepare(c, "region", region, "from", from, "to", to,
          "lead_s", (double) lead.getSeconds(), "reach_s", (double) LONGEST_VINTAGE.getSeconds()); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new IntensityPoint(instant(rs, "starts_at"), instant(rs, "ends_at"), rs.getDouble("g_per_kwh")));
        }
      }
      return new IntensitySeries(out);
    });
  }

  @Override
  public List<IntensityPoint> actuals(String region, Instant from, Instant to) {
    return db.withConnection(c -> {
      List<IntensityPoint> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("actuals_between").prepare(c, "region", region, "from", from, "to", to);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new IntensityPoint(instant(rs, "starts_at"), instant(rs, "ends_at"), rs.getDouble("g_per_kwh")));
        }
      }
      return out;
    });
  }

  public Optional<ProviderStatus> status(String region) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("status").prepare(c, "region", region); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new ProviderStatus(region, rs.getString("provider"), instant(rs, "last_attempt_at"),
            instant(rs, "last_success_at"), rs.getString("last_error"), rs.getInt("consecutive_failures")));
      }
    });
  }

  /** Deletes vintages and actuals older than {@code cutoff}. */
  public int prune(Instant cutoff) {
    return db.withConnection(c -> {
      int n;
      try (PreparedStatement ps = SQL.get("prune_vintages").prepare(c, "cutoff", cutoff, "limit", 1000)) {
        n = ps.executeUpdate();
      }
      try (PreparedStatement ps = SQL.get("prune_actuals").prepare(c, "cutoff", cutoff, "limit", 10000)) {
        n += ps.executeUpdate();
      }
      return n;
    });
  }

  private List<IntensityPoint> points(Connection c, long vintage) throws SQLException {
    List<IntensityPoint> out = new ArrayList<>();
    try (PreparedStatement ps = SQL.get("vintage_points").prepare(c, "vintage_id", vintage); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new IntensityPoint(instant(rs, "starts_at"), instant(rs, "ends_at"), rs.getDouble("g_per_kwh")));
      }
    }
    return out;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
