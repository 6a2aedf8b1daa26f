package dev.greenlight.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.costmodel.CalibrationProfile;
import dev.greenlight.costmodel.CostModel;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import org.junit.jupiter.api.Test;

/** The pricing laws, exactly as configured. */
class PricerTest {
  final CostModel model = new CostModel(CalibrationProfile.packaged());
  final Pricer pricer = new Pricer(model, 50, 8);

  double price(PricingPolicy p, Resolution r, int seconds, int steps, double g) {
    VideoShape s = VideoShape.of(r, seconds, 8, steps);
    return pricer.price(p, s, seconds, model.estimate(s).energyJ(), g, g, false).credits();
  }

  @Test
  void theReferenceRequestCostsTheReferenceCredits() {
    PricingPolicy p = PricingPolicy.DEFAULT;
    assertThat(price(p, Resolution.P240, 2, 50, p.referenceGPerKwh())).isCloseTo(p.referenceCredits(), within(1e-4));
  }

  @Test
  void scalesWithPixelsDurationAndStepsAsConfigured() {
    PricingPolicy linear = new PricingPolicy(10, 300, 0, 1, 1, 1, 1, 0.5, 0);
    double ref = price(linear, Resolution.P240, 2, 50, 300);
    double pixels480 = (856.0 * 480) / (432.0 * 240);
    assertThat(price(linear, Resolution.P480, 2, 50, 300) / ref).isCloseTo(pixels480, within(1e-3)); // ~quadratic in height
    assertThat(price(linear, Resolution.P240, 8, 50, 300) / ref).isCloseTo(4, within(1e-3));
    assertThat(price(linear, Resolution.P240, 2, 100, 300) / ref).isCloseTo(2, within(1e-3));
    PricingPolicy steep = new PricingPolicy(10, 300, 0, 1.5, 0.5, 2, 1, 0.5, 0);
    double sref = price(steep, Resolution.P240, 2, 50, 300);
    assertThat(price(steep, Resolution.P480, 2, 50, 300) / sref).isCloseTo(Math.pow(pixels480, 1.5), within(1e-3));
    assertThat(price(steep, Resolution.P240, 8, 50, 300) / sref).isCloseTo(2, within(1e-3));
    assertThat(price(steep, Resolution.P240, 2, 25, 300) / sref).isCloseTo(0.25, within(1e-3));
  }

  @Test
  void aDirtyHourCostsMoreThanACleanOne() {
    PricingPolicy p = PricingPolicy.DEFAULT;
    assertThat(price(p, Resolution.P240, 2, 50, 450)).isGreaterThan(price(p, Resolution.P240, 2, 50, 100));
    // half the price is the carbon term: at zero intensity only the base is left
    assertThat(price(p, Resolution.P240, 2, 50, 0)).isCloseTo(5, within(1e-4));
  }

  @Test
  void offlineDiscountGrowsWithTheSavingUpToTheMaximumAndTheFloorHolds() {
    PricingPolicy p = PricingPolicy.DEFAULT;
    VideoShape s = VideoShape.of(Resolution.P240, 2, 8, 50);
    double e = model.estimate(s).energyJ();
    Pricer.Price small = pricer.price(p, s, 2, e, 270, 300, true); // saves 10 %
    Pricer.Price large = pricer.price(p, s, 2, e, 30, 300, true); // saves 90 %
    assertThat(small.discount()).isCloseTo(0.1, within(1e-9));
    assertThat(large.discount()).isEqualTo(p.maxOfflineDiscount());
    assertThat(pricer.price(p, s, 2, e, 300, 300, true).discount()).isZero();
    PricingPolicy floor = new PricingPolicy(10, 300, 0.5, 1, 1, 1, 1, 0.5, 7);
    assertThat(pricer.price(floor, VideoShape.of(Resolution.P144, 1, 8, 1), 1, 1, 10, 10, false).credits()).isEqualTo(7);
  }
}
