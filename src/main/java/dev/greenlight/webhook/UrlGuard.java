package dev.greenlight.webhook;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook targets a server must not call on a user's behalf (SSRF): anything but http(s), and hosts that
 * resolve to loopback, private (RFC 1918, CGNAT, IPv6 unique local), link-local (including cloud metadata at
 * 169.254.169.254 and fd00:ec2::254), multicast or unspecified addresses, unless allow-listed
 * ({@code GREENLIGHT_WEBHOOK_ALLOW_HOSTS}: host names, IPs or CIDRs). Checked at registration and again at delivery,
 * since DNS can change.
 */
public final class UrlGuard {
  private final List<String> hosts = new ArrayList<>();
  private final List<Cidr> cidrs = new ArrayList<>();

  private record Cidr(byte[] network, int bits) {
    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      return rest == 0 || (b[full] & (0xff << (8 - rest))) == (network[full] & (0xff << (8 - rest)));
    }
  }

  public UrlGuard(List<String> allow) {
    for (String entry : allow) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      try {
        int slash = e.indexOf('/');
        if (slash > 0) {
          cidrs.add(new Cidr(InetAddress.getByName(e.substring(0, slash)).getAddress(), Integer.parseInt(e.substring(slash + 1))));
        } else if (e.matches("[0-9.]+|[0-9a-f:]+")) {
          byte[] ip = InetAddress.getByName(e).getAddress();
          cidrs.add(new Cidr(ip, ip.length * 8));
        } else {
          hosts.add(e);
        }
      } catch (UnknownHostException | NumberFormatException ex) {
        throw new IllegalArgumentException("not a host, IP or CIDR: " + entry);
      }
    }
  }

  /** Null when {@code url} may be called, else why not. Resolves the host (IP literals need no lookup). */
  public String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return "is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must be an http or https URL";
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return "must name a host";
    }
    String h = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
    if (hosts.contains(h)) {
      return null;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return "host " + host + " does not resolve";
    }
    for (InetAddress a : addresses) {
      if (cidrs.stream().anyMatch(c -> c.contains(a))) {
        continue;
      }
      String why = forbidden(a);
      if (why != null) {
        return "host " + host + " resolves to " + a.getHostAddress() + ", a " + why + " address; webhooks may not target it";
      }
    }
    return null;
  }

  static String forbidden(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local (cloud metadata)";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return "shared (CGNAT)";
    }
    if (a instanceof Inet4Address && (b[0] & 0xff) == 0) {
      return "unspecified";
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return "private (unique local)";
    }
    if (a instanceof Inet6Address && new BigInteger(1, b).shiftRight(32).equals(BigInteger.valueOf(0xffff))) {
      return "IPv4-mapped";
    }
    return null;
  }
}
