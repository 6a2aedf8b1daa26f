package dev.greenlight.db;

import java.sql.SQLException;

/** An unchecked wrapper for a failed database call; {@link #sqlState()} says what kind of failure. */
public final class DatabaseException extends RuntimeException {
  public DatabaseException(SQLException cause) {
    super(cause.getMessage(), cause);
  }

  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }

  /** Unique-key violation (SQLSTATE 23505). */
  public boolean isUniqueViolation() {
    return "23505".equals(sqlState());
  }
}
