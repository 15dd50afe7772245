package io.fleetsim.qemu;

import java.time.Duration;
import java.util.Optional;

/** One validated {@code -netdev} option. Socket, stream and dgram forms map onto these shapes. */
public sealed interface NetdevSpec
    permits NetdevSpec.Stream, NetdevSpec.Multicast, NetdevSpec.Udp, NetdevSpec.InheritedFd,
        NetdevSpec.Hubport {

  String id();

  /** The option as the user wrote it, for messages. */
  String source();

  /**
   * A 4-byte-length framed stream: {@code socket,listen=} / {@code socket,connect=} and
   * {@code stream,server=on|off}. {@code reconnect} is zero when the client must not reconnect.
   */
  record Stream(String id, boolean server, SocketAddr addr, Duration reconnect, String source)
      implements NetdevSpec {}

  /** {@code socket,mcast=group:port[,localaddr=ip]} or {@code dgram} with a multicast remote. */
  record Multicast(String id, SocketAddr.Inet group, Optional<String> localAddr, String source)
      implements NetdevSpec {}

  /** {@code socket,udp=rhost:rport,localaddr=lhost:lport} or {@code dgram} inet local+remote. */
  record Udp(String id, SocketAddr local, SocketAddr remote, String source)
      implements NetdevSpec {}

  /** {@code socket,fd=N}: stream or datagram depending on what the inherited socket is. */
  record InheritedFd(String id, int fd, String source) implements NetdevSpec {}

  /** {@code hubport,hubid=N[,netdev=ID]}: puts netdev ID on hub N. */
  record Hubport(String id, int hubId, Optional<String> netdev, String source)
      implements NetdevSpec {}
}
