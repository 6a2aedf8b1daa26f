package dev.greenlight.api;

/** One invalid input: the field (a JSON member, a query parameter or a header) and what is wrong with it. */
public record FieldError(String field, String detail) {}
