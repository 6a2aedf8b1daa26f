package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.db.DatabaseException;
import dev.greenlight.job.Job;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.StateChange;
import dev.greenlight.queue.JobQueue;
import dev.greenlight.queue.JobStore;
import dev.greenlight.queue.NewJob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts a validated job: applies the idempotency key, inserts the job (and its first event) in one transaction.
 * An offline job's {@code run_after} is its latest start that still meets the deadline; the planner moves it
 * earlier when a cleaner slot comes first.
 */
public final class JobSubmission {
  private final JobQueue queue;
  private final JobStore store;
  private final int maxAttempts;
  private final Duration deadlineMargin;
  private final dev.greenlight.credits.QuoteService quotes;
  private final dev.greenlight.credits.Credits credits;

  public JobSubmission(JobQueue queue, JobStore store, int maxAttempts, Duration deadlineMargin) {
    this(queue, store, maxAttempts, deadlineMargin, null, null);
  }

  /** With credits: every new job is quoted and its price held in the inserting transaction (402 when short). */
  public JobSubmission(JobQueue queue, JobStore store, int maxAttempts, Duration deadlineMargin,
      dev.greenlight.credits.QuoteService quotes, dev.greenlight.credits.Credits credits) {
    this.queue = queue;
    this.store = store;
    this.maxAttempts = maxAttempts;
    this.deadlineMargin = deadlineMargin;
    this.quotes = quotes;
    this.credits = credits;
  }

  /** What happened: a new job, the job an earlier identical request created, or a key reused for another body. */
  public sealed interface Outcome {
    record Created(Job job, StateChange change, dev.greenlight.credits.Quote quote) implements Outcome {}

    record Replayed(Job job) implements Outcome {}

    record KeyConflict(UUID existingJob) implements Outcome {}
  }

  public Outcome submit(Caller caller, JobRequestParser.Parsed parsed, String idempotencyKey, Instant now) {
    byte[] requestHash = hash(parsed.spec().toString());
    if (idempotencyKey != null) {
      Optional<Outcome> earlier = lookup(caller, idempotencyKey, requestHash);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    UUID id = UuidV7.next(now);
    Instant runAfter = parsed.spec().mode() == JobMode.ONLINE ? now
        : parsed.spec().deadline().minusMillis((long) Math.ceil(parsed.estimate().durationS() * 1000)).minus(deadlineMargin);
    NewJob job = new NewJob(id, caller.accountId(), parsed.spec(), parsed.estimate().energyJ(), parsed.estimate().durationS(),
        runAfter.isBefore(now) ? now : runAfter, maxAttempts);
    dev.greenlight.credits.Quote quote = quotes == null ? null : quotes.binding(parsed.spec(), parsed.estimate(), now);
    try {
      StateChange change = queue.database().inTransaction(c -> {
        StateChange ch = queue.insert(c, job, caller.actor(), now);
        if (idempotencyKey != null) {
          queue.rememberIdempotencyKey(c, caller.accountId(), idempotencyKey, requestHash, id, now);
        }
        if (quote != null) {
          credits.hold(c, caller.accountId(), id, quote, now); // last: the account row is locked only until commit
        }
        return ch;
      });
      return new Outcome.Created(store.find(id, caller.accountId()).orElseThrow(), change, quote);
    } catch (DatabaseException e) {
      if (quote != null && dev.greenlight.credits.Credits.isShortOfCredits(e)) {
        throw new dev.greenlight.credits.InsufficientCredits(quote.credits(), credits.balance(caller.accountId()));
      }
      if (idempotencyKey != null && e.isUniqueViolation()) {
        // a concurrent request with the same key won the race; answer as it did
        return lookup(caller, idempotencyKey, requestHash).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  private Optional<Outcome> lookup(Caller caller, String key, byte[] requestHash) {
    return queue.database().withConnection(c -> find(c, caller, key, requestHash));
  }

  private Optional<Outcome> find(Connection c, Caller caller, String key, byte[] requestHash) throws SQLException {
    Optional<JobQueue.IdempotencyRecord> earlier = queue.findIdempotencyKey(c, caller.accountId(), key);
    if (earlier.isEmpty()) {
      return Optional.empty();
    }
    UUID jobId = earlier.get().jobId();
    if (!Arrays.equals(earlier.get().requestHash(), requestHash)) {
      return Optional.of(new Outcome.KeyConflict(jobId));
    }
    return Optional.of(new Outcome.Replayed(store.find(c, jobId, caller.accountId()).orElseThrow()));
  }

  private static byte[] hash(String canonical) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
