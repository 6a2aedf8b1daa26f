package dev.greenlight.job;

import java.time.Instant;
import java.util.List;

/** A validated generation request: what the user asked for, before the queue gives it an identity. */
public record JobSpec(
    String prompt,
    Resolution resolution,
    int durationS,
    int fps,
    int steps,
    Long seed,
    JobMode mode,
    Instant deadline,
    List<String> regions,
    int priority,
    String callbackUrl) {

  public VideoShape shape() {
    return VideoShape.of(resolution, durationS, fps, steps);
  }
}
