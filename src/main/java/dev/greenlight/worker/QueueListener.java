package dev.greenlight.worker;

import dev.greenlight.db.Database;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated connection that LISTENs for {@code greenlight_jobs_queued} (sent by the jobs trigger) and
 * wakes the worker when a job becomes claimable. If the connection drops it reconnects; meanwhile the worker's
 * polling covers.
 */
public final class QueueListener {
  public static final String CHANNEL = "greenlight_jobs_queued";
  private static final Logger LOG = LoggerFactory.getLogger(QueueListener.class);
  private final Database db;
  private final Runnable onNotify;
  private volatile boolean stopped;
  private volatile Connection connection;
  private Thread thread;

  public QueueListener(Database db, Runnable onNotify) {
    this.db = db;
    this.onNotify = onNotify;
  }

  public void start() {
    thread = Thread.ofVirtual().name("gl-listen").start(this::loop);
  }

  private void loop() {
    Duration retry = Duration.ofMillis(500);
    while (!stopped) {
      try (Connection c = db.openDedicated()) {
        connection = c;
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        onNotify.run(); // anything queued while we were not listening
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped) {
          PGNotification[] notes = pg.getNotifications(1000);
          if (notes != null && notes.length > 0) {
            onNotify.run();
          }
        }
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        LOG.debug("LISTEN connection lost, reconnecting: {}", e.getMessage());
        try {
          Thread.sleep(retry);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  public void stop() {
    stopped = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing a broken connection
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
