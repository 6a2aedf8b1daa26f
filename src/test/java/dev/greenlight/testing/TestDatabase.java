package dev.greenlight.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database per test class: on the machine's server (127.0.0.1:5432, or
 * GREENLIGHT_TEST_PG_URL) when one answers, else on an embedded PostgreSQL started once per JVM.
 */
public final class TestDatabase implements AutoCloseable {
  private static final String ADMIN_URL = System.getenv().getOrDefault("GREENLIGHT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static EmbeddedPostgres embedded;
  private final String adminUrl;
  private final String name;

  private TestDatabase(String adminUrl, String name) {
    this.adminUrl = adminUrl;
    this.name = name;
  }

  public static synchronized TestDatabase create() {
    String admin = serverAvailable(ADMIN_URL) ? ADMIN_URL : embeddedUrl();
    String name = "gl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return new TestDatabase(admin, name);
  }

  public String url() {
    return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
  }

  public String user() {
    return "postgres";
  }

  private static boolean serverAvailable(String url) {
    try (Connection c = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "connectTimeout=2", "postgres", "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String embeddedUrl() {
    if (embedded == null) {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return embedded.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*$", "");
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(adminUrl, "postgres", ""); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // best effort: a leftover test database is harmless
    }
  }
}
