package dev.greenlight.costmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.db.Database;
import dev.greenlight.db.Migrations;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import dev.greenlight.testing.TestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The cost model's learning: a bounded running factor per engine and resolution, applied to later estimates. */
class CostCorrectionsTest {
  @Test
  void learnsBoundedRunningFactorsAndAppliesThem() {
    try (TestDatabase tdb = TestDatabase.create(); Database db = new Database(tdb.url(), tdb.user(), "", 2, "corrections-test")) {
      Migrations.apply(db.dataSource());
      CostCorrections k = new CostCorrections(db, Clock.systemUTC());
      assertThat(k.factor("reference", "240p")).isEqualTo(new CostCorrections.Factor(1, 1, 0));
      db.inTransaction(c -> {
        k.observe(c, "reference", "240p", 100, 50, 10, 110); // half the energy, 11x the time
        return null;
      });
      k.invalidate();
      assertThat(k.factor("reference", "240p").energy()).isCloseTo(0.5, within(1e-12));
      assertThat(k.factor("reference", "240p").duration()).isCloseTo(11, within(1e-12));
      db.inTransaction(c -> {
        k.observe(c, "reference", "240p", 100, 100, 10, 10_000); // an outlier: 1000x
        k.observe(c, "reference", "480p", 100, 0, 10, 10); // nothing measured: ignored
        return null;
      });
      k.invalidate();
      CostCorrections.Factor f = k.factor("reference", "240p");
      assertThat(f.energy()).isCloseTo(0.5 * 0.8 + 1.0 * 0.2, within(1e-12));
      assertThat(f.duration()).isCloseTo(Math.min(32, 11 * 0.8 + 1000 * 0.2), within(1e-12)); // bounded at 32
      assertThat(f.samples()).isEqualTo(2);
      assertThat(k.factor("reference", "480p").samples()).isZero();
      Estimate base = new CostModel(CalibrationProfile.packaged()).estimate(VideoShape.of(Resolution.P240, 2, 8, 20));
      Estimate corrected = k.correct("reference", "240p", base);
      assertThat(corrected.energyJ()).isCloseTo(base.energyJ() * f.energy(), within(1e-9));
      assertThat(corrected.durationS()).isCloseTo(base.durationS() * f.duration(), within(1e-9));
      assertThat(k.correct("torch", "240p", base)).isEqualTo(base);
    }
  }
}
