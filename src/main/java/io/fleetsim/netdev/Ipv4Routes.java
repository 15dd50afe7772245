package io.fleetsim.netdev;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which interface Linux's main routing table sends an IPv4 address to, read from
 * /proc/net/route. Needed for a multicast group: a route like {@code 224.0.0.0/4 dev lo} names the
 * device but gives no source address, so a connected socket cannot tell us the device.
 */
final class Ipv4Routes {
  private static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
  private static final int RTF_UP = 0x1;

  private Ipv4Routes() {}

  /** The device of the longest matching route (lowest metric among equals); empty if none. */
  static Optional<String> deviceFor(Inet4Address destination) {
    List<String> lines;
    try {
      lines = Files.readAllLines(PROC_NET_ROUTE);
    } catch (IOException | SecurityException e) {
      return Optional.empty(); // not Linux, or not readable: the caller falls back
    }
    return deviceFor(destination, lines);
  }

  static Optional<String> deviceFor(Inet4Address destination, List<String> procNetRoute) {
    int address = asProcWord(destination.getAddress());
    String best = null;
    int bestPrefix = -1;
    long bestMetric = Long.MAX_VALUE;
    for (String line : procNetRoute.subList(Math.min(1, procNetRoute.size()), procNetRoute.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      try {
        int flags = Integer.parseInt(f[3], 16);
        int dest = Integer.parseUnsignedInt(f[1], 16);
        int mask = Integer.parseUnsignedInt(f[7], 16);
        long metric = Long.parseLong(f[6]);
        if ((flags & RTF_UP) == 0 || (address & mask) != dest) {
          continue;
        }
        int prefix = Integer.bitCount(mask);
        if (prefix > bestPrefix || (prefix == bestPrefix && metric < bestMetric)) {
          best = f[0];
          bestPrefix = prefix;
          bestMetric = metric;
        }
      } catch (NumberFormatException e) {
        // a line we do not understand is no route
      }
    }
    return Optional.ofNullable(best);
  }

  /** /proc/net/route prints the in-memory (network order) address word as a host int. */
  private static int asProcWord(byte[] a) {
    return ByteBuffer.wrap(a).order(ByteOrder.nativeOrder()).getInt();
  }
}
