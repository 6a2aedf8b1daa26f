package dev.greenlight.forecast;

/** A provider could not give a usable forecast (down, refused, timed out, or answered garbage). */
public final class ForecastException extends Exception {
  public ForecastException(String message) {
    super(message);
  }

  public ForecastException(String message, Throwable cause) {
    super(message, cause);
  }
}
