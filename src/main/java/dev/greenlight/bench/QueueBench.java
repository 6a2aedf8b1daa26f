package dev.greenlight.bench;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.db.Database;
import dev.greenlight.db.EmbeddedDatabase;
import dev.greenlight.db.Migrations;
import dev.greenlight.db.NamedQuery;
import dev.greenlight.db.SqlFile;
import dev.greenlight.queue.ClaimedJob;
import dev.greenlight.queue.Completion;
import dev.greenlight.queue.ExponentialBackoff;
import dev.greenlight.queue.JobQueue;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench queue}: inserts N no-op jobs in a region of their own, then times W threads burning them down through
 * the real {@link JobQueue#claim} / {@link JobQueue#succeed} path in batches of B. With {@code --reference} it also
 * times a bare SQL claim+complete loop on a plain table in the same database (no triggers, no events), as the
 * ceiling to compare against. Prints one JSON line per measurement.
 */
public final class QueueBench {
  private static final SqlFile SQL = SqlFile.of(QueueBench.class, "bench.sql");

  private QueueBench() {}

  public static int run(GreenlightConfig config, String[] args) {
    Map<String, String> opts = options(args);
    int jobs = Integer.parseInt(opts.getOrDefault("jobs", "100000"));
    int workers = Integer.parseInt(opts.getOrDefault("workers", "4"));
    int batch = Integer.parseInt(opts.getOrDefault("batch", "50"));
    boolean reference = opts.containsKey("reference");
    EmbeddedDatabase embedded = config.db().embedded() ? EmbeddedDatabase.start(config.dataDir()) : null;
    String url = embedded != null ? embedded.jdbcUrl() : config.db().url();
    try (Database db = new Database(url, embedded != null ? "postgres" : config.db().user(),
        embedded != null ? "" : config.db().password(), workers + 2, "bench")) {
      Migrations.apply(db.dataSource());
      System.out.println(queue(db, jobs, workers, batch).encode());
      if (reference) {
        System.out.println(reference(db, jobs, workers, batch).encode());
      }
      return 0;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** The real path: claim (SKIP LOCKED, attempt row, event row) then succeed (result, attempt row, event row). */
  static JsonObject queue(Database db, int jobs, int workers, int batch) {
    String region = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    UUID account = UUID.randomUUID();
    Clock clock = Clock.systemUTC();
    db.inTransaction(c -> {
      exec(c, SQL.get("insert_account"), "id", account, "now", clock.instant());
      exec(c, SQL.get("insert_jobs"), "account_id", account, "region", region, "n", jobs, "now", clock.instant());
      return null;
    });
    // what autovacuum does shortly after a bulk load (the table's analyze threshold is 2 %); done here so that
    // the timed part does not depend on when the autovacuum launcher wakes up
    db.withConnection(c -> exec(c, SQL.get("analyze_jobs")));
    JobQueue queue = new JobQueue(db, new ExponentialBackoff(1000, 1000, () -> 0.5));
    AtomicLong done = new AtomicLong();
    String result = new JsonObject().put("engine", "noop").encode();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String workerId = "bench/" + region + "/" + w;
      threads.add(Thread.ofPlatform().start(() -> {
        while (true) {
          List<ClaimedJob> claimed = queue.claim(workerId, region, batch, clock.instant());
          if (claimed.isEmpty()) {
            return;
          }
          List<Completion> completions = new ArrayList<>(claimed.size());
          claimed.forEach(cj -> completions.add(new Completion(cj.job().id(), cj.attempt(), result)));
          done.addAndGet(queue.succeed(workerId, completions, clock.instant()).size());
        }
      }));
    }
    joinAll(threads);
    double seconds = (System.nanoTime() - t0) / 1e9;
    db.inTransaction(c -> exec(c, SQL.get("delete_bench_jobs"), "account_id", account));
    return line("greenlight_queue", done.get(), seconds, workers, batch);
  }

  /** The ceiling: the same claim+complete cycle as bare SQL on an unindexed-state plain table. */
  static JsonObject reference(Database db, int jobs, int workers, int batch) {
    db.withConnection(c -> {
      exec(c, SQL.get("reference_drop"));
      exec(c, SQL.get("reference_create"));
      exec(c, SQL.get("reference_fill"), "n", jobs);
      exec(c, SQL.get("reference_index"));
      return null;
    });
    AtomicLong done = new AtomicLong();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String worker = "ref-" + w;
      threads.add(Thread.ofPlatform().start(() -> {
        while (true) {
          List<Long> claimed = db.inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = SQL.get("reference_claim").prepare(c, "worker", worker, "limit", batch);
                 var rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
            return ids;
          });
          if (claimed.isEmpty()) {
            return;
          }
          Long[] ids = claimed.toArray(Long[]::new);
          done.addAndGet(db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("reference_complete").sql())) {
              ps.setArray(1, c.createArrayOf("int8", ids));
              return ps.executeUpdate();
            }
          }));
        }
      }));
    }
    joinAll(threads);
    double seconds = (System.nanoTime() - t0) / 1e9;
    db.withConnection(c -> exec(c, SQL.get("reference_drop")));
    return line("bare_sql_reference", done.get(), seconds, workers, batch);
  }

  private static JsonObject line(String what, long jobs, double seconds, int workers, int batch) {
    return new JsonObject().put("bench", what).put("jobs", jobs)
        .put("seconds", Double.parseDouble(String.format(Locale.ROOT, "%.3f", seconds)))
        .put("jobs_per_s", Math.round(jobs / seconds)).put("workers", workers).put("batch", batch);
  }

  private static int exec(Connection c, NamedQuery q, Object... params) throws java.sql.SQLException {
    try (PreparedStatement ps = q.prepare(c, params)) {
      ps.execute();
      return ps.getUpdateCount();
    }
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        out.put(name, args[++i]);
      } else {
        out.put(name, "true");
      }
    }
    return out;
  }
}
