package dev.greenlight.testing;

import dev.greenlight.db.Database;
import dev.greenlight.db.Migrations;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh test database with Greenlight's schema and a small pool on it; closing drops it. Either {@link #create} it,
 * or register {@link #perClass} as a static {@code @RegisterExtension} field to have it for one test class.
 */
public final class MigratedDatabase implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private final String name;
  private TestDatabase testDb;
  private Database db;

  private MigratedDatabase(String name) {
    this.name = name;
  }

  public static MigratedDatabase create(String name) {
    MigratedDatabase m = new MigratedDatabase(name);
    m.open();
    return m;
  }

  /** Created before the class's first test, dropped after its last. */
  public static MigratedDatabase perClass(String name) {
    return new MigratedDatabase(name);
  }

  private void open() {
    testDb = TestDatabase.create();
    db = new Database(testDb.url(), testDb.user(), "", 8, name);
    Migrations.apply(db.dataSource());
  }

  public Database db() {
    if (db == null) {
      throw new IllegalStateException("database " + name + " is not open");
    }
    return db;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    db.close();
    testDb.close();
    db = null;
  }
}
