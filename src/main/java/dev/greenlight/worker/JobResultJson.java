package dev.greenlight.worker;

import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.PhaseReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The result document stored with a succeeded job: engine, per-phase time and energy, and where energy came from. */
final class JobResultJson {
  private JobResultJson() {}

  /** The engine's result with the sensor's energy per phase in place of the engine's own (zero) figures. */
  static EngineResult measured(EngineResult r, dev.greenlight.telemetry.PhaseEnergy m) {
    java.util.List<PhaseReport> phases = r.phases().stream()
        .map(p -> new PhaseReport(p.phase(), p.wallS(), m.joules().getOrDefault(p.phase(), 0.0))).toList();
    return new EngineResult(r.engine(), m.sensor(), phases, r.video(), r.deviceSeconds());
  }

  static String of(EngineResult r) {
    return of(r, null);
  }

  static String of(EngineResult r, dev.greenlight.telemetry.PhaseEnergy m) {
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
        .put("video", r.video() == null ? null : r.video().getFileName().toString())
        .put("telemetry", m == null ? null : new JsonObject().put("sensor", m.sensor()).put("samples", m.samples())
            .put("mean_w", m.meanW()).put("peak_w", m.peakW()))
        .encode();
  }
}
