package dev.greenlight.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedSensorTest {
  @Test
  void jobsRunningSideBySideSplitWhatTheSensorCounts() {
    AtomicReference<Double> joules = new AtomicReference<>(1000.0);
    PowerSensor cpu = new PowerSensor() {
      @Override
      public String name() {
        return "estimated:cpu-time";
      }

      @Override
      public double readJoules() {
        return joules.get();
      }
    };
    SharedSensor shared = new SharedSensor(cpu);
    joules.set(1050.0); // nothing runs: nobody's
    SharedSensor.Share a = shared.join();
    double a0 = a.readJoules();
    joules.set(1060.0); // a alone: 10 J to a
    SharedSensor.Share b = shared.join();
    double b0 = b.readJoules();
    joules.set(1080.0); // side by side: 10 J each
    assertThat(a.readJoules() - a0).isCloseTo(20.0, within(1e-9));
    assertThat(b.readJoules() - b0).isCloseTo(10.0, within(1e-9));
    a.close();
    a.close(); // a second close changes nothing
    joules.set(1110.0); // b alone: 30 J to b
    assertThat(b.readJoules() - b0).isCloseTo(40.0, within(1e-9));
    b.close();
    assertThat(b.name()).isEqualTo("estimated:cpu-time");
  }

  @Test
  void theCpuEstimateCountsTheProcessesThisOneStarted() throws Exception {
    EstimatedCpuSensor s = new EstimatedCpuSensor(10, 0);
    double before = s.readJoules();
    // a child that does a fixed amount of work (about 0.3 s of CPU here, however busy the machine: a loop timed by the
    // wall clock got less than 0.2 s of CPU when the machine's two cores were loaded), while this process waits for it
    Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done").start();
    child.waitFor();
    double after = s.readJoules();
    assertThat(after - before).as("at least 0.2 s of the child's CPU at 10 W per core").isGreaterThan(2.0);
    assertThat(s.readJoules()).as("the child has exited: what it used still counts").isGreaterThanOrEqualTo(after);
  }
}
