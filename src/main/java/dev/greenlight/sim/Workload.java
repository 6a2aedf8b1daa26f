package dev.greenlight.sim;

import dev.greenlight.costmodel.CostModel;
import dev.greenlight.costmodel.Estimate;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Simulated workloads: read from CSV ({@code submit_time,mode,resolution,duration_s,steps,deadline,regions}) or made
 * up: diurnal arrivals (a sine with its peak at 14:00 UTC, trough a third of peak) at a target GPU load, a mix of
 * resolutions, lengths and steps, an offline share, and deadline slack uniform in 1-24 h.
 */
public final class Workload {
  static final int FPS = 8;

  private Workload() {}

  public static List<SimJob> read(Path csv, CostModel model) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.isEmpty() || !lines.getFirst().trim().equals("submit_time,mode,resolution,duration_s,steps,deadline,regions")) {
      throw new IllegalArgumentException(csv + ": expected header submit_time,mode,resolution,duration_s,steps,deadline,regions");
    }
    List<SimJob> jobs = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 7) {
        throw new IllegalArgumentException(csv + ":" + (i + 1) + ": expected 7 columns");
      }
      JobMode mode = JobMode.fromWire(f[1].trim());
      Instant deadline = f[5].isBlank() ? null : Instant.parse(f[5].trim());
      if (mode == JobMode.OFFLINE && deadline == null) {
        throw new IllegalArgumentException(csv + ":" + (i + 1) + ": offline jobs need a deadline");
      }
      List<String> regions = f[6].isBlank() ? List.of() : Arrays.stream(f[6].split("\\|")).map(String::trim).toList();
      jobs.add(job(model, Instant.parse(f[0].trim()), mode, f[2].trim(), Integer.parseInt(f[3].trim()),
          Integer.parseInt(f[4].trim()), deadline, regions));
    }
    jobs.sort(Comparator.comparing(SimJob::submit));
    return jobs;
  }

  /** {@code n} jobs from {@code start} whose average load is {@code load} x {@code gpus} GPUs. */
  public static List<SimJob> synthetic(int n, Instant start, int gpus, double load, double offlineShare, List<String> regions,
      CostModel model, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] resolutions = {"144p", "240p", "360p", "480p", "720p"};
    double[] resWeights = {0.15, 0.35, 0.25, 0.2, 0.05};
    int[] lengths = {2, 4, 8, 16};
    double[] lengthWeights = {0.4, 0.3, 0.2, 0.1};
    int[] stepChoices = {20, 30, 50, 100};
    double[] stepWeights = {0.2, 0.3, 0.35, 0.15};
    List<String[]> specs = new ArrayList<>();
    double meanDuration = 0;
    for (int i = 0; i < n; i++) {
      String[] s = {pick(rnd, resolutions, resWeights), String.valueOf(pickInt(rnd, lengths, lengthWeights)),
          String.valueOf(pickInt(rnd, stepChoices, stepWeights))};
      specs.add(s);
      meanDuration += estimate(model, s[0], Integer.parseInt(s[1]), Integer.parseInt(s[2])).durationS() / n;
    }
    double meanRate = load * gpus / meanDuration; // arrivals per second
    double peakRate = meanRate * 1.5;
    List<SimJob> jobs = new ArrayList<>(n);
    double t = 0;
    for (int i = 0; i < n; i++) {
      // thinning: a non-homogeneous Poisson process with rate(t) = mean x (1 + 0.5 sin(...)), peak at 14:00 UTC
      while (true) {
        t += -Math.log(1 - rnd.nextDouble()) / peakRate;
        Instant at = start.plusMillis((long) (t * 1000));
        double hour = at.getEpochSecond() % 86400 / 3600.0;
        double rate = meanRate * (1 + 0.5 * Math.sin(2 * Math.PI * (hour - 8) / 24));
        if (rnd.nextDouble() < rate / peakRate) {
          break;
        }
      }
      Instant submit = start.plusMillis((long) (t * 1000));
      boolean offline = rnd.nextDouble() < offlineShare;
      String[] s = specs.get(i);
      Estimate e = estimate(model, s[0], Integer.parseInt(s[1]), Integer.parseInt(s[2]));
      Instant deadline = offline ? submit.plusSeconds((long) (e.durationS() + 3600 + rnd.nextDouble() * 23 * 3600)) : null;
      List<String> allowed = regions.size() <= 1 ? regions : List.of(regions.get(rnd.nextInt(regions.size())));
      jobs.add(job(model, submit, offline ? JobMode.OFFLINE : JobMode.ONLINE, s[0], Integer.parseInt(s[1]),
          Integer.parseInt(s[2]), deadline, allowed));
    }
    return jobs;
  }

  /**
   * The {@code history} before a synthetic workload: the same process (rate, shape, mix) with its own seed, from
   * {@code history} before the first of {@code jobs} up to it, as a service that ran before the replay saw it.
   */
  public static List<SimJob> history(List<SimJob> jobs, Duration history, int gpus, double load, double offlineShare, List<String> regions,
      CostModel model, long seed) {
    Instant start = jobs.getFirst().submit();
    Instant from = start.minus(history);
    double perSecond = jobs.size() / (double) Math.max(1, span(jobs).getSeconds());
    int n = (int) Math.ceil(perSecond * history.getSeconds() * 1.2) + 100;
    while (true) {
      List<SimJob> before = synthetic(n, from, gpus, load, offlineShare, regions, model, seed ^ 0x5DEECE66DL);
      if (!before.getLast().submit().isBefore(start)) {
        return before.stream().filter(j -> j.submit().isBefore(start)).toList();
      }
      n *= 2;
    }
  }

  /** Writes jobs in the workload CSV format. */
  public static void write(List<SimJob> jobs, Path csv) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("submit_time,mode,resolution,duration_s,steps,deadline,regions");
    for (SimJob j : jobs) {
      lines.add(j.submit() + "," + j.mode().wire() + "," + j.resolution() + "," + j.videoSeconds() + "," + j.steps() + ","
          + (j.deadline() == null ? "" : j.deadline().toString()) + "," + String.join("|", j.regions()));
    }
    Files.write(csv, lines);
  }

  static SimJob job(CostModel model, Instant submit, JobMode mode, String resolution, int seconds, int steps, Instant deadline,
      List<String> regions) {
    Estimate e = estimate(model, resolution, seconds, steps);
    return new SimJob(UUID.randomUUID(), submit, mode, resolution, seconds, steps, deadline, regions, e.energyJ(), e.durationS());
  }

  static Estimate estimate(CostModel model, String resolution, int seconds, int steps) {
    Resolution r = Resolution.fromWire(resolution).orElseThrow(() -> new IllegalArgumentException("unknown resolution " + resolution));
    return model.estimate(VideoShape.of(r, seconds, FPS, steps));
  }

  private static String pick(SplittableRandom rnd, String[] values, double[] weights) {
    return values[index(rnd, weights)];
  }

  private static int pickInt(SplittableRandom rnd, int[] values, double[] weights) {
    return values[index(rnd, weights)];
  }

  private static int index(SplittableRandom rnd, double[] weights) {
    double u = rnd.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static Duration span(List<SimJob> jobs) {
    return Duration.between(jobs.getFirst().submit(), jobs.getLast().submit());
  }
}
