package dev.greenlight.engine;

import dev.greenlight.costmodel.CostModel;
import dev.greenlight.costmodel.Estimate;
import java.util.List;

/**
 * A simulation, not a generator: replays a measured device profile (seconds and joules per phase) with real
 * waiting, scaled by {@code timeScale} (1.0 = as long as on the profiled GPU, 0.0 = no wait). It writes no video
 * and its energy is labelled {@value #ENERGY_SOURCE}. For load tests and capacity planning.
 */
public final class ProfileEngine implements Engine {
  public static final String ENERGY_SOURCE = "estimated:profile";
  private final CostModel costModel;
  private final double timeScale;
  private final double failureRate;

  public ProfileEngine(CostModel costModel, double timeScale) {
    this(costModel, timeScale, 0);
  }

  /** With {@code failureRate}: that share of runs fails at decode (fault injection for load tests), decided per job. */
  public ProfileEngine(CostModel costModel, double timeScale, double failureRate) {
    this.costModel = costModel;
    this.timeScale = timeScale;
    this.failureRate = failureRate;
  }

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public boolean reportsOwnEnergy() {
    return true;
  }

  @Override
  public EngineResult run(EngineRequest request, BoundaryListener listener) throws JobCancelledException, InterruptedException {
    Estimate e = costModel.estimate(request.shape());
    listener.at(Boundary.start(Phase.ENCODE));
    pause(e.encodeS());
    for (int i = 1; i <= e.steps(); i++) {
      listener.at(Boundary.step(i, e.steps()));
      pause(e.stepS());
    }
    listener.at(Boundary.start(Phase.DECODE));
    if (failureRate > 0 && new java.util.SplittableRandom(request.jobId().getLeastSignificantBits() ^ request.attempt()).nextDouble() < failureRate) {
      throw new IllegalStateException("simulated failure (profile.failure_rate " + failureRate + ")");
    }
    pause(e.decodeS());
    listener.at(Boundary.start(Phase.MUX));
    return new EngineResult(name(), ENERGY_SOURCE, List.of(
        new PhaseReport(Phase.ENCODE, e.encodeS() * timeScale, e.encodeJ()),
        new PhaseReport(Phase.DENOISE, e.denoiseS() * timeScale, e.denoiseJ()),
        new PhaseReport(Phase.DECODE, e.decodeS() * timeScale, e.decodeJ()),
        new PhaseReport(Phase.MUX, 0.0, 0.0)), null, e.durationS());
  }

  private void pause(double seconds) throws InterruptedException {
    long nanos = (long) (seconds * timeScale * 1e9);
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }
}
