package io.fleetsim.fabric;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * A transparent learning bridge (IEEE 802.1D without spanning tree): learns source addresses,
 * sends known unicast out of one port, floods broadcast, multicast and unknown unicast, and never
 * sends a frame back out of the port it came in on.
 */
final class LearningSwitchForwarding implements Forwarding {
  private static final int ETHER_HEADER_ADDRESSES = 12;

  private record Entry(int port, long lastSeenNanos) {}

  private final long ageingNanos;
  private final Map<Long, Entry> table = new HashMap<>();
  private final Map<Long, Integer> provisioned = new HashMap<>();

  LearningSwitchForwarding(Duration ageing) {
    this.ageingNanos = ageing.toNanos();
  }

  @Override
  public boolean isRunt(ByteString frame) {
    return frame.size() < ETHER_HEADER_ADDRESSES;
  }

  @Override
  public int route(int inPort, ByteString frame, long nowNanos, int portCount, int[] out) {
    long dst = mac(frame, 0);
    long src = mac(frame, 6);
    if (!isGroup(src)) {
      table.put(src, new Entry(inPort, nowNanos));
    }
    if (!isGroup(dst)) {
      Entry known = table.get(dst);
      int port = known != null && nowNanos - known.lastSeenNanos <= ageingNanos ? known.port
          : provisioned.getOrDefault(dst, -1);
      if (port >= 0) {
        if (port == inPort) {
          return 0; // the destination sits behind the port the frame came from: filter it
        }
        out[0] = port;
        return 1;
      }
    }
    int n = 0;
    for (int p = 0; p < portCount; p++) {
      if (p != inPort) {
        out[n++] = p;
      }
    }
    return n;
  }

  @Override
  public void addStatic(long mac, int port) {
    provisioned.put(mac, port);
  }

  @Override
  public void portDown(int port) {
    table.values().removeIf(e -> e.port == port);
  }

  @Override
  public void expire(long nowNanos) {
    for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
      if (nowNanos - it.next().lastSeenNanos > ageingNanos) {
        it.remove();
      }
    }
  }

  int learnedAddresses() {
    return table.size() + provisioned.size();
  }

  private static boolean isGroup(long mac) {
    return (mac & (1L << 40)) != 0; // I/G bit: lowest bit of the first octet
  }

  private static long mac(ByteString frame, int offset) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (frame.apply(offset + i) & 0xFF);
    }
    return v;
  }
}
