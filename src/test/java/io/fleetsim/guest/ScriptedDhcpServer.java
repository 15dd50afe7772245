package io.fleetsim.guest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DHCP server for tests, built by hand from RFC 2131/2132 (not with the stack's codec). It
 * sees every frame the client sends and answers DISCOVER with OFFER and REQUEST with ACK (or
 * NAK), like QEMU's slirp: 10.0.2.15 from 10.0.2.2, mask /24.
 */
public final class ScriptedDhcpServer {
  public static final long SERVER_MAC = 0x5255_0A00_0202L;
  public static final int SERVER = Frames.ip("10.0.2.2");
  public static final int OFFERED = Frames.ip("10.0.2.15");

  /** A message the client sent. */
  public record Seen(long at, int type, int xid, int flags, int ciaddr, int ipSrc, int ipDst,
      long ethDst, Map<Integer, byte[]> options) {
    public int requested() {
      byte[] v = options.get(50);
      return v == null ? 0 : ByteBuffer.wrap(v).getInt();
    }

    public int serverId() {
      byte[] v = options.get(54);
      return v == null ? 0 : ByteBuffer.wrap(v).getInt();
    }
  }

  private final VirtualClock clock;
  private final FakeLink client;
  public final List<Seen> seen = new ArrayList<>();
  public boolean unicast;
  public boolean router = true;
  public long leaseSeconds = 86400;
  public int ignoreDiscovers;
  public int ignoreRequests;
  public boolean nak;
  public boolean silent;
  public long latencyNanos = 50_000;
  /** The address offered and acknowledged (yiaddr). */
  public int offer = OFFERED;
  /** Option 1; null sends none. */
  public Integer mask = 0xFFFFFF00;
  /**
   * Raw options sent instead of the usual one of the same code (or added), in OFFERs and ACKs;
   * with {@link #overrideAcksOnly} in ACKs only.
   */
  public final Map<Integer, byte[]> override = new LinkedHashMap<>();
  public boolean overrideAcksOnly;

  public ScriptedDhcpServer(VirtualClock clock, FakeLink client) {
    this.clock = clock;
    this.client = client;
    client.onTransmit(this::fromClient);
  }

  public List<Seen> ofType(int type) {
    List<Seen> out = new ArrayList<>();
    for (Seen s : seen) {
      if (s.type == type) {
        out.add(s);
      }
    }
    return out;
  }

  private void fromClient(byte[] f) {
    ByteBuffer b = ByteBuffer.wrap(f);
    if (b.getShort(12) == 0x0806 && b.getShort(20) == 1 && b.getInt(38) == SERVER) {
      byte[] reply = Frames.arp(client.mac().bits(), 2, SERVER_MAC, SERVER, client.mac().bits(),
          b.getInt(28));
      clock.schedule(latencyNanos, () -> client.deliver(reply));
      return;
    }
    if (f.length < 282 || b.getShort(12) != 0x0800 || f[23] != 17 || b.getShort(36) != 67) {
      return;
    }
    Map<Integer, byte[]> options = new HashMap<>();
    int ipLen = b.getShort(16) & 0xFFFF;
    int end = 14 + ipLen;
    for (int i = 282; i < end && (f[i] & 0xFF) != 255; ) {
      if (f[i] == 0) {
        i++;
        continue;
      }
      int len = f[i + 1] & 0xFF;
      byte[] v = new byte[len];
      System.arraycopy(f, i + 2, v, 0, len);
      options.put(f[i] & 0xFF, v);
      i += 2 + len;
    }
    int type = options.get(53)[0];
    Seen s = new Seen(clock.now(), type, b.getInt(46), b.getShort(52) & 0xFFFF, b.getInt(54),
        b.getInt(26), b.getInt(30), Frames.dstMac(f), options);
    seen.add(s);
    if (silent) {
      return;
    }
    if (type == 1) {
      if (ignoreDiscovers > 0) {
        ignoreDiscovers--;
        return;
      }
      reply(s, 2);
    } else if (type == 3) {
      if (ignoreRequests > 0) {
        ignoreRequests--;
        return;
      }
      reply(s, nak ? 6 : 5);
    }
  }

  private void reply(Seen request, int type) {
    ByteBuffer p = ByteBuffer.allocate(300);
    p.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(request.xid())
        .putShort((short) 0).putShort((short) 0).putInt(0).putInt(type == 6 ? 0 : offer)
        .putInt(SERVER).putInt(0);
    Frames.putMac(p, client.mac().bits());
    p.position(236);
    p.putInt(0x63825363);
    Map<Integer, byte[]> options = new LinkedHashMap<>();
    options.put(53, new byte[] {(byte) type});
    options.put(54, ByteBuffer.allocate(4).putInt(SERVER).array());
    if (type == 6) {
      options.put(56, "requested address not available".getBytes());
    } else {
      if (mask != null) {
        options.put(1, ByteBuffer.allocate(4).putInt(mask).array());
      }
      if (router) {
        options.put(3, ByteBuffer.allocate(4).putInt(SERVER).array());
      }
      options.put(51, ByteBuffer.allocate(4).putInt((int) leaseSeconds).array());
      if (type == 5 || !overrideAcksOnly) {
        options.putAll(override);
      }
    }
    for (Map.Entry<Integer, byte[]> o : options.entrySet()) {
      p.put(o.getKey().byteValue()).put((byte) o.getValue().length).put(o.getValue());
    }
    p.put((byte) 255);
    int ipDst = unicast && type != 6 ? offer : -1;
    long ethDst = unicast && type != 6 ? client.mac().bits() : Frames.BROADCAST;
    byte[] frame = Frames.ipv4(ethDst, SERVER_MAC, SERVER, ipDst, 17, 64,
        Frames.udp(SERVER, ipDst, 67, 68, p.array(), true));
    clock.schedule(latencyNanos, () -> client.deliver(frame));
  }
}
