package dev.greenlight.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which GPU each worker slot runs on: one GPU per slot, slot {@code i} on the {@code i}-th GPU the node may use. That
 * is GPU {@code i} in PCI bus order, or the {@code i}-th entry of {@code CUDA_VISIBLE_DEVICES} when the operator set
 * it (indices only). The engine process of a slot sees only its GPU ({@link #environment}), and the slot's power
 * sensor reads the same GPU through NVML, whose indices are in PCI bus order too.
 */
public record GpuSlots(List<Integer> gpus) {
  /** Slot {@code i} on GPU {@code i}. */
  public static GpuSlots identity() {
    return new GpuSlots(null);
  }

  /**
   * From the node's {@code CUDA_VISIBLE_DEVICES} (null or blank: every GPU, slot i on GPU i).
   *
   * @throws IllegalArgumentException when it lists anything but GPU indices (UUIDs and MIG instances are not supported)
   */
  public static GpuSlots fromVisibleDevices(String visible) {
    if (visible == null || visible.isBlank()) {
      return identity();
    }
    List<Integer> gpus = new ArrayList<>();
    for (String part : visible.split(",")) {
      try {
        gpus.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("CUDA_VISIBLE_DEVICES: expected GPU indices separated by commas, got '" + visible + "'");
      }
    }
    return new GpuSlots(List.copyOf(gpus));
  }

  /** The GPU (PCI bus order, as NVML counts) of {@code slot}. */
  public int gpuFor(int slot) {
    if (gpus == null) {
      return slot;
    }
    if (slot >= gpus.size()) {
      throw new IllegalArgumentException("worker slot " + slot + " has no GPU: CUDA_VISIBLE_DEVICES lists " + gpus.size());
    }
    return gpus.get(slot);
  }

  /** The environment that confines a slot's engine process to its GPU. */
  public Map<String, String> environment(int slot) {
    return Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID", "CUDA_VISIBLE_DEVICES", String.valueOf(gpuFor(slot)));
  }
}
