package dev.greenlight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.forecast.IntensityPoint;
import dev.greenlight.forecast.IntensitySeries;
import dev.greenlight.job.JobMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FluidOracleTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  /**
   * One GPU; two days at 100 g/kWh, then twelve clean hours at 10 g/kWh. A one-hour job arrives every hour of the
   * first 45, each due three hours later, and one six-minute job at hour 44 is due at hour 58: only that one can
   * reach the clean hours. The bound must charge the 45 hour-long jobs the dirty days' intensity. An oracle that
   * checked Hall's condition only on intervals up to twice the longest window (as it did until 2026-12-01) left
   * two GPU-hours of work in the clean hours, where no job could do it, and claimed 4,321 g against the 4,501 g possible.
   */
  @Test
  void theBoundChargesNoWorkToHoursThatNoWindowReaches() {
    List<IntensityPoint> points = new ArrayList<>();
    for (int h = 0; h < 60; h++) {
      points.add(new IntensityPoint(T0.plus(Duration.ofHours(h)), T0.plus(Duration.ofHours(h + 1)), h < 48 ? 100 : 10));
    }
    IntensitySeries trace = new IntensitySeries(points);
    List<SimJob> jobs = new ArrayList<>();
    for (int h = 0; h < 45; h++) {
      jobs.add(job(T0.plus(Duration.ofHours(h)), Duration.ofHours(3), 3600));
    }
    jobs.add(job(T0.plus(Duration.ofHours(44)), Duration.ofHours(14), 360));
    // every job draws 1 kW: 45 kWh at 100 g/kWh, 0.1 kWh at 10 g/kWh
    assertThat(FluidOracle.gramsG(jobs, trace, trace, 1, Duration.ofMinutes(15))).isCloseTo(45 * 100 + 0.1 * 10, within(1e-6));
  }

  /**
   * One GPU, a clean hour (100 g/kWh) then a dirty one (200); two hour-long jobs may each run in either: one draws
   * 1 kW, the other 0.5 kW. The best schedule gives the clean hour to the hungry job: 100 g + 100 g. Charging every
   * GPU-second the mean 0.75 kW (the bound until the fourth session of 2026-12-01) gives 225 g, above what that
   * schedule emits; with each job at its own power the bound is exactly 200 g.
   */
  @Test
  void theBoundChargesEachJobItsOwnPower() {
    IntensitySeries trace = new IntensitySeries(List.of(
        new IntensityPoint(T0, T0.plus(Duration.ofHours(1)), 100),
        new IntensityPoint(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(4)), 200)));
    List<SimJob> jobs = List.of(job(T0, Duration.ofHours(2), 3600, 1000), job(T0, Duration.ofHours(2), 3600, 500));
    double bestSchedule = 1.0 * 100 + 0.5 * 200;
    assertThat(FluidOracle.gramsG(jobs, trace, trace, 1, Duration.ofMinutes(15))).isCloseTo(bestSchedule, within(1e-6));
  }

  /**
   * One GPU; a clean hour (100 g/kWh) then two dirty ones (200, 300). A 1 kW job may run in the first two hours, a
   * 0.5 kW job only in the first, and a 0.8 kW job in any of the three. The best schedule: the 0.5 kW job in the clean
   * hour (it has no other), the 1 kW job in the second, the 0.8 kW job in the third: 50 + 200 + 240 = 490 g. The bound
   * layered by power (until 2026-12-03) took each layer's minimum alone, as if the hungrier jobs could have the clean
   * hour: 0.5 x 600 + 0.3 x 300 + 0.2 x 100 = 410 g, a valid bound but 80 g short of what is possible. The LP is 490 g.
   */
  @Test
  void theBoundIsTheOptimumWhenPowersCompeteForTheCleanHour() {
    IntensitySeries trace = new IntensitySeries(List.of(
        new IntensityPoint(T0, T0.plus(Duration.ofHours(1)), 100),
        new IntensityPoint(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), 200),
        new IntensityPoint(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(4)), 300)));
    List<SimJob> jobs = List.of(job(T0, Duration.ofHours(2), 3600, 1000), job(T0, Duration.ofHours(1), 3600, 500),
        job(T0, Duration.ofHours(3), 3600, 800));
    assertThat(FluidOracle.gramsG(jobs, trace, trace, 1, Duration.ofMinutes(15))).isCloseTo(50 + 200 + 240, within(1e-6));
  }

  private static SimJob job(Instant submit, Duration slack, double seconds) {
    return job(submit, slack, seconds, 1000);
  }

  private static SimJob job(Instant submit, Duration slack, double seconds, double watts) {
    return new SimJob(UUID.randomUUID(), submit, JobMode.OFFLINE, "240p", 2, 20, submit.plus(slack), List.of("r"), seconds * watts, seconds);
  }
}
