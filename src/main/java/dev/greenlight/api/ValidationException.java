package dev.greenlight.api;

import java.util.List;

/** Input that breaks the API's rules; answered with 400 and every offending field. */
public final class ValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.isEmpty() ? "invalid request" : errors.getFirst().field() + ": " + errors.getFirst().detail(), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String field, String detail) {
    return new ValidationException(List.of(new FieldError(field, detail)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
