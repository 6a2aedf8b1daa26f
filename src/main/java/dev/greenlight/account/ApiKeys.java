package dev.greenlight.account;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: {@code glk_} + 32 random bytes (base64url). Only the SHA-256 of a key is stored (a key has 256 bits of
 * entropy, so a fast hash is enough). Lookups are cached for a few seconds to keep authentication off the hot path.
 */
public final class ApiKeys {
  private static final SqlFile SQL = SqlFile.of(ApiKeys.class, "accounts.sql");
  private static final Duration CACHE_TTL = Duration.ofSeconds(10);
  private final Database db;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private NewAccountHook onNewAccount = (c, accountId, role) -> { };

  /** Work done in the transaction that creates an account (its opening credits). */
  @FunctionalInterface
  public interface NewAccountHook {
    void created(Connection c, UUID accountId, Role role) throws SQLException;
  }

  public ApiKeys onNewAccount(NewAccountHook hook) {
    this.onNewAccount = hook;
    return this;
  }

  private record Cached(Caller caller, Instant until) {}

  public ApiKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates an account and its first key. */
  public IssuedKey createAccountWithKey(String name, Role role) {
    return db.inTransaction(c -> createAccountWithKey(c, name, role, newSecret()));
  }

  /** Looks up the caller a presented key belongs to. */
  public Optional<Caller> authenticate(String presented) {
    Instant now = clock.instant();
    Cached hit = cache.get(presented);
    if (hit != null && hit.until().isAfter(now)) {
      return Optional.of(hit.caller());
    }
    Optional<Caller> found = db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("find_key").prepare(c, "key_hash", hash(presented)); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Caller(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
            rs.getString("name"), Role.valueOf(rs.getString("role").toUpperCase(java.util.Locale.ROOT))));
      }
    });
    if (found.isPresent()) {
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cache.put(presented, new Cached(found.get(), now.plus(CACHE_TTL)));
    }
    return found;
  }

  /**
   * Makes sure an admin key exists. With {@code configured} set, that key becomes an admin key (idempotent across
   * restarts). Without it, the first start generates one and returns it so it can be printed once; later starts
   * return empty.
   */
  public Optional<String> bootstrapAdmin(Optional<String> configured) {
    return db.inTransaction(c -> {
      try (PreparedStatement lock = SQL.get("lock_keys").prepare(c)) {
        lock.execute(); // two nodes starting together must not both generate a key
      }
      if (configured.isPresent()) {
        if (findByHash(c, hash(configured.get())).isEmpty()) {
          createAccountWithKey(c, "admin", Role.ADMIN, configured.get());
        }
        return Optional.empty();
      }
      try (PreparedStatement ps = SQL.get("count_admin_keys").prepare(c); ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return Optional.empty();
        }
      }
      return Optional.of(createAccountWithKey(c, "admin", Role.ADMIN, newSecret()).secret());
    });
  }

  private Optional<UUID> findByHash(Connection c, byte[] hash) throws SQLException {
    try (PreparedStatement ps = SQL.get("find_key").prepare(c, "key_hash", hash); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(rs.getObject("id", UUID.class)) : Optional.empty();
    }
  }

  private IssuedKey createAccountWithKey(Connection c, String name, Role role, String secret) throws SQLException {
    Instant now = clock.instant();
    UUID accountId = UUID.randomUUID();
    UUID keyId = UUID.randomUUID();
    try (PreparedStatement ps = SQL.get("insert_account").prepare(c, "id", accountId, "name", name, "now", now)) {
      ps.executeUpdate();
    }
    try (PreparedStatement ps = SQL.get("insert_key").prepare(c, "id", keyId, "account_id", accountId, "name", name,
        "role", role.wire(), "key_hash", hash(secret), "key_prefix", secret.substring(0, Math.min(8, secret.length())), "now", now)) {
      ps.executeUpdate();
    }
    onNewAccount.created(c, accountId, role);
    return new IssuedKey(keyId, accountId, name, role, secret);
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "glk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
