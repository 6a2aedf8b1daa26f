package dev.greenlight.testing;

import dev.greenlight.db.Database;
import dev.greenlight.db.Migrations;

/** A fresh test database with Greenlight's schema and a small pool on it; closing drops it. */
public final class MigratedDatabase implements AutoCloseable {
  private final TestDatabase testDb;
  private final Database db;

  private MigratedDatabase(TestDatabase testDb, Database db) {
    this.testDb = testDb;
    this.db = db;
  }

  public static MigratedDatabase create(String name) {
    TestDatabase t = TestDatabase.create();
    Database d = new Database(t.url(), t.user(), "", 8, name);
    Migrations.apply(d.dataSource());
    return new MigratedDatabase(t, d);
  }

  public Database db() {
    return db;
  }

  @Override
  public void close() {
    db.close();
    testDb.close();
  }
}
