package dev.greenlight.engine.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.EngineRequest;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.JobCancelledException;
import dev.greenlight.engine.Phase;
import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pure-Java pipeline: its phases, its output files, its determinism and its cancellation. */
class ReferenceEngineTest {
  static final ReferenceEngine.Settings SMALL = new ReferenceEngine.Settings(32, 1, 4, 1, 4.0, 7L, "gif");
  final ReferenceEngine engine = new ReferenceEngine(SMALL);

  EngineResult run(String prompt, long seed, Path dir, List<Boundary> seen) throws Exception {
    return engine.run(new EngineRequest(UUID.randomUUID(), 1, prompt, VideoShape.of(Resolution.P144, 1, 8, 3), 8, seed, dir), seen::add);
  }

  @Test
  void runsEveryPhaseAndWritesAPlayableVideoAndPoster() throws Exception {
    Path dir = Files.createTempDirectory("ref");
    List<Boundary> seen = new ArrayList<>();
    EngineResult r = run("a red fox in snow", 1, dir, seen);
    assertThat(seen).containsExactly(Boundary.start(Phase.ENCODE), Boundary.step(1, 3), Boundary.step(2, 3), Boundary.step(3, 3),
        Boundary.start(Phase.DECODE), Boundary.start(Phase.MUX));
    assertThat(r.phases()).extracting(p -> p.phase()).containsExactly(Phase.ENCODE, Phase.DENOISE, Phase.DECODE, Phase.MUX);
    assertThat(r.video()).isEqualTo(dir.resolve("video.gif"));
    byte[] gif = Files.readAllBytes(r.video());
    assertThat(new String(gif, 0, 6)).isEqualTo("GIF89a");
    assertThat(new String(gif, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("NETSCAPE2.0");
    var reader = ImageIO.getImageReadersByFormatName("gif").next();
    reader.setInput(ImageIO.createImageInputStream(r.video().toFile()));
    assertThat(reader.getNumImages(true)).isEqualTo(8); // 1 s at 8 fps
    BufferedImage poster = ImageIO.read(dir.resolve("poster.png").toFile());
    assertThat(poster.getWidth()).isEqualTo(256);
    assertThat(poster.getHeight()).isEqualTo(144);
    assertThat(r.deviceSeconds()).isPositive();
  }

  @Test
  void sameSeedSameVideoOtherPromptOtherVideo() throws Exception {
    Path a = Files.createTempDirectory("ref-a");
    Path b = Files.createTempDirectory("ref-b");
    Path c = Files.createTempDirectory("ref-c");
    run("a lighthouse", 42, a, new ArrayList<>());
    run("a lighthouse", 42, b, new ArrayList<>());
    run("a forest", 42, c, new ArrayList<>());
    assertThat(Files.readAllBytes(a.resolve("video.gif"))).isEqualTo(Files.readAllBytes(b.resolve("video.gif")));
    assertThat(Files.readAllBytes(a.resolve("video.gif"))).isNotEqualTo(Files.readAllBytes(c.resolve("video.gif")));
  }

  @Test
  void stopsAtTheStepBoundaryWhereCancelIsSeen() throws Exception {
    Path dir = Files.createTempDirectory("ref-cancel");
    List<Boundary> seen = new ArrayList<>();
    assertThrows(JobCancelledException.class, () -> engine.run(new EngineRequest(UUID.randomUUID(), 1, "x",
        VideoShape.of(Resolution.P144, 1, 8, 10), 8, 1L, dir), b -> {
          seen.add(b);
          if (b.equals(Boundary.step(2, 10))) {
            throw new JobCancelledException();
          }
        }));
    assertThat(seen.getLast()).isEqualTo(Boundary.step(2, 10));
    assertThat(Files.exists(dir.resolve("video.gif"))).isFalse();
  }
}
