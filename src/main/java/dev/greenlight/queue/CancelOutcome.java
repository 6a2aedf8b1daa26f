package dev.greenlight.queue;

import dev.greenlight.job.StateChange;
import java.util.Optional;

/**
 * What a cancel request did: {@code NOT_FOUND} (no such job for this caller), {@code ALREADY_FINAL},
 * {@code CANCELLED} (it was waiting and is now cancelled) or {@code REQUESTED} (it is running and will stop at its
 * next step boundary, on {@code workerId}).
 */
public record CancelOutcome(Kind kind, Optional<StateChange> change, String workerId) {
  public enum Kind { NOT_FOUND, ALREADY_FINAL, CANCELLED, REQUESTED }
}
