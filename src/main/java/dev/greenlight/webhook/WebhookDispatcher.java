package dev.greenlight.webhook;

import dev.greenlight.db.Database;
import dev.greenlight.footprint.Footprint;
import dev.greenlight.footprint.FootprintStore;
import dev.greenlight.job.Job;
import dev.greenlight.queue.JobStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: every node runs one; each claims due deliveries with {@code SKIP LOCKED} under a lease, so a
 * node that dies mid-delivery only delays it until the lease lapses (at least once, same {@code webhook-id}). Each
 * attempt is signed (Standard Webhooks), logged, and judged: 2xx succeeds; 410 disables the endpoint; 429 and 503
 * honour {@code Retry-After}; anything else (3xx included: redirects are not followed) retries on the schedule.
 */
public final class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int EXCERPT = 512;
  private final Database db;
  private final JobStore jobs;
  private final FootprintStore footprints;
  private final UrlGuard guard;
  private final RetrySchedule schedule;
  private final Clock clock;
  private final String node;
  private final Settings settings;
  private final HttpClient http;
  private java.util.function.Function<UUID, Optional<JsonObject>> credits = id -> Optional.empty();
  private final Semaphore inFlight;
  private volatile boolean stopped;
  private Thread loop;

  /** Timeouts, limits and where artifact links point. */
  public record Settings(Duration timeout, Duration pollInterval, Duration disableAfter, int concurrency, String publicUrl) {}

  public WebhookDispatcher(Database db, JobStore jobs, FootprintStore footprints, UrlGuard guard, RetrySchedule schedule, Clock clock,
      String node, Settings settings) {
    this.db = db;
    this.jobs = jobs;
    this.footprints = footprints;
    this.guard = guard;
    this.schedule = schedule;
    this.clock = clock;
    this.node = node;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    this.inFlight = new Semaphore(settings.concurrency());
  }

  /** The job's credits, for payloads. */
  public WebhookDispatcher withCredits(java.util.function.Function<UUID, Optional<JsonObject>> credits) {
    this.credits = credits;
    return this;
  }

  private record Due(String id, UUID jobId, UUID accountId, UUID endpointId, String url, String eventType, String payload, int attempts,
      Instant createdAt) {}

  public void start() {
    loop = Thread.ofVirtual().name("gl-webhooks").start(() -> {
      while (!stopped) {
        try {
          dispatchOnce();
        } catch (RuntimeException e) {
          if (!stopped) {
            LOG.warn("webhook dispatch failed, retrying: {}", e.getMessage());
          }
        }
        try {
          Thread.sleep(settings.pollInterval());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** Claims what is due and delivers it, each on its own virtual thread (at most {@code concurrency} at once). */
  public int dispatchOnce() {
    Instant now = clock.instant();
    db.withConnection(c -> exec(c, "disable_long_failing", "now", now, "cutoff", now.minus(settings.disableAfter())));
    int free = inFlight.availablePermits();
    if (free == 0) {
      return 0;
    }
    List<Due> due = db.withConnection(c -> {
      List<Due> out = new ArrayList<>();
      try (PreparedStatement ps = WebhookStore.SQL.get("claim_due").prepare(c, "node", node, "now", now,
          "lease_until", now.plus(settings.timeout()).plusSeconds(5), "limit", free); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Due(rs.getString("id"), rs.getObject("job_id", UUID.class), rs.getObject("account_id", UUID.class),
              rs.getObject("endpoint_id", UUID.class), rs.getString("url"), rs.getString("event_type"), rs.getString("payload"),
              rs.getInt("attempts"), WebhookStore.time(rs, "created_at")));
        }
      }
      return out;
    });
    for (Due d : due) {
      inFlight.acquireUninterruptibly();
      Thread.ofVirtual().name("gl-webhook-" + d.id()).start(() -> {
        try {
          deliver(d);
        } catch (RuntimeException e) {
          LOG.warn("delivery {} failed before sending: {}", d.id(), e.getMessage());
        } finally {
          inFlight.release();
        }
      });
    }
    return due.size();
  }

  private void deliver(Due d) {
    if (stopped) {
      return;
    }
    String payload = d.payload() != null ? d.payload() : payload(d);
    Instant now = clock.instant();
    int attempt = d.attempts() + 1;
    String[] secrets = secrets(d, now);
    if (secrets == null) {
      finish(d, attempt, "give_up", null, "the endpoint was disabled or deleted", now, null, null, null);
      return;
    }
    String refused = guard.problem(d.url());
    if (refused != null) {
      finish(d, attempt, "give_up", null, "refused at delivery: " + refused, now, null, null, null);
      return;
    }
    long ts = now.getEpochSecond();
    StringBuilder sig = new StringBuilder(Signatures.sign(secrets[0], d.id(), ts, payload));
    if (secrets[1] != null) {
      sig.append(' ').append(Signatures.sign(secrets[1], d.id(), ts, payload));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(settings.timeout())
        .header("Content-Type", "application/json").header("User-Agent", "Greenlight-Webhooks/1")
        .header("webhook-id", d.id()).header("webhook-timestamp", String.valueOf(ts)).header("webhook-signature", sig.toString())
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
    long t0 = System.nanoTime();
    Integer status = null;
    String excerpt = null;
    String error = null;
    Optional<String> retryAfter = Optional.empty();
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = r.statusCode();
      retryAfter = r.headers().firstValue("Retry-After");
      try (InputStream body = r.body()) {
        excerpt = new String(body.readNBytes(EXCERPT), StandardCharsets.UTF_8); // bounded read
      }
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // stopping: the lease lapses and another node (or this one, restarted) delivers it
    }
    double latency = (System.nanoTime() - t0) / 1e6;
    Instant after = clock.instant();
    if (status != null && status >= 200 && status < 300) {
      finish(d, attempt, "succeed", status, null, after, latency, excerpt, null);
      return;
    }
    String why = error != null ? error : "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    if (status != null && status == 410) {
      finish(d, attempt, "give_up", status, why + ": the receiver says the endpoint is gone", after, latency, excerpt, "410 Gone");
      return;
    }
    Duration wait = schedule.before(attempt + 1);
    if (wait == null) {
      finish(d, attempt, "give_up", status, why + "; no attempts left", after, latency, excerpt, null);
      return;
    }
    if (status != null && (status == 429 || status == 503) && retryAfter.isPresent()) {
      Duration asked = retryAfter(retryAfter.get(), after);
      if (asked != null && asked.compareTo(wait) > 0) {
        wait = asked;
      }
    }
    Instant next = after.plus(wait);
    Integer st = status;
    String ex = excerpt;
    String err = error;
    db.inTransaction(c -> {
      logAttempt(c, d, attempt, after, st, latency, ex, err);
      exec(c, "retry_later", "id", d.id(), "attempt", attempt, "status", st, "error", why, "next", next);
      if (d.endpointId() != null) {
        exec(c, "endpoint_failed", "id", d.endpointId(), "now", after);
      }
      return null;
    });
  }

  private void finish(Due d, int attempt, String outcome, Integer status, String error, Instant now, Double latency, String excerpt,
      String disableReason) {
    db.inTransaction(c -> {
      logAttempt(c, d, attempt, now, status, latency, excerpt, error);
      if (outcome.equals("succeed")) {
        exec(c, "succeed", "id", d.id(), "attempt", attempt, "status", status, "now", now);
        if (d.endpointId() != null) {
          exec(c, "endpoint_ok", "id", d.endpointId());
        }
      } else {
        exec(c, "give_up", "id", d.id(), "attempt", attempt, "status", status, "error", error, "now", now);
        if (d.endpointId() != null && disableReason != null) {
          exec(c, "disable_endpoint", "id", d.endpointId(), "now", now, "reason", disableReason);
        } else if (d.endpointId() != null) {
          exec(c, "endpoint_failed", "id", d.endpointId(), "now", now);
        }
      }
      return null;
    });
  }

  private void logAttempt(Connection c, Due d, int attempt, Instant at, Integer status, Double latency, String excerpt, String error)
      throws SQLException {
    exec(c, "record_attempt", "id", d.id(), "attempt", attempt, "at", at, "status", status, "latency_ms", latency,
        "excerpt", excerpt, "error", error);
  }

  /** The current secret and, during a rotation's overlap, the previous one; null if the endpoint is gone. */
  private String[] secrets(Due d, Instant now) {
    return db.withConnection(c -> {
      if (d.endpointId() == null) {
        exec(c, "ensure_account_secret", "account_id", d.accountId(), "secret", Signatures.newSecret(), "now", now);
      }
      try (PreparedStatement ps = WebhookStore.SQL.get("signing_secrets").prepare(c, "id", d.id(), "now", now); ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString("secret") == null || rs.getObject("disabled_at") != null || rs.getObject("deleted_at") != null) {
          return null;
        }
        return new String[] {rs.getString("secret"), rs.getString("previous")};
      }
    });
  }

  /** The body, built once from the job as it finished and stored, so every attempt sends the same bytes. */
  private String payload(Due d) {
    Job job = jobs.find(d.jobId(), null).orElseThrow();
    Optional<Footprint> f = footprints.find(d.jobId());
    JsonObject data = new JsonObject()
        .put("id", job.id().toString()).put("state", job.state().wire()).put("mode", job.spec().mode().wire())
        .put("prompt", job.spec().prompt()).put("resolution", job.spec().resolution().wire())
        .put("duration_s", job.spec().durationS()).put("fps", job.spec().fps()).put("steps", job.spec().steps())
        .put("region", job.region()).put("deadline", job.spec().deadline() == null ? null : job.spec().deadline().toString())
        .put("created_at", job.createdAt().toString()).put("finished_at", job.finishedAt() == null ? null : job.finishedAt().toString())
        .put("last_error", job.lastError())
        .put("artifact_url", job.state() == dev.greenlight.job.JobState.SUCCEEDED
            ? settings.publicUrl() + "/api/v1/jobs/" + job.id() + "/artifact" : null)
        .put("credits", credits.apply(job.id()).orElse(null))
        .put("footprint", f.map(x -> new JsonObject().put("energy_j", x.energyJ()).put("sensor", x.sensor())
            .put("operational_g", x.operationalG()).put("embodied_g", x.embodiedG()).put("total_g", x.totalG())
            .put("saved_g", x.savedG()).put("intensity_source", x.intensitySource())).orElse(null));
    String body = new JsonObject().put("type", d.eventType()).put("timestamp", d.createdAt().toString()).put("data", data).encode();
    if (body.getBytes(StandardCharsets.UTF_8).length > 20_000) {
      data.put("prompt", job.spec().prompt().substring(0, Math.min(500, job.spec().prompt().length())));
      body = new JsonObject().put("type", d.eventType()).put("timestamp", d.createdAt().toString()).put("data", data).encode();
    }
    String b = body;
    db.withConnection(c -> exec(c, "set_payload", "id", d.id(), "payload", b));
    return db.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM webhook_deliveries WHERE id = ?")) {
        ps.setString(1, d.id());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : b;
        }
      }
    });
  }

  static Duration retryAfter(String header, Instant now) {
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      try {
        Instant at = java.time.ZonedDateTime.parse(header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (RuntimeException ignored) {
        return null;
      }
    }
  }

  private static int exec(Connection c, String query, Object... params) throws SQLException {
    try (PreparedStatement ps = WebhookStore.SQL.get(query).prepare(c, params)) {
      return ps.executeUpdate();
    }
  }

  public void stop() {
    stopped = true;
    if (loop != null) {
      loop.interrupt();
    }
  }
}
