package dev.greenlight.engine.torch;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.BoundaryListener;
import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.GpuSlots;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.PhaseReport;
import dev.greenlight.engine.VideoWriter;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs on {@code workers/torch/engine.py} processes (protocol: workers/torch/PROTOCOL.md): one process per worker
 * slot, started on first use and reused, confined to the slot's GPU ({@link GpuSlots}) unless the device is the CPU.
 * The supervisor relays every boundary to the worker and answers continue or cancel, enforces a per-job timeout, and
 * replaces a process that crashes or hangs (the job's attempt fails and is retried, not lost). The frames the engine
 * writes are muxed here.
 */
public final class TorchEngine implements Engine, AutoCloseable {
  /** How to start the engine. {@code python} "auto" picks the first interpreter that can import torch. */
  public record Settings(String python, Path script, String size, String device, String dtype, String checkpoint,
      Duration startTimeout, Duration jobTimeout, String videoFormat) {}

  private final Settings settings;
  private List<String> command;
  private final Map<Integer, EngineProcess> bySlot = new ConcurrentHashMap<>();
  private GpuSlots gpus = GpuSlots.identity();

  public TorchEngine(Settings settings) {
    this.settings = settings;
    List<String> cmd = new ArrayList<>(List.of(python(settings.python()), settings.script().toString(), "--size", settings.size(),
        "--dtype", settings.dtype()));
    if (!settings.device().isBlank()) {
      cmd.addAll(List.of("--device", settings.device()));
    }
    if (!settings.checkpoint().isBlank()) {
      cmd.addAll(List.of("--checkpoint", settings.checkpoint()));
    }
    this.command = List.copyOf(cmd);
  }

  /**
   * The same engine with extra arguments for the script (tests start stand-in scripts this way; the NVML check adds
   * {@code --energy-log}).
   */
  public TorchEngine withArgs(String... args) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of(args));
    command = List.copyOf(cmd);
    return this;
  }

  /** Which GPU each slot's process runs on (default: slot i on GPU i). */
  public TorchEngine withGpus(GpuSlots gpus) {
    this.gpus = gpus;
    return this;
  }

  /** The interpreter: the configured one, or the first of python3 and /usr/bin/python3 that imports torch. */
  public static String python(String configured) {
    if (!configured.equals("auto")) {
      return configured;
    }
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      if (importsTorch(candidate)) {
        return candidate;
      }
    }
    return "python3";
  }

  public static boolean importsTorch(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String name() {
    return "torch";
  }

  @Override
  public EngineResult run(EngineRequest request, BoundaryListener listener) throws Exception {
    int slot = request.slot();
    EngineProcess p = bySlot.get(slot);
    if (p == null || !p.alive()) {
      Map<String, String> env = settings.device().equals("cpu") ? Map.of() : gpus.environment(slot);
      p = EngineProcess.start(command, env, settings.startTimeout());
      bySlot.put(slot, p);
    }
    boolean reusable = false;
    try {
      EngineResult r = runOn(p, request, listener);
      reusable = true;
      return r;
    } catch (JobCancelledException | TorchEngineException e) {
      reusable = true; // stopped at a boundary, or the job failed inside a healthy process
      throw e;
    } finally {
      if (!reusable || !p.alive()) {
        p.kill();
        bySlot.remove(slot, p);
      }
    }
  }

  private EngineResult runOn(EngineProcess p, EngineRequest request, BoundaryListener listener) throws Exception {
    var shape = request.shape();
    int width = shape.resolution().width();
    int height = shape.resolution().height();
    p.send(new JsonObject().put("type", "run").put("job_id", request.jobId().toString()).put("prompt", request.prompt())
        .put("height", height).put("width", width).put("frames", shape.frames()).put("steps", shape.steps())
        .put("fps", request.fps()).put("seed", request.seed() == null ? 0 : request.seed()).put("guidance", 4.0)
        .put("output_dir", request.outputDir().toAbsolutePath().toString()));
    while (true) {
      JsonObject m = p.next(settings.jobTimeout());
      switch (m.getString("type", "")) {
        case "boundary" -> {
          Phase phase = Phase.valueOf(m.getString("phase").toUpperCase(java.util.Locale.ROOT));
          Boundary b = phase == Phase.DENOISE ? Boundary.step(m.getInteger("step"), m.getInteger("steps")) : Boundary.start(phase);
          try {
            listener.at(b);
          } catch (JobCancelledException e) {
            p.send(new JsonObject().put("type", "cancel"));
            JsonObject ack = p.next(settings.jobTimeout());
            if (!"cancelled".equals(ack.getString("type"))) {
              throw new IOException("torch engine did not acknowledge the cancel: " + ack.encode());
            }
            throw e;
          }
          p.send(new JsonObject().put("type", "continue"));
        }
        case "done" -> {
          return finish(m, request, listener, width, height, shape.frames());
        }
        case "error" -> throw new TorchEngineException(m.getString("message", "unknown error"));
        default -> throw new IOException("unexpected message from the torch engine: " + m.encode());
      }
    }
  }

  private EngineResult finish(JsonObject done, EngineRequest request, BoundaryListener listener, int width, int height, int frames)
      throws Exception {
    Path raw = Path.of(done.getString("frames_file"));
    long expected = (long) frames * width * height * 3;
    if (Files.size(raw) != expected) {
      throw new IOException("torch engine wrote " + Files.size(raw) + " bytes of frames, expected " + expected);
    }
    listener.at(Boundary.start(Phase.MUX));
    long t0 = System.nanoTime();
    List<int[]> images = new ArrayList<>(frames);
    try (InputStream in = Files.newInputStream(raw)) {
      byte[] buf = new byte[width * height * 3];
      for (int f = 0; f < frames; f++) {
        in.readNBytes(buf, 0, buf.length);
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
          px[i] = ((buf[3 * i] & 0xff) << 16) | ((buf[3 * i + 1] & 0xff) << 8) | (buf[3 * i + 2] & 0xff);
        }
        images.add(px);
      }
    }
    VideoWriter.Output out = VideoWriter.write(images, width, height, request.fps(), request.outputDir(), settings.videoFormat());
    Files.deleteIfExists(raw);
    double mux = (System.nanoTime() - t0) / 1e9;
    JsonObject s = done.getJsonObject("seconds", new JsonObject());
    return new EngineResult(name(), "sensor", List.of(
        new PhaseReport(Phase.ENCODE, s.getDouble("encode", 0.0), 0),
        new PhaseReport(Phase.DENOISE, s.getDouble("denoise", 0.0), 0),
        new PhaseReport(Phase.DECODE, s.getDouble("decode", 0.0), 0),
        new PhaseReport(Phase.MUX, mux, 0)), out.video());
  }

  /** The number of engine processes now running (for tests and the status page). */
  public int processes() {
    return (int) bySlot.values().stream().filter(EngineProcess::alive).count();
  }

  @Override
  public void close() {
    bySlot.values().forEach(EngineProcess::close);
    bySlot.clear();
  }

  /** The engine reported that a job failed; the process is still usable. */
  public static final class TorchEngineException extends Exception {
    public TorchEngineException(String message) {
      super(message);
    }
  }
}
