package dev.greenlight.job;

import java.util.List;

/** Told about transitions after they commit; the cluster package announces them on the event bus. */
@FunctionalInterface
public interface StateChangeListener {
  void changed(List<StateChange> changes);

  StateChangeListener NONE = changes -> { };
}
