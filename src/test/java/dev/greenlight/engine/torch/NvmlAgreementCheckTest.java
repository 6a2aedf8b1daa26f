package dev.greenlight.engine.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.greenlight.bench.NvmlAgreementCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check's own path on this machine: the real engine at its tiny size on the CPU, metered by the worker's
 * JobMeter, with the engine logging a mark at every phase start and at the end ({@code --energy-log}; without pynvml
 * the marks carry times only). On a GPU the same run compares NVML through JNA with pynvml (docs/benchmarks.md).
 */
class NvmlAgreementCheckTest {
  @TempDir
  Path dir;

  @Test
  void runsThePipelineAndLogsEveryPhaseStartAndTheEnd() throws Exception {
    TorchEngineContractTest.requireTorch();
    int rc = NvmlAgreementCheck.run(new String[] {"--out", dir.toString(), "--size", "tiny", "--dtype", "float32", "--device", "cpu",
        "--runs", "144p=4x3", "--repeats", "2", "--allow-cpu-sensor"});
    assertEquals(0, rc);
    JsonObject report = new JsonObject(Files.readString(dir.resolve("nvml-check.json")));
    JsonArray jobs = report.getJsonArray("jobs");
    assertEquals(2, jobs.size(), "the warm-up run is not reported");
    for (Object o : jobs) {
      JsonObject job = (JsonObject) o;
      assertEquals(3, job.getInteger("steps"));
      List<String> phases = job.getJsonArray("phases").stream().map(p -> ((JsonObject) p).getString("phase")).toList();
      assertEquals(List.of("encode", "denoise", "decode"), phases);
      job.getJsonArray("phases").forEach(p -> assertTrue(((JsonObject) p).getDouble("seconds") > 0, p.toString()));
    }
    // three reported jobs plus the warm-up, each with marks at encode, denoise, decode and the end, in that order
    List<JsonObject> marks = Files.readAllLines(dir.resolve("pynvml-energy.jsonl")).stream().map(JsonObject::new).toList();
    assertEquals(12, marks.size());
    for (int i = 0; i < marks.size(); i += 4) {
      assertEquals(List.of("encode", "denoise", "decode", "end"), marks.subList(i, i + 4).stream().map(m -> m.getString("phase")).toList());
      assertTrue(marks.get(i).getDouble("t") <= marks.get(i + 3).getDouble("t"));
    }
    assertTrue(Files.readString(dir.resolve("nvml-check.md")).contains("| 144p x 4 frames, 3 steps | denoise |"));
  }

  @Test
  void readsPynvmlBothAtTheEdgesAndInterpolatedInTheCountersSteps() throws Exception {
    Path log = dir.resolve("log.jsonl");
    String job = "00000000-0000-0000-0000-000000000001";
    // the counter moves every 100 ms at a steady 1000 W (100 J a step); the phases start at 1.02, 1.05 and 1.45 s
    // and the job ends at 1.49 s, so a read at the edges sees whole steps or none
    Files.writeString(log, String.join("\n",
        "{\"job_id\":\"" + job + "\",\"phase\":\"encode\",\"t\":1.02,\"mj\":1000000}",
        "{\"job_id\":\"other\",\"phase\":\"encode\",\"t\":1.03,\"mj\":1000000}",
        "{\"job_id\":\"" + job + "\",\"phase\":\"denoise\",\"t\":1.05,\"mj\":1000000}",
        "{\"job_id\":\"" + job + "\",\"phase\":\"decode\",\"t\":1.45,\"mj\":1400000}",
        "{\"job_id\":\"" + job + "\",\"phase\":\"end\",\"t\":1.49,\"mj\":1400000}", ""));
    Files.writeString(dir.resolve("log.jsonl.steps"), String.join("\n", "[0.9,900000]", "[1.0,1000000]", "[1.1,1100000]", "[1.2,1200000]",
        "[1.3,1300000]", "[1.4,1400000]", "[1.5,1500000]", "[1.6,1600000]", ""));
    var read = NvmlAgreementCheck.Pynvml.read(log, java.util.UUID.fromString(job));
    assertEquals(0.0, read.atBoundaries().get(dev.greenlight.engine.Phase.ENCODE), 1e-9);
    assertEquals(400.0, read.atBoundaries().get(dev.greenlight.engine.Phase.DENOISE), 1e-9);
    assertEquals(0.0, read.atBoundaries().get(dev.greenlight.engine.Phase.DECODE), 1e-9);
    assertEquals(30.0, read.interpolated().get(dev.greenlight.engine.Phase.ENCODE), 1e-6);
    assertEquals(400.0, read.interpolated().get(dev.greenlight.engine.Phase.DENOISE), 1e-6);
    assertEquals(40.0, read.interpolated().get(dev.greenlight.engine.Phase.DECODE), 1e-6);
    assertEquals(100.0, read.medianStepMs(), 1e-6);
  }

  @Test
  void matchesTheTwoReadersStepsByValueToShowWhichSawEachFirst() {
    var java = new dev.greenlight.telemetry.EnergyCurve();
    // Java's clock runs 5 s behind; it saw the third step 3 ms late
    java.observe(5_000_000_000L, 1.0);
    java.observe(5_100_000_000L, 2.0);
    java.observe(5_203_000_000L, 3.0);
    java.observe(5_300_000_000L, 4.0);
    List<JsonArray> pynvml = List.of(new JsonArray("[10.0,1000,0.1]"), new JsonArray("[10.1,2000,0.2]"), new JsonArray("[10.2,3000,4.5]"),
        new JsonArray("[10.3,4000,0.1]"));
    JsonObject t = NvmlAgreementCheck.stepTiming(java, pynvml);
    assertEquals(4, t.getInteger("matched_steps"));
    assertEquals(4.5, t.getDouble("pynvml_slowest_read_ms"), 1e-9);
    assertEquals(3.0, t.getDouble("java_minus_pynvml_ms_max"), 1e-3);
    assertEquals(0.0, t.getDouble("java_minus_pynvml_ms_min"), 1e-3);
  }
}
