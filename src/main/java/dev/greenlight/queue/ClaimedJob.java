package dev.greenlight.queue;

import dev.greenlight.job.Job;

/** A job this worker now owns for one attempt; every later write is fenced by (id, attempt, worker). */
public record ClaimedJob(Job job, String workerId) {
  public int attempt() {
    return job.attempt();
  }
}
