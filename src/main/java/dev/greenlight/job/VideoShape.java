package dev.greenlight.job;

/** What a generation produces: resolution, frame count and denoising steps. */
public record VideoShape(Resolution resolution, int frames, int steps) {

  public static VideoShape of(Resolution resolution, int durationS, int fps, int steps) {
    return new VideoShape(resolution, durationS * fps, steps);
  }

  /** Latent tokens the diffusion transformer attends over: frames x (H/8 / 2) x (W/8 / 2), 2x2 patches. */
  public double latentTokens() {
    return frames * resolution.latentHeight() * resolution.latentWidth() / 4.0;
  }
}
