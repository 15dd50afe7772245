package io.fleetsim.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the API listens and what it asks of a client: {@code host} (127.0.0.1 unless the user
 * names another), {@code port} (0: any free one, printed at start), and the bearer token every
 * request must carry, if one is set.
 */
public record ApiSettings(String host, int port, Optional<String> token) {

  /** Nothing listens beyond this machine unless the user names an address. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
  // a name (RFC 1123 labels) or an IPv4 literal, which is a name of digits and dots
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern IPV4ISH = Pattern.compile("[0-9.]+");

  public ApiSettings {
    token = token.filter(t -> !t.isEmpty());
  }

  /**
   * {@code [HOST:]PORT} as {@code --api} takes it; a bad value is an {@link
   * IllegalArgumentException} whose message says what was wrong.
   */
  public static ApiSettings parse(String value, Optional<String> token) {
    String v = value.strip();
    int colon = v.lastIndexOf(':');
    String host = colon < 0 ? DEFAULT_HOST : v.substring(0, colon);
    String port = colon < 0 ? v : v.substring(colon + 1);
    if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("--api: '" + port + "' is not a port (0-65535)"
          + (port.isEmpty() ? " in '" + value + "'" : ""));
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--api: '" + value + "' names no host before ':'");
    }
    if (host.contains(":")) {
      throw new IllegalArgumentException(
          "--api: '" + host + "' is not an IPv4 address or host name (IPv6 is not supported)");
    }
    if (IPV4ISH.matcher(host).matches() && !ipv4(host)) {
      throw new IllegalArgumentException("--api: '" + host + "' is not an IPv4 address");
    }
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("--api: '" + host + "' is not an IPv4 address or host name");
    }
    return new ApiSettings(host, Integer.parseInt(port), token);
  }

  private static boolean ipv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!DIGITS.matcher(p).matches() || p.length() > 3 || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether it listens on a loopback address only. A name that does not resolve cannot be bound
   * either; it counts as not loopback, so that the warning is printed rather than missed.
   */
  public boolean loopback() {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
