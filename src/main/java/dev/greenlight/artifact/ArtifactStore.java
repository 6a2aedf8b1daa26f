package dev.greenlight.artifact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** Where jobs' files live. Local disk today; an object store can implement the same three operations. */
public interface ArtifactStore {
  /** The directory an engine writes a job's files into. */
  Path directoryFor(UUID jobId) throws IOException;

  /** A stored file of a job. */
  Path locate(UUID jobId, String fileName);

  /** Removes every file of a job (when the job is pruned). */
  void delete(UUID jobId) throws IOException;
}
