package io.fleetsim.qemu;

/**
 * Specs back to option strings that {@link QemuCommandLine} parses to equal records (apart from
 * {@code source()}, which becomes the rendered text). The {@code source()} of the input is
 * ignored. Stream and Udp render in the stream/dgram form, which can say everything they hold;
 * Multicast and InheritedFd in the socket form, which QEMU before 7.2 understands too.
 */
public final class OptionRenderer {

  private OptionRenderer() {}

  /** The {@code -netdev} value for a spec. */
  public static String netdev(NetdevSpec spec) {
    StringBuilder sb = new StringBuilder();
    if (spec instanceof NetdevSpec.Stream) {
      NetdevSpec.Stream s = (NetdevSpec.Stream) spec;
      sb.append("stream,id=").append(s.id()).append(",server=").append(s.server() ? "on" : "off");
      address(sb, "addr", s.addr());
      if (!s.reconnect().isZero()) {
        sb.append(",reconnect-ms=").append(s.reconnect().toMillis());
      }
    } else if (spec instanceof NetdevSpec.Multicast) {
      NetdevSpec.Multicast m = (NetdevSpec.Multicast) spec;
      sb.append("socket,id=").append(m.id()).append(",mcast=")
          .append(QemuOpts.escape(m.group().host())).append(':').append(m.group().port());
      m.localAddr().ifPresent(a -> sb.append(",localaddr=").append(QemuOpts.escape(a)));
    } else if (spec instanceof NetdevSpec.Udp) {
      NetdevSpec.Udp u = (NetdevSpec.Udp) spec;
      sb.append("dgram,id=").append(u.id());
      address(sb, "local", u.local());
      address(sb, "remote", u.remote());
    } else if (spec instanceof NetdevSpec.InheritedFd) {
      NetdevSpec.InheritedFd f = (NetdevSpec.InheritedFd) spec;
      sb.append("socket,id=").append(f.id()).append(",fd=").append(f.fd());
    } else {
      NetdevSpec.Hubport h = (NetdevSpec.Hubport) spec;
      sb.append("hubport,id=").append(h.id()).append(",hubid=").append(h.hubId());
      h.netdev().ifPresent(n -> sb.append(",netdev=").append(QemuOpts.escape(n)));
    }
    return sb.toString();
  }

  private static void address(StringBuilder sb, String prefix, SocketAddr addr) {
    if (addr instanceof SocketAddr.Inet) {
      SocketAddr.Inet i = (SocketAddr.Inet) addr;
      sb.append(',').append(prefix).append(".type=inet,").append(prefix).append(".host=")
          .append(QemuOpts.escape(i.host())).append(',').append(prefix).append(".port=")
          .append(i.port());
    } else if (addr instanceof SocketAddr.Unix) {
      sb.append(',').append(prefix).append(".type=unix,").append(prefix).append(".path=")
          .append(QemuOpts.escape(((SocketAddr.Unix) addr).path()));
    } else {
      sb.append(',').append(prefix).append(".type=fd,").append(prefix).append(".str=")
          .append(((SocketAddr.Fd) addr).fd());
    }
  }

  /** The {@code -device} value for a spec. */
  public static String device(DeviceSpec spec) {
    StringBuilder sb = new StringBuilder(spec.model());
    spec.id().ifPresent(id -> sb.append(",id=").append(id));
    sb.append(",netdev=").append(QemuOpts.escape(spec.netdev()));
    spec.mac().ifPresent(m -> sb.append(",mac=").append(m));
    return sb.toString();
  }

  /** The {@code -object} value for a spec. */
  public static String filterDump(FilterDumpSpec spec) {
    return "filter-dump,id=" + spec.id() + ",netdev=" + QemuOpts.escape(spec.netdev()) + ",file="
        + QemuOpts.escape(spec.file()) + ",maxlen=" + spec.maxlen();
  }
}
