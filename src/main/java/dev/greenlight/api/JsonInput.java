package dev.greenlight.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of a JSON object: each accessor checks type and range and records a {@link FieldError} instead
 * of throwing, so one response can name every bad field. {@link #done()} throws if any were found.
 */
final class JsonInput {
  private final JsonObject json;
  private final List<FieldError> errors = new ArrayList<>();

  JsonInput(JsonObject json, Set<String> known) {
    this.json = json;
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(name, "unknown field; allowed: " + String.join(", ", known.stream().sorted().toList())));
      }
    }
  }

  void fail(String field, String detail) {
    errors.add(new FieldError(field, detail));
  }

  boolean has(String field) {
    return json.containsKey(field) && json.getValue(field) != null;
  }

  String string(String field, int minLength, int maxLength, String fallback) {
    if (!has(field)) {
      return fallback;
    }
    Object v = json.getValue(field);
    if (!(v instanceof String s)) {
      fail(field, "must be a string");
      return fallback;
    }
    String problem = TextRules.problem(s, minLength, maxLength);
    if (problem != null) {
      fail(field, problem);
      return fallback;
    }
    return s;
  }

  Long integer(String field, long min, long max, Long fallback) {
    if (!has(field)) {
      return fallback;
    }
    Object v = json.getValue(field);
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)) {
      fail(field, "must be an integer");
      return fallback;
    }
    BigInteger n = v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      fail(field, "must be between " + min + " and " + max + ", got " + n);
      return fallback;
    }
    return n.longValue();
  }

  List<String> strings(String field, int maxItems, int maxLength) {
    if (!has(field)) {
      return List.of();
    }
    Object v = json.getValue(field);
    if (!(v instanceof JsonArray array)) {
      fail(field, "must be an array of strings");
      return List.of();
    }
    if (array.size() > maxItems) {
      fail(field, "must have at most " + maxItems + " items");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String problem = item instanceof String s ? TextRules.problem(s, 1, maxLength) : "must be a string";
      if (problem != null) {
        fail(field + "[" + i + "]", problem);
      } else if (!out.contains(item)) {
        out.add((String) item);
      }
    }
    return out;
  }

  void done() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  boolean ok() {
    return errors.isEmpty();
  }
}
