package io.fleetsim.guest.os;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.Link;
import io.fleetsim.guest.Neighbours;
import io.fleetsim.guest.NetStack;
import io.fleetsim.guest.Routing;
import io.fleetsim.guest.RoutingTable;
import io.fleetsim.guest.StackMeter;
import io.fleetsim.guest.workload.HttpGetWorkload;
import io.fleetsim.guest.workload.PingWorkload;
import io.fleetsim.guest.workload.TcpRrWorkload;
import io.fleetsim.guest.workload.TcpStreamWorkload;
import io.fleetsim.guest.workload.UdpSendWorkload;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.guest.workload.WorkloadRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The small guest OS: one IPv4 stack per NIC, addressed statically or by DHCP, sharing one
 * {@link RoutingTable} built from the VM's {@link Routing} (one host; a router forwards between
 * them), and the workloads, started once every interface has its address. Clients (ping,
 * traceroute, udp-send, tcp-stream, tcp-rr, http-get) run on the interface their route leaves
 * by; servers (udp-sink, echo, tcp-sink, tcp-echo, http-serve) listen on every interface.
 */
public final class GuestSystem implements GuestOs {

  /** How one interface gets its address: a fixed one, DHCP, or none (layer 2 only). */
  public record InterfaceSetup(Optional<Ipv4Config> address, boolean dhcp, Neighbours neighbours) {
    public InterfaceSetup(Optional<Ipv4Config> address, boolean dhcp) {
      this(address, dhcp, Neighbours.NONE);
    }

    public static InterfaceSetup unconfigured() {
      return new InterfaceSetup(Optional.empty(), false);
    }
  }

  private final List<InterfaceSetup> setups;
  private final StackMeter meter;
  private final Routing routing;
  private RoutingTable table;
  private final List<Workload> workloads;
  private final List<NetStack> stacks = new ArrayList<>();
  private final List<Started> runs = new ArrayList<>();
  private boolean held; // the clients wait for release(), too
  private boolean addressed;
  private boolean serversStarted;
  private boolean clientsStarted;
  private Consumer<Boolean> finished;

  /** A started workload: {@code index} is its place in the list the guest was given. */
  private record Started(int index, Workload workload, MacAddress nic, WorkloadRun run) {}

  public GuestSystem(List<InterfaceSetup> setups, List<Workload> workloads) {
    this(setups, workloads, false);
  }

  /**
   * {@code held}: the clients (ping, udp-send: workloads that send first) wait for
   * {@link #release()} as well as for the addresses; servers start with the addresses. An
   * experiment holds its clients until every VM is up and every server listens, so that no VM
   * sends to a peer still booting.
   */
  public GuestSystem(List<InterfaceSetup> setups, List<Workload> workloads, boolean held) {
    this(setups, workloads, held, StackMeter.NONE);
  }

  /** As above; the stacks report TCP goodput and retransmissions to {@code meter}. */
  public GuestSystem(List<InterfaceSetup> setups, List<Workload> workloads, boolean held,
      StackMeter meter) {
    this(setups, workloads, held, meter, Routing.HOST);
  }

  /** As above, with static routes and, for a router, forwarding between the interfaces. */
  public GuestSystem(List<InterfaceSetup> setups, List<Workload> workloads, boolean held,
      StackMeter meter, Routing routing) {
    this.meter = java.util.Objects.requireNonNull(meter, "meter");
    this.routing = java.util.Objects.requireNonNull(routing, "routing");
    this.setups = List.copyOf(setups);
    this.workloads = List.copyOf(workloads);
    this.held = held;
  }

  @Override
  public void boot(GuestEnv env, List<Link> links, Consumer<Boolean> finished) {
    if (links.size() != setups.size()) {
      throw new IllegalArgumentException(links.size() + " NICs but " + setups.size() + " interface setups");
    }
    List<CompletableFuture<?>> addressed = new ArrayList<>();
    table = new RoutingTable(routing); // one host: the stacks route over every interface
    for (int i = 0; i < links.size(); i++) {
      NetStack stack = new NetStack(env, links.get(i), meter, table);
      stacks.add(stack);
      InterfaceSetup setup = setups.get(i);
      stack.permanentNeighbours(setup.neighbours());
      setup.address().ifPresent(stack::configure);
      addressed.add(setup.dhcp() ? stack.dhcp().toCompletableFuture() : CompletableFuture.completedFuture(null));
    }
    // No deadline: like a real guest, the DHCP client asks until a server answers or the VM
    // stops, and the workloads start with the last address. DHCP completes inside a received
    // frame, so this runs on the VM thread like everything else.
    this.finished = finished;
    CompletableFuture.allOf(addressed.toArray(CompletableFuture[]::new))
        .thenRun(() -> {
          this.addressed = true;
          startWhenReady();
        });
  }

  @Override
  public void release() {
    held = false;
    startWhenReady();
  }

  private void startWhenReady() {
    if (!addressed) {
      return;
    }
    if (!serversStarted) {
      serversStarted = true;
      start(false);
    }
    if (!held && !clientsStarted) {
      clientsStarted = true;
      start(true);
    }
  }

  /**
   * A client sends first (to its target, or until its count or duration is done). A user's app
   * may do either, so it starts as a client does: once every VM is up, on one interface.
   */
  private static boolean client(Workload workload) {
    return workload.finite() || target(workload).isPresent()
        || workload instanceof io.fleetsim.guest.workload.AppWorkload;
  }

  /** Starts the clients or the servers; once every finite client has ended, tells {@code finished}. */
  private void start(boolean clients) {
    List<CompletableFuture<WorkloadResult>> finite = new ArrayList<>();
    for (int index = 0; index < workloads.size(); index++) {
      Workload workload = workloads.get(index);
      if (client(workload) != clients) {
        continue;
      }
      List<NetStack> on = clients ? List.of(stackFor(workload)) : stacks;
      for (NetStack stack : on) {
        WorkloadRun run = workload.start(stack.sockets());
        runs.add(new Started(index, workload, stack.mac(), run));
        if (workload.finite()) {
          finite.add(run.result().toCompletableFuture());
        }
      }
    }
    if (!clients || finite.isEmpty()) {
      return; // servers, or no finite client: the VM keeps serving until it is stopped
    }
    CompletableFuture.allOf(finite.toArray(CompletableFuture[]::new)).whenComplete((ok, err) ->
        finished.accept(err == null && finite.stream().allMatch(f -> f.join().success())));
  }

  private static Optional<Ipv4Address> target(Workload workload) {
    if (workload instanceof PingWorkload ping) {
      return Optional.of(ping.host());
    }
    if (workload instanceof io.fleetsim.guest.workload.TracerouteWorkload trace) {
      return Optional.of(trace.host());
    }
    if (workload instanceof UdpSendWorkload send) {
      return Optional.of(send.host());
    }
    if (workload instanceof TcpStreamWorkload stream) {
      return Optional.of(stream.host());
    }
    if (workload instanceof TcpRrWorkload rr) {
      return Optional.of(rr.host());
    }
    if (workload instanceof HttpGetWorkload get) {
      return Optional.of(get.host());
    }
    return Optional.empty();
  }

  /**
   * The interface the routing table sends the target's packets out of (so that the source
   * address is that interface's, as Linux picks it); the first when there is no target or no
   * route (the workload then reports the missing route itself).
   */
  private NetStack stackFor(Workload workload) {
    Optional<Ipv4Address> host = target(workload);
    if (host.isPresent()) {
      java.util.OptionalInt out = table.interfaceFor(host.get());
      if (out.isPresent()) {
        return stacks.get(out.getAsInt());
      }
    }
    return stacks.get(0);
  }

  @Override
  public GuestReport report() {
    List<InterfaceReport> interfaces = new ArrayList<>();
    for (NetStack stack : stacks) {
      interfaces.add(new InterfaceReport(stack.mac(), stack.config(), stack.counters().snapshot()));
    }
    List<WorkloadReport> results = new ArrayList<>();
    List<Started> declared = new ArrayList<>(runs);
    declared.sort(java.util.Comparator.comparingInt(Started::index)); // servers started first
    for (Started s : declared) {
      CompletableFuture<WorkloadResult> result = s.run().result().toCompletableFuture();
      boolean ended = result.isDone() && !result.isCompletedExceptionally();
      // the tally so far when not ended: a crash may end the workload before it ends itself
      results.add(new WorkloadReport(s.workload().describe(), s.index(), s.nic(), result.isDone(),
          ended ? Optional.of(result.join()) : Optional.empty(),
          ended ? Optional.empty() : Optional.of(s.run().snapshot())));
    }
    return new GuestReport(interfaces, results);
  }

  @Override
  public void shutdown() {
    for (Started s : runs) {
      s.run().stop();
    }
  }
}
