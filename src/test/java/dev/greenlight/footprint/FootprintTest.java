package dev.greenlight.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The footprint formula (HotCarbon'24 Eq. 1) and the shipped device profiles. */
class FootprintTest {
  @Test
  void operationalPlusEmbodiedAndTheCounterfactual() {
    Instant t = Instant.parse("2026-11-26T12:00:00Z");
    // 4.8 kJ (the study's 240p 2 s video at 100 steps) in 7.7 s on an H100, at 200 g/kWh, PUE 1.2; 300 g/kWh at submit
    Footprint f = new Footprint(UUID.randomUUID(), 1, "es", "estimated:profile", 4, 4700, 96, 0, 7.7, 1.2, 200.0, "actual",
        300.0, "h100", 462_500, 5, t, t.plusSeconds(8), t.minusSeconds(3600));
    double kwh = 4800 / 3.6e6;
    assertThat(f.energyJ()).isEqualTo(4800);
    assertThat(f.operationalG()).isCloseTo(kwh * 1.2 * 200, within(1e-12));
    assertThat(f.embodiedG()).isCloseTo(7.7 / (5 * 365.25 * 86400) * 462_500, within(1e-12));
    assertThat(f.totalG()).isCloseTo(f.operationalG() + f.embodiedG(), within(1e-12));
    assertThat(f.runNowG()).isCloseTo(kwh * 1.2 * 300 + f.embodiedG(), within(1e-12));
    assertThat(f.savedG()).isCloseTo(kwh * 1.2 * 100, within(1e-12));
    // the study's observation: embodied is a small share on a dirty grid
    assertThat(f.embodiedG() / f.totalG()).isBetween(0.05, 0.15);
  }

  @Test
  void unknownIntensityLeavesOperationalFiguresOut() {
    Instant t = Instant.now();
    Footprint f = new Footprint(UUID.randomUUID(), 1, "x", "estimated:profile", 1, 2, 3, 0, 1, 1.2, null, "unavailable", null,
        "cpu", 78_125, 5, t, t, t);
    assertThat(f.operationalG()).isNull();
    assertThat(f.totalG()).isNull();
    assertThat(f.savedG()).isNull();
    assertThat(f.embodiedG()).isPositive();
  }

  @Test
  void shippedDeviceProfilesLoad() {
    assertThat(DeviceProfile.load("h100")).isEqualTo(new DeviceProfile("h100", 462_500, 5));
    assertThat(DeviceProfile.load("a100").embodiedG()).isEqualTo(462_500);
    assertThat(DeviceProfile.load("cpu").embodiedG()).isEqualTo(78_125);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceProfile.load("tpu")).hasMessageContaining("no device profile");
  }
}
