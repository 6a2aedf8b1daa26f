package dev.greenlight.telemetry;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;

/**
 * NVIDIA GPU energy through NVML ({@code libnvidia-ml.so.1}, via JNA): {@code nvmlDeviceGetTotalEnergyConsumption},
 * millijoules since the driver loaded (Volta and newer), for the GPU of one worker slot.
 */
public final class NvmlSensor implements PowerSensor {
  /** The NVML functions used; NVML returns 0 (NVML_SUCCESS) on success. */
  public interface Nvml extends Library {
    int nvmlInit_v2();

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);
  }

  /**
   * The driver installs the versioned {@code libnvidia-ml.so.1} (found as pynvml finds it: the loader's cache and
   * LD_LIBRARY_PATH); the unversioned name exists only where the development files are installed.
   */
  private static final java.util.List<String> LIBRARIES = java.util.List.of("libnvidia-ml.so.1", "nvidia-ml");

  private final Nvml nvml;
  private final Pointer device;
  private final int index;

  private NvmlSensor(Nvml nvml, Pointer device, int index) {
    this.nvml = nvml;
    this.device = device;
    this.index = index;
  }

  /** How many GPUs NVML sees, if it loads. */
  public static Optional<Integer> deviceCount() {
    return Driver.NVML.flatMap(nvml -> {
      IntByReference count = new IntByReference();
      return nvml.nvmlDeviceGetCount_v2(count) == 0 ? Optional.of(count.getValue()) : Optional.<Integer>empty();
    });
  }

  /** The sensor for GPU {@code index} (NVML's index: PCI bus order), if NVML loads and the GPU reports energy. */
  public static Optional<NvmlSensor> open(int index) {
    return Driver.NVML.flatMap(nvml -> {
      PointerByReference handle = new PointerByReference();
      if (nvml.nvmlDeviceGetHandleByIndex_v2(index, handle) != 0) {
        return Optional.empty();
      }
      LongByReference mj = new LongByReference();
      return nvml.nvmlDeviceGetTotalEnergyConsumption(handle.getValue(), mj) == 0
          ? Optional.of(new NvmlSensor(nvml, handle.getValue(), index)) : Optional.empty();
    });
  }

  /** The driver's NVML, loaded and initialised once, on first use: the first of {@link #LIBRARIES} that answers. */
  private static final class Driver {
    static final Optional<Nvml> NVML = load();

    private static Optional<Nvml> load() {
      for (String library : LIBRARIES) {
        try {
          Nvml nvml = Native.load(library, Nvml.class);
          if (nvml.nvmlInit_v2() == 0) {
            return Optional.of(nvml);
          }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
          // no NVIDIA driver under this name
        }
      }
      return Optional.empty();
    }
  }

  @Override
  public String name() {
    return "nvml:" + index;
  }

  @Override
  public double readJoules() {
    LongByReference mj = new LongByReference();
    int rc = nvml.nvmlDeviceGetTotalEnergyConsumption(device, mj);
    if (rc != 0) {
      throw new IllegalStateException("nvmlDeviceGetTotalEnergyConsumption failed with NVML error " + rc);
    }
    return mj.getValue() / 1000.0;
  }

  /** The driver moves the total-energy counter in steps, every 100 ms on an H100 (docs/benchmarks.md). */
  @Override
  public boolean updatesInSteps() {
    return true;
  }

  /** Instantaneous board power in W. */
  public double powerW() {
    IntByReference mw = new IntByReference();
    return nvml.nvmlDeviceGetPowerUsage(device, mw) == 0 ? mw.getValue() / 1000.0 : Double.NaN;
  }
}
