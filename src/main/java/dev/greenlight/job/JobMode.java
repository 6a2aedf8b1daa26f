package dev.greenlight.job;

import java.util.Locale;

/** Online jobs run as soon as a GPU is free; offline jobs wait for a clean hour before their deadline. */
public enum JobMode {
  ONLINE, OFFLINE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobMode fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** The state a new job of this mode starts in. */
  public JobState initialState() {
    return this == ONLINE ? JobState.QUEUED : JobState.DEFERRED;
  }
}
