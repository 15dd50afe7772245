package io.fleetsim.netdev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.io.Inet;

/**
 * QEMU's datagram socket set-up, in one place for both the start-up check in
 * {@link DatagramEndpoints} and the socket Pekko's UDP layer really opens: a channel of the
 * endpoint's protocol family (INET for multicast, whatever {@code java.net.preferIPv4Stack} says),
 * SO_REUSEADDR (QEMU sets it on multicast and unicast sockets alike), then, for multicast, after
 * the bind to the group address: join on the interface, loop back on, and the sending interface
 * when {@code localaddr} was given. The multicast TTL stays at the kernel default (1), as in QEMU.
 */
final class DatagramSocketSetup {
  private DatagramSocketSetup() {}

  static DatagramChannel open(ProtocolFamily family) throws IOException {
    DatagramChannel channel = DatagramChannel.open(family);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  static void join(DatagramEndpoint.Multicast m, DatagramChannel channel) throws IOException {
    channel.join(m.group(), m.iface());
  }

  static void loopBack(DatagramChannel channel) throws IOException {
    // Several QEMUs and fleetsims on one host see each other only through the loop back.
    channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
  }

  static void sendInterface(DatagramEndpoint.Multicast m, DatagramChannel channel)
      throws IOException {
    if (m.explicitInterface()) {
      channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, m.iface());
    }
  }

  /** The same set-up as options of a Pekko {@code Udp.Bind}. */
  static List<Inet.SocketOption> pekkoOptions(DatagramEndpoint endpoint) {
    List<Inet.SocketOption> options = new ArrayList<>();
    options.add(new ChannelCreator(endpoint));
    if (endpoint instanceof DatagramEndpoint.Multicast m) {
      options.add(new Membership(m));
    }
    return options;
  }

  /** Pekko opens the channel through this, so the family and SO_REUSEADDR are ours. */
  private static final class ChannelCreator extends Inet.DatagramChannelCreator {
    private final DatagramEndpoint endpoint;

    ChannelCreator(DatagramEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public DatagramChannel create() throws Exception {
      return open(endpoint.family());
    }
  }

  /** Runs after Pekko bound the socket to the group address: QEMU's order from here on. */
  private static final class Membership extends Inet.AbstractSocketOptionV2 {
    private final DatagramEndpoint.Multicast multicast;

    Membership(DatagramEndpoint.Multicast multicast) {
      this.multicast = multicast;
    }

    @Override
    public void afterBind(DatagramSocket socket) {
      try {
        DatagramChannel channel = socket.getChannel();
        join(multicast, channel);
        loopBack(channel);
        sendInterface(multicast, channel);
      } catch (IOException e) {
        // Pekko turns this into CommandFailed(Bind); the start-up check already named the cause.
        throw new UncheckedIOException(e);
      }
    }
  }
}
