package dev.greenlight.bench;

import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.GpuSlots;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.torch.TorchEngine;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import dev.greenlight.telemetry.EnergyCurve;
import dev.greenlight.telemetry.JobMeter;
import dev.greenlight.telemetry.NvmlSensor;
import dev.greenlight.telemetry.PhaseEnergy;
import dev.greenlight.telemetry.PowerSensor;
import dev.greenlight.telemetry.Sensors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench nvml --out DIR [--size opensora] [--dtype bfloat16] [--runs R=FRAMESxSTEPS ...] [--allow-cpu-sensor]}:
 * the GPU check of the pipeline issue. Runs the torch engine through {@link TorchEngine} with the worker's own
 * {@link JobMeter} on the {@link NvmlSensor} (JNA), exactly as a worker slot does, while the engine reads the same
 * GPU's energy counter through pynvml on its own clock ({@code --energy-log}: a read at every phase start and the
 * end, and every step of the counter, seen by a separate polling process). Per job and phase it reports the meter's energy, pynvml's
 * (interpolated in the counter's steps, as the meter does), their difference, and what a single read at each phase
 * edge gives on either side, as {@code nvml-check.json} and {@code nvml-check.md} in DIR. Each job stops at the mux
 * boundary: muxing is the Java host's CPU work after the GPU is done (and the runtime carried to a GPU machine has no
 * java.desktop for it). Without a GPU, {@code --allow-cpu-sensor} runs the same path on this machine's CPU sensor
 * (the pynvml columns are then empty): that is what the test does.
 */
public final class NvmlAgreementCheck {
  private NvmlAgreementCheck() {}

  /** One job to run: its shape, and whether it only warms the GPU up (not reported). */
  record Run(VideoShape shape, boolean warmUp) {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  public static int run(String[] args) throws Exception {
    Path out = Path.of("nvml-check");
    String size = "opensora";
    String dtype = "bfloat16";
    String device = "";
    boolean allowCpu = false;
    int repeats = 2;
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--size" -> size = args[++i];
        case "--dtype" -> dtype = args[++i];
        case "--device" -> device = args[++i];
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--runs" -> runs.add(new Run(parse(args[++i]), false));
        case "--allow-cpu-sensor" -> allowCpu = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (runs.isEmpty()) { // the shapes: 240p x 16 frames and 480p x 64 frames, a few steps
      runs.add(new Run(parse("240p=16x20"), false));
      runs.add(new Run(parse("480p=64x8"), false));
    }
    GpuSlots gpus = GpuSlots.fromVisibleDevices(System.getenv("CUDA_VISIBLE_DEVICES")); // slot 0's GPU, as a worker's
    PowerSensor sensor = NvmlSensor.open(gpus.gpuFor(0)).<PowerSensor>map(s -> s).orElse(null);
    if (sensor == null) {
      if (!allowCpu) {
        System.err.println("bench nvml: NVML did not open (no NVIDIA driver?); --allow-cpu-sensor runs the same path on the CPU sensor");
        return 2;
      }
      sensor = Sensors.forCpu(12, 4);
    }
    Files.createDirectories(out);
    Path log = out.resolve("pynvml-energy.jsonl");
    Files.deleteIfExists(log);
    Files.deleteIfExists(log.resolveSibling(log.getFileName() + ".steps"));
    JsonObject report = new JsonObject().put("sensor", sensor.name()).put("size", size).put("dtype", dtype);
    JsonArray jobs = new JsonArray();
    try (TorchEngine engine = new TorchEngine(new TorchEngine.Settings("auto", Path.of("workers/torch/engine.py"), size, device, dtype, "",
        Duration.ofMinutes(10), Duration.ofMinutes(10), "gif")).withGpus(gpus).withArgs("--energy-log", log.toAbsolutePath().toString())) {
      List<Run> plan = new ArrayList<>();
      plan.add(new Run(runs.get(0).shape(), true)); // first run pays for CUDA/cuBLAS initialisation
      for (Run r : runs) {
        for (int k = 0; k < repeats; k++) {
          plan.add(r);
        }
      }
      for (Run r : plan) {
        UUID id = UUID.randomUUID();
        JobMeter meter = new JobMeter(sensor, 100); // as WorkerPool meters a job
        Map<Phase, Double> atBoundaries = new EnumMap<>(Phase.class); // the naive way: one read per phase edge
        double[] last = {Double.NaN};
        Phase[] open = {null};
        PowerSensor s = sensor;
        meter.start();
        long t0 = System.nanoTime();
        try {
          engine.run(new EngineRequest(id, 1, "a red fox running through fresh snow", r.shape(), 8, 1L, Files.createTempDirectory("gl-nvml")),
              b -> {
                if (b.phase() != open[0]) {
                  double j = s.readJoules();
                  if (open[0] != null) {
                    atBoundaries.put(open[0], j - last[0]);
                  }
                  open[0] = b.phase();
                  last[0] = j;
                }
                meter.at(b);
                if (b.phase() == Phase.MUX) {
                  throw new JobCancelledException(); // muxing is CPU work in Java: the GPU phases are measured
                }
              });
        } catch (JobCancelledException stoppedAtMux) {
          // expected: every GPU phase has ended and been metered
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        PhaseEnergy measured = meter.stop();
        Pynvml.awaitStepAfter(log, id, Duration.ofSeconds(2));
        JsonObject job = compare(id, r, measured, atBoundaries, Pynvml.read(log, id), wall);
        job.put("step_timing", stepTiming(meter.curve(), Pynvml.steps(log)));
        System.out.println(job.encode());
        if (!r.warmUp()) {
          jobs.add(job);
        }
      }
    }
    report.put("jobs", jobs);
    Files.writeString(out.resolve("nvml-check.json"), report.encodePrettily());
    Files.writeString(out.resolve("nvml-check.md"), markdown(report));
    System.out.print(markdown(report));
    return 0;
  }

  static VideoShape parse(String spec) {
    String[] rs = spec.split("=", 2);
    String[] fs = rs[1].split("x", 2);
    Resolution res = Resolution.fromWire(rs[0]).orElseThrow(() -> new IllegalArgumentException("unknown resolution " + rs[0]));
    return new VideoShape(res, Integer.parseInt(fs[0]), Integer.parseInt(fs[1]));
  }

  /** What the engine's pynvml readings say about one job: per phase at its edges, and interpolated in the counter's steps. */
  public record Pynvml(Map<Phase, Double> atBoundaries, Map<Phase, Double> interpolated, double medianStepMs) {
    public static Pynvml read(Path log, UUID job) throws java.io.IOException {
      List<JsonObject> marks = marks(log, job);
      List<JsonArray> steps = steps(log);
      Map<Phase, Double> edges = new EnumMap<>(Phase.class);
      Map<Phase, Double> interpolated = new EnumMap<>(Phase.class);
      if (marks.isEmpty()) {
        return new Pynvml(edges, interpolated, Double.NaN);
      }
      EnergyCurve curve = new EnergyCurve();
      steps.forEach(c -> curve.observe(nanos(c.getDouble(0)), c.getLong(1) / 1000.0));
      double from = marks.getFirst().getDouble("t");
      double to = marks.getLast().getDouble("t");
      List<Double> stepMs = new ArrayList<>();
      for (int i = 1; i < steps.size(); i++) {
        double t = steps.get(i).getDouble(0);
        if (t > from && t < to) {
          stepMs.add(1000 * (t - steps.get(i - 1).getDouble(0)));
        }
      }
      boolean covered = !steps.isEmpty() && steps.getFirst().getDouble(0) <= from && steps.getLast().getDouble(0) > to;
      for (int i = 0; i + 1 < marks.size(); i++) {
        Phase phase = Phase.valueOf(marks.get(i).getString("phase").toUpperCase(Locale.ROOT));
        Long a = marks.get(i).getLong("mj");
        Long b = marks.get(i + 1).getLong("mj");
        if (a != null && b != null) {
          edges.put(phase, (b - a) / 1000.0);
        }
        if (covered) {
          interpolated.put(phase, curve.at(nanos(marks.get(i + 1).getDouble("t"))) - curve.at(nanos(marks.get(i).getDouble("t"))));
        }
      }
      double median = stepMs.isEmpty() ? Double.NaN : stepMs.stream().sorted().toList().get(stepMs.size() / 2);
      return new Pynvml(edges, interpolated, median);
    }

    /** The engine's marks for one job: a pynvml read at each phase start and at the end. */
    static List<JsonObject> marks(Path log, UUID job) throws java.io.IOException {
      return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
          .filter(m -> job.toString().equals(m.getString("job_id"))).toList();
    }

    /** Every step of the counter the engine's poller saw ({@code FILE.steps}: [unix time, mJ] per line). */
    static List<JsonArray> steps(Path log) throws java.io.IOException {
      Path file = log.resolveSibling(log.getFileName() + ".steps");
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JsonArray::new).toList() : List.of();
    }

    /** Waits (at most {@code timeout}) until the poller has seen a step after the job's last mark. */
    static void awaitStepAfter(Path log, UUID job, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        List<JsonObject> marks = marks(log, job);
        List<JsonArray> steps = steps(log);
        if (marks.isEmpty() || steps.isEmpty() || steps.getLast().getDouble(0) > marks.getLast().getDouble("t")) {
          return;
        }
        Thread.sleep(5);
      }
    }

    private static long nanos(double unixSeconds) {
      return Math.round(unixSeconds * 1e9);
    }
  }

  /**
   * How the two readers saw the same steps of the counter: steps are matched by their value (each is a distinct mJ
   * count), the clocks aligned by the median offset, and the rest is how much earlier or later the Java meter saw each
   * step than pynvml's poller did (ms, positive: Java later). Also the slowest pynvml read.
   */
  public static JsonObject stepTiming(EnergyCurve java, List<JsonArray> pynvml) {
    Map<Long, Double> pyTime = new HashMap<>();
    double slowestReadMs = 0;
    for (JsonArray step : pynvml) {
      pyTime.put(step.getLong(1), step.getDouble(0));
      if (step.size() > 2) {
        slowestReadMs = Math.max(slowestReadMs, step.getDouble(2));
      }
    }
    List<Double> offsets = new ArrayList<>();
    for (double[] p : java.points()) {
      Double t = pyTime.get(Math.round(p[1] * 1000));
      if (t != null) {
        offsets.add(p[0] / 1e6 - t * 1000);
      }
    }
    JsonObject out = new JsonObject().put("matched_steps", offsets.size()).put("java_steps", java.steps())
        .put("pynvml_slowest_read_ms", slowestReadMs);
    if (offsets.size() > 2) {
      List<Double> sorted = offsets.stream().sorted().toList();
      double median = sorted.get(sorted.size() / 2);
      List<Double> lag = sorted.stream().map(o -> o - median).toList();
      out.put("java_minus_pynvml_ms_min", lag.getFirst()).put("java_minus_pynvml_ms_p10", lag.get(lag.size() / 10))
          .put("java_minus_pynvml_ms_p90", lag.get(lag.size() * 9 / 10)).put("java_minus_pynvml_ms_max", lag.getLast());
    }
    return out;
  }

  static JsonObject compare(UUID id, Run r, PhaseEnergy measured, Map<Phase, Double> javaAtBoundaries, Pynvml reference, double wall) {
    JsonArray phases = new JsonArray();
    double refTotal = 0;
    for (Phase p : List.of(Phase.ENCODE, Phase.DENOISE, Phase.DECODE)) {
      double j = measured.joules().getOrDefault(p, 0.0);
      double s = measured.seconds().getOrDefault(p, 0.0);
      JsonObject row = new JsonObject().put("phase", p.wire()).put("seconds", s).put("java_j", j).put("mean_w", s > 0 ? j / s : 0.0)
          .put("java_at_boundaries_j", javaAtBoundaries.getOrDefault(p, 0.0));
      Double ref = reference.interpolated().get(p);
      if (ref != null) {
        row.put("pynvml_j", ref).put("diff_pct", ref > 0 ? 100.0 * (j - ref) / ref : 0.0);
        refTotal += ref;
      }
      if (reference.atBoundaries().containsKey(p)) {
        row.put("pynvml_at_boundaries_j", reference.atBoundaries().get(p));
      }
      phases.add(row);
    }
    double gpuJ = phases.stream().map(JsonObject.class::cast).mapToDouble(o -> o.getDouble("java_j")).sum();
    JsonObject job = new JsonObject().put("job_id", id.toString()).put("resolution", r.shape().resolution().wire())
        .put("frames", r.shape().frames()).put("steps", r.shape().steps()).put("warm_up", r.warmUp()).put("wall_s", wall)
        .put("sensor", measured.sensor()).put("samples", measured.samples()).put("peak_w", measured.peakW())
        .put("java_gpu_phases_j", gpuJ).put("phases", phases);
    if (!Double.isNaN(reference.medianStepMs())) {
      job.put("counter_median_step_ms", reference.medianStepMs());
    }
    if (reference.interpolated().keySet().containsAll(List.of(Phase.ENCODE, Phase.DENOISE, Phase.DECODE))) {
      job.put("pynvml_gpu_phases_j", refTotal).put("diff_pct", refTotal > 0 ? 100.0 * (gpuJ - refTotal) / refTotal : 0.0);
    }
    return job;
  }

  static String markdown(JsonObject report) {
    StringBuilder sb = new StringBuilder();
    sb.append("Sensor ").append(report.getString("sensor")).append(", size ").append(report.getString("size")).append(", ")
        .append(report.getString("dtype")).append(".\n\n");
    sb.append("| job | phase | wall s | Java meter J | pynvml J | difference | mean W | Java, read at edges J | pynvml, read at edges J |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : report.getJsonArray("jobs")) {
      JsonObject job = (JsonObject) o;
      String name = job.getString("resolution") + " x " + job.getInteger("frames") + " frames, " + job.getInteger("steps") + " steps";
      for (Object p : job.getJsonArray("phases")) {
        JsonObject row = (JsonObject) p;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.1f | %s | %s | %.0f | %.1f | %s |%n", name, row.getString("phase"),
            row.getDouble("seconds"), row.getDouble("java_j"), number(row, "pynvml_j", "%.1f"), number(row, "diff_pct", "%+.2f %%"),
            row.getDouble("mean_w"), row.getDouble("java_at_boundaries_j"), number(row, "pynvml_at_boundaries_j", "%.1f")));
      }
      sb.append(String.format(Locale.ROOT, "| %s | **all three** | %.3f | %.1f | %s | %s | | | |%n", name,
          job.getJsonArray("phases").stream().map(JsonObject.class::cast).mapToDouble(r -> r.getDouble("seconds")).sum(),
          job.getDouble("java_gpu_phases_j"), number(job, "pynvml_gpu_phases_j", "%.1f"), number(job, "diff_pct", "%+.2f %%")));
    }
    for (Object o : report.getJsonArray("jobs")) {
      sb.append("\nstep timing: ").append(((JsonObject) o).getJsonObject("step_timing", new JsonObject()).encode());
    }
    sb.append('\n');
    report.getJsonArray("jobs").stream().map(JsonObject.class::cast).filter(j -> j.containsKey("counter_median_step_ms")).findFirst()
        .ifPresent(j -> sb.append(String.format(Locale.ROOT, "%nThe counter moved every %.0f ms (median, pynvml polled every 1 ms).%n",
            j.getDouble("counter_median_step_ms"))));
    return sb.toString();
  }

  private static String number(JsonObject o, String key, String format) {
    return o.containsKey(key) ? String.format(Locale.ROOT, format, o.getDouble(key)) : "-";
  }
}
