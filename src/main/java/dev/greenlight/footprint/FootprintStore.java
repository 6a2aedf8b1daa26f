package dev.greenlight.footprint;

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
import java.util.Optional;
import java.util.UUID;

/** Job footprints: the intensity lookups they need, their storage, and sums over a period. */
public final class FootprintStore {
  static final SqlFile SQL = SqlFile.of(FootprintStore.class, "footprint.sql");
  private final Database db;

  public FootprintStore(Database db) {
    this.db = db;
  }

  /** An intensity and where it came from. */
  public record Intensity(Double gPerKwh, String source) {}

  /** The actual intensity over [from, to) in a region, else the newest forecast's, else unavailable. */
  public Intensity intensity(Connection c, String region, Instant from, Instant to) throws SQLException {
    Instant end = to.isAfter(from) ? to : from.plusSeconds(1);
    Double actual = scalar(c, "actual_intensity", region, from, end);
    if (actual != null) {
      return new Intensity(actual, "actual");
    }
    Double forecast = scalar(c, "forecast_intensity", region, from, end);
    return forecast != null ? new Intensity(forecast, "forecast") : new Intensity(null, "unavailable");
  }

  private static Double scalar(Connection c, String query, String region, Instant from, Instant to) throws SQLException {
    try (PreparedStatement ps = SQL.get(query).prepare(c, "region", region, "from", from, "to", to); ResultSet rs = ps.executeQuery()) {
      rs.next();
      double g = rs.getDouble(1);
      return rs.wasNull() ? null : g;
    }
  }

  public void insert(Connection c, Footprint f) throws SQLException {
    try (PreparedStatement ps = SQL.get("insert_footprint").prepare(c, "job_id", f.jobId(), "attempt", f.attempt(), "region", f.region(),
        "sensor", f.sensor(), "encode_j", f.encodeJ(), "denoise_j", f.denoiseJ(), "decode_j", f.decodeJ(), "mux_j", f.muxJ(),
        "energy_j", f.energyJ(), "t_gen_s", f.tGenS(), "pue", f.pue(), "intensity", f.intensityGPerKwh(),
        "intensity_source", f.intensitySource(), "run_now_intensity", f.runNowGPerKwh(), "device", f.device(),
        "embodied_device_g", f.embodiedDeviceG(), "life_years", f.lifeYears(), "operational_g", f.operationalG(),
        "embodied_g", f.embodiedG(), "total_g", f.totalG(), "run_now_g", f.runNowG(), "saved_g", f.savedG(),
        "started_at", f.startedAt(), "finished_at", f.finishedAt(), "submitted_at", f.submittedAt())) {
      ps.executeUpdate();
    }
  }

  public Optional<Footprint> find(UUID jobId) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("get_footprint").prepare(c, "job_id", jobId); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Footprint(jobId, rs.getInt("attempt"), rs.getString("region"), rs.getString("sensor"),
            rs.getDouble("encode_j"), rs.getDouble("denoise_j"), rs.getDouble("decode_j"), rs.getDouble("mux_j"),
            rs.getDouble("t_gen_s"), rs.getDouble("pue"), nullable(rs, "intensity_g_per_kwh"), rs.getString("intensity_source"),
            nullable(rs, "run_now_g_per_kwh"), rs.getString("device"), rs.getDouble("embodied_device_g"), rs.getDouble("life_years"),
            time(rs, "started_at"), time(rs, "finished_at"), time(rs, "submitted_at")));
      }
    });
  }

  /** Totals for one region over a period. */
  public record RegionTotal(String region, long jobs, double kwh, double facilityKwh, double totalG, double operationalG,
      double embodiedG, double savedG) {}

  /** Sums footprints finished in [from, to); {@code accountId} null = every account. */
  public List<RegionTotal> summary(UUID accountId, Instant from, Instant to) {
    return db.withConnection(c -> {
      List<RegionTotal> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("summary").prepare(c, "account_id", accountId, "from", from, "to", to);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RegionTotal(rs.getString("region"), rs.getLong("jobs"), rs.getDouble("kwh"), rs.getDouble("facility_kwh"),
              rs.getDouble("total_g"), rs.getDouble("operational_g"), rs.getDouble("embodied_g"), rs.getDouble("saved_g")));
        }
      }
      return out;
    });
  }

  private static Double nullable(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant time(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
