package dev.greenlight.config;

/** A configuration value that cannot be used; the message is one line that names the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
