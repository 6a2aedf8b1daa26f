package dev.greenlight.telemetry;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the best sensor this machine has: for a GPU engine NVML if the driver answers; otherwise (and for CPU
 * engines) RAPL if readable, else the CPU-time estimate.
 */
public final class Sensors {
  private static final Logger LOG = LoggerFactory.getLogger(Sensors.class);

  private Sensors() {}

  public static PowerSensor forGpu(int index, double wattsPerCore, double idleWatts) {
    return NvmlSensor.open(index).<PowerSensor>map(n -> {
      LOG.info("power sensor: {}", n.name());
      return n;
    }).orElseGet(() -> forCpu(wattsPerCore, idleWatts));
  }

  public static PowerSensor forCpu(double wattsPerCore, double idleWatts) {
    PowerSensor s = RaplSensor.open(Path.of("/sys/class/powercap")).<PowerSensor>map(r -> r)
        .orElseGet(() -> new EstimatedCpuSensor(wattsPerCore, idleWatts));
    LOG.info("power sensor: {}", s.name());
    return s;
  }
}
