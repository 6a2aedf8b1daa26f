package dev.greenlight.costmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.ProfileEngine;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

/** The cost model reproduces the H100 calibration at its measured points and interpolates between them. */
class CostModelTest {
  final CostModel model = new CostModel(CalibrationProfile.packaged());

  @Test
  void latentGridMatchesOpenSora() {
    assertThat(Resolution.P240.latentHeight()).isEqualTo(30);
    assertThat(Resolution.P240.latentWidth()).isEqualTo(54);
    assertThat(Resolution.P480.latentWidth()).isEqualTo(107);
    assertThat(Resolution.P720.latentWidth()).isEqualTo(160);
    assertThat(VideoShape.of(Resolution.P240, 2, 8, 50).latentTokens()).isEqualTo(6480);
    assertThat(VideoShape.of(Resolution.P480, 2, 8, 50).latentTokens()).isEqualTo(25920); // 107 wide pads to 54 patches
  }

  @Test
  void reproducesMeasuredRows() {
    Estimate e = model.estimate(VideoShape.of(Resolution.P240, 2, 8, 40));
    assertThat(e.stepJ()).isCloseTo(47.1656, within(1e-3));
    assertThat(e.decodeJ()).isCloseTo(46.2973, within(1e-3));
    assertThat(e.encodeJ()).isCloseTo(4.04402, within(1e-4));
    // the study's headline: denoising is about 97 % of the energy at 40 steps
    assertThat(e.denoiseJ() / e.energyJ()).isCloseTo(0.974, within(0.002));
    assertThat(model.estimate(VideoShape.of(Resolution.P720, 2, 8, 1)).stepJ()).isCloseTo(527.31, within(0.01));
  }

  @Test
  void scalesLinearlyInStepsAndGrowsWithResolutionAndFrames() {
    Estimate s20 = model.estimate(VideoShape.of(Resolution.P480, 4, 8, 20));
    Estimate s40 = model.estimate(VideoShape.of(Resolution.P480, 4, 8, 40));
    assertThat(s40.denoiseJ()).isCloseTo(2 * s20.denoiseJ(), within(1e-9));
    double p240 = model.estimate(VideoShape.of(Resolution.P240, 2, 8, 1)).stepJ();
    double p720 = model.estimate(VideoShape.of(Resolution.P720, 2, 8, 1)).stepJ();
    assertThat(p720 / p240).isBetween(10.0, 12.0); // near-quadratic in height (9x pixels)
    // 240p x 64 frames and 480p x 16 frames have the same latent tokens (25,920): the model uses their mean,
    // within 7 % of either measurement
    assertThat(model.estimate(VideoShape.of(Resolution.P240, 8, 8, 1)).stepJ()).isCloseTo(190.33, within(190.33 * 0.07));
    assertThat(model.estimate(VideoShape.of(Resolution.P480, 2, 8, 1)).stepJ()).isCloseTo(216.41, within(216.41 * 0.07));
    // between and beyond measured points: monotone and positive
    double previous = 0;
    for (int seconds = 1; seconds <= 16; seconds++) {
      double j = model.estimate(VideoShape.of(Resolution.P720, seconds, 8, 1)).stepJ();
      assertThat(j).isGreaterThan(previous);
      previous = j;
    }
  }

  @Test
  void profileEngineReportsEveryBoundaryAndEstimatedEnergy() throws Exception {
    ProfileEngine engine = new ProfileEngine(model, 0.0);
    List<Boundary> seen = new ArrayList<>();
    VideoShape shape = VideoShape.of(Resolution.P144, 1, 8, 5);
    EngineResult r = engine.run(new EngineRequest(UUID.randomUUID(), 1, "p", shape, 8, 1L, null), seen::add);
    assertThat(seen).extracting(Boundary::phase).containsExactly(Phase.ENCODE, Phase.DENOISE, Phase.DENOISE, Phase.DENOISE,
        Phase.DENOISE, Phase.DENOISE, Phase.DECODE, Phase.MUX);
    assertThat(seen.get(3)).isEqualTo(Boundary.step(3, 5));
    assertThat(r.energySource()).isEqualTo("estimated:profile");
    assertThat(r.energyJ()).isCloseTo(model.estimate(shape).energyJ(), within(1e-9));
  }

  @Test
  void profileEngineStopsAtTheBoundaryWhereCancelIsSeen() {
    ProfileEngine engine = new ProfileEngine(model, 0.0);
    List<Boundary> seen = new ArrayList<>();
    Assertions.assertThrows(JobCancelledException.class, () -> engine.run(
        new EngineRequest(UUID.randomUUID(), 1, "p", VideoShape.of(Resolution.P144, 1, 8, 10), 8, null, null), b -> {
          seen.add(b);
          if (b.step() == 4) {
            throw new JobCancelledException();
          }
        }));
    assertThat(seen.getLast()).isEqualTo(Boundary.step(4, 10));
  }
}
