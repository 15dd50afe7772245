package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One http-serve run. Each connection reads a request head, answers it in full (the body made
 * from its offset as the send buffer takes it), then reads the next: requests that arrive
 * meanwhile wait in the input, and reading pauses once that holds more than a head's worth.
 */
final class HttpServeRun extends TallyRun<HttpServeResult> {
  private static final int CHUNK = 16 * 1024;
  private static final byte[] NOT_FOUND = "not found\n".getBytes(StandardCharsets.US_ASCII);

  private final HttpServeWorkload spec;
  private final TcpListener listener;
  private final Map<Integer, Long> responses = new TreeMap<>();
  private final byte[] chunk = new byte[CHUNK];
  private long connections;
  private long requests;
  private long badRequests;
  private long bytesSent;

  HttpServeRun(HttpServeWorkload spec, Sockets stack) {
    super(stack);
    this.spec = spec;
    stack.print(HttpServeWorkload.KIND + " " + spec.port() + ": body " + spec.size()
        + " bytes sha256=" + spec.sha256());
    this.listener = stack.tcpListen(spec.port(), socket -> {
      connections++;
      return new Connection();
    });
  }

  /** One connection: a request is read, answered, then the next. */
  private final class Connection implements TcpHandler {
    final InputBuffer in = new InputBuffer();
    /** The response being sent: its head (and any short body), then pattern bytes. */
    byte[] head;
    int headSent;
    long bodyLeft;
    long bodyOffset;
    int status;
    boolean closeAfter;
    boolean responding;
    /** Request body bytes (Content-Length) still to skip. */
    long skip;
    boolean peerClosed;
    boolean closed;
    boolean paused;

    @Override
    public void received(TcpSocket s, byte[] data) {
      if (closed) {
        return;
      }
      in.append(data);
      process(s);
    }

    @Override
    public void writable(TcpSocket s) {
      process(s);
    }

    @Override
    public void peerClosed(TcpSocket s) {
      peerClosed = true;
      process(s);
    }

    @Override
    public void closed(TcpSocket s, Optional<TcpError> error) {
      closed = true;
    }

    private void process(TcpSocket s) {
      while (!closed) {
        if (responding) {
          if (!send(s)) {
            return; // writable follows
          }
          continue;
        }
        if (skip > 0) {
          int n = (int) Math.min(skip, in.size());
          in.consume(n);
          skip -= n;
          if (skip > 0) {
            break;
          }
        }
        HeadParse<HttpRequestHead> p = HttpRequestHead.parse(in.array(), in.start(), in.end());
        if (p.bad()) {
          requests++;
          badRequests++;
          in.clear();
          respond(p.status(), reasonOf(p.status()), (p.problem() + "\n").getBytes(
              StandardCharsets.ISO_8859_1), 0, true, false);
          continue;
        }
        if (!p.complete()) {
          break;
        }
        requests++;
        in.consume(p.length());
        HttpRequestHead r = p.head();
        long length = r.fields().contentLength();
        skip = Math.max(0, length);
        answer(r);
      }
      if (closed) {
        return;
      }
      // Flow control: while a response is pending, at most one head's worth is buffered.
      boolean full = in.size() > HttpHead.MAX_HEAD;
      if (full != paused) {
        paused = full;
        if (full) {
          s.pauseReceiving();
        } else {
          s.resumeReceiving();
        }
      }
      if (peerClosed && !responding) {
        // What is left cannot become a request any more: the client is done.
        closed = true;
        s.close();
      }
    }

    private void answer(HttpRequestHead r) {
      boolean keep = r.keepAlive();
      boolean head = r.method().equals("HEAD");
      if (!head && !r.method().equals("GET")) {
        respond(501, "Not Implemented", "only GET and HEAD\n".getBytes(StandardCharsets.US_ASCII),
            0, !keep, r.minor() == 0 && keep);
      } else if (!r.path().equals("/")) {
        respond(404, "Not Found", head ? new byte[0] : NOT_FOUND, head ? -NOT_FOUND.length : 0,
            !keep, r.minor() == 0 && keep);
      } else {
        respond(200, "OK", new byte[0], head ? -spec.size() : spec.size(), !keep,
            r.minor() == 0 && keep);
      }
    }

    /**
     * Starts a response: {@code text} is a short body sent with the head; {@code pattern} more
     * body bytes of the stream pattern, or when negative a HEAD response's Content-Length only.
     */
    private void respond(int code, String reason, byte[] text, long pattern, boolean close,
        boolean sayKeepAlive) {
      long length = pattern < 0 ? -pattern : text.length + pattern;
      String h = "HTTP/1.1 " + code + " " + reason + "\r\n"
          + "Server: fleetsim\r\n"
          + "Content-Type: " + (code == 200 ? "application/octet-stream" : "text/plain") + "\r\n"
          + "Content-Length: " + length + "\r\n"
          + (close ? "Connection: close\r\n" : sayKeepAlive ? "Connection: keep-alive\r\n" : "")
          + "\r\n";
      byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
      head = new byte[hb.length + text.length];
      System.arraycopy(hb, 0, head, 0, hb.length);
      System.arraycopy(text, 0, head, hb.length, text.length);
      headSent = 0;
      bodyLeft = Math.max(0, pattern);
      bodyOffset = 0;
      status = code;
      closeAfter = close;
      responding = true;
    }

    /** Sends what the buffer takes; true once the response is out. */
    private boolean send(TcpSocket s) {
      while (headSent < head.length) {
        int n = s.send(head, headSent, head.length - headSent);
        headSent += n;
        bytesSent += n;
        if (n == 0) {
          return false;
        }
      }
      while (bodyLeft > 0) {
        int n = (int) Math.min(CHUNK, bodyLeft);
        StreamPattern.fill(bodyOffset, chunk, 0, n);
        int taken = s.send(chunk, 0, n);
        bodyOffset += taken;
        bodyLeft -= taken;
        bytesSent += taken;
        if (taken < n) {
          return false;
        }
      }
      responding = false;
      responses.merge(status, 1L, Long::sum);
      if (closeAfter) {
        closed = true;
        in.clear();
        s.close();
      }
      return true;
    }
  }

  private static String reasonOf(int status) {
    switch (status) {
      case 400: return "Bad Request";
      case 431: return "Request Header Fields Too Large";
      case 501: return "Not Implemented";
      case 505: return "HTTP Version Not Supported";
      default: return "Error";
    }
  }

  @Override
  HttpServeResult tally() {
    return new HttpServeResult(spec.port(), spec.size(), spec.sha256(), connections, requests,
        badRequests, responses, bytesSent);
  }

  @Override
  void release() {
    listener.close();
  }
}
