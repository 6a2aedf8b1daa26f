package dev.greenlight.api;

import dev.greenlight.account.Caller;
import dev.greenlight.artifact.Artifacts;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/jobs/{id}/artifact} streams a succeeded job's video (with single-range requests, so players can
 * seek) and {@code GET /api/v1/jobs/{id}/poster} its poster frame; only the owner or an admin may read them.
 */
final class ArtifactHandler {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private final ApiServices api;

  ArtifactHandler(ApiServices api) {
    this.api = api;
  }

  void video(RoutingContext ctx) {
    serve(ctx, false);
  }

  void poster(RoutingContext ctx) {
    serve(ctx, true);
  }

  private void serve(RoutingContext ctx, boolean poster) {
    Caller caller = Authentication.caller(ctx);
    UUID id = JobsHandler.jobId(ctx);
    api.db().run(() -> api.artifacts().find(id, caller.isAdmin() ? null : caller.accountId())).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Optional<Artifacts.Artifact> a = ar.result();
      if (a.isEmpty() || (poster && a.get().posterFile() == null)) {
        Problem.notFound(ctx, "job " + id + " has no " + (poster ? "poster" : "video") + " (not yours, not finished, or made by an engine that writes none)");
        return;
      }
      Path file = api.artifacts().store().locate(id, poster ? a.get().posterFile() : a.get().fileName());
      if (poster) {
        ctx.response().putHeader("Content-Type", "image/png").putHeader("Cache-Control", "private, max-age=86400").sendFile(file.toString());
        return;
      }
      long size = a.get().bytes();
      ctx.response().putHeader("Content-Type", a.get().contentType()).putHeader("Accept-Ranges", "bytes")
          .putHeader("ETag", "\"" + a.get().sha256() + "\"").putHeader("Cache-Control", "private, max-age=86400");
      String range = ctx.request().getHeader("Range");
      Matcher m = range == null ? null : RANGE.matcher(range.trim());
      if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        ctx.response().sendFile(file.toString());
        return;
      }
      long start;
      long end;
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(m.group(1));
        end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      }
      if (start >= size || start > end) {
        ctx.response().putHeader("Content-Range", "bytes */" + size);
        Problem.send(ctx, 416, "about:blank", "Range Not Satisfiable", "the file has " + size + " bytes; asked for " + range);
        return;
      }
      ctx.response().setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size)
          .sendFile(file.toString(), start, end - start + 1);
    });
  }
}
