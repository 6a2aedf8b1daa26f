package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.config.ConfigException;
import dev.greenlight.config.ConfigLoader;
import dev.greenlight.config.GreenlightConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A torch node on the GPU gets one GPU per worker slot, or does not start. */
class GpuSlotsConfigTest {
  static GreenlightConfig torch(int slots) {
    return ConfigLoader.load(Map.of("GREENLIGHT_ENGINE", "torch", "GREENLIGHT_WORKER_SLOTS", String.valueOf(slots)));
  }

  @Test
  void moreSlotsThanGpusStopsTheStartNamingTheSetting() {
    assertThatThrownBy(() -> Node.gpuSlots(torch(2), null, Optional.of(1))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("GREENLIGHT_WORKER_SLOTS: the torch engine runs one job per GPU")
        .hasMessageContaining("worker slot 1 would run on GPU 1, but NVML sees 1");
    assertThatThrownBy(() -> Node.gpuSlots(torch(3), "0,1", Optional.empty())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CUDA_VISIBLE_DEVICES lists 2");
  }

  @Test
  void oneSlotPerGpuStarts() {
    assertThat(Node.gpuSlots(torch(2), "3,1", Optional.of(4)).gpuFor(1)).isEqualTo(1);
    assertThat(Node.gpuSlots(torch(2), null, Optional.of(8)).gpuFor(1)).isEqualTo(1);
    assertThat(Node.gpuSlots(torch(4), null, Optional.empty()).gpuFor(3)).as("no NVML here: the engine finds out").isEqualTo(3);
  }
}
