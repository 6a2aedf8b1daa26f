package dev.greenlight.costmodel;

/** What a job is expected to cost on the profiled device, per phase and in total. */
public record Estimate(
    double encodeS, double encodeJ,
    double stepS, double stepJ, int steps,
    double decodeS, double decodeJ) {

  public double denoiseS() {
    return stepS * steps;
  }

  public double denoiseJ() {
    return stepJ * steps;
  }

  public double durationS() {
    return encodeS + denoiseS() + decodeS;
  }

  public double energyJ() {
    return encodeJ + denoiseJ() + decodeJ;
  }

  /** Every energy figure times {@code energy}, every time figure times {@code duration}. */
  public Estimate scaled(double energy, double duration) {
    return new Estimate(encodeS * duration, encodeJ * energy, stepS * duration, stepJ * energy, steps, decodeS * duration,
        decodeJ * energy);
  }
}
