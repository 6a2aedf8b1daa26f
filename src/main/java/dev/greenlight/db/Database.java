package dev.greenlight.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connection pool and the two ways code uses it: a unit of work in one transaction, or a single
 * auto-committed statement. Blocking (JDBC): call it from a worker or virtual thread, never an event loop;
 * {@link DbExecutor} bridges it to Vert.x futures.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final String url;
  private final String user;
  private final String password;

  public Database(String url, String user, String password, int poolSize, String name) {
    this(url, user, password, poolSize, 10_000, name);
  }

  public Database(String url, String user, String password, int poolSize, long connectTimeoutMs, String name) {
    this.url = url;
    this.user = user;
    this.password = password;
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setUsername(user);
    cfg.setPassword(password);
    cfg.setMaximumPoolSize(poolSize);
    cfg.setMinimumIdle(Math.min(2, poolSize));
    cfg.setPoolName(name);
    cfg.setConnectionTimeout(connectTimeoutMs);
    cfg.setValidationTimeout(Math.min(2_000, connectTimeoutMs));
    cfg.setInitializationFailTimeout(-1); // start even if the server is down; work retries until it returns
    cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
    cfg.addDataSourceProperty("tcpKeepAlive", "true");
    cfg.addDataSourceProperty("ApplicationName", "greenlight");
    this.pool = new HikariDataSource(cfg);
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T inTransaction(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (Throwable e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Runs {@code work} on a connection in auto-commit mode. */
  public <T> T withConnection(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** A connection outside the pool, for a long-lived session such as LISTEN. The caller closes it. */
  public Connection openDedicated() throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("ApplicationName", "greenlight-listen");
    props.setProperty("tcpKeepAlive", "true");
    return java.sql.DriverManager.getConnection(url, props);
  }

  /** True when a connection can be had and answers. */
  public boolean reachable() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Closes at once, without waiting for borrowed connections (a crash, as tests simulate one). */
  public void abort() {
    pool.close();
  }

  @Override
  public void close() {
    pool.close();
  }
}
