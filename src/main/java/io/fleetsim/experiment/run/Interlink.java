package io.fleetsim.experiment.run;

import io.fleetsim.experiment.Experiment;
import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fault.FaultChain;
import io.fleetsim.fault.FaultyPort;
import io.fleetsim.link.PortStats;
import io.fleetsim.link.Wire;
import io.fleetsim.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A link between two networks ({@code links.NAME}) as the run builds it: a fabric port on each
 * network, joined by a {@link Wire} each way with the link's standing latency, jitter, rate and
 * loss, and a fault chain each way ({@link FaultyPort} around the port on {@code a}) for faults
 * that target the link.
 *
 * <p>Out is from {@code a} (the first network of {@code between}) to {@code b}: frames leave a's
 * port, pass the out chain, then the a>b wire, and enter b's port. In is the reverse: b's port,
 * the b>a wire, the in chain, a's port. Each direction is counted by the two fabric ports (out
 * of one, into the other) with the chain's and the wire's books in between.
 *
 * <p>Back-pressure: the wire takes a frame only once the one before is serialised, an idle chain
 * passes frames only on demand, so what waits stays in the sending fabric's queue for the port,
 * which withholds its credit from the senders as for any port.
 */
final class Interlink {
  /** Frames the link's standing loss took. */
  static final String CAUSE_LOSS = "link-loss";
  /** In real time a frame may start up to this far back when the wire was free (Wire.Impairments). */
  private static final long REAL_TIME_SLACK_NANOS = 1_000_000L;

  private final Experiment.NetworkLink spec;
  private final FabricPort a;
  private final FabricPort b;
  private final FaultyPort faults;
  private final Wire ab;
  private final Wire ba;

  /**
   * {@code seed}: the link's own, from the experiment's and the link's index in the file (see
   * {@link #seed}); the two directions draw from {@code seed} and {@code seed + 1}. {@code
   * virtual}: whether {@code clock} is a virtual one (no slack needed there).
   */
  Interlink(Experiment.NetworkLink spec, FabricPort a, FabricPort b, long seed, boolean virtual,
      Clock clock) {
    this.spec = spec;
    this.a = a;
    this.b = b;
    this.faults = new FaultyPort(a, clock);
    long slack = virtual ? 0 : REAL_TIME_SLACK_NANOS;
    long latency = spec.latency().toNanos();
    long jitter = spec.jitter().toNanos();
    // unlike a network's cables, a link's rate applies in real time too: a WAN's rate is what
    // the experiment is about, and its milliseconds of serialisation are within a host's timers
    this.ab = new Wire(latency, spec.rateBitsPerSecond(), Wire.DEFAULT_MAX_IN_FLIGHT, clock,
        new Wire.Impairments(jitter, spec.loss(), seed, slack));
    this.ba = new Wire(latency, spec.rateBitsPerSecond(), Wire.DEFAULT_MAX_IN_FLIGHT, clock,
        new Wire.Impairments(jitter, spec.loss(), seed + 1, slack));
  }

  /**
   * The link's seed: the experiment's, mixed with the link's index in the file, so that each
   * link, and each run with another seed, draws its own.
   */
  static long seed(long experimentSeed, int index) {
    long x = experimentSeed * 0x9E3779B97F4A7C15L + (index + 1) * 0xD6E8FEB86659FD93L;
    x ^= x >>> 32;
    x *= 0xD6E8FEB86659FD93L;
    return x ^ (x >>> 32);
  }

  /** Runs the link: a's port, out chain, a>b wire, b's port, b>a wire, in chain, back to a. */
  void start(ActorSystem<Void> system) {
    faults.link().via(ab.flow()).join(b.link().via(ba.flow())).run(system);
  }

  String name() {
    return spec.name();
  }

  Experiment.NetworkLink spec() {
    return spec;
  }

  /** Where faults on the link go; its directions are those of the port on {@code a}, reversed. */
  FaultyPort faults() {
    return faults;
  }

  /** The row name of a direction: {@code wan a>b} for out, {@code wan b>a} for in. */
  String rowName(boolean out) {
    return spec.name() + " " + (out ? spec.a() + ">" + spec.b() : spec.b() + ">" + spec.a());
  }

  PortStats portA() {
    return a.counters().snapshot(a.name());
  }

  PortStats portB() {
    return b.counters().snapshot(b.name());
  }

  /** From a to b: out of a's port, into b's. */
  FrameBooks out() {
    return FrameBooks.around("out", portA().framesOut(), portB().framesIn(), faults.toWire(),
        ab.held(), onWire(ab));
  }

  /** From b to a: out of b's port, into a's. */
  FrameBooks in() {
    return FrameBooks.around("in", portB().framesOut(), portA().framesIn(), faults.fromWire(),
        ba.held(), onWire(ba));
  }

  /** The wire's losses by cause: its standing loss, and what was on it when the link ended. */
  private static Map<String, Long> onWire(Wire w) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(CAUSE_LOSS, w.dropped());
    out.put(FaultChain.CAUSE_LINK_CLOSED, w.lost());
    return out;
  }

  /** Frames delivered by the two fabric ports into the link (for the run's series). */
  long framesSoFar() {
    return a.counters().framesOutSoFar() + b.counters().framesOutSoFar();
  }

  long bytesSoFar() {
    return a.counters().bytesOutSoFar() + b.counters().bytesOutSoFar();
  }

  /** Frames lost on the link so far: its chains' drops and its wires' losses. */
  long lostSoFar() {
    return faults.fromWire().dropped() + faults.toWire().dropped() + ab.dropped() + ba.dropped()
        + ab.lost() + ba.lost();
  }

  /** A number that changes whenever a frame moves on this link (for waiting until it is quiet). */
  long motion() {
    return a.counters().framesOutSoFar() + b.counters().framesOutSoFar() + ab.framesIn()
        + ba.framesIn() + ab.framesOut() + ba.framesOut();
  }

  long held() {
    return faults.fromWire().held() + faults.toWire().held() + ab.held() + ba.held();
  }
}
