package dev.greenlight.costmodel;

import dev.greenlight.job.VideoShape;

/** Estimates a job's energy and duration before it runs, from a measured device profile. */
public final class CostModel {
  private final CalibrationProfile profile;

  public CostModel(CalibrationProfile profile) {
    this.profile = profile;
  }

  public CalibrationProfile profile() {
    return profile;
  }

  public Estimate estimate(VideoShape shape) {
    double tokens = shape.latentTokens();
    TokenCurve.Point step = profile.denoiseStep().at(tokens);
    TokenCurve.Point decode = profile.decode().at(tokens);
    return new Estimate(
        profile.encode().seconds(), profile.encode().joules(),
        step.seconds(), step.joules(), shape.steps(),
        decode.seconds(), decode.joules());
  }
}
