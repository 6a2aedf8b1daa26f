package dev.greenlight.telemetry;

import dev.greenlight.engine.Phase;
import java.util.Map;

/**
 * What the worker measured for one job: the sensor, how many samples it took, energy and wall time per phase, mean
 * and peak power.
 */
public record PhaseEnergy(String sensor, int samples, Map<Phase, Double> joules, Map<Phase, Double> seconds, double meanW, double peakW) {
  public double totalJ() {
    return joules.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
