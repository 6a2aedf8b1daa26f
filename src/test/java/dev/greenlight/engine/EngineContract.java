package dev.greenlight.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.greenlight.job.Resolution;
import dev.greenlight.job.VideoShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every engine that makes videos must do; each engine's test extends this with its own instance. */
public abstract class EngineContract {
  protected abstract Engine engine();

  EngineRequest request(int steps, Path dir) {
    return new EngineRequest(UUID.randomUUID(), 1, "a lighthouse at dusk", VideoShape.of(Resolution.P144, 1, 8, steps), 8, 5L, dir);
  }

  @Test
  void reportsEveryBoundaryInOrderAndWritesAVideo() throws Exception {
    Path dir = Files.createTempDirectory("contract");
    List<Boundary> seen = new ArrayList<>();
    EngineResult r = engine().run(request(3, dir), seen::add);
    assertThat(seen).containsExactly(Boundary.start(Phase.ENCODE), Boundary.step(1, 3), Boundary.step(2, 3), Boundary.step(3, 3),
        Boundary.start(Phase.DECODE), Boundary.start(Phase.MUX));
    assertThat(r.phases()).extracting(PhaseReport::phase).containsExactly(Phase.ENCODE, Phase.DENOISE, Phase.DECODE, Phase.MUX);
    assertThat(r.phases()).allSatisfy(p -> assertThat(p.wallS()).isGreaterThanOrEqualTo(0));
    assertThat(r.video()).isNotNull();
    assertThat(Files.size(r.video())).isPositive();
    assertThat(r.video().getParent()).isEqualTo(dir);
    assertThat(r.engine()).isEqualTo(engine().name());
  }

  @Test
  void stopsAtTheBoundaryWhereItIsCancelledAndStaysUsable() throws Exception {
    Path dir = Files.createTempDirectory("contract-cancel");
    List<Boundary> seen = new ArrayList<>();
    assertThrows(JobCancelledException.class, () -> engine().run(request(6, dir), b -> {
      seen.add(b);
      if (b.equals(Boundary.step(2, 6))) {
        throw new JobCancelledException();
      }
    }));
    assertThat(seen.getLast()).isEqualTo(Boundary.step(2, 6));
    EngineResult again = engine().run(request(2, Files.createTempDirectory("contract-again")), b -> { });
    assertThat(again.video()).exists();
  }
}
