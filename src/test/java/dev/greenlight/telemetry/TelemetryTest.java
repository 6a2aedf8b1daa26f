package dev.greenlight.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.greenlight.engine.Boundary;
import dev.greenlight.engine.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TelemetryTest {
  @Test
  void raplSumsPackagesAndUnwrapsCounters() throws Exception {
    Path root = Files.createTempDirectory("powercap");
    Path p0 = Files.createDirectories(root.resolve("intel-rapl:0"));
    Path p1 = Files.createDirectories(root.resolve("intel-rapl:1"));
    Files.createDirectories(root.resolve("intel-rapl:0:0")); // a sub-domain (core): not summed
    Files.writeString(p0.resolve("max_energy_range_uj"), "1000000\n");
    Files.writeString(p1.resolve("max_energy_range_uj"), "1000000\n");
    Files.writeString(p0.resolve("energy_uj"), "999000\n");
    Files.writeString(p1.resolve("energy_uj"), "100\n");
    RaplSensor rapl = RaplSensor.open(root).orElseThrow();
    assertThat(rapl.name()).isEqualTo("rapl");
    double start = rapl.readJoules();
    Files.writeString(p0.resolve("energy_uj"), "3000\n"); // wrapped: +4,000 uJ
    Files.writeString(p1.resolve("energy_uj"), "500100\n"); // +500,000 uJ
    assertThat(rapl.readJoules() - start).isCloseTo(0.504, within(1e-9));
    assertThat(RaplSensor.open(root.resolve("missing"))).isEmpty();
  }

  @Test
  void nvmlIsAbsentWithoutAnNvidiaDriverAndTheChoiceFallsBack() {
    // this machine has no libnvidia-ml: opening must say so, not throw
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(Path.of("/proc/driver/nvidia")));
    assertThat(NvmlSensor.open(0)).isEmpty();
    assertThat(Sensors.forGpu(0, 10, 1).name()).isIn("rapl", "estimated:cpu-time");
  }

  @Test
  void estimatedSensorGrowsWithCpuWorkAndSaysItIsAnEstimate() {
    EstimatedCpuSensor s = new EstimatedCpuSensor(10, 0);
    assertThat(s.name()).isEqualTo("estimated:cpu-time");
    double a = s.readJoules();
    double x = 0;
    for (int i = 0; i < 20_000_000; i++) {
      x += Math.sqrt(i);
    }
    assertThat(x).isPositive();
    assertThat(s.readJoules()).isGreaterThan(a);
  }

  @Test
  void meterAttributesEnergyToPhasesAtTheirBoundaries() {
    AtomicReference<Double> joules = new AtomicReference<>(100.0);
    PowerSensor fake = sensor("fake", joules::get, false);
    JobMeter m = new JobMeter(fake, 10_000);
    m.start();
    m.at(Boundary.start(Phase.ENCODE));
    joules.set(110.0);
    m.at(Boundary.step(1, 2));
    joules.set(150.0);
    m.at(Boundary.step(2, 2)); // same phase: not split
    joules.set(190.0);
    m.at(Boundary.start(Phase.DECODE));
    joules.set(195.0);
    m.at(Boundary.start(Phase.MUX));
    joules.set(196.0);
    PhaseEnergy e = m.stop();
    assertThat(e.sensor()).isEqualTo("fake");
    assertThat(e.joules().get(Phase.ENCODE)).isEqualTo(10.0);
    assertThat(e.joules().get(Phase.DENOISE)).isEqualTo(80.0);
    assertThat(e.joules().get(Phase.DECODE)).isEqualTo(5.0);
    assertThat(e.joules().get(Phase.MUX)).isEqualTo(1.0);
    assertThat(e.totalJ()).isEqualTo(96.0);
  }

  @Test
  void energyCurveInterpolatesWithinASteppedCountersSteps() {
    EnergyCurve c = new EnergyCurve();
    c.observe(1_000, 10.0);
    c.observe(1_500, 10.0); // no step: not kept
    c.observe(2_000, 20.0);
    c.observe(4_000, 60.0);
    assertThat(c.steps()).isEqualTo(3);
    assertThat(c.at(500)).isEqualTo(10.0);
    assertThat(c.at(1_500)).isEqualTo(15.0);
    assertThat(c.at(3_000)).isEqualTo(40.0);
    assertThat(c.at(9_000)).isEqualTo(60.0);
    assertThat(c.lastStepNs()).isEqualTo(4_000);
    assertThat(c.peakW(0, 10_000)).isEqualTo(40.0 / 2e-6);
  }

  @Test
  void meterSharesASteppedCountersStepsAmongPhasesShorterThanAStep() throws Exception {
    // a counter like NVML's: it moves every 50 ms, to the energy a steady 1000 W has used up to that step
    long origin = System.nanoTime();
    PowerSensor stepped = sensor("stepped", () -> (System.nanoTime() - origin) / 50_000_000L * 50.0, true);
    JobMeter m = new JobMeter(stepped, 100);
    m.start();
    m.at(Boundary.start(Phase.ENCODE));
    Thread.sleep(30);
    m.at(Boundary.step(1, 1));
    Thread.sleep(300);
    m.at(Boundary.start(Phase.DECODE));
    Thread.sleep(40);
    PhaseEnergy e = m.stop();
    for (Phase p : java.util.List.of(Phase.ENCODE, Phase.DENOISE, Phase.DECODE)) {
      double truth = 1000 * e.seconds().get(p); // 1000 W over the phase's measured time
      assertThat(e.joules().get(p)).as(p.wire()).isCloseTo(truth, org.assertj.core.data.Offset.offset(15.0));
    }
    assertThat(e.sensor()).isEqualTo("stepped");
    assertThat(e.peakW()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(300.0));
  }

  private static PowerSensor sensor(String name, java.util.function.DoubleSupplier joules, boolean stepped) {
    return new PowerSensor() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double readJoules() {
        return joules.getAsDouble();
      }

      @Override
      public boolean updatesInSteps() {
        return stepped;
      }
    };
  }
}
