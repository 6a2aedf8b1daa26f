package dev.greenlight.api;

import dev.greenlight.job.Job;
import dev.greenlight.job.JobAttempt;
import dev.greenlight.job.JobEvent;
import dev.greenlight.queue.JobStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The API's JSON view of jobs (snake_case). */
final class JobJson {
  private JobJson() {}

  static JsonObject of(Job j) {
    return new JsonObject()
        .put("id", j.id().toString())
        .put("state", j.state().wire())
        .put("mode", j.spec().mode().wire())
        .put("prompt", j.spec().prompt())
        .put("resolution", j.spec().resolution().wire())
        .put("width", j.spec().resolution().width())
        .put("height", j.spec().resolution().height())
        .put("duration_s", j.spec().durationS())
        .put("fps", j.spec().fps())
        .put("frames", j.spec().shape().frames())
        .put("steps", j.spec().steps())
        .put("seed", j.spec().seed())
        .put("deadline", time(j.spec().deadline()))
        .put("regions", new JsonArray(j.spec().regions()))
        .put("priority", j.spec().priority())
        .put("callback_url", j.spec().callbackUrl())
        .put("estimate", new JsonObject().put("energy_j", j.estimateEnergyJ()).put("duration_s", j.estimateDurationS()))
        .put("region", j.region())
        .put("attempt", j.attempt())
        .put("max_attempts", j.maxAttempts())
        .put("run_after", time(j.runAfter()))
        .put("progress", j.progressJson() == null ? null : new JsonObject(j.progressJson()))
        .put("plan", j.planJson() == null ? null : new JsonObject(j.planJson()))
        .put("result", j.resultJson() == null ? null : new JsonObject(j.resultJson()))
        .put("last_error", j.lastError())
        .put("cancel_requested_at", time(j.cancelRequestedAt()))
        .put("created_at", time(j.createdAt()))
        .put("updated_at", time(j.updatedAt()))
        .put("started_at", time(j.startedAt()))
        .put("finished_at", time(j.finishedAt()));
  }

  static JsonObject of(JobStore.JobDetail d, java.util.Optional<dev.greenlight.footprint.Footprint> footprint) {
    return of(d).put("footprint", footprint.map(JobJson::footprint).orElse(null));
  }

  static JsonObject footprint(dev.greenlight.footprint.Footprint f) {
    return new JsonObject()
        .put("energy_j", new JsonObject().put("encode", f.encodeJ()).put("denoise", f.denoiseJ()).put("decode", f.decodeJ())
            .put("mux", f.muxJ()).put("total", f.energyJ()))
        .put("sensor", f.sensor())
        .put("region", f.region())
        .put("device", f.device())
        .put("device_seconds", f.tGenS())
        .put("pue", f.pue())
        .put("intensity_g_per_kwh", f.intensityGPerKwh())
        .put("intensity_source", f.intensitySource())
        .put("operational_g", f.operationalG())
        .put("embodied_g", f.embodiedG())
        .put("total_g", f.totalG())
        .put("run_now_g_per_kwh", f.runNowGPerKwh())
        .put("run_now_g", f.runNowG())
        .put("saved_g", f.savedG());
  }

  static JsonObject of(JobStore.JobDetail d) {
    JsonArray events = new JsonArray();
    for (JobEvent e : d.events()) {
      events.add(new JsonObject().put("at", time(e.at())).put("from", e.from() == null ? null : e.from().wire())
          .put("to", e.to().wire()).put("actor", e.actor()).put("reason", e.reason()).put("attempt", e.attempt()));
    }
    JsonArray attempts = new JsonArray();
    for (JobAttempt a : d.attempts()) {
      attempts.add(new JsonObject().put("attempt", a.attempt()).put("worker_id", a.workerId()).put("region", a.region())
          .put("started_at", time(a.startedAt())).put("finished_at", time(a.finishedAt()))
          .put("outcome", a.outcome()).put("error", a.error()));
    }
    return of(d.job()).put("events", events).put("attempts", attempts);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
