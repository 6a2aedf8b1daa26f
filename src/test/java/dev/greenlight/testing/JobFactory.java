package dev.greenlight.testing;

import dev.greenlight.db.Database;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.NewJob;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Inserts accounts and jobs for tests, through the same insert the API uses. */
public final class JobFactory {
  private final Database db;
  private final JobQueue queue;

  public JobFactory(Database db, JobQueue queue) {
    this.db = db;
    this.queue = queue;
  }

  public UUID account() {
    UUID id = UUID.randomUUID();
    db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, name, created_at) VALUES (?, 'test', now())")) {
        ps.setObject(1, id);
        return ps.executeUpdate();
      }
    });
    return id;
  }

  public static JobSpec online(List<String> regions) {
    return new JobSpec("a red fox in snow", Resolution.P240, 2, 8, 20, 7L, JobMode.ONLINE, null, regions, 0, null);
  }

  public UUID insertOnline(UUID account, Instant now, int maxAttempts) {
    return insert(account, online(List.of()), now, now, maxAttempts);
  }

  public UUID insert(UUID account, JobSpec spec, Instant now, Instant runAfter, int maxAttempts) {
    UUID id = UUID.randomUUID();
    db.inTransaction(c -> queue.insert(c, new NewJob(id, account, spec, 100.0, 2.0, runAfter, maxAttempts), "test", now));
    return id;
  }
}
