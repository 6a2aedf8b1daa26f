package dev.greenlight.footprint;

import dev.greenlight.config.GreenlightConfig;
import dev.greenlight.engine.EngineResult;
import dev.greenlight.engine.Phase;
import dev.greenlight.engine.PhaseReport;
import dev.greenlight.job.Job;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Computes a succeeded job's footprint on the completing transaction's connection: measured (or, for the profile
 * engine, estimated) energy per phase, the region's PUE, the actual intensity over the run (else the forecast, said
 * so), the embodied share for the device time used, and the counterfactual at the intensity of submission time.
 */
public final class FootprintRecorder {
  private final FootprintStore store;
  private final DeviceProfile device;
  private final GreenlightConfig.FootprintConfig config;

  public FootprintRecorder(FootprintStore store, DeviceProfile device, GreenlightConfig.FootprintConfig config) {
    this.store = store;
    this.device = device;
    this.config = config;
  }

  public Footprint record(Connection c, Job job, EngineResult result, Instant startedAt, Instant finishedAt) throws SQLException {
    double encode = phase(result, Phase.ENCODE);
    double denoise = phase(result, Phase.DENOISE);
    double decode = phase(result, Phase.DECODE);
    double mux = phase(result, Phase.MUX);
    double tGen = result.deviceSeconds();
    String region = job.region();
    FootprintStore.Intensity during = store.intensity(c, region, finishedAt.minusMillis((long) (tGen * 1000)), finishedAt);
    Instant submitted = job.createdAt();
    FootprintStore.Intensity atSubmit = store.intensity(c, region, submitted, submitted.plusMillis((long) (tGen * 1000)));
    Footprint f = new Footprint(job.id(), job.attempt(), region, result.energySource(), encode, denoise, decode, mux, tGen,
        config.pueFor(region), during.gPerKwh(), during.source(), atSubmit.gPerKwh(), device.device(), device.embodiedG(),
        device.lifeYears(), startedAt, finishedAt, submitted);
    store.insert(c, f);
    return f;
  }

  private static double phase(EngineResult r, Phase p) {
    return r.phases().stream().filter(x -> x.phase() == p).mapToDouble(PhaseReport::energyJ).sum();
  }
}
