package dev.greenlight.footprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Embodied carbon of one worker slot's device and its service life, from {@code workers/profiles/<device>.yaml}. */
public record DeviceProfile(String device, double embodiedG, double lifeYears) {

  /** Reads {@code workers/profiles/<device>.yaml} from disk if present, else the copy packaged in the jar. */
  public static DeviceProfile load(String device) {
    Path onDisk = Path.of("workers/profiles", device + ".yaml");
    try (InputStream in = Files.isRegularFile(onDisk) ? Files.newInputStream(onDisk)
        : DeviceProfile.class.getClassLoader().getResourceAsStream("profiles/" + device + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException("no device profile workers/profiles/" + device + ".yaml");
      }
      Map<String, Object> y = new Yaml().load(in);
      double embodied = ((Number) y.get("embodied_g")).doubleValue();
      double life = ((Number) y.get("life_years")).doubleValue();
      if (!(embodied >= 0) || !(life > 0)) {
        throw new IllegalArgumentException("device profile " + device + ": embodied_g must be >= 0 and life_years > 0");
      }
      return new DeviceProfile(device, embodied, life);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("device profile " + device + ": needs numbers embodied_g and life_years", e);
    }
  }

  public double lifeSeconds() {
    return lifeYears * 365.25 * 86400;
  }
}
