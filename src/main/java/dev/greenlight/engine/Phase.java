package dev.greenlight.engine;

import java.util.Locale;

/** The phases of a text-to-video pipeline, in the order they run. */
public enum Phase {
  ENCODE, DENOISE, DECODE, MUX;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
