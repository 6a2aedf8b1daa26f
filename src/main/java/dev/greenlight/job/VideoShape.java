package dev.greenlight.job;

/** What a generation produces: resolution, frame count and denoising steps. */
public record VideoShape(Resolution resolution, int frames, int steps) {

  public static VideoShape of(Resolution resolution, int durationS, int fps, int steps) {
    return new VideoShape(resolution, durationS * fps, steps);
  }

  /**
   * Latent tokens the diffusion transformer attends over: frames x ceil(H/8 / 2) x ceil(W/8 / 2), 2x2 patches (an odd
   * latent side is padded to a whole patch, as the calibration's token counts show: 480p is 60 x 107 -> 30 x 54).
   */
  public double latentTokens() {
    return (double) frames * Math.ceil(resolution.latentHeight() / 2.0) * Math.ceil(resolution.latentWidth() / 2.0);
  }
}
