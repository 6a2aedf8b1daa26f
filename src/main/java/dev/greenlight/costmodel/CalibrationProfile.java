package dev.greenlight.costmodel;

import dev.greenlight.job.Resolution;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A measured device profile: seconds and joules of the encode phase (once per video), one denoising step and the
 * decode phase, each as a curve over latent tokens. Read from the calibration JSON format of
 * {@code workers/profiles/}.
 */
public record CalibrationProfile(String device, PhaseCost encode, TokenCurve denoiseStep, TokenCurve decode) {

  public static final String PACKAGED = "profiles/h100-opensora-v1.1-shape.json";

  /** Cost of a phase that does not depend on the video's size. */
  public record PhaseCost(double seconds, double joules) {}

  public static CalibrationProfile packaged() {
    try (InputStream in = CalibrationProfile.class.getClassLoader().getResourceAsStream(PACKAGED)) {
      if (in == null) {
        throw new IllegalStateException("missing packaged profile " + PACKAGED);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CalibrationProfile fromFile(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profile " + file, e);
    }
  }

  public static CalibrationProfile parse(String json) {
    JsonObject root = new JsonObject(json);
    String device = root.getJsonObject("info", new JsonObject()).getString("gpu", "unknown device");
    JsonArray rows = root.getJsonArray("rows");
    PhaseCost encode = null;
    List<TokenCurve.Point> steps = new ArrayList<>();
    List<TokenCurve.Point> decodes = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      double s = row.getDouble("s");
      double j = row.getDouble("J");
      switch (row.getString("phase")) {
        case "encode" -> encode = new PhaseCost(s, j);
        case "denoise_step" -> steps.add(new TokenCurve.Point(tokens(row), s, j));
        case "decode" -> decodes.add(new TokenCurve.Point(tokens(row), s, j));
        default -> { /* other phases are not part of the cost model */ }
      }
    }
    if (encode == null || steps.isEmpty() || decodes.isEmpty()) {
      throw new IllegalArgumentException("profile needs encode, denoise_step and decode rows");
    }
    return new CalibrationProfile(device, encode, TokenCurve.of(steps), TokenCurve.of(decodes));
  }

  private static double tokens(JsonObject row) {
    if (row.containsKey("tokens")) {
      return row.getDouble("tokens");
    }
    Resolution res = Resolution.fromWire(row.getString("res"))
        .orElseThrow(() -> new IllegalArgumentException("unknown resolution " + row.getString("res")));
    return new dev.greenlight.job.VideoShape(res, row.getInteger("frames"), 1).latentTokens();
  }
}
