package dev.greenlight.webhook;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Endpoints, secrets and the delivery log, as the API sees them. */
public final class WebhookStore {
  static final SqlFile SQL = SqlFile.of(WebhookStore.class, "webhooks.sql");
  private final Database db;

  public WebhookStore(Database db) {
    this.db = db;
  }

  public record Endpoint(UUID id, String url, List<String> eventTypes, Instant createdAt, Instant failingSince, Instant disabledAt,
      String disabledReason) {}

  public record Attempt(int attempt, Instant at, Integer status, Double latencyMs, String excerpt, String error) {}

  public record Delivery(String id, UUID endpointId, String url, String eventType, String state, int attempts, Instant nextAttemptAt,
      Integer lastStatus, String lastError, Instant createdAt, Instant finishedAt, List<Attempt> log) {}

  public String createEndpoint(UUID id, UUID accountId, String url, List<String> events, Instant now) {
    String secret = Signatures.newSecret();
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("insert_endpoint").prepare(c, "id", id, "account_id", accountId, "url", url,
          "event_types", events.toArray(String[]::new), "secret", secret, "now", now)) {
        return ps.executeUpdate();
      }
    });
    return secret;
  }

  public List<Endpoint> endpoints(UUID accountId) {
    return db.withConnection(c -> {
      List<Endpoint> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("list_endpoints").prepare(c, "account_id", accountId); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array types = rs.getArray("event_types");
          out.add(new Endpoint(rs.getObject("id", UUID.class), rs.getString("url"), List.of((String[]) types.getArray()),
              time(rs, "created_at"), time(rs, "failing_since"), time(rs, "disabled_at"), rs.getString("disabled_reason")));
        }
      }
      return out;
    });
  }

  public boolean deleteEndpoint(UUID id, UUID accountId, Instant now) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("delete_endpoint").prepare(c, "id", id, "account_id", accountId, "now", now)) {
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** A new endpoint secret (the old one keeps signing until {@code overlapUntil}); empty if no such endpoint. */
  public Optional<String> rotateEndpointSecret(UUID id, UUID accountId, Instant overlapUntil) {
    String secret = Signatures.newSecret();
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("rotate_endpoint_secret").prepare(c, "id", id, "account_id", accountId, "secret", secret,
          "previous_until", overlapUntil)) {
        return ps.executeUpdate() == 1 ? Optional.of(secret) : Optional.empty();
      }
    });
  }

  /** A new account secret for callback_url deliveries (the old one keeps signing until {@code overlapUntil}). */
  public String rotateAccountSecret(UUID accountId, Instant now, Instant overlapUntil) {
    String secret = Signatures.newSecret();
    db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("rotate_account_secret").prepare(c, "account_id", accountId, "secret", secret,
          "previous_until", overlapUntil, "now", now)) {
        return ps.executeUpdate();
      }
    });
    return secret;
  }

  public List<Delivery> deliveries(UUID jobId, UUID accountId) {
    return db.withConnection(c -> {
      List<Delivery> out = new ArrayList<>();
      try (PreparedStatement ps = SQL.get("job_deliveries").prepare(c, "job_id", jobId, "account_id", accountId);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("id");
          int last = rs.getInt("last_status");
          Integer lastStatus = rs.wasNull() ? null : last;
          List<Attempt> log = new ArrayList<>();
          try (PreparedStatement a = SQL.get("delivery_attempts").prepare(c, "id", id); ResultSet ar = a.executeQuery()) {
            while (ar.next()) {
              int status = ar.getInt("status");
              Integer st = ar.wasNull() ? null : status;
              double latency = ar.getDouble("latency_ms");
              Double lat = ar.wasNull() ? null : latency;
              log.add(new Attempt(ar.getInt("attempt"), time(ar, "at"), st, lat, ar.getString("response_excerpt"), ar.getString("error")));
            }
          }
          out.add(new Delivery(id, rs.getObject("endpoint_id", UUID.class), rs.getString("url"), rs.getString("event_type"),
              rs.getString("state"), rs.getInt("attempts"), time(rs, "next_attempt_at"), lastStatus,
              rs.getString("last_error"), time(rs, "created_at"), time(rs, "finished_at"), log));
        }
      }
      return out;
    });
  }

  public boolean redeliver(String id, UUID accountId, Instant now) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("redeliver").prepare(c, "id", id, "account_id", accountId, "now", now); ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
  }

  static Instant time(ResultSet rs, String column) throws java.sql.SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
