package dev.greenlight.sim;

import dev.greenlight.job.JobMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One job of a simulated workload, with its cost-model estimate (energy, H100 seconds). */
public record SimJob(UUID id, Instant submit, JobMode mode, String resolution, int videoSeconds, int steps, Instant deadline,
    List<String> regions, double energyJ, double durationS) {}
