package dev.greenlight.engine;

import dev.greenlight.job.VideoShape;
import java.nio.file.Path;
import java.util.UUID;

/** What an engine is asked to generate, and where it may write its output. */
public record EngineRequest(UUID jobId, int attempt, String prompt, VideoShape shape, int fps, Long seed, Path outputDir) {}
