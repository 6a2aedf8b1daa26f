package dev.greenlight.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  @Test
  void doublesPerAttemptWithJitterInTheUpperHalfAndACap() {
    ExponentialBackoff low = new ExponentialBackoff(1000, 30_000, () -> 0.0);
    ExponentialBackoff high = new ExponentialBackoff(1000, 30_000, () -> 1.0);
    assertThat(low.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(high.delayAfter(1)).isEqualTo(Duration.ofMillis(1000));
    assertThat(high.delayAfter(2)).isEqualTo(Duration.ofMillis(2000));
    assertThat(high.delayAfter(4)).isEqualTo(Duration.ofMillis(8000));
    assertThat(high.delayAfter(10)).isEqualTo(Duration.ofMillis(30_000));
    assertThat(low.delayAfter(10)).isEqualTo(Duration.ofMillis(15_000));
    assertThat(high.delayAfter(200)).isEqualTo(Duration.ofMillis(30_000)); // no overflow
  }
}
