package dev.greenlight.engine;

import dev.greenlight.job.VideoShape;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What an engine is asked to generate, where it may write its output, and the worker slot that runs it (a GPU engine
 * runs slot {@code i} on its own GPU, {@link GpuSlots}).
 */
public record EngineRequest(UUID jobId, int attempt, String prompt, VideoShape shape, int fps, Long seed, Path outputDir, int slot) {
  /** On slot 0. */
  public EngineRequest(UUID jobId, int attempt, String prompt, VideoShape shape, int fps, Long seed, Path outputDir) {
    this(jobId, attempt, prompt, shape, fps, seed, outputDir, 0);
  }
}
