package dev.greenlight.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** Applies the Flyway migrations packaged from {@code migrations/} (classpath {@code db/migration}). */
public final class Migrations {
  private Migrations() {}

  public static void apply(DataSource dataSource) {
    flyway(dataSource).migrate();
  }

  /** True when every packaged migration has been applied and none is pending or failed. */
  public static boolean upToDate(DataSource dataSource) {
    MigrationInfo[] pending = flyway(dataSource).info().pending();
    return pending.length == 0;
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
  }
}
