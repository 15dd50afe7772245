package io.fleetsim.netdev;

import io.fleetsim.link.PortCounters;
import io.fleetsim.time.Clock;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Datagram sockets as Pekko Streams flows: one element in, one datagram out to the endpoint's
 * target; one datagram received, one element out. Each materialization opens its own socket and
 * its value completes with the bound address (or fails with a {@link DatagramSetupException}).
 * Drops it causes (zero-length, send-failed, receive-overflow, peer-lost) go to {@code counters};
 * {@code clock} ages a multicast socket's remembered frames ({@link EchoWindow}).
 */
public final class UdpTransport {
  private UdpTransport() {}

  public static Flow<ByteString, ByteString, CompletionStage<InetSocketAddress>> flow(
      DatagramEndpoint endpoint, DatagramOptions options, PortCounters counters, Clock clock) {
    return Flow.fromGraph(new DatagramStage(endpoint, options, counters, clock));
  }
}
