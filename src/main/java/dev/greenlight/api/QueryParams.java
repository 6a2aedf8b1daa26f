package dev.greenlight.api;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Strict query-parameter reading that collects every bad parameter into one 400. */
final class QueryParams {
  private final RoutingContext ctx;
  private final List<FieldError> errors = new ArrayList<>();

  QueryParams(RoutingContext ctx, Set<String> known) {
    this.ctx = ctx;
    for (String name : ctx.queryParams().names()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(name, "unknown query parameter; allowed: " + String.join(", ", known.stream().sorted().toList())));
      } else if (ctx.queryParams().getAll(name).size() > 1) {
        errors.add(new FieldError(name, "must be given once"));
      }
    }
  }

  <T> T oneOf(String name, Function<String, T> parse, List<String> allowed) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return null;
    }
    if (!allowed.contains(v)) {
      errors.add(new FieldError(name, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'"));
      return null;
    }
    return parse.apply(v);
  }

  int integer(String name, int min, int max, int fallback) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        errors.add(new FieldError(name, "must be between " + min + " and " + max + ", got " + n));
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, "must be an integer, got '" + v + "'"));
      return fallback;
    }
  }

  UUID uuid(String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return null;
    }
    try {
      return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(name, "must be a cursor returned as next_cursor, got '" + v + "'"));
      return null;
    }
  }

  void done() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
