package dev.greenlight.forecast;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/** Strict reading of provider answers: a wrong shape is a {@link ForecastException} naming what was expected. */
final class JsonShapes {
  /** ISO-8601 with an offset; seconds optional (the UK API writes 2020-05-24T20:30Z). */
  private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T').appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalStart()
      .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
      .appendOffset("+HH:MM", "Z").toFormatter();

  private JsonShapes() {}

  static JsonObject object(String provider, Object v, String what) throws ForecastException {
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new ForecastException(provider + ": expected " + what + " to be an object");
  }

  static JsonArray array(String provider, Object v, String what) throws ForecastException {
    if (v instanceof JsonArray a) {
      return a;
    }
    throw new ForecastException(provider + ": expected " + what + " to be an array");
  }

  static double number(String provider, JsonObject o, String field) throws ForecastException {
    Object v = o.getValue(field);
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new ForecastException(provider + ": expected '" + field + "' to be a number, got " + v);
  }

  static Instant time(String provider, JsonObject o, String field) throws ForecastException {
    Object v = o.getValue(field);
    if (!(v instanceof String s)) {
      throw new ForecastException(provider + ": expected '" + field + "' to be a time, got " + v);
    }
    try {
      return OffsetDateTime.parse(s, ISO).toInstant();
    } catch (DateTimeParseException e) {
      throw new ForecastException(provider + ": '" + field + "' is not an ISO-8601 time: " + s);
    }
  }
}
