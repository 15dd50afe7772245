package io.fleetsim.netdev;

import io.fleetsim.link.DropCause;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.Clock;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * One datagram socket as a flow: each element in is sent as one datagram to the endpoint's target,
 * each datagram received comes out as one element. Driven by Pekko's classic UDP layer through the
 * stage actor; the materialized value completes with the bound address once the socket is open.
 *
 * <p>Receiving follows demand: datagrams the fabric has not pulled wait in a small queue, and when
 * it holds {@code suspendReadingAt} the socket stops reading (Udp.SuspendReading) so that the
 * kernel buffer absorbs, and past its size drops, what comes next. Sending is acknowledged: at most
 * {@code sendsInFlight} datagrams are with the socket; a send it refuses is counted, not fatal.
 * Zero-length datagrams are never sent and are dropped when received (QEMU would stop reading).
 */
final class DatagramStage extends AbstractGraphStageWithMaterializedValue<
    FlowShape<ByteString, ByteString>, CompletionStage<InetSocketAddress>> {

  /** The largest UDP payload over IPv4 (65535 - 20 - 8); a larger send can only fail. */
  static final int MAX_UDP_PAYLOAD = 65507;

  private static final Logger log = LoggerFactory.getLogger(DatagramStage.class);

  private final Inlet<ByteString> toWire = Inlet.create("DatagramStage.toWire");
  private final Outlet<ByteString> fromWire = Outlet.create("DatagramStage.fromWire");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(toWire, fromWire);

  private final DatagramEndpoint endpoint;
  private final DatagramOptions options;
  private final PortCounters counters;
  private final Clock clock;

  DatagramStage(DatagramEndpoint endpoint, DatagramOptions options, PortCounters counters,
      Clock clock) {
    this.endpoint = endpoint;
    this.options = options;
    this.counters = counters;
    this.clock = clock;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, CompletionStage<InetSocketAddress>>
      createLogicAndMaterializedValuePair(Attributes inheritedAttributes) {
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    return Pair.create(new Logic(bound), bound);
  }

  /**
   * The acknowledgement Pekko's UDP layer returns for each datagram it sent: only then is the
   * frame counted out (the port leaves that to us, {@code Port.OutCount.WRITER}).
   */
  private record SendAck(int bytes) implements Udp.Event {}

  private final class Logic extends GraphStageLogic {
    private final CompletableFuture<InetSocketAddress> bound;
    private final ArrayDeque<ByteString> received = new ArrayDeque<>();
    private final EchoFilter echoFilter;
    private final List<Inet.SocketOption> socketOptions;
    private StageActor self;
    /** The UDP listener actor owning the socket; null until bound and while re-binding. */
    private ActorRef socket;
    private InetSocketAddress localAddress;
    /** A frame pulled before the socket died, sent once it is open again. */
    private ByteString heldFrame;
    private int sendsInFlight;
    private boolean readingSuspended;
    private boolean upstreamFinished;
    private boolean unboundByUs;
    private long sendErrorsLogged;

    Logic(CompletableFuture<InetSocketAddress> bound) {
      super(shape);
      this.bound = bound;
      this.socketOptions = DatagramSocketSetup.pekkoOptions(endpoint);
      this.echoFilter = endpoint instanceof DatagramEndpoint.Multicast
          ? options.echo().map(w -> new EchoFilter(w, clock::nanos)).orElse(null)
          : null;

      setHandler(toWire, new AbstractInHandler() {
        @Override
        public void onPush() {
          send(grab(toWire));
        }

        @Override
        public void onUpstreamFinish() {
          upstreamFinished = true;
          if (sendsInFlight == 0 && heldFrame == null) {
            finish();
          }
        }
      });
      setHandler(fromWire, new AbstractOutHandler() {
        @Override
        public void onPull() {
          ByteString next = received.poll();
          if (next != null) {
            push(fromWire, next);
            maybeResumeReading();
          }
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          finish();
        }
      });
    }

    @Override
    public void preStart() {
      self = getStageActor(this::onMessage);
      bind(endpoint.bindAddress());
    }

    private void bind(InetSocketAddress address) {
      Udp.get(materializer().system()).getManager()
          .tell(UdpMessage.bind(self.ref(), address, socketOptions), self.ref());
    }

    private BoxedUnit onMessage(Tuple2<ActorRef, Object> envelope) {
      Object message = envelope._2();
      if (message instanceof SendAck ack) {
        counters.frameOut(ack.bytes());
        onSent();
      } else if (message instanceof Udp.Received r) {
        onReceived(r.data());
      } else if (message instanceof Udp.Bound b) {
        onBound(envelope._1(), b.localAddress());
      } else if (message instanceof Udp.CommandFailed f) {
        onCommandFailed(f.cmd());
      } else if (message instanceof Terminated t) {
        onSocketTerminated(t.getActor());
      }
      return BoxedUnit.UNIT;
    }

    private void onBound(ActorRef listener, InetSocketAddress address) {
      socket = listener;
      self.watch(listener);
      if (localAddress == null) {
        localAddress = address;
        bound.complete(address);
      } else {
        log.debug("datagram socket {} is open again", address);
      }
      // A re-bound socket reads again; restore the suspension if the queue still asks for it.
      if (readingSuspended) {
        socket.tell(UdpMessage.suspendReading(), self.ref());
      }
      if (heldFrame != null) {
        ByteString frame = heldFrame;
        heldFrame = null;
        send(frame);
      } else {
        pullIfReady();
      }
    }

    private void onCommandFailed(Udp.Command command) {
      if (command instanceof Udp.Send) {
        counters.drop(DropCause.SEND_FAILED);
        onSent();
      } else if (command instanceof Udp.Bind) {
        String host = endpoint.bindAddress().getAddress().getHostAddress();
        String reason = endpoint instanceof DatagramEndpoint.Multicast m
            ? "can't bind ip=" + host + " to socket or add it to multicast group "
                + m.group().getHostAddress() + ": refused by the I/O layer"
            : "can't bind ip=" + host + " to socket: refused by the I/O layer";
        DatagramSetupException failure = new DatagramSetupException(reason);
        bound.completeExceptionally(failure);
        failStage(failure);
      }
    }

    private void send(ByteString frame) {
      if (socket == null) {
        heldFrame = frame; // re-opening after a send error: one frame waits, the rest upstream
        return;
      }
      if (frame.isEmpty()) {
        counters.drop(DropCause.ZERO_LENGTH);
      } else if (frame.size() > MAX_UDP_PAYLOAD) {
        // The kernel would refuse it, and Pekko's UDP layer closes the socket on such an error.
        counters.drop(DropCause.SEND_FAILED);
      } else {
        if (echoFilter != null) {
          echoFilter.sent(frame);
        }
        sendsInFlight++;
        socket.tell(UdpMessage.send(frame, endpoint.target(), new SendAck(frame.size())), self.ref());
      }
      pullIfReady();
    }

    private void onSent() {
      sendsInFlight--;
      if (upstreamFinished && sendsInFlight == 0) {
        finish();
      } else {
        pullIfReady();
      }
    }

    private void pullIfReady() {
      if (socket != null && sendsInFlight < options.sendsInFlight() && !hasBeenPulled(toWire)
          && !isClosed(toWire)) {
        pull(toWire);
      }
    }

    private void onReceived(ByteString datagram) {
      if (datagram.isEmpty()) {
        counters.drop(DropCause.ZERO_LENGTH);
      } else if (echoFilter != null && echoFilter.isEcho(datagram)) {
        // Our own frame looped back by the kernel: not news for the fabric (see EchoFilter).
      } else if (received.isEmpty() && isAvailable(fromWire)) {
        push(fromWire, datagram);
      } else if (received.size() < options.receiveQueue()) {
        received.add(datagram);
      } else {
        counters.drop(DropCause.RECEIVE_OVERFLOW);
      }
      if (readingSuspended) {
        // Pekko's listener re-enables reading after every batch it reads, so a suspension that
        // crossed a batch in flight is lost: say it again whenever a datagram still arrives.
        socket.tell(UdpMessage.suspendReading(), self.ref());
      } else if (received.size() >= options.suspendReadingAt()) {
        readingSuspended = true;
        socket.tell(UdpMessage.suspendReading(), self.ref());
      }
    }

    private void maybeResumeReading() {
      if (readingSuspended && received.size() <= options.resumeReadingAt() && socket != null) {
        readingSuspended = false;
        socket.tell(UdpMessage.resumeReading(), self.ref());
      }
    }

    /**
     * Pekko's UDP listener stops when a send throws (e.g. EACCES for a broadcast address, or no
     * route): the datagrams with it are lost, and the socket is opened again on the same address,
     * so one bad destination does not take the netdev down. A failing re-bind fails the stage.
     * (It also stops when the actor system shuts down; the re-bind then goes nowhere, harmlessly.)
     */
    private void onSocketTerminated(ActorRef listener) {
      if (listener != socket || unboundByUs) {
        return;
      }
      socket = null;
      if (sendsInFlight > 0) {
        counters.drop(DropCause.SEND_FAILED, sendsInFlight);
        if (sendErrorsLogged++ == 0) {
          log.warn("datagram socket {}: a send to {} failed, socket re-opened; further failures "
              + "are only counted (drops: send-failed)",
              DatagramEndpoints.format(localAddress.getAddress(), localAddress.getPort()),
              DatagramEndpoints.format(endpoint.target().getAddress(), endpoint.target().getPort()));
        }
      } else {
        log.debug("datagram socket {} was closed under us; re-opening", localAddress);
      }
      sendsInFlight = 0;
      if (upstreamFinished && heldFrame == null) {
        finish();
      } else {
        bind(localAddress);
      }
    }

    private void finish() {
      counters.drop(DropCause.PEER_LOST, received.size());
      received.clear();
      completeStage();
    }

    @Override
    public void postStop() {
      if (socket != null) {
        unboundByUs = true;
        socket.tell(UdpMessage.unbind(), ActorRef.noSender());
      }
      if (!bound.isDone()) {
        bound.completeExceptionally(
            new DatagramSetupException("datagram socket stopped before it was bound"));
      }
    }
  }
}
