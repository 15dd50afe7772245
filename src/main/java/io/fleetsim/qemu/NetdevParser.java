package io.fleetsim.qemu;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code -netdev} option strings to {@link NetdevSpec}s, checked as QEMU 7.2 checks them and in
 * its words. Each option alone: references between options are {@link QemuCommandLine}'s job.
 */
final class NetdevParser {

  static final String OPTION = "-netdev";
  static final String SUPPORTED = "socket, stream, dgram, hubport";

  /** Netdev types QEMU knows and fleetsim does not implement: named as such in the error. */
  private static final Set<String> QEMU_ONLY_TYPES = Set.of("user", "tap", "bridge", "l2tpv3",
      "vde", "netmap", "vhost-user", "vhost-vdpa", "af-xdp", "vmnet-host", "vmnet-shared",
      "vmnet-bridged", "nic", "none", "passt");

  private static final Set<String> SOCKET_KEYS =
      Set.of("type", "id", "fd", "listen", "connect", "mcast", "localaddr", "udp");
  private static final Set<String> STREAM_KEYS = Set.of("type", "id", "server", "addr.type",
      "addr.host", "addr.port", "addr.path", "addr.str", "reconnect", "reconnect-ms");
  private static final Set<String> HUBPORT_KEYS = Set.of("type", "id", "hubid", "netdev");

  private NetdevParser() {}

  static NetdevSpec parse(String text) {
    QemuOpts opts = QemuOpts.isJson(text)
        ? QemuOpts.parseJson(OPTION + " " + text, text)
        : QemuOpts.parse(text, "type");
    OptionReader r = new OptionReader(OPTION, text, opts);
    String type = opts.values().get("type");
    boolean keyval = "stream".equals(type) || "dgram".equals(type);
    if (keyval) {
      // QEMU 7.2 parses stream/dgram with keyval, which has no short-form booleans.
      for (String bare : opts.bareKeys()) {
        throw r.error("Expected '=' after parameter '" + bare + "'");
      }
    }
    String id = r.requiredId();
    if (type == null) {
      throw r.error("Parameter 'type' is missing");
    }
    switch (type) {
      case "socket":
        return socket(r, id);
      case "stream":
        return stream(r, id);
      case "dgram":
        return dgram(r, id);
      case "hubport":
        return hubport(r, id);
      default:
        if (QEMU_ONLY_TYPES.contains(type)) {
          throw r.error("fleetsim does not support netdev type '" + type + "' (supported: "
              + SUPPORTED + ")");
        }
        throw r.error("Parameter 'type' does not accept value '" + type + "' (fleetsim supports: "
            + SUPPORTED + ")");
    }
  }

  // ---- socket ----------------------------------------------------------------------------

  private static NetdevSpec socket(OptionReader r, String id) {
    r.firstUnknown(SOCKET_KEYS).ifPresent(k -> {
      throw r.error("Invalid parameter '" + k + "'");
    });
    int modes = 0;
    for (String k : new String[] {"fd", "listen", "connect", "mcast", "udp"}) {
      if (r.has(k)) {
        modes++;
      }
    }
    if (modes != 1) {
      throw r.error("exactly one of listen=, connect=, mcast= or udp= is required");
    }
    Optional<String> localaddr = r.optional("localaddr");
    if (localaddr.isPresent() && !r.has("mcast") && !r.has("udp")) {
      throw r.error("localaddr= is only valid with mcast= or udp=");
    }
    String src = r.source();
    if (r.has("fd")) {
      return new NetdevSpec.InheritedFd(id, r.fd(r.required("fd")), src);
    }
    if (r.has("listen")) {
      return new NetdevSpec.Stream(id, true, hostPort(r, r.required("listen")), Duration.ZERO,
          src);
    }
    if (r.has("connect")) {
      return new NetdevSpec.Stream(id, false, hostPort(r, r.required("connect")), Duration.ZERO,
          src);
    }
    if (r.has("mcast")) {
      SocketAddr.Inet group = hostPort(r, r.required("mcast"));
      checkMulticastGroup(r, group.host());
      if (localaddr.isPresent() && parseIpv4(localaddr.get()) < 0) {
        throw r.error("localaddr '" + localaddr.get() + "' is not a valid IPv4 address");
      }
      return new NetdevSpec.Multicast(id, group, localaddr, src);
    }
    SocketAddr.Inet remote = hostPort(r, r.required("udp"));
    if (localaddr.isEmpty()) {
      throw r.error("localaddr= is mandatory with udp=");
    }
    return new NetdevSpec.Udp(id, hostPort(r, localaddr.get()), remote, src);
  }

  /**
   * QEMU 7.2's socket {@code host:port}: split at the first colon, empty host = any. Names are
   * kept for the runtime to resolve (parsing does no DNS); IPv6 is not possible in this form.
   */
  private static SocketAddr.Inet hostPort(OptionReader r, String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw r.error("host address '" + text + "' doesn't contain ':' separating host from port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[")) {
      throw r.error("can't resolve host address '" + host
          + "' (-netdev socket takes IPv4 only; use -netdev stream or dgram for IPv6)");
    }
    return new SocketAddr.Inet(host, r.port(text.substring(colon + 1)));
  }

  private static void checkMulticastGroup(OptionReader r, String host) {
    long a = host.isEmpty() ? 0 : parseIpv4(host);
    if (a < 0) {
      throw r.error("specified mcastaddr '" + host
          + "' is not an IPv4 address (fleetsim does not resolve multicast group names)");
    }
    if (!isMulticast(a)) {
      throw r.error(String.format("specified mcastaddr %s (0x%08x) does not contain a multicast"
          + " address", host.isEmpty() ? "0.0.0.0" : host, a));
    }
  }

  // ---- stream ----------------------------------------------------------------------------

  private static NetdevSpec stream(OptionReader r, String id) {
    checkKeyvalKeys(r, STREAM_KEYS, "addr");
    boolean server = r.bool("server", false);
    SocketAddr addr = address(r, "addr").orElseThrow(
        () -> r.error("Parameter 'addr' is missing"));
    Optional<String> secs = r.optional("reconnect");
    Optional<String> millis = r.optional("reconnect-ms");
    Duration reconnect = Duration.ZERO;
    if (secs.isPresent() || millis.isPresent()) {
      if (server) {
        throw r.error("'reconnect' and 'reconnect-ms' options are incompatible with socket in"
            + " server mode");
      }
      if (secs.isPresent() && millis.isPresent()) {
        throw r.error("'reconnect' and 'reconnect-ms' are mutually exclusive");
      }
      reconnect = secs.isPresent()
          ? Duration.ofSeconds(unsigned(r, "reconnect", secs.get()))
          : Duration.ofMillis(unsigned(r, "reconnect-ms", millis.get()));
    }
    return new NetdevSpec.Stream(id, server, addr, reconnect, r.source());
  }

  private static long unsigned(OptionReader r, String key, String text) {
    long v = OptionReader.unsignedDecimal(text);
    if (v < 0) {
      throw r.error("Parameter '" + key + "' expects a uint64 value");
    }
    return v;
  }

  // ---- dgram -----------------------------------------------------------------------------

  private static NetdevSpec dgram(OptionReader r, String id) {
    Set<String> keys = new java.util.HashSet<>(Set.of("type", "id"));
    for (String end : new String[] {"local", "remote"}) {
      for (String k : new String[] {"type", "host", "port", "path", "str"}) {
        keys.add(end + "." + k);
      }
    }
    checkKeyvalKeys(r, keys, "local", "remote");
    Optional<SocketAddr> local = address(r, "local");
    Optional<SocketAddr> remote = address(r, "remote");
    String src = r.source();
    if (remote.isPresent() && remote.get() instanceof SocketAddr.Inet
        && isMulticast(parseIpv4(((SocketAddr.Inet) remote.get()).host()))) {
      SocketAddr.Inet group = (SocketAddr.Inet) remote.get();
      if (local.isEmpty()) {
        return new NetdevSpec.Multicast(id, group, Optional.empty(), src);
      }
      if (local.get() instanceof SocketAddr.Unix) {
        throw r.error("only support inet or fd type for local");
      }
      if (local.get() instanceof SocketAddr.Fd) {
        throw r.error("fleetsim does not support local.type=fd with a multicast remote"
            + " (use local.type=inet or no local)");
      }
      // QEMU uses only local.host here (the interface to join on); local.port is ignored.
      String host = ((SocketAddr.Inet) local.get()).host();
      if (parseIpv4(host) < 0) {
        throw r.error("localaddr '" + host + "' is not a valid IPv4 address");
      }
      return new NetdevSpec.Multicast(id, group, Optional.of(host), src);
    }
    if (local.isEmpty()) {
      throw r.error("dgram requires local= parameter");
    }
    if (remote.isPresent()) {
      if (local.get() instanceof SocketAddr.Fd) {
        throw r.error("don't set remote with local.fd");
      }
      if (local.get().getClass() != remote.get().getClass()) {
        throw r.error("remote and local types must be the same");
      }
      return new NetdevSpec.Udp(id, local.get(), remote.get(), src);
    }
    if (local.get() instanceof SocketAddr.Fd) {
      return new NetdevSpec.InheritedFd(id, ((SocketAddr.Fd) local.get()).fd(), src);
    }
    throw r.error("type=inet or type=unix requires remote parameter");
  }

  // ---- hubport ---------------------------------------------------------------------------

  private static NetdevSpec hubport(OptionReader r, String id) {
    r.firstUnknown(HUBPORT_KEYS).ifPresent(k -> {
      throw r.error("Invalid parameter '" + k + "'");
    });
    String text = r.required("hubid");
    boolean negative = text.startsWith("-");
    long v = OptionReader.unsignedDecimal(negative ? text.substring(1) : text);
    if (v < 0) {
      throw r.error("Parameter 'hubid' expects an int64 value");
    }
    long hubId = negative ? -v : v;
    if (hubId < Integer.MIN_VALUE || hubId > Integer.MAX_VALUE) {
      throw r.error("Parameter 'hubid' expects int32_t");
    }
    return new NetdevSpec.Hubport(id, (int) hubId, r.optional("netdev"), r.source());
  }

  // ---- shared ----------------------------------------------------------------------------

  /** keyval's checks: key syntax, then keys this netdev type does not have. */
  private static void checkKeyvalKeys(OptionReader r, Set<String> allowed, String... structs) {
    for (String k : r.values().keySet()) {
      if (!isKeyvalKey(k)) {
        throw r.error("Invalid parameter '" + k + "'");
      }
      for (String s : structs) {
        if (k.equals(s)) {
          throw r.error("Invalid parameter type for '" + k + "', expected: object");
        }
      }
    }
    r.firstUnknown(allowed).ifPresent(k -> {
      throw r.error("Parameter '" + k + "' is unexpected");
    });
  }

  private static boolean isKeyvalKey(String k) {
    if (k.isEmpty()) {
      return false;
    }
    for (String seg : k.split("\\.", -1)) {
      if (seg.isEmpty()) {
        return false;
      }
      for (int i = 0; i < seg.length(); i++) {
        char c = seg.charAt(i);
        if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
          return false;
        }
      }
    }
    return true;
  }

  /** QEMU's SocketAddress under {@code prefix.}: empty when no {@code prefix.*} key is given. */
  private static Optional<SocketAddr> address(OptionReader r, String prefix) {
    boolean any = false;
    for (String k : r.values().keySet()) {
      if (k.startsWith(prefix + ".")) {
        any = true;
        break;
      }
    }
    if (!any) {
      return Optional.empty();
    }
    String type = r.required(prefix + ".type");
    Set<String> own;
    SocketAddr addr;
    switch (type) {
      case "inet": {
        own = Set.of("host", "port");
        String host = r.required(prefix + ".host");
        int port = r.port(r.required(prefix + ".port"));
        if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        addr = new SocketAddr.Inet(host, port);
        break;
      }
      case "unix":
        own = Set.of("path");
        addr = new SocketAddr.Unix(r.required(prefix + ".path"));
        break;
      case "fd":
        own = Set.of("str");
        addr = new SocketAddr.Fd(r.fd(r.required(prefix + ".str")));
        break;
      case "vsock":
        throw r.error("fleetsim does not support " + prefix
            + ".type=vsock (supported: inet, unix, fd)");
      default:
        throw r.error("Parameter '" + prefix + ".type' does not accept value '" + type
            + "' (supported: inet, unix, fd)");
    }
    for (String k : r.values().keySet()) {
      if (k.startsWith(prefix + ".") && !k.equals(prefix + ".type")
          && !own.contains(k.substring(prefix.length() + 1))) {
        throw r.error("Parameter '" + k + "' is unexpected");
      }
    }
    return Optional.of(addr);
  }

  /** A dotted-quad IPv4 literal as an unsigned 32-bit value, or -1. */
  static long parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long a = 0;
    for (String p : parts) {
      if (p.length() > 3) {
        return -1;
      }
      long b = OptionReader.unsignedDecimal(p);
      if (b < 0 || b > 255) {
        return -1;
      }
      a = (a << 8) | b;
    }
    return a;
  }

  /** 224.0.0.0/4; false for -1 (not an IPv4 literal). */
  static boolean isMulticast(long ipv4) {
    return ipv4 >= 0 && (ipv4 >>> 28) == 0xE;
  }
}
