package dev.greenlight.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** RFC 9562 version-7 UUIDs: 48 bits of Unix milliseconds then random bits, so ids sort by creation time. */
final class UuidV7 {
  private static final SecureRandom RANDOM = new SecureRandom();

  private UuidV7() {}

  static UUID next(Instant now) {
    long ms = now.toEpochMilli();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (ms << 16) | 0x7000L | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
