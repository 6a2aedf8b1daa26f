package dev.greenlight.credits;

import dev.greenlight.costmodel.CostModel;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;

/** Prices a job from its shape, its expected carbon where and when it will run, and what running now would emit. */
public final class Pricer {
  private final CostModel costModel;
  private final int defaultSteps;
  private final int defaultFps;

  public Pricer(CostModel costModel, int defaultSteps, int defaultFps) {
    this.costModel = costModel;
    this.defaultSteps = defaultSteps;
    this.defaultFps = defaultFps;
  }

  /** A price and its parts. */
  public record Price(double credits, double base, double carbon, double discount) {}

  /** The reference request: 240p, 2 s at the default fps and steps. */
  public VideoShape reference() {
    return VideoShape.of(Resolution.P240, 2, defaultFps, defaultSteps);
  }

  /** gCO2 of the reference request at the reference intensity. */
  public double referenceCarbonG(PricingPolicy p) {
    return costModel.estimate(reference()).energyJ() / 3.6e6 * p.referenceGPerKwh();
  }

  /**
   * @param energyJ the job's estimated energy
   * @param expectedGPerKwh forecast intensity where and when it is planned to run (NaN: unknown, the reference is used)
   * @param runNowGPerKwh forecast intensity if it ran at once (for the offline discount)
   * @param offline whether the job waits for a cleaner slot
   */
  public Price price(PricingPolicy p, VideoShape shape, int durationS, double energyJ, double expectedGPerKwh, double runNowGPerKwh,
      boolean offline) {
    double expectedG = energyJ / 3.6e6 * (Double.isFinite(expectedGPerKwh) ? expectedGPerKwh : p.referenceGPerKwh());
    double runNowG = energyJ / 3.6e6 * (Double.isFinite(runNowGPerKwh) ? runNowGPerKwh : p.referenceGPerKwh());
    VideoShape ref = reference();
    double pixels = (double) shape.resolution().width() * shape.resolution().height()
        / ((double) ref.resolution().width() * ref.resolution().height());
    double base = p.referenceCredits() * (1 - p.carbonShare()) * Math.pow(pixels, p.pixelExponent())
        * Math.pow(durationS / 2.0, p.durationExponent()) * Math.pow((double) shape.steps() / ref.steps(), p.stepsExponent());
    double carbon = p.referenceCredits() * p.carbonShare() * expectedG / referenceCarbonG(p);
    double discount = 0;
    if (offline && runNowG > 0) {
      double saving = Math.max(0, (runNowG - expectedG) / runNowG);
      discount = Math.min(p.maxOfflineDiscount(), p.offlineDiscountSlope() * saving);
    }
    double credits = Math.max(p.floorCredits(), (base + carbon) * (1 - discount));
    return new Price(round(credits), round(base), round(carbon), discount);
  }

  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
