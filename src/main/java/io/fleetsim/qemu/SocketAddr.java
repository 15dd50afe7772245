package io.fleetsim.qemu;

/** An endpoint of a stream or datagram netdev, as QEMU's {@code addr.type=inet|unix|fd}. */
public sealed interface SocketAddr permits SocketAddr.Inet, SocketAddr.Unix, SocketAddr.Fd {

  /** {@code host} is "" for "any address" (QEMU's {@code listen=:1234}). */
  record Inet(String host, int port) implements SocketAddr {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  record Unix(String path) implements SocketAddr {
    @Override
    public String toString() {
      return "unix:" + path;
    }
  }

  /** An already open socket handed down by the parent process. */
  record Fd(int fd) implements SocketAddr {
    @Override
    public String toString() {
      return "fd:" + fd;
    }
  }
}
