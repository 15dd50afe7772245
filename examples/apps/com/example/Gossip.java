package com.example;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.App;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.Timer;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.guest.socket.UdpSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push gossip over UDP: the VM at the first address of {@code peers} starts a rumour; a VM that
 * has heard it passes it on to {@code fanout} peers picked at random, once every {@code
 * interval}, for {@code rounds} rounds. Each VM reports whether, how soon and over how many hops
 * the rumour reached it.
 *
 * <pre>
 * app com.example.Gossip peers=10.0.0.1-10.0.0.16 [port=7946] [fanout=2] [interval=100ms]
 *     [rounds=4] [duration=5s]
 * </pre>
 */
public final class Gossip implements App {
  private static final long MS = 1_000_000L;

  // arguments
  private final List<Ipv4Address> peers = new ArrayList<>();
  private int port = 7946;
  private int fanout = 2;
  private long intervalNanos = 100 * MS;
  private int rounds = 4;
  private long durationNanos = 5_000 * MS;

  // one run's state: touched only on the VM's thread
  private Sockets sockets;
  private UdpSocket socket;
  private Ipv4Address self;
  private final List<Timer> timers = new ArrayList<>();
  private boolean heard;
  private long startedAt;
  private long spreadNanos;
  private int hops;
  private int roundsLeft;
  private long sent;
  private long received;

  @Override
  public void configure(Map<String, String> args) {
    for (Map.Entry<String, String> a : args.entrySet()) {
      String v = a.getValue();
      switch (a.getKey()) {
        case "peers" -> peers.addAll(range(v));
        case "port" -> port = number("port", v, 1, 65535);
        case "fanout" -> fanout = number("fanout", v, 1, 100);
        case "rounds" -> rounds = number("rounds", v, 1, 1000);
        case "interval" -> intervalNanos = millis("interval", v) * MS;
        case "duration" -> durationNanos = millis("duration", v) * MS;
        default -> throw new IllegalArgumentException("unknown argument '" + a.getKey()
            + "' (expected peers, port, fanout, interval, rounds, duration)");
      }
    }
    if (peers.size() < 2) {
      throw new IllegalArgumentException("peers=FIRST-LAST is missing (at least two addresses)");
    }
  }

  /** A client: it ends after {@code duration}, and the experiment waits for it. */
  @Override
  public boolean finite() {
    return true;
  }

  @Override
  public void start(Sockets sockets, Runnable finished) {
    this.sockets = sockets;
    this.self = sockets.address().orElseThrow();
    this.socket = sockets.udpBind(port, this::received);
    this.startedAt = sockets.nanoTime();
    if (self.equals(peers.get(0))) {
      hear(startedAt, 0); // the origin
    }
    timers.add(sockets.schedule(durationNanos, () -> {
      stop();
      finished.run();
    }));
  }

  /** The rumour is 12 bytes: when it started (guest time: every VM shares the run's clock) and its hops. */
  private void received(UdpDatagram d) {
    received++;
    ByteBuffer b = ByteBuffer.wrap(d.payload());
    if (d.payload().length == 12 && !heard) {
      hear(b.getLong(), b.getInt() + 1);
    }
  }

  private void hear(long origin, int hopCount) {
    heard = true;
    spreadNanos = sockets.nanoTime() - origin;
    hops = hopCount;
    roundsLeft = rounds;
    ByteBuffer rumour = ByteBuffer.allocate(12).putLong(origin).putInt(hopCount);
    timers.add(sockets.schedule(intervalNanos, () -> round(rumour.array())));
  }

  private void round(byte[] rumour) {
    for (int i = 0; i < fanout; i++) {
      Ipv4Address peer = peers.get(sockets.random().nextInt(peers.size()));
      if (!peer.equals(self) && socket.send(peer, port, rumour).accepted()) {
        sent++;
      }
    }
    if (--roundsLeft > 0) {
      timers.add(sockets.schedule(intervalNanos, () -> round(rumour)));
    }
  }

  @Override
  public void stop() {
    timers.forEach(Timer::cancel);
    timers.clear();
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  @Override
  public boolean success() {
    return heard;
  }

  @Override
  public String summary() {
    String traffic = sent + " sent, " + received + " received";
    return "gossip " + self + ": " + (heard
        ? "heard the rumour " + spreadNanos / MS + " ms after it started, " + hops
            + (hops == 1 ? " hop; " : " hops; ")
        : "never heard the rumour; ") + traffic;
  }

  @Override
  public Map<String, Object> results() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("heard", heard);
    if (heard) {
      r.put("spreadMillis", spreadNanos / 1e6);
      r.put("hops", hops);
    }
    r.put("sent", sent);
    r.put("received", received);
    return r;
  }

  private static List<Ipv4Address> range(String v) {
    String[] ends = v.split("-", 2);
    Ipv4Address first = Ipv4Address.tryParse(ends[0]).orElse(null);
    Ipv4Address last = ends.length == 2 ? Ipv4Address.tryParse(ends[1]).orElse(null) : null;
    if (first == null || last == null || Integer.compareUnsigned(first.bits(), last.bits()) > 0
        || last.bits() - first.bits() > 65535) {
      throw new IllegalArgumentException("peers=" + v + " is not a range FIRST-LAST of addresses"
          + " (like 10.0.0.1-10.0.0.16)");
    }
    List<Ipv4Address> out = new ArrayList<>();
    for (int a = first.bits(); a != last.bits() + 1; a++) {
      out.add(new Ipv4Address(a));
    }
    return out;
  }

  private static int number(String key, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(key + "=" + v + " is not a whole number " + min + "-" + max);
  }

  private static long millis(String key, String v) {
    try {
      if (v.endsWith("ms")) {
        return Math.max(1, Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Math.max(1, Long.parseLong(v.substring(0, v.length() - 1)) * 1000);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(key + "=" + v + " is not a time in ms or s (like 200ms, 5s)");
  }
}
