package io.fleetsim.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 that answers every request of every connection with
 * one fixed body and its Content-Length, and never closes a connection first. That suits a
 * slirp {@code guestfwd=...-tcp:HOST:PORT} rule: QEMU opens one connection when it starts and
 * carries the guest's bytes over it, but passes neither side's close on, so the response must
 * say how long it is.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] body;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

  /** Listening (and so connectable) once this returns. */
  public LoopbackHttpServer(byte[] body) throws IOException {
    this.body = body.clone();
    this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "loopback-http");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The request lines seen so far ({@code GET / HTTP/1.1}). */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket s = server.accept();
        accepted.add(s);
        Thread t = new Thread(() -> serve(s), "loopback-http-conn");
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException closed) {
      // closed by close()
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        requests.add(head.lines().findFirst().orElse(""));
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException gone) {
      // the peer left
    }
  }

  /** The request head up to its blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
