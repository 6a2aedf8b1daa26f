package dev.greenlight.testing;

import dev.greenlight.config.ConfigLoader;
import dev.greenlight.config.GreenlightConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Node configurations for tests: the shipped defaults plus overrides, as environment variables would give them. */
public final class TestConfigs {
  private TestConfigs() {}

  public static Map<String, String> env(TestDatabase db) {
    Map<String, String> env = new HashMap<>();
    env.put("GREENLIGHT_DB_URL", db.url());
    env.put("GREENLIGHT_DB_USER", db.user());
    env.put("GREENLIGHT_DB_POOL_SIZE", "8");
    env.put("GREENLIGHT_HTTP_PORT", "0");
    env.put("GREENLIGHT_HTTP_HOST", "127.0.0.1");
    env.put("GREENLIGHT_ADMIN_KEY", "test-admin-key-0123456789");
    env.put("GREENLIGHT_ENGINE", "profile");
    env.put("GREENLIGHT_CREDITS_INITIAL_BALANCE", "1000000");
    env.put("GREENLIGHT_PROFILE_TIME_SCALE", "0");
    env.put("GREENLIGHT_QUEUE_POLL_INTERVAL_MS", "200");
    env.put("GREENLIGHT_QUEUE_HEARTBEAT_INTERVAL_MS", "200");
    env.put("GREENLIGHT_QUEUE_MAINTENANCE_INTERVAL_MS", "200");
    env.put("GREENLIGHT_QUEUE_BACKOFF_BASE_MS", "50");
    try {
      env.put("GREENLIGHT_DATA_DIR", Files.createTempDirectory("greenlight-test").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  public static GreenlightConfig config(Map<String, String> env) {
    return ConfigLoader.load(env);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, String> with(Map<String, String> env, String... pairs) {
    Map<String, String> out = new HashMap<>(env);
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
