package dev.greenlight.account;

import java.util.UUID;

/** A newly created key: the only moment the secret exists outside its owner's hands. */
public record IssuedKey(UUID keyId, UUID accountId, String name, Role role, String secret) {}
