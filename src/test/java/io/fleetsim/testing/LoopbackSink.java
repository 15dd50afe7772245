package io.fleetsim.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Takes one connection on 127.0.0.1 and reads {@code expected} bytes from it (or up to end of
 * stream, whichever comes first), then reports how many came and their SHA-256. The count is
 * given up front because a slirp guestfwd connection never sees the guest's FIN.
 */
public final class LoopbackSink implements AutoCloseable {
  /** What arrived: byte count and lower-case hex SHA-256. */
  public record Received(long bytes, String sha256) {}

  private final ServerSocket server;
  private final CompletableFuture<Received> received = new CompletableFuture<>();

  /** Listening once this returns. */
  public LoopbackSink(long expected) throws IOException {
    this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> take(expected), "loopback-sink");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public CompletableFuture<Received> received() {
    return received;
  }

  private void take(long expected) {
    try (Socket s = server.accept()) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      while (total < expected) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - total));
        if (n < 0) {
          break;
        }
        sha.update(buffer, 0, n);
        total += n;
      }
      received.complete(new Received(total, HexFormat.of().formatHex(sha.digest())));
    } catch (IOException | NoSuchAlgorithmException e) {
      received.completeExceptionally(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
