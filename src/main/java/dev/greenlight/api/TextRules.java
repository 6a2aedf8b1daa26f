package dev.greenlight.api;

/**
 * What any text the API stores must satisfy: a length in Unicode code points, well-formed UTF-16 (no lone
 * surrogates) and no NUL, which PostgreSQL text cannot hold.
 */
final class TextRules {
  private TextRules() {}

  /** Null when {@code s} is acceptable, else what is wrong with it. */
  static String problem(String s, int minLength, int maxLength) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return "must not contain NUL characters";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return "contains an unpaired surrogate (not valid Unicode)";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "contains an unpaired surrogate (not valid Unicode)";
      }
    }
    int length = s.codePointCount(0, s.length());
    if (length < minLength || length > maxLength) {
      return minLength == maxLength ? "must be " + minLength + " characters"
          : "must be " + minLength + " to " + maxLength + " characters, got " + length;
    }
    return null;
  }
}
