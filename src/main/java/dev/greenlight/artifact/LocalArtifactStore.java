package dev.greenlight.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Files under {@code <data_dir>/videos/<job id>/}. */
public final class LocalArtifactStore implements ArtifactStore {
  private final Path root;

  public LocalArtifactStore(Path root) {
    this.root = root;
  }

  @Override
  public Path directoryFor(UUID jobId) throws IOException {
    return Files.createDirectories(root.resolve(jobId.toString()));
  }

  @Override
  public Path locate(UUID jobId, String fileName) {
    Path p = root.resolve(jobId.toString()).resolve(fileName).normalize();
    if (!p.startsWith(root.resolve(jobId.toString()).normalize())) {
      throw new IllegalArgumentException("file name escapes the job's directory: " + fileName);
    }
    return p;
  }

  @Override
  public void delete(UUID jobId) throws IOException {
    Path dir = root.resolve(jobId.toString());
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
