package dev.greenlight.account;

import java.util.UUID;

/** The authenticated owner of a request. */
public record Caller(UUID keyId, UUID accountId, String keyName, Role role) {
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** The actor written into job events. */
  public String actor() {
    return "key:" + keyName;
  }
}
