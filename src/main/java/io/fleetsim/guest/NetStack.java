package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpAcceptor;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.UdpHandler;
import io.fleetsim.guest.socket.UdpSocket;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.Cpu;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The guest's IPv4 stack on one {@link Link}: Ethernet, ARP, IPv4, ICMP echo, UDP, TCP and a
 * DHCP client. It registers itself as the link's listener, so the driver's received frames, carrier
 * changes and transmit-space notices come straight here. Everything runs on the VM thread (the
 * {@link GuestEnv} contract); no method blocks, and bad input from the network is dropped and
 * counted in {@link #counters()}, never thrown.
 *
 * <p>Console lines: {@code link up}, {@code link down}, {@code address 10.0.3.15/24 (router
 * 10.0.3.1)} on {@link #configure}, {@code lease 10.0.2.15/24 from 10.0.2.2 (router 10.0.2.2)}
 * (or {@code (no router)}) when DHCP binds, {@code lease 10.0.2.15/24 renewed from 10.0.2.2},
 * {@code lease 10.0.2.15/24 expired}, {@code dhcp: NAK from 10.0.2.2[: text]}, {@code dhcp:
 * refused OFFER from 10.0.2.2: address 127.0.0.1 is loopback ...} (the first of each reason),
 * {@code dhcp: no lease after 60 s; still asking} (once), and {@code arp:
 * 10.0.2.15 is also claimed by 52:54:00:12:34:57} once per clashing MAC.
 *
 * <p>What the VM must provide: construct the stack on the VM thread; the driver then calls the
 * {@link Link.Listener} the stack registered with {@code received} for every whole Ethernet
 * frame (no FCS), {@code carrierChanged} when the link goes up or down, and {@code
 * transmitSpace} when the transmit ring has room again after {@link Link#transmit} said no
 * (extra calls are harmless). {@link Link#transmit} should not call the listener back
 * synchronously. {@link GuestEnv#schedule} must run tasks on the VM thread and honour cancel.
 * The stack charges {@code rxPacket} per received frame, {@code txPacket} per frame it hands to
 * the link and {@code timerTick} per timer it or a workload sets. UDP, echo and TCP handlers
 * run inside {@code received}; an exception from one is a bug and propagates to the driver.
 */
public final class NetStack {
  /** The largest UDP payload that fits a 1500-byte MTU unfragmented. */
  public static final int MAX_UDP_PAYLOAD = Sockets.MAX_UDP_PAYLOAD;
  /** The largest echo payload that fits a 1500-byte MTU unfragmented. */
  public static final int MAX_ICMP_PAYLOAD = Sockets.MAX_ICMP_PAYLOAD;

  private record Waiter(Ipv4Address destination, Runnable task) {}

  private final GuestEnv env;
  private final StackMeter meter;
  private final MacAddress mac;
  private final Cpu cpu;
  private final Timers timers;
  private final StackCounters counters = new StackCounters();
  private final TxQueue tx;
  private final ArpResolver arp;
  private final Ipv4Layer ip;
  private final Icmp icmp;
  private final Udp udp;
  private final Tcp tcp;
  private final DhcpClient dhcp;
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean checkingWaiters;
  private final Sockets sockets = new StackSockets(this);

  /**
   * Builds the stack and registers it as {@code link}'s listener. The carrier state is taken
   * from {@link Link#carrier()} now, silently; later changes print {@code link up/down}.
   */
  public NetStack(GuestEnv env, Link link) {
    this(env, link, StackMeter.NONE);
  }

  /** As {@link #NetStack(GuestEnv, Link)}, reporting TCP goodput and retransmissions to {@code meter}. */
  public NetStack(GuestEnv env, Link link, StackMeter meter) {
    this(env, link, meter, new RoutingTable(Routing.HOST));
  }

  /**
   * As above, as one interface of a VM whose stacks share {@code table}: what this stack's
   * sockets send is routed over every interface of the table, packets for any of the VM's
   * addresses are accepted here, and with {@link Routing#forwarding()} packets for others are
   * forwarded. Stacks join the table in the order they are built (NIC order).
   */
  public NetStack(GuestEnv env, Link link, StackMeter meter, RoutingTable table) {
    this.env = Objects.requireNonNull(env, "env");
    this.meter = Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(link, "link");
    this.mac = link.mac();
    this.cpu = env.cpu();
    this.timers = new Timers(env);
    long ownMac = mac.bits();
    Objects.requireNonNull(table, "table");
    this.tx = new TxQueue(link, cpu, counters, table::changed);
    this.arp = new ArpResolver(ownMac, this::ownAddress, timers, tx, counters, env::print,
        table::changed, this::arpGaveUp);
    this.ip = new Ipv4Layer(ownMac, tx, arp, counters, this::loopback, table,
        () -> checkWaiters());
    this.icmp = new Icmp(ip, timers, counters);
    this.udp = new Udp(ip, timers, counters);
    ip.register(Ipv4Header.PROTOCOL_ICMP, icmp);
    ip.register(Ipv4Header.PROTOCOL_UDP, udp);
    this.tcp = new Tcp(ip, timers, counters, meter, new Tcp.Host() {
      @Override
      public boolean canSend(Ipv4Address destination) {
        return NetStack.this.canSend(destination);
      }

      @Override
      public void whenCanSend(Ipv4Address destination, Runnable task) {
        NetStack.this.whenCanSend(destination, task);
      }
    }, env.random());
    ip.register(Ipv4Header.PROTOCOL_TCP, tcp);
    this.dhcp = new DhcpClient(udp, ip, timers, env.random(), ownMac, counters, env::print,
        new LeaseHost());
    link.listener(new DriverListener());
  }

  public MacAddress mac() {
    return mac;
  }

  public GuestEnv env() {
    return env;
  }

  /** The routing table this stack shares with the VM's other interfaces. */
  public RoutingTable routingTable() {
    return ip.table();
  }

  public boolean linkUp() {
    return tx.up();
  }

  public StackCounters counters() {
    return counters;
  }

  /** Guest time in nanoseconds. */
  public long nanoTime() {
    return env.nanoTime();
  }

  /** A guest timer on the VM thread; firing costs the vCPU a timer tick. */
  public GuestEnv.Cancellable schedule(long delayNanos, Runnable task) {
    return timers.after(delayNanos, task);
  }

  /**
   * Permanent ARP entries: these neighbours are never asked for, and the address is not
   * announced (everyone who matters already knows it).
   */
  public void permanentNeighbours(Neighbours neighbours) {
    arp.permanent(neighbours);
  }

  public Optional<Ipv4Config> config() {
    return ip.config();
  }

  /** Static configuration; prints {@code address A/N (router G)}; announces it if link up. */
  public void configure(Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway) {
    configure(new Ipv4Config(address, prefixLength, gateway));
  }

  public void configure(Ipv4Config config) {
    apply(config);
    env.print("address " + config.describe());
  }

  /** Forgets the address: later sends have no route; ARP state is dropped. */
  public void unconfigure() {
    if (ip.config().isPresent()) {
      ip.config(Optional.empty());
      arp.reset();
      checkWaiters();
    }
  }

  /**
   * Starts the DHCP client (once; later calls return the same stage). The stage completes on the
   * VM thread with the first lease, after the stack is configured with it and the lease line is
   * printed. The client keeps retransmitting until a server answers, and renews the lease.
   */
  public CompletionStage<DhcpLease> dhcp() {
    return dhcp.start();
  }

  /** The current DHCP lease, if bound. */
  public Optional<DhcpLease> lease() {
    return dhcp.lease();
  }

  /** Opens an ICMP echo socket with a fresh identifier; replies go to {@code listener}. */
  public EchoSocket openEcho(EchoListener listener) {
    return icmp.open(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * One echo request with 56 zero bytes; completes with the round-trip time, or exceptionally
   * with {@link TimeoutException} (or {@link IllegalStateException} when it could not be sent).
   */
  public CompletionStage<Duration> ping(Ipv4Address destination, Duration timeout) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    long sent = env.nanoTime();
    GuestEnv.Cancellable[] timer = new GuestEnv.Cancellable[1];
    EchoSocket[] socket = new EchoSocket[1];
    socket[0] = openEcho(reply -> {
      if (reply.sequence() == 0 && result.complete(Duration.ofNanos(reply.receivedAtNanos() - sent))) {
        timer[0].cancel();
        socket[0].close();
      }
    });
    SendStatus status = socket[0].send(destination, 0, new byte[56]);
    if (!status.accepted()) {
      socket[0].close();
      result.completeExceptionally(new IllegalStateException(
          "ping " + destination + ": " + status.name().toLowerCase().replace('_', ' ')));
      return result.minimalCompletionStage();
    }
    timer[0] = timers.after(timeout.toNanos(), () -> {
      socket[0].close();
      result.completeExceptionally(
          new TimeoutException("no echo reply from " + destination + " within " + timeout));
    });
    return result.minimalCompletionStage();
  }

  /**
   * Binds a UDP port (0 picks a free one from 49152 up).
   *
   * @throws IllegalStateException when the port is bound already (68 is the DHCP client's)
   */
  public UdpSocket udpBind(int port, UdpHandler handler) {
    return udp.bind(port, Objects.requireNonNull(handler, "handler"));
  }

  /** Sends one datagram from {@code sourcePort} without binding it. */
  public SendStatus udpSend(int sourcePort, Ipv4Address destination, int destinationPort,
      byte[] payload) {
    if (sourcePort < 1 || sourcePort > 0xFFFF) {
      throw new IllegalArgumentException("UDP port must be 1-65535, not " + sourcePort);
    }
    Route route = ip.route(destination);
    if (route == null) {
      return SendStatus.NO_ROUTE;
    }
    return udp.send(route, sourcePort, destinationPort, payload);
  }

  /**
   * Whether a packet to {@code destination} would leave now: nothing is held for the link and
   * the next hop is not being resolved. Senders that respect back-pressure check this first.
   */
  public boolean canSend(Ipv4Address destination) {
    return ip.canSend(destination);
  }

  /**
   * Runs {@code task} once {@link #canSend} holds for {@code destination}: after the link took
   * the held frames, or ARP resolved or gave up. Never runs it synchronously: when sending is
   * already possible it runs from a zero-delay timer.
   */
  public void whenCanSend(Ipv4Address destination, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (canSend(destination)) {
      timers.after(0, task);
    } else {
      waiters.add(new Waiter(destination, task));
    }
  }

  /**
   * Listens on a TCP port ({@link Sockets#tcpListen}).
   *
   * @throws IllegalStateException when the port is taken
   */
  public TcpListener tcpListen(int port, TcpAcceptor acceptor) {
    return tcp.listen(port, acceptor);
  }

  /**
   * Opens a TCP connection from an ephemeral port (49152-65535, handed out in turn; {@link
   * Sockets#tcpConnect}).
   */
  public TcpSocket tcpConnect(Ipv4Address host, int port, TcpHandler handler) {
    return tcp.connect(host, port, handler);
  }

  /** TCP itself, for tests in this package. */
  Tcp tcp() {
    return tcp;
  }

  /** The socket API on this stack, for the programs that run on it. */
  public Sockets sockets() {
    return sockets;
  }

  /** Frames held because the link's ring was full (diagnostics). */
  public int heldFrames() {
    return tx.held();
  }

  /** The MAC ARP knows for {@code address}, if a live entry exists. */
  public Optional<MacAddress> arpLookup(Ipv4Address address) {
    return arp.lookup(address.bits()).map(MacAddress::new);
  }

  private void arpGaveUp(byte[] frame) {
    ip.arpFailed(frame);
  }

  private int ownAddress() {
    return ip.address();
  }

  private void apply(Ipv4Config config) {
    Optional<Ipv4Config> old = ip.config();
    if (old.isPresent() && !old.get().address().equals(config.address())) {
      arp.reset();
    }
    ip.config(Optional.of(config));
    if (tx.up()) {
      arp.announce();
    }
    checkWaiters();
  }

  private void received(byte[] frame) {
    counters.increment(StackCounter.RX_FRAMES);
    cpu.charge(cpu.costs().rxPacket());
    if (frame == null) {
      counters.increment(StackCounter.RX_DROP_TRUNCATED);
      return;
    }
    counters.add(StackCounter.RX_BYTES, frame.length);
    counters.increment(ethernet(frame));
  }

  private StackCounter ethernet(byte[] frame) {
    if (frame.length < Ethernet.HEADER) {
      return StackCounter.RX_DROP_TRUNCATED;
    }
    long destination = Ethernet.destination(frame);
    if (destination != mac.bits() && !Ethernet.isGroup(destination)) {
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    long source = Ethernet.source(frame);
    if (source == mac.bits()) {
      return StackCounter.RX_DROP_OWN_SOURCE;
    }
    if (Ethernet.isGroup(source)) {
      return StackCounter.RX_DROP_BAD_ADDRESS;
    }
    int payload = frame.length - Ethernet.HEADER;
    switch (Ethernet.type(frame)) {
      case Ethernet.TYPE_IPV4:
        return ip.receive(frame, Ethernet.HEADER, payload);
      case Ethernet.TYPE_ARP:
        return arp.receive(frame, Ethernet.HEADER, payload);
      default:
        return StackCounter.RX_DROP_UNKNOWN_PROTOCOL;
    }
  }

  /** A packet to ourselves skips the link, as Linux's loopback does, and arrives a moment later. */
  private void loopback(byte[] frame) {
    env.schedule(0, () -> {
      counters.increment(StackCounter.RX_FRAMES);
      counters.add(StackCounter.RX_BYTES, frame.length);
      cpu.charge(cpu.costs().rxPacket());
      counters.increment(
          ip.receiveLooped(frame, Ethernet.HEADER, frame.length - Ethernet.HEADER));
    });
  }

  private void carrierChanged(boolean up) {
    if (up == tx.up()) {
      return;
    }
    tx.carrier(up);
    env.print(up ? "link up" : "link down");
    if (up) {
      arp.announce();
      dhcp.linkUp();
    }
  }

  private void checkWaiters() {
    if (checkingWaiters) {
      return;
    }
    checkingWaiters = true;
    try {
      boolean ran = true;
      while (ran && !waiters.isEmpty()) {
        ran = false;
        for (Waiter w : new ArrayList<>(waiters)) {
          if (canSend(w.destination()) && waiters.remove(w)) {
            w.task().run();
            ran = true;
          }
        }
      }
    } finally {
      checkingWaiters = false;
    }
  }

  private final class DriverListener implements Link.Listener {
    @Override
    public void received(byte[] frame) {
      NetStack.this.received(frame);
    }

    @Override
    public void carrierChanged(boolean up) {
      NetStack.this.carrierChanged(up);
    }

    @Override
    public void transmitSpace() {
      tx.space();
    }
  }

  private final class LeaseHost implements DhcpClient.Host {
    @Override
    public void bind(DhcpLease lease, boolean renewal) {
      if (renewal) {
        env.print("lease " + lease.address() + "/" + lease.prefixLength() + " renewed from "
            + lease.server());
        return;
      }
      apply(lease.config());
      env.print("lease " + lease.describe());
    }

    @Override
    public void unbind(DhcpLease expired) {
      unconfigure();
    }
  }
}
