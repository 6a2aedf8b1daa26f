package dev.greenlight.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced: per-phase time and energy, where the energy came from ({@code energySource}, e.g.
 * {@code "estimated:profile"}), the device time it occupied (what the embodied-carbon share is charged for; for a
 * simulated run the simulated device's time, not the scaled wait), and the video file if the engine writes one.
 */
public record EngineResult(String engine, String energySource, List<PhaseReport> phases, Path video, double deviceSeconds) {

  public EngineResult(String engine, String energySource, List<PhaseReport> phases, Path video) {
    this(engine, energySource, phases, video, phases.stream().mapToDouble(PhaseReport::wallS).sum());
  }

  public double energyJ() {
    return phases.stream().mapToDouble(PhaseReport::energyJ).sum();
  }

  public double wallS() {
    return phases.stream().mapToDouble(PhaseReport::wallS).sum();
  }
}
