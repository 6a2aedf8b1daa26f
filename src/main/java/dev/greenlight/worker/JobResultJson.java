package dev.greenlight.worker;

import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.PhaseReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The result document stored with a succeeded job: engine, per-phase time and energy, and where energy came from. */
final class JobResultJson {
  private JobResultJson() {}

  static String of(EngineResult r) {
    JsonArray phases = new JsonArray();
    for (PhaseReport p : r.phases()) {
      phases.add(new JsonObject().put("phase", p.phase().wire()).put("wall_s", p.wallS()).put("energy_j", p.energyJ()));
    }
    return new JsonObject()
        .put("engine", r.engine())
        .put("energy_source", r.energySource())
        .put("energy_j", r.energyJ())
        .put("wall_s", r.wallS())
        .put("phases", phases)
        .put("video", r.video() == null ? null : r.video().toString())
        .encode();
  }
}
