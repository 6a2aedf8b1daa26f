package dev.greenlight.account;

import java.util.Locale;

/** What a key may do: {@code user} submits and manages its own account's jobs; {@code admin} also administers. */
public enum Role {
  USER, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
