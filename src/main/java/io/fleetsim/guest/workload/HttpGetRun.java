package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.Timer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One http-get run: one request at a time. Events of a connection the run has left behind are
 * ignored (each connection has its own handler, and only the current one counts).
 */
final class HttpGetRun implements WorkloadRun {
  private final HttpGetWorkload spec;
  private final Sockets stack;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private final List<HttpGetRequest> requests = new ArrayList<>();
  private final String hostHeader;
  private long firstAt;
  private int connections;
  private Connection current;
  private Timer next;
  private HttpGetResult last;
  private boolean done;

  // the request in progress
  private boolean active;
  private boolean reused;
  private long startedAt;
  private final InputBuffer in = new InputBuffer();
  private HttpResponseHead head;
  private long bodyLeft;
  private ChunkedDecoder chunked;
  private Sha256 sha;
  private long bodyBytes;
  private boolean anyResponseByte;

  HttpGetRun(HttpGetWorkload spec, Sockets stack) {
    this.spec = spec;
    this.stack = stack;
    this.hostHeader = spec.host() + (spec.port() == 80 ? "" : ":" + spec.port());
  }

  void begin() {
    firstAt = stack.nanoTime();
    startRequest();
  }

  /** One TCP connection; {@code usable} while the server lets a next request follow. */
  private final class Connection implements TcpHandler {
    final int number = ++connections;
    final TcpSocket socket;
    boolean open;
    boolean usable = true;
    int requestsCarried;
    byte[] out = new byte[0];
    int outSent;

    Connection() {
      socket = stack.tcpConnect(spec.host(), spec.port(), this);
      spec.userTimeout().ifPresent(socket::userTimeout);
    }

    @Override
    public void connected(TcpSocket s) {
      open = true;
      if (this == current) {
        flush();
      }
    }

    void send(byte[] request) {
      out = request;
      outSent = 0;
      requestsCarried++;
      if (open) {
        flush();
      }
    }

    void flush() {
      if (outSent < out.length) {
        outSent += socket.send(out, outSent, out.length - outSent);
      }
    }

    @Override
    public void writable(TcpSocket s) {
      if (this == current) {
        flush();
      }
    }

    @Override
    public void received(TcpSocket s, byte[] data) {
      if (this == current && active) {
        anyResponseByte = true;
        in.append(data);
        parse();
      } else if (this == current) {
        usable = false; // bytes nobody asked for: the framing is lost
      }
    }

    @Override
    public void peerClosed(TcpSocket s) {
      usable = false;
      if (this == current && active) {
        ended(Optional.empty());
      }
      s.close();
    }

    @Override
    public void closed(TcpSocket s, Optional<TcpError> error) {
      usable = false;
      open = false;
      if (this == current && active) {
        ended(error);
      }
    }
  }

  private void startRequest() {
    next = null;
    if (done) {
      return;
    }
    active = true;
    startedAt = stack.nanoTime();
    in.clear();
    head = null;
    chunked = null;
    sha = new Sha256();
    bodyBytes = 0;
    anyResponseByte = false;
    boolean lastOne = requests.size() + 1 >= spec.count();
    String request = "GET " + spec.path() + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + "\r\n"
        + "User-Agent: fleetsim-http-get\r\n"
        + "Accept: */*\r\n"
        + (lastOne ? "Connection: close\r\n" : "")
        + "\r\n";
    if (current == null || !current.usable) {
      if (current != null) {
        current.socket.close();
      }
      current = new Connection();
    }
    reused = current.requestsCarried > 0;
    current.send(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads what arrived: the head, then the body as framed. */
  private void parse() {
    while (active) {
      if (head == null) {
        HeadParse<HttpResponseHead> p = HttpResponseHead.parse(in.array(), in.start(), in.end());
        if (p.bad()) {
          fail("bad-response", p.problem());
          return;
        }
        if (!p.complete()) {
          return;
        }
        in.consume(p.length());
        if (p.head().status() < 200 && p.head().status() != 101) {
          continue; // an interim response (100 Continue): the real one follows
        }
        head = p.head();
        switch (head.framing()) {
          case NONE:
            complete();
            return;
          case LENGTH:
            bodyLeft = head.fields().contentLength();
            break;
          case CHUNKED:
            chunked = new ChunkedDecoder();
            break;
          default:
            bodyLeft = Long.MAX_VALUE;
            break;
        }
        if (head.framing() == HttpResponseHead.Framing.LENGTH && bodyLeft == 0) {
          complete();
          return;
        }
      }
      if (in.size() == 0) {
        return;
      }
      if (chunked != null) {
        int used = chunked.feed(in.array(), in.start(), in.size(), this::body);
        in.consume(used);
        if (chunked.problem() != null) {
          fail("bad-response", chunked.problem());
        } else if (chunked.done()) {
          complete();
        }
        return;
      }
      int n = (int) Math.min(bodyLeft, in.size());
      body(in.array(), in.start(), n);
      in.consume(n);
      bodyLeft -= n;
      if (bodyLeft == 0) {
        complete();
      }
      return;
    }
  }

  private void body(byte[] b, int offset, int length) {
    sha.update(b, offset, length);
    bodyBytes += length;
  }

  /** The connection ended (FIN or an error) with this request outstanding. */
  private void ended(Optional<TcpError> error) {
    if (error.isEmpty() && head != null && head.framing() == HttpResponseHead.Framing.CLOSE) {
      complete(); // HTTP/1.0 style: the close ends the body
      return;
    }
    boolean benign = error.isEmpty() || error.get().kind() == TcpError.Kind.RESET;
    if (reused && !anyResponseByte && benign) {
      // The server dropped a kept connection as our request left: once more on a fresh one.
      // Only once: on a fresh connection the request is not "reused", so it cannot come here.
      current.usable = false;
      active = false;
      startRequest();
      return;
    }
    if (error.isPresent()) {
      fail(error.get().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          error.get().message());
    } else {
      fail("closed", "the server closed the connection " + (head == null
          ? "before a response" : "after " + bodyBytes + " body bytes"));
    }
  }

  private void complete() {
    record(new HttpGetRequest(requests.size() + 1, current.number, reused, head.status(),
        bodyBytes, stack.nanoTime() - startedAt, Optional.of(sha.hex()), Optional.empty(),
        Optional.empty()));
    if (!head.keepAlive() || in.size() > 0) {
      current.usable = false;
    }
    if (!current.usable) {
      current.socket.close();
    }
  }

  private void fail(String error, String detail) {
    record(new HttpGetRequest(requests.size() + 1, current.number, reused,
        head == null ? 0 : head.status(), bodyBytes, stack.nanoTime() - startedAt,
        Optional.empty(), Optional.of(error), Optional.of(detail)));
    current.usable = false;
    current.socket.close();
  }

  /** Ends the request in progress: its line, then the next request or the end. */
  private void record(HttpGetRequest r) {
    active = false;
    requests.add(r);
    stack.print("GET " + spec.url() + " " + (r.error().isPresent()
        ? "error " + r.error().get() + ": " + r.detail().orElse("")
        : r.status() + " " + r.bytes() + " bytes " + Goodput.seconds(r.elapsedNanos())
            + " sha256=" + r.sha256().orElse("")));
    if (done) {
      return;
    }
    if (requests.size() >= spec.count()) {
      finish();
      return;
    }
    long due = firstAt + spec.interval().map(d -> d.toNanos() * requests.size()).orElse(0L);
    // never inside the callback that ended the last one: a fresh stack frame per request
    next = stack.schedule(Math.max(0, due - stack.nanoTime()), this::startRequest);
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true; // from here record() only records
    if (active) {
      fail("stopped", "the run was stopped before the response ended");
    }
    if (next != null) {
      next.cancel();
    }
    if (current != null) {
      current.socket.close();
    }
    last = new HttpGetResult(spec.url(), spec.count(), connections, requests);
    stack.print(last.summary());
    result.complete(last);
  }

  @Override
  public HttpGetResult snapshot() {
    if (done) {
      return last;
    }
    return new HttpGetResult(spec.url(), spec.count(), connections, requests);
  }

  @Override
  public CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public void stop() {
    finish();
  }

  @Override
  public boolean done() {
    return done;
  }
}
