package io.fleetsim.netdev;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The kernel's view of a UDP socket from /proc/net/udp: bytes waiting to be read. */
final class ProcNetUdp {
  private ProcNetUdp() {}

  /** Bytes queued for reading on the IPv4 socket bound to {@code local}; -1 if none is bound. */
  static long receiveQueue(InetSocketAddress local) throws IOException {
    byte[] a = ((Inet4Address) local.getAddress()).getAddress();
    // /proc shows the address as a little-endian 32-bit hex number.
    String wanted = String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X",
        a[3] & 0xff, a[2] & 0xff, a[1] & 0xff, a[0] & 0xff, local.getPort());
    List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f[1].equals(wanted)) {
        return Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
      }
    }
    return -1;
  }
}
