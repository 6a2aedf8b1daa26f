package dev.greenlight.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the Flyway migrations packaged from {@code migrations/} (classpath {@code db/migration}). */
public final class Migrations {
  private Migrations() {}

  public static void apply(DataSource dataSource) {
    flyway(dataSource).migrate();
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
  }
}
