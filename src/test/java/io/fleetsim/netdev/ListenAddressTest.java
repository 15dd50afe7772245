package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.testing.FramedClient;
import io.fleetsim.testing.Fleetsim;
import io.fleetsim.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code listen=:PORT} and a stream server with an empty host bind what QEMU 7.2 binds: the IPv4
 * wildcard 0.0.0.0, and say so. Run as a user runs fleetsim, in a JVM whose default sockets are
 * IPv6 (which would bind [::] for 0.0.0.0): the tests' own JVM is IPv4-only.
 */
class ListenAddressTest {
  private static final Duration START = Duration.ofSeconds(30);

  @Test
  void anEmptyHostListensOnTheIpv4WildcardAsQemuDoes() throws Exception {
    int socketPort = Ports.free();
    int streamPort = Ports.free();
    try (Fleetsim hub = Fleetsim.startDualStack("hub",
        "-netdev", "socket,id=a,listen=:" + socketPort,
        "-netdev", "stream,id=b,server=on,addr.type=inet,addr.host=,addr.port=" + streamPort)) {
      hub.awaitLine(l -> l.startsWith("hub ready"), START);
      hub.awaitLine(l -> l.equals("netdev a: listening on 0.0.0.0:" + socketPort), START);
      hub.awaitLine(l -> l.equals("netdev b: listening on 0.0.0.0:" + streamPort), START);
      assertEquals(List.of("tcp"), listeningOn(socketPort), "an IPv4 socket, as QEMU's");
      assertEquals(List.of("tcp"), listeningOn(streamPort), "an IPv4 socket, as QEMU's");
      try (FramedClient a = FramedClient.connect("127.0.0.1", socketPort);
           FramedClient b = FramedClient.connect("127.0.0.1", streamPort)) {
        // reachable on the loopback address, like any 0.0.0.0 listener
        a.send(new byte[60]);
      }
      hub.terminate(START);
    }
  }

  /** Which of /proc/net/tcp and /proc/net/tcp6 list a socket listening on {@code port}. */
  private static List<String> listeningOn(int port) throws IOException {
    List<String> found = new ArrayList<>();
    String local = String.format(Locale.ROOT, ":%04X", port);
    for (String table : new String[] {"tcp", "tcp6"}) {
      Path path = Path.of("/proc/net", table);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        // f[1] is the local ADDR:PORT in hex, f[3] the state: 0A is LISTEN
        if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
          found.add(table);
        }
      }
    }
    return found;
  }
}
