package dev.greenlight.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of work on one JDBC connection. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
