package dev.greenlight.credits;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger's operations: hold at submission (on the submitting transaction, with the account row locked, so two
 * submissions cannot both spend the last credits), settle at success, grants; releases on failure or cancel are done
 * by the jobs trigger. The balance always equals the sum of the ledger.
 *
 * <p>Settlement rule: the binding quote is charged; if the measured operational carbon beats the expected, the carbon
 * term is refunded in proportion ({@code refund = carbonTerm x (1 - measured / expected)}, at most the carbon term).
 */
public final class Credits {
  static final SqlFile SQL = SqlFile.of(Credits.class, "credits.sql");
  private final Database db;

  public Credits(Database db) {
    this.db = db;
  }

  /**
   * Holds the quote for a job just inserted on {@code c}. The ledger row moves the balance (trigger) as the last write
   * of the transaction, so the account's row is locked only until commit; a balance that cannot cover it breaks
   * {@code balance_not_negative} and the whole submission rolls back ({@link #isShortOfCredits}).
   */
  public void hold(Connection c, UUID accountId, UUID jobId, Quote quote, Instant now) throws SQLException {
    BigDecimal price = BigDecimal.valueOf(quote.credits());
    exec(c, "insert_job_credits", "job_id", jobId, "account_id", accountId, "quoted", price, "held", price, "discount", quote.discount(),
        "carbon_term", BigDecimal.valueOf(quote.carbonTerm()), "expected_carbon_g", quote.expectedG());
    exec(c, "insert_entry", "account_id", accountId, "job_id", jobId, "kind", "hold", "amount", price.negate(),
        "note", "quote " + quote.label(), "now", now);
  }

  /** True when {@code e} is the balance check refusing a hold. */
  public static boolean isShortOfCredits(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23514".equals(s.getSQLState()) && String.valueOf(s.getMessage()).contains("balance_not_negative")) {
        return true;
      }
    }
    return false;
  }

  /** The balance now (for the 402's figures). */
  public double balance(UUID accountId) {
    return account(accountId).map(Account::balance).orElse(0.0);
  }

  /** Settles a succeeded job on its completing transaction; {@code measuredG} null when unknown (no refund). */
  public void settle(Connection c, UUID jobId, Double measuredG, Instant now) throws SQLException {
    BigDecimal quoted;
    BigDecimal carbonTerm;
    double expected;
    try (PreparedStatement ps = SQL.get("job_credits").prepare(c, "job_id", jobId); ResultSet rs = ps.executeQuery()) {
      if (!rs.next() || rs.getObject("settled_at") != null) {
        return; // no quote (jobs from before credits) or already settled
      }
      quoted = rs.getBigDecimal("quoted");
      carbonTerm = rs.getBigDecimal("carbon_term");
      expected = rs.getDouble("expected_carbon_g");
    }
    double refund = 0;
    if (measuredG != null && expected > 0 && measuredG < expected) {
      refund = Math.min(carbonTerm.doubleValue(), carbonTerm.doubleValue() * (1 - measuredG / expected));
    }
    BigDecimal refunded = BigDecimal.valueOf(Pricer.round(refund));
    UUID account;
    try (PreparedStatement ps = SQL.get("settle").prepare(c, "job_id", jobId, "charged", quoted.subtract(refunded), "refunded", refunded,
        "now", now); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return;
      }
      account = rs.getObject(1, UUID.class);
    }
    exec(c, "insert_entry", "account_id", account, "job_id", jobId, "kind", "settle", "amount", BigDecimal.ZERO,
        "note", "charged " + quoted.subtract(refunded).stripTrailingZeros().toPlainString(), "now", now);
    if (refunded.signum() > 0) {
      exec(c, "insert_entry", "account_id", account, "job_id", jobId, "kind", "refund", "amount", refunded,
          "note", "measured carbon beat the estimate", "now", now);
    }
  }

  /** Adds credits to an account; false if there is no such account. */
  public boolean grant(UUID accountId, double credits, String note, Instant now) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = SQL.get("account_exists").prepare(c, "account_id", accountId); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
      grant(c, accountId, credits, note, now);
      return true;
    });
  }

  public void grant(Connection c, UUID accountId, double credits, String note, Instant now) throws SQLException {
    exec(c, "insert_entry", "account_id", accountId, "job_id", null, "kind", "grant", "amount", BigDecimal.valueOf(credits),
        "note", note, "now", now);
  }

  /** An account's standing. */
  public record Account(UUID id, String name, double balance, double onHold, Instant createdAt) {}

  public Optional<Account> account(UUID accountId) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("account").prepare(c, "account_id", accountId); ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Account(accountId, rs.getString("name"), rs.getDouble("balance"), rs.getDouble("on_hold"),
            rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant())) : Optional.empty();
      }
    });
  }

  /** A job's credits as the API shows them, if it was quoted. */
  public Optional<JsonObject> jobCredits(UUID jobId) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("job_credits").prepare(c, "job_id", jobId); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        BigDecimal charged = rs.getBigDecimal("charged");
        BigDecimal held = rs.getBigDecimal("held");
        boolean settled = rs.getObject("settled_at") != null;
        return Optional.of(new JsonObject().put("quoted", rs.getDouble("quoted"))
            .put("held", settled ? 0.0 : held.doubleValue())
            .put("charged", charged == null ? null : charged.doubleValue())
            .put("refunded", rs.getDouble("refunded")).put("released", rs.getDouble("released"))
            .put("discount", rs.getDouble("discount")));
      }
    });
  }

  public PricingPolicy pricing() {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("get_pricing").prepare(c); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return PricingPolicy.DEFAULT;
        }
        return PricingPolicy.DEFAULT.merge(new JsonObject(rs.getString(1)), new java.util.ArrayList<>());
      }
    });
  }

  public void putPricing(PricingPolicy p, String by, Instant now) {
    db.withConnection(c -> exec(c, "put_pricing", "policy", p.toJson().encode(), "now", now, "by", by));
  }

  private static int exec(Connection c, String q, Object... params) throws SQLException {
    try (PreparedStatement ps = SQL.get(q).prepare(c, params)) {
      return ps.executeUpdate();
    }
  }

  static List<String> kinds() {
    return List.of("grant", "hold", "settle", "release", "refund");
  }
}
