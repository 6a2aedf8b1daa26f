package dev.greenlight.bench;

import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.reference.ReferenceEngine;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import dev.greenlight.telemetry.JobMeter;
import dev.greenlight.telemetry.PhaseEnergy;
import dev.greenlight.telemetry.Sensors;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code bench engine --resolution 240p --duration 2 --steps 20 [--width 64] [--depth 2]}: one run of the reference
 * engine at that size, timed per phase and metered by this machine's sensor, as one JSON line.
 */
public final class EngineBench {
  private EngineBench() {}

  public static int run(String[] args) throws Exception {
    String res = "240p";
    int duration = 2;
    int steps = 20;
    int width = ReferenceEngine.Settings.DEFAULT.width();
    int depth = ReferenceEngine.Settings.DEFAULT.depth();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--resolution" -> res = args[i + 1];
        case "--duration" -> duration = Integer.parseInt(args[i + 1]);
        case "--steps" -> steps = Integer.parseInt(args[i + 1]);
        case "--width" -> width = Integer.parseInt(args[i + 1]);
        case "--depth" -> depth = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Resolution r = Resolution.fromWire(res).orElseThrow(() -> new IllegalArgumentException("unknown resolution"));
    ReferenceEngine engine = new ReferenceEngine(new ReferenceEngine.Settings(width, depth, 4, 2, 4.0, 20261126L, "gif"));
    VideoShape shape = VideoShape.of(r, duration, 8, steps);
    Path dir = Files.createTempDirectory("greenlight-bench");
    JobMeter meter = new JobMeter(Sensors.forCpu(12, 4), 100);
    meter.start();
    long t0 = System.nanoTime();
    EngineResult result = engine.run(new EngineRequest(UUID.randomUUID(), 1, "a red fox running through fresh snow", shape, 8, 1L, dir),
        meter::at);
    double seconds = (System.nanoTime() - t0) / 1e9;
    PhaseEnergy e = meter.stop();
    JsonObject phases = new JsonObject();
    result.phases().forEach(p -> phases.put(p.phase().wire(), new JsonObject().put("s", p.wallS()).put("j", e.joules().getOrDefault(p.phase(), 0.0))));
    System.out.println(new JsonObject().put("bench", "reference_engine").put("resolution", res).put("frames", shape.frames())
        .put("steps", steps).put("width", width).put("depth", depth).put("latent_tokens", shape.latentTokens())
        .put("seconds", seconds).put("sensor", e.sensor()).put("energy_j", e.totalJ()).put("phases", phases).encode());
    return 0;
  }
}
