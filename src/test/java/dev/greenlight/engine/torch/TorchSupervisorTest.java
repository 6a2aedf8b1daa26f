package dev.greenlight.engine.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.engine.EngineRequest;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The supervisor against an engine process that crashes, hangs or reports an error. */
class TorchSupervisorTest {
  static TorchEngine fake(String mode, Duration jobTimeout) throws Exception {
    return fake(mode, jobTimeout, "");
  }

  static TorchEngine fake(String mode, Duration jobTimeout, String device) throws Exception {
    Path script = Files.createTempFile("fake_engine", ".py");
    try (var in = TorchSupervisorTest.class.getResourceAsStream("/torch/fake_engine.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return new TorchEngine(new TorchEngine.Settings("python3", script, "tiny", device, "float32", "", Duration.ofSeconds(30), jobTimeout,
        "gif")).withArgs("--mode", mode);
  }

  static EngineRequest request() throws IOException {
    return request(0);
  }

  static EngineRequest request(int slot) throws IOException {
    return new EngineRequest(UUID.randomUUID(), 1, "x", VideoShape.of(Resolution.P144, 1, 8, 2), 8, 1L, Files.createTempDirectory("sup"), slot);
  }

  /** What the stand-in process of a slot reports about itself. */
  static String seenBy(TorchEngine e, int slot) {
    try {
      e.run(request(slot), b -> { });
      throw new AssertionError("the env stand-in always answers with an error");
    } catch (TorchEngine.TorchEngineException reply) {
      return reply.getMessage();
    } catch (Exception other) {
      throw new AssertionError(other);
    }
  }

  @Test
  void aCrashedProcessFailsTheAttemptAndIsReplaced() throws Exception {
    try (TorchEngine e = fake("crash", Duration.ofSeconds(20))) {
      assertThatThrownBy(() -> e.run(request(), b -> { })).isInstanceOf(IOException.class).hasMessageContaining("exited");
      assertThat(e.processes()).isZero();
      assertThatThrownBy(() -> e.run(request(), b -> { })).isInstanceOf(IOException.class); // a fresh process, same fate
    }
  }

  @Test
  void aSilentProcessTimesOutAndIsKilled() throws Exception {
    try (TorchEngine e = fake("hang", Duration.ofMillis(700))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> e.run(request(), b -> { })).isInstanceOf(TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(e.processes()).isZero();
    }
  }

  @Test
  void anEngineErrorFailsTheJobButKeepsTheProcess() throws Exception {
    try (TorchEngine e = fake("error", Duration.ofSeconds(20))) {
      assertThatThrownBy(() -> e.run(request(), b -> { })).isInstanceOf(TorchEngine.TorchEngineException.class)
          .hasMessageContaining("CUDA out of memory (simulated)");
      assertThat(e.processes()).isEqualTo(1);
    }
  }

  @Test
  void eachSlotHasItsOwnProcessConfinedToItsOwnGpu() throws Exception {
    try (TorchEngine e = fake("env", Duration.ofSeconds(20)).withGpus(dev.greenlight.engine.GpuSlots.fromVisibleDevices("3,1"))) {
      String slot0 = seenBy(e, 0);
      String slot1 = seenBy(e, 1);
      assertThat(slot0).contains("visible=3 order=PCI_BUS_ID");
      assertThat(slot1).contains("visible=1 order=PCI_BUS_ID");
      assertThat(pid(slot0)).isNotEqualTo(pid(slot1));
      assertThat(pid(seenBy(e, 0))).as("slot 0 reuses its process").isEqualTo(pid(slot0));
      assertThat(e.processes()).isEqualTo(2);
    }
  }

  @Test
  void onTheCpuNoGpuIsAssigned() throws Exception {
    try (TorchEngine e = fake("env", Duration.ofSeconds(20), "cpu")) {
      assertThat(seenBy(e, 1)).contains("visible=None");
    }
  }

  private static String pid(String seen) {
    return seen.substring(0, seen.indexOf(' '));
  }
}
