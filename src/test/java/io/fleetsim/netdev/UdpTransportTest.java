package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetsim.link.PortCounters;
import io.fleetsim.time.RealClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The datagram flow on its own, without actor or port. */
@ExtendWith(TestKitJUnit5Extension.class)
class UdpTransportTest {
  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private record Running(TestPublisher.Probe<ByteString> toWire, InetSocketAddress bound,
      TestSubscriber.Probe<ByteString> fromWire, PortCounters counters) {}

  private Running run(InetSocketAddress local, InetSocketAddress remote) throws Exception {
    PortCounters counters = new PortCounters();
    Pair<Pair<TestPublisher.Probe<ByteString>, java.util.concurrent.CompletionStage<InetSocketAddress>>,
        TestSubscriber.Probe<ByteString>> mat = TestSource.<ByteString>create(testKit.system())
        .viaMat(UdpTransport.flow(new DatagramEndpoint.Unicast(local, remote),
            DatagramOptions.defaults(), counters, RealClock.system()), Keep.both())
        .toMat(TestSink.create(testKit.system()), Keep.both())
        .run(testKit.system());
    InetSocketAddress bound = mat.first().second().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return new Running(mat.first().first(), bound, mat.second(), counters);
  }

  private static DatagramSocket plainSocket() throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static int receiveLength(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[70000], 70000);
    socket.receive(packet);
    return packet.getLength();
  }

  @Test
  void materializesTheBoundAddressAndCarriesDatagramsBothWays() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      Running r = run(new InetSocketAddress(LOOPBACK, 0),
          new InetSocketAddress(LOOPBACK, plain.getLocalPort()));
      assertEquals(LOOPBACK, r.bound().getAddress());

      byte[] hello = "hello".getBytes();
      plain.send(new DatagramPacket(hello, hello.length, r.bound()));
      r.fromWire().request(1);
      assertEquals(ByteString.fromString("hello"), r.fromWire().expectNext());

      r.toWire().sendNext(ByteString.fromString("12345"));
      assertEquals(5, receiveLength(plain));
    }
  }

  @Test
  void aFrameTooLargeForUdpIsDroppedAsSendFailed() throws Exception {
    try (DatagramSocket plain = plainSocket()) {
      plain.setReceiveBufferSize(1 << 20);
      Running r = run(new InetSocketAddress(LOOPBACK, 0),
          new InetSocketAddress(LOOPBACK, plain.getLocalPort()));
      r.toWire().sendNext(ByteString.fromArray(new byte[DatagramStage.MAX_UDP_PAYLOAD + 1]));
      r.toWire().sendNext(ByteString.fromArray(new byte[DatagramStage.MAX_UDP_PAYLOAD]));
      assertEquals(DatagramStage.MAX_UDP_PAYLOAD, receiveLength(plain),
          "the largest datagram goes; the one above it does not");
      assertEquals(1L, r.counters().snapshot("t").drops().get("send-failed"));
    }
  }

  @Test
  void completingTheFramesToSendClosesTheSocket() throws Exception {
    Running r = run(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 9));
    r.toWire().sendComplete();
    r.fromWire().request(1);
    r.fromWire().expectComplete();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcNetUdp.receiveQueue(r.bound()) != -1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(-1, ProcNetUdp.receiveQueue(r.bound()), "socket closed");
  }

  @Test
  void aBindTheIoLayerRefusesFailsTheMaterializedValue() throws Exception {
    // Normally DatagramEndpoints catches this first, with the kernel's reason.
    try (DatagramSocket holder = plainSocket()) {
      PortCounters counters = new PortCounters();
      var bound = TestSource.<ByteString>create(testKit.system())
          .viaMat(UdpTransport.flow(new DatagramEndpoint.Unicast(
                  new InetSocketAddress(LOOPBACK, holder.getLocalPort()),
                  new InetSocketAddress(LOOPBACK, 9)), DatagramOptions.defaults(), counters,
                      RealClock.system()),
              Keep.right())
          .to(TestSink.create(testKit.system()))
          .run(testKit.system());
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> bound.toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertInstanceOf(DatagramSetupException.class, e.getCause());
      assertEquals("can't bind ip=127.0.0.1 to socket: refused by the I/O layer",
          e.getCause().getMessage());
    }
  }
}
