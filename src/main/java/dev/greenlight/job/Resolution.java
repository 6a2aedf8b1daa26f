package dev.greenlight.job;

import java.util.Arrays;
import java.util.Optional;

/**
 * Output resolutions, named by frame height. Width follows a 16:9 frame rounded up to the VAE's 8-pixel
 * grid, as in Open-Sora: 240p is 432 x 240 and its latent 54 x 30.
 */
public enum Resolution {
  P144(144), P240(240), P360(360), P480(480), P720(720);

  private final int height;

  Resolution(int height) {
    this.height = height;
  }

  public int height() {
    return height;
  }

  public int latentHeight() {
    return (int) Math.ceil(height / 8.0);
  }

  public int latentWidth() {
    return (int) Math.ceil(height * 16.0 / 9.0 / 8.0);
  }

  public int width() {
    return latentWidth() * 8;
  }

  public String wire() {
    return height + "p";
  }

  public static Optional<Resolution> fromWire(String s) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(s)).findFirst();
  }

  public static String allowed() {
    return String.join(", ", Arrays.stream(values()).map(Resolution::wire).toList());
  }
}
