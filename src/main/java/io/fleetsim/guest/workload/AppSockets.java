package io.fleetsim.guest.workload;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpAcceptor;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.Timer;
import io.fleetsim.guest.socket.UdpHandler;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The stack's sockets as a user's app gets them: every callback into the app runs through its
 * run's guard (an exception ends the run, not the VM; after the end nothing reaches the app),
 * and what the app opens is remembered so that the end of the run closes it: ports unbound,
 * timers cancelled, connections aborted. Insertion-ordered sets: closing happens in a fixed
 * order, so a replay sends the same segments.
 */
final class AppSockets implements Sockets {
  private final Sockets stack;
  private final AppRun run;
  private final Set<Timer> timers = new LinkedHashSet<>();
  private final Set<UdpSocket> udp = new LinkedHashSet<>();
  private final Set<EchoSocket> echo = new LinkedHashSet<>();
  private final Set<TcpListener> listeners = new LinkedHashSet<>();
  private final Set<TcpSocket> connections = new LinkedHashSet<>();

  AppSockets(Sockets stack, AppRun run) {
    this.stack = stack;
    this.run = run;
  }

  /** The run is over: everything the app left open goes. */
  void closeAll() {
    List<Runnable> closes = new ArrayList<>();
    timers.forEach(t -> closes.add(t::cancel));
    udp.forEach(s -> closes.add(s::close));
    echo.forEach(s -> closes.add(s::close));
    listeners.forEach(l -> closes.add(l::close));
    connections.forEach(c -> closes.add(c::abort));
    timers.clear();
    udp.clear();
    echo.clear();
    listeners.clear();
    connections.clear();
    for (Runnable close : closes) {
      try {
        close.run();
      } catch (RuntimeException e) {
        // closed already by the app: nothing left to release
      }
    }
  }

  @Override
  public long nanoTime() {
    return stack.nanoTime();
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    Timer[] self = new Timer[1];
    Timer t = stack.schedule(delayNanos, () -> {
      timers.remove(self[0]);
      run.guard("a timer", task);
    });
    self[0] = t;
    timers.add(t);
    return () -> {
      timers.remove(t);
      t.cancel();
    };
  }

  @Override
  public void print(String line) {
    stack.print(line);
  }

  @Override
  public SplittableRandom random() {
    return stack.random();
  }

  @Override
  public Optional<Ipv4Address> address() {
    return stack.address();
  }

  @Override
  public Optional<Cidr> subnet() {
    return stack.subnet();
  }

  @Override
  public UdpSocket udpBind(int port, UdpHandler handler) {
    UdpSocket s = stack.udpBind(port, d -> run.guard("a UDP handler", () -> handler.received(d)));
    udp.add(s);
    return new UdpSocket() {
      @Override
      public int port() {
        return s.port();
      }

      @Override
      public io.fleetsim.guest.socket.SendStatus send(Ipv4Address destination, int destinationPort,
          byte[] payload) {
        return s.send(destination, destinationPort, payload);
      }

      @Override
      public void close() {
        udp.remove(s);
        s.close();
      }
    };
  }

  @Override
  public boolean canSend(Ipv4Address destination) {
    return stack.canSend(destination);
  }

  @Override
  public void whenCanSend(Ipv4Address destination, Runnable task) {
    stack.whenCanSend(destination, () -> run.guard("a whenCanSend task", task));
  }

  @Override
  public EchoSocket openEcho(EchoListener listener) {
    EchoSocket s = stack.openEcho(new EchoListener() {
      @Override
      public void reply(io.fleetsim.guest.socket.EchoReply r) {
        run.guard("an echo listener", () -> listener.reply(r));
      }

      @Override
      public void error(io.fleetsim.guest.socket.EchoError e) {
        run.guard("an echo listener", () -> listener.error(e));
      }
    });
    echo.add(s);
    return new EchoSocket() {
      @Override
      public int id() {
        return s.id();
      }

      @Override
      public io.fleetsim.guest.socket.SendStatus send(Ipv4Address destination, int sequence,
          byte[] payload) {
        return s.send(destination, sequence, payload);
      }

      @Override
      public io.fleetsim.guest.socket.SendStatus send(Ipv4Address destination, int sequence,
          byte[] payload, int ttl) {
        return s.send(destination, sequence, payload, ttl);
      }

      @Override
      public void close() {
        echo.remove(s);
        s.close();
      }
    };
  }

  @Override
  public TcpListener tcpListen(int port, TcpAcceptor acceptor) {
    TcpListener l = stack.tcpListen(port, socket -> {
      if (run.over()) {
        socket.abort();
        return new Guarded(NONE);
      }
      connections.add(socket);
      TcpHandler[] handler = {NONE};
      run.guard("a TCP acceptor", () -> handler[0] = acceptor.accepted(socket));
      return new Guarded(handler[0] == null ? NONE : handler[0]);
    });
    listeners.add(l);
    return new TcpListener() {
      @Override
      public int port() {
        return l.port();
      }

      @Override
      public void close() {
        listeners.remove(l);
        l.close();
      }
    };
  }

  @Override
  public TcpSocket tcpConnect(Ipv4Address host, int port, TcpHandler handler) {
    TcpSocket s = stack.tcpConnect(host, port, new Guarded(handler));
    connections.add(s);
    return s;
  }

  /** Drops what an app's run that ended (or a handler it did not give) would have got. */
  private static final TcpHandler NONE = (socket, data) -> {};

  /** A connection's events, through the guard; its end forgets the connection. */
  private final class Guarded implements TcpHandler {
    private final TcpHandler app;

    Guarded(TcpHandler app) {
      this.app = app;
    }

    @Override
    public void connected(TcpSocket socket) {
      run.guard("TcpHandler.connected", () -> app.connected(socket));
    }

    @Override
    public void received(TcpSocket socket, byte[] data) {
      run.guard("TcpHandler.received", () -> app.received(socket, data));
    }

    @Override
    public void writable(TcpSocket socket) {
      run.guard("TcpHandler.writable", () -> app.writable(socket));
    }

    @Override
    public void peerClosed(TcpSocket socket) {
      run.guard("TcpHandler.peerClosed", () -> app.peerClosed(socket));
    }

    @Override
    public void closed(TcpSocket socket, Optional<TcpError> error) {
      connections.remove(socket);
      run.guard("TcpHandler.closed", () -> app.closed(socket, error));
    }
  }
}
