package dev.greenlight.api;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.costmodel.CostModel;
import dev.greenlight.costmodel.Estimate;
import dev.greenlight.job.JobMode;
import dev.greenlight.job.JobSpec;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns the body of {@code POST /api/v1/jobs} into a {@link JobSpec}, or a 400 naming every bad field. */
public final class JobRequestParser {
  static final Set<String> FIELDS = Set.of("prompt", "resolution", "duration_s", "fps", "steps", "seed", "mode",
      "deadline", "regions", "priority", "callback_url");
  private final GreenlightConfig.JobsConfig jobs;
  private final List<String> regions;
  private final CostModel costModel;
  private final java.util.function.BiFunction<VideoShape, Estimate, Estimate> correction;
  private final java.util.function.Function<String, String> urlGuard;

  public JobRequestParser(GreenlightConfig.JobsConfig jobs, List<String> regions, CostModel costModel) {
    this(jobs, regions, costModel, (shape, e) -> e, url -> null);
  }

  /** With {@code correction}: what the cost model has learned, applied to every estimate. */
  /**
   * With what the cost model has learned ({@code correction}) and a check of callback URLs against private targets
   * ({@code urlGuard}: null when allowed, else why not).
   */
  public JobRequestParser(GreenlightConfig.JobsConfig jobs, List<String> regions, CostModel costModel,
      java.util.function.BiFunction<VideoShape, Estimate, Estimate> correction, java.util.function.Function<String, String> urlGuard) {
    this.jobs = jobs;
    this.regions = regions;
    this.costModel = costModel;
    this.correction = correction;
    this.urlGuard = urlGuard;
  }

  /** The (learned) estimate of a shape, as submissions get it. */
  public Estimate estimate(VideoShape shape) {
    return correction.apply(shape, costModel.estimate(shape));
  }

  /** A parsed request and its estimate. */
  public record Parsed(JobSpec spec, Estimate estimate) {}

  public Parsed parse(JsonObject body, Instant now) {
    JsonInput in = new JsonInput(body, FIELDS);
    String prompt = null;
    if (!in.has("prompt")) {
      in.fail("prompt", "is required");
    } else {
      prompt = in.string("prompt", 1, 2000, null);
    }
    Resolution resolution = Resolution.P240;
    String res = in.string("resolution", 1, 10, null);
    if (res != null) {
      resolution = Resolution.fromWire(res).orElse(null);
      if (resolution == null) {
        in.fail("resolution", "must be one of " + Resolution.allowed() + ", got '" + res + "'");
      }
    }
    int durationS = in.integer("duration_s", 1, 16, 2L).intValue();
    int fps = in.integer("fps", 1, 30, (long) jobs.defaultFps()).intValue();
    int steps = in.integer("steps", 1, 200, (long) jobs.defaultSteps()).intValue();
    Long seed = in.integer("seed", 0, Long.MAX_VALUE, null);
    int priority = in.integer("priority", 0, 9, 0L).intValue();
    JobMode mode = JobMode.ONLINE;
    String modeText = in.string("mode", 1, 20, null);
    if (modeText != null) {
      if (modeText.equals("online") || modeText.equals("offline")) {
        mode = JobMode.fromWire(modeText);
      } else {
        in.fail("mode", "must be 'online' or 'offline', got '" + modeText + "'");
      }
    }
    List<String> wanted = in.strings("regions", 16, 64);
    for (int i = 0; i < wanted.size(); i++) {
      if (!regions.contains(wanted.get(i))) {
        in.fail("regions[" + i + "]", "unknown region '" + wanted.get(i) + "'; known: " + String.join(", ", regions));
      }
    }
    String callbackUrl = in.string("callback_url", 1, 2048, null);
    if (callbackUrl != null) {
      String problem = urlProblem(callbackUrl);
      if (problem == null) {
        problem = urlGuard.apply(callbackUrl);
      }
      if (problem != null) {
        in.fail("callback_url", problem);
      }
    }
    Instant deadline = null;
    String deadlineText = in.string("deadline", 1, 64, null);
    if (deadlineText != null) {
      try {
        deadline = OffsetDateTime.parse(deadlineText, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        in.fail("deadline", "must be an ISO-8601 date-time with an offset, e.g. 2026-11-27T06:00:00Z, got '" + deadlineText + "'");
      }
    }
    in.done();
    VideoShape shape = VideoShape.of(resolution, durationS, fps, steps);
    Estimate estimate = correction.apply(shape, costModel.estimate(shape));
    if (mode == JobMode.OFFLINE && deadline == null) {
      throw ValidationException.of("deadline", "is required for offline jobs");
    }
    if (mode == JobMode.ONLINE && deadline != null) {
      throw ValidationException.of("deadline", "applies only to offline jobs (set \"mode\": \"offline\")");
    }
    if (deadline != null) {
      Instant earliest = now.plusMillis((long) Math.ceil(estimate.durationS() * 1000)).plusSeconds(jobs.deadlineMarginS());
      Instant latest = now.plus(Duration.ofDays(jobs.maxDeadlineDays()));
      if (deadline.isBefore(earliest)) {
        throw ValidationException.of("deadline", String.format(Locale.ROOT,
            "leaves no room for the job: it needs about %.1f s plus a %d s margin, so the earliest deadline now is %s",
            estimate.durationS(), jobs.deadlineMarginS(), earliest));
      }
      if (deadline.isAfter(latest)) {
        throw ValidationException.of("deadline", "must be at most " + jobs.maxDeadlineDays() + " days ahead (before " + latest + ")");
      }
    }
    JobSpec spec = new JobSpec(prompt, resolution, durationS, fps, steps, seed, mode, deadline, wanted, priority, callbackUrl);
    return new Parsed(spec, estimate);
  }

  private static String urlProblem(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "must be an absolute http or https URL";
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        return "must name a host";
      }
      if (uri.getUserInfo() != null) {
        return "must not carry credentials in the URL";
      }
      return null;
    } catch (URISyntaxException e) {
      return "is not a valid URL: " + e.getReason();
    }
  }
}
