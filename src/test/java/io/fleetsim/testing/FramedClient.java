package io.fleetsim.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;

/** A test peer speaking QEMU's TCP framing (4-byte big-endian length, then the frame). */
public final class FramedClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private FramedClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  public static FramedClient connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 5_000);
    return new FramedClient(s);
  }

  public static FramedClient wrap(Socket socket) throws IOException {
    return new FramedClient(socket);
  }

  public void send(byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  /** The next frame, or empty if none arrives within {@code timeoutMillis}. */
  public Optional<byte[]> receive(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      int len = in.readInt();
      byte[] frame = new byte[len];
      in.readFully(frame);
      return Optional.of(frame);
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
