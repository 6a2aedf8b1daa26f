package dev.greenlight.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuSlotsTest {
  @Test
  void withoutVisibleDevicesSlotIRunsOnGpuI() {
    GpuSlots gpus = GpuSlots.fromVisibleDevices(null);
    assertThat(gpus.gpuFor(0)).isZero();
    assertThat(gpus.gpuFor(5)).isEqualTo(5);
    assertThat(GpuSlots.fromVisibleDevices(" ").gpuFor(2)).isEqualTo(2);
    assertThat(gpus.environment(5)).isEqualTo(Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID", "CUDA_VISIBLE_DEVICES", "5"));
  }

  @Test
  void theOperatorsVisibleDevicesAreHandedOutInOrder() {
    GpuSlots gpus = GpuSlots.fromVisibleDevices("6, 2");
    assertThat(gpus.gpuFor(0)).isEqualTo(6);
    assertThat(gpus.gpuFor(1)).isEqualTo(2);
    assertThatThrownBy(() -> gpus.gpuFor(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lists 2");
  }

  @Test
  void uuidsAreRefusedByName() {
    assertThatThrownBy(() -> GpuSlots.fromVisibleDevices("GPU-8a1b,GPU-22cc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("CUDA_VISIBLE_DEVICES: expected GPU indices");
  }
}
