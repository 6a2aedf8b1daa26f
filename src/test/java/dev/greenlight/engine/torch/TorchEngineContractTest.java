package dev.greenlight.engine.torch;

import dev.greenlight.engine.Engine;
import dev.greenlight.engine.EngineContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The real {@code workers/torch/engine.py} at its tiny size on the CPU, through the Java supervisor. Needs a python3
 * that imports torch (Debian: python3-torch). CI installs it and sets GREENLIGHT_REQUIRE_TORCH=1, so there it fails
 * rather than skips when torch is missing.
 */
class TorchEngineContractTest extends EngineContract {
  static TorchEngine engine;

  @BeforeAll
  static void start() {
    requireTorch();
    engine = new TorchEngine(new TorchEngine.Settings("auto", Path.of("workers/torch/engine.py"), "tiny", "cpu", "float32", "",
        Duration.ofMinutes(2), Duration.ofMinutes(2), "gif"));
  }

  static void requireTorch() {
    boolean available = TorchEngine.importsTorch(TorchEngine.python("auto"));
    if (System.getenv("GREENLIGHT_REQUIRE_TORCH") != null && !available) {
      throw new IllegalStateException("GREENLIGHT_REQUIRE_TORCH is set but no python3 imports torch (apt-get install python3-torch)");
    }
    Assumptions.assumeTrue(available, "no python3 with torch: install python3-torch to run the torch engine's tests");
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  protected Engine engine() {
    return engine;
  }
}
