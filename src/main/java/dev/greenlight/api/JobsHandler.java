package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.job.Job;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobState;
import dev.greenlight.queue.CancelOutcome;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/jobs}: submit, read, list, cancel. A user sees only its own account's jobs; others' are 404. */
final class JobsHandler {
  private final ApiServices api;

  JobsHandler(ApiServices api) {
    this.api = api;
  }

  void create(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    Instant now = api.clock().instant();
    JsonObject body = RequestBodies.object(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null) {
      String problem = key.matches("[\\x21-\\x7e]{1,255}") ? null : "must be 1 to 255 visible ASCII characters";
      if (problem != null) {
        throw ValidationException.of("Idempotency-Key", problem);
      }
    }
    // parsing resolves a callback URL's host (the private-address check): off the event loop with the insert
    api.db().run(() -> api.submission().submit(caller, api.parser().parse(body, now), key, now)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      switch (ar.result()) {
        case JobSubmission.Outcome.Created created -> {
          api.announcer().changed(List.of(created.change()));
          JsonObject answer = JobJson.of(created.job());
          if (created.quote() != null) {
            answer.put("quote", QuotesHandler.json(created.quote()));
          }
          json(ctx, 201, answer, created.job());
        }
        case JobSubmission.Outcome.Replayed replayed -> {
          ctx.response().putHeader("Idempotent-Replayed", "true");
          json(ctx, 200, JobJson.of(replayed.job()), replayed.job());
        }
        case JobSubmission.Outcome.KeyConflict conflict -> Problem.send(ctx, 409, "/problems/idempotency-key-reused",
            "Idempotency key reused", "this Idempotency-Key was already used with a different request body (job "
                + conflict.existingJob() + "); use a new key for a new request",
            List.of(new FieldError("Idempotency-Key", "already used with a different body")));
      }
    });
  }

  void get(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID id = jobId(ctx);
    api.db().run(() -> api.store().detail(id, owner(caller)).map(d -> JobJson.of(d, api.footprints().find(id))
        .put("credits", api.credits().jobCredits(id).orElse(null)))).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        Problem.notFound(ctx, "no job " + id);
      } else {
        json(ctx, 200, ar.result().get(), null);
      }
    });
  }

  void list(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    QueryParams q = new QueryParams(ctx, java.util.Set.of("state", "mode", "limit", "cursor"));
    JobState state = q.oneOf("state", JobState::fromWire, List.of("deferred", "queued", "running", "retrying", "succeeded", "failed", "cancelled"));
    JobMode mode = q.oneOf("mode", JobMode::fromWire, List.of("online", "offline"));
    int limit = q.integer("limit", 1, 200, 50);
    UUID cursor = q.uuid("cursor");
    q.done();
    api.db().run(() -> api.store().list(owner(caller), state, mode, cursor, limit + 1)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      List<Job> page = ar.result();
      boolean more = page.size() > limit;
      List<Job> shown = more ? page.subList(0, limit) : page;
      JsonArray jobs = new JsonArray();
      shown.forEach(j -> jobs.add(JobJson.of(j)));
      json(ctx, 200, new JsonObject().put("jobs", jobs)
          .put("next_cursor", more ? shown.getLast().id().toString() : null), null);
    });
  }

  void cancel(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    UUID id = jobId(ctx);
    Instant now = api.clock().instant();
    api.db().run(() -> {
      CancelOutcome outcome = api.queue().requestCancel(id, owner(caller), caller.actor(), now);
      return new Object[] {outcome, api.store().detail(id, owner(caller))};
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      CancelOutcome outcome = (CancelOutcome) ar.result()[0];
      @SuppressWarnings("unchecked")
      var detail = (java.util.Optional<dev.greenlight.queue.JobStore.JobDetail>) ar.result()[1];
      switch (outcome.kind()) {
        case NOT_FOUND -> Problem.notFound(ctx, "no job " + id);
        case ALREADY_FINAL -> Problem.send(ctx, 409, "/problems/job-final", "Job already finished",
            "job " + id + " is already " + detail.map(d -> d.job().state().wire()).orElse("final") + " and cannot be cancelled");
        case CANCELLED -> {
          outcome.change().ifPresent(c -> api.announcer().changed(List.of(c)));
          json(ctx, 200, JobJson.of(detail.orElseThrow()), null);
        }
        case REQUESTED -> {
          api.cancelSignal().cancelRequested(id);
          json(ctx, 202, JobJson.of(detail.orElseThrow()), null);
        }
      }
    });
  }

  private static UUID owner(Caller caller) {
    return caller.isAdmin() ? null : caller.accountId();
  }

  static UUID jobId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      UUID id = UUID.fromString(raw);
      if (!id.toString().equalsIgnoreCase(raw)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("id", "must be a job id (a UUID), got '" + raw + "'");
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body, Job created) {
    if (created != null && status == 201) {
      ctx.response().putHeader("Location", "/api/v1/jobs/" + created.id());
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Reading request bodies as JSON objects. */
  static final class RequestBodies {
    private RequestBodies() {}

    static JsonObject object(RoutingContext ctx) {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !(type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
        throw new UnsupportedMediaType();
      }
      io.vertx.core.buffer.Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        throw ValidationException.of("body", "a JSON object is required");
      }
      Object value;
      try {
        value = io.vertx.core.json.Json.decodeValue(raw);
      } catch (DecodeException e) {
        throw ValidationException.of("body", "is not valid JSON: " + firstLine(e.getMessage()));
      }
      if (!(value instanceof JsonObject obj)) {
        throw ValidationException.of("body", "must be a JSON object");
      }
      return obj;
    }

    private static String firstLine(String s) {
      if (s == null) {
        return "";
      }
      int nl = s.indexOf('\n');
      String line = nl < 0 ? s : s.substring(0, nl);
      return line.length() > 200 ? line.substring(0, 200) : line;
    }
  }

  /** The request's Content-Type is not JSON. */
  static final class UnsupportedMediaType extends RuntimeException {
    UnsupportedMediaType() {
      super("send the body as application/json", null, false, false);
    }
  }
}
