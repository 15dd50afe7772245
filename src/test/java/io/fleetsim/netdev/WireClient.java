package io.fleetsim.netdev;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.pekko.util.ByteString;

/** A plain blocking socket speaking QEMU's framing by hand, as a VM or a test peer would. */
final class WireClient implements AutoCloseable {
  /** The TCP socket, or null for a unix channel. */
  final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final java.io.Closeable closeable;

  WireClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true); // a frame goes out when flushed, as QEMU's sendmsg per frame
    this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(
        new java.io.BufferedOutputStream(socket.getOutputStream(), 128 * 1024));
    this.closeable = socket;
  }

  /** A blocking unix socket channel; use it from one thread at a time. */
  WireClient(java.nio.channels.SocketChannel channel) {
    this.socket = null;
    this.in = new DataInputStream(java.nio.channels.Channels.newInputStream(channel));
    this.out = new DataOutputStream(new java.io.BufferedOutputStream(
        java.nio.channels.Channels.newOutputStream(channel), 128 * 1024));
    this.closeable = channel;
  }

  static WireClient connectUnix(java.nio.file.Path path) throws IOException {
    return new WireClient(java.nio.channels.SocketChannel.open(
        java.net.UnixDomainSocketAddress.of(path)));
  }

  static WireClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return new WireClient(socket);
  }

  void writeFrame(byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int length = in.readInt();
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }

  byte[] readBytes(int n) throws IOException {
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  int readInt() throws IOException {
    return in.readInt();
  }

  /** Reads until the peer closes; returns -1 at end of stream, or throws on reset. */
  int read() throws IOException {
    return in.read();
  }

  static byte[] frame(int length, int seed) {
    byte[] frame = new byte[length];
    for (int i = 0; i < length; i++) {
      frame[i] = (byte) (seed * 31 + i);
    }
    return frame;
  }

  static ByteString bytes(byte[] frame) {
    return ByteString.fromArray(frame);
  }

  @Override
  public void close() throws IOException {
    closeable.close();
  }
}
