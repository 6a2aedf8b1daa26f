package dev.greenlight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @Test
  void shippedDefaults() {
    GreenlightConfig c = ConfigLoader.load(Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.db().embedded()).isTrue();
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.adminKey()).isEmpty();
    assertThat(c.engine()).isEqualTo("reference");
    assertThat(c.profile().timeScale()).isEqualTo(1.0);
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.worker().region()).isEqualTo("es");
    assertThat(c.jobs().defaultSteps()).isEqualTo(50);
  }

  @Test
  void environmentOverridesEveryKey() {
    GreenlightConfig c = ConfigLoader.load(Map.of(
        "GREENLIGHT_HTTP_PORT", "9090",
        "GREENLIGHT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/gl",
        "GREENLIGHT_DATA_DIR", "/tmp/gl",
        "GREENLIGHT_ADMIN_KEY", "0123456789abcdef0123",
        "GREENLIGHT_WORKER_SLOTS", "3",
        "GREENLIGHT_REGIONS", "de,gb",
        "GREENLIGHT_WORKER_REGION", "gb",
        "GREENLIGHT_PROFILE_TIME_SCALE", "0",
        "GREENLIGHT_CLUSTER", "true",
        "GREENLIGHT_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702"));
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.db().embedded()).isFalse();
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/gl"));
    assertThat(c.adminKey()).contains("0123456789abcdef0123");
    assertThat(c.worker().slots()).isEqualTo(3);
    assertThat(c.regions()).containsExactly("de", "gb");
    assertThat(c.worker().region()).isEqualTo("gb");
    assertThat(c.profile().timeScale()).isZero();
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GREENLIGHT_HTTP_PORT|eighty|GREENLIGHT_HTTP_PORT: expected a whole number",
      "GREENLIGHT_HTTP_PORT|70000|GREENLIGHT_HTTP_PORT: 70000 is out of range",
      "GREENLIGHT_WORKER_SLOTS|-1|GREENLIGHT_WORKER_SLOTS",
      "GREENLIGHT_PROFILE_TIME_SCALE|fast|GREENLIGHT_PROFILE_TIME_SCALE: expected a number",
      "GREENLIGHT_PROFILE_TIME_SCALE|-1|GREENLIGHT_PROFILE_TIME_SCALE",
      "GREENLIGHT_CLUSTER|maybe|GREENLIGHT_CLUSTER: expected true or false",
      "GREENLIGHT_ENGINE|magic|GREENLIGHT_ENGINE: 'magic' is not a known engine",
      "GREENLIGHT_REFERENCE_WIDTH|30|GREENLIGHT_REFERENCE_WIDTH: must be a multiple of 4",
      "GREENLIGHT_REFERENCE_VIDEO_FORMAT|avi|GREENLIGHT_REFERENCE_VIDEO_FORMAT: expected auto, mp4 or gif",
      "GREENLIGHT_TORCH_DEVICE|cuda:1|GREENLIGHT_TORCH_DEVICE: expected cuda, cpu or empty",
      "GREENLIGHT_WORKER_REGION|mars|GREENLIGHT_WORKER_REGION: 'mars' is not one of",
      "GREENLIGHT_DB_URL|mysql://x|GREENLIGHT_DB_URL",
      "GREENLIGHT_ADMIN_KEY|short|GREENLIGHT_ADMIN_KEY",
      "GREENLIGHT_DATA_DIR|' '|GREENLIGHT_DATA_DIR: must not be empty",
      "GREENLIGHT_CONFIG|/nonexistent/greenlight.yaml|GREENLIGHT_CONFIG: no such file"})
  void badValueNamesItsKeyInOneLine(String key, String value, String message) {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
