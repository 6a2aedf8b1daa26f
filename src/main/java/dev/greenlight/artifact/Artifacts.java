package dev.greenlight.artifact;

import dev.greenlight.db.Database;
import dev.greenlight.db.SqlFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** Records a job's files at completion (size, SHA-256, type) and finds them for download, for their owner only. */
public final class Artifacts {
  private static final SqlFile SQL = SqlFile.of(Artifacts.class, "artifacts.sql");
  private final Database db;
  private final ArtifactStore store;

  public Artifacts(Database db, ArtifactStore store) {
    this.db = db;
    this.store = store;
  }

  public ArtifactStore store() {
    return store;
  }

  /** A stored video and its poster. */
  public record Artifact(String fileName, String contentType, long bytes, String sha256, String posterFile) {}

  public void record(Connection c, UUID jobId, Path video, Instant now) throws SQLException {
    String name = video.getFileName().toString();
    String type = name.endsWith(".mp4") ? "video/mp4" : name.endsWith(".gif") ? "image/gif" : "application/octet-stream";
    Path poster = video.resolveSibling("poster.png");
    try (PreparedStatement ps = SQL.get("insert_artifact").prepare(c, "job_id", jobId, "file_name", name, "content_type", type,
        "bytes", Files.size(video), "sha256", sha256(video), "poster_file", Files.exists(poster) ? "poster.png" : null, "now", now)) {
      ps.executeUpdate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Artifact> find(UUID jobId, UUID accountId) {
    return db.withConnection(c -> {
      try (PreparedStatement ps = SQL.get("get_artifact").prepare(c, "job_id", jobId, "account_id", accountId); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Artifact(rs.getString("file_name"), rs.getString("content_type"), rs.getLong("bytes"),
            rs.getString("sha256"), rs.getString("poster_file")));
      }
    });
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
