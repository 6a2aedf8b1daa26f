package dev.greenlight.app;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A name for this process in the cluster: host name plus a random suffix, new at every start. */
final class NodeId {
  private NodeId() {}

  static String generate() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "node";
    }
    byte[] suffix = new byte[3];
    new SecureRandom().nextBytes(suffix);
    return host.replaceAll("[^A-Za-z0-9-]", "") + "-" + HexFormat.of().formatHex(suffix);
  }
}
