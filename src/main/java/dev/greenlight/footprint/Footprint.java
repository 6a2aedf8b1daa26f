package dev.greenlight.footprint;

import java.time.Instant;
import java.util.UUID;

/**
 * A succeeded job's carbon footprint and every part it is computed from (HotCarbon'24, Eq. 1):
 * {@code carbon_g = energy_kWh x PUE x intensity + (t_gen / t_life) x embodied_g}. {@code runNowG} is the same
 * energy at the intensity when the job was submitted (what running at once would have cost) and
 * {@code savedG = runNowG - totalG}. Operational figures are null when no intensity was known.
 */
public record Footprint(
    UUID jobId, int attempt, String region, String sensor,
    double encodeJ, double denoiseJ, double decodeJ, double muxJ,
    double tGenS, double pue,
    Double intensityGPerKwh, String intensitySource, Double runNowGPerKwh,
    String device, double embodiedDeviceG, double lifeYears,
    Instant startedAt, Instant finishedAt, Instant submittedAt) {

  static final double J_PER_KWH = 3.6e6;

  public double energyJ() {
    return encodeJ + denoiseJ + decodeJ + muxJ;
  }

  public double embodiedG() {
    return tGenS / (lifeYears * 365.25 * 86400) * embodiedDeviceG;
  }

  public Double operationalG() {
    return intensityGPerKwh == null ? null : energyJ() / J_PER_KWH * pue * intensityGPerKwh;
  }

  public Double totalG() {
    Double op = operationalG();
    return op == null ? null : op + embodiedG();
  }

  public Double runNowG() {
    return runNowGPerKwh == null ? null : energyJ() / J_PER_KWH * pue * runNowGPerKwh + embodiedG();
  }

  public Double savedG() {
    Double now = runNowG();
    Double total = totalG();
    return now == null || total == null ? null : now - total;
  }
}
