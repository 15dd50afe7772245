package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.StackCounter;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.socket.App;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpSocket;
import io.fleetsim.guest.socket.UdpSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code app CLASS key=value ...}: loading and checking at parse time, and runs on a stack. */
class AppWorkloadTest {
  private final VirtualClock clock = new VirtualClock();

  /** Sends {@code count} datagrams to HOST:PORT, one per ms, and ends when every echo is back. */
  public static final class Echoer implements App {
    static final List<String> STOPS = new ArrayList<>();
    private Ipv4Address host;
    private int port;
    private int count = 3;
    private UdpSocket socket;
    private int sent;
    private int answered;
    private Runnable finished;

    @Override
    public void configure(Map<String, String> args) {
      for (Map.Entry<String, String> a : args.entrySet()) {
        switch (a.getKey()) {
          case "to" -> {
            String[] hp = a.getValue().split(":");
            host = Ipv4Address.tryParse(hp[0]).orElseThrow(
                () -> new IllegalArgumentException("to=" + a.getValue() + " is not HOST:PORT"));
            port = Integer.parseInt(hp[1]);
          }
          case "count" -> count = Integer.parseInt(a.getValue());
          default -> throw new IllegalArgumentException("unknown argument '" + a.getKey() + "'");
        }
      }
      if (host == null) {
        throw new IllegalArgumentException("to=HOST:PORT is missing");
      }
    }

    @Override
    public boolean finite() {
      return true;
    }

    @Override
    public void start(Sockets sockets, Runnable finished) {
      this.finished = finished;
      socket = sockets.udpBind(0, d -> {
        if (++answered == count) {
          finished.run();
        }
      });
      tick(sockets);
    }

    private void tick(Sockets sockets) {
      if (sent < count) {
        socket.send(host, port, new byte[] {(byte) sent++});
        sockets.schedule(1_000_000, () -> tick(sockets));
      }
    }

    @Override
    public void stop() {
      STOPS.add("stopped");
      socket.close();
    }

    @Override
    public boolean success() {
      return answered == count;
    }

    @Override
    public String summary() {
      return "echoer: " + answered + " of " + sent + " answered";
    }

    @Override
    public Map<String, Object> results() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sent", sent);
      r.put("answered", answered);
      r.put("to", host);
      return r;
    }
  }

  /** Listens on a port and throws on its second datagram; a timer it leaves pending counts. */
  public static final class Faulty implements App {
    static int timerRuns;
    private int datagrams;

    @Override
    public void configure(Map<String, String> args) {}

    @Override
    public void start(Sockets sockets, Runnable finished) {
      sockets.udpBind(4000, d -> {
        if (++datagrams == 2) {
          throw new IllegalStateException("bad state after " + datagrams);
        }
      });
      sockets.schedule(50_000_000, () -> timerRuns++);
    }

    @Override
    public void stop() {}

    @Override
    public String summary() {
      return "faulty: " + datagrams;
    }
  }

  public static final class NoDefaultConstructor implements App {
    public NoDefaultConstructor(int x) {}

    @Override
    public void configure(Map<String, String> args) {}

    @Override
    public void start(Sockets sockets, Runnable finished) {}

    @Override
    public void stop() {}

    @Override
    public String summary() {
      return "";
    }
  }

  public abstract static class Abstract implements App {}

  private static String error(String spec) {
    return assertThrows(WorkloadSyntaxException.class, () -> Workloads.parse(spec)).getMessage();
  }

  private static final String USAGE = " (usage: app CLASS [key=value ...])";
  private static final String ECHOER = Echoer.class.getName();

  @Test
  void theClassIsLoadedAndItsArgumentsCheckedWhenTheSpecIsParsed() {
    AppWorkload w = (AppWorkload) Workloads.parse("app " + ECHOER + " to=10.0.0.2:7 count=5");
    assertEquals(Echoer.class, w.type());
    assertEquals(Map.of("to", "10.0.0.2:7", "count", "5"), w.args());
    assertEquals("app", w.kind());
    assertTrue(w.finite(), "as the app says");
    assertEquals("app " + ECHOER + " to=10.0.0.2:7 count=5", w.describe());
    assertEquals(w, Workloads.parse(w.describe()), "describe() parses back to the same workload");
    assertFalse(((AppWorkload) Workloads.parse("app " + Faulty.class.getName())).finite(), "a server by default");
  }

  @Test
  void everyProblemNamesTheWordAndTheUsage() {
    assertEquals("app: missing CLASS" + USAGE, error("app"));
    assertEquals("app: CLASS '1nope' is not a Java class name (like com.example.Gossip)" + USAGE,
        error("app 1nope"));
    assertEquals("app: class com.example.Nowhere is not on the classpath (add its directory or jar"
        + " to FLEETSIM_CLASSPATH; see README, Writing a workload)" + USAGE, error("app com.example.Nowhere"));
    assertEquals("app: java.lang.String does not implement io.fleetsim.guest.socket.App" + USAGE,
        error("app java.lang.String"));
    assertEquals("app: " + Abstract.class.getName() + " is abstract: name a concrete class" + USAGE,
        error("app " + Abstract.class.getName()));
    assertEquals("app: " + NoDefaultConstructor.class.getName()
        + " has no public constructor without arguments" + USAGE, error("app " + NoDefaultConstructor.class.getName()));
    assertEquals("app: unexpected 'fast' (an app's arguments are key=value words)" + USAGE,
        error("app " + ECHOER + " to=10.0.0.2:7 fast"));
    assertEquals("app: argument 'count' given twice" + USAGE,
        error("app " + ECHOER + " to=10.0.0.2:7 count=1 count=2"));
    assertEquals("app: '=3' has no key before '=' (letters, digits, _ . -)" + USAGE, error("app " + ECHOER + " =3"));
    // what the app itself refuses, in its own words, with what it was given
    assertEquals("app: " + ECHOER + " rejected its arguments: to=somewhere:7 is not HOST:PORT"
        + " (given: to=somewhere:7)" + USAGE, error("app " + ECHOER + " to=somewhere:7"));
    assertEquals("app: " + ECHOER + " rejected its arguments: to=HOST:PORT is missing (none given)" + USAGE,
        error("app " + ECHOER));
    assertTrue(error("app " + ECHOER + " to=10.0.0.2:x").startsWith("app: " + ECHOER
        + " rejected its arguments: For input string: \"x\""), "a NumberFormatException is an IllegalArgumentException");
  }

  @Test
  void aFiniteAppRunsOnTheSocketsAndReportsItsOwnVerdictAndFigures() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun echo = Workloads.parse("echo 7").start(p[1].stack.sockets());
    WorkloadRun run = Workloads.parse("app " + ECHOER + " to=10.0.0.2:7 count=5").start(p[0].stack.sockets());
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 1_000_000_000L), "the app called finished");
    AppResult r = (AppResult) f.join();
    assertTrue(run.done());
    assertEquals(ECHOER, r.app());
    assertTrue(r.finished());
    assertTrue(r.succeeded());
    assertTrue(r.success(), "the default criterion: the app's own success()");
    assertEquals(Map.of("answered", 5, "sent", 5, "to", "10.0.0.2"), r.results(), "non-numbers as text");
    assertEquals(List.of("answered", "sent", "to"), List.copyOf(r.results().keySet()), "sorted by name");
    assertEquals("echoer: 5 of 5 answered", r.summary());
    assertEquals("echoer: 5 of 5 answered", p[0].env.lines().get(p[0].env.lines().size() - 1), "on the console");
    Echoer.STOPS.clear();
    run.stop();
    assertEquals(List.of(), Echoer.STOPS, "an app that finished is not stopped again");
    echo.stop();
  }

  @Test
  void anAppThatFailsItsCriterionFailsTheWorkload() {
    TestHost[] p = TestHost.pair(clock);
    // nobody echoes: the app keeps waiting until it is stopped
    WorkloadRun run = Workloads.parse("app " + ECHOER + " to=10.0.0.2:7 count=2").start(p[0].stack.sockets());
    clock.runForMillis(100);
    assertFalse(run.done());
    AppResult live = (AppResult) run.snapshot();
    assertFalse(live.finished());
    assertEquals(2, live.results().get("sent"));
    Echoer.STOPS.clear();
    run.stop();
    run.stop();
    assertEquals(List.of("stopped"), Echoer.STOPS, "stop() reaches the app once");
    AppResult r = (AppResult) run.result().toCompletableFuture().join();
    assertFalse(r.success());
    assertEquals("echoer: 0 of 2 answered", r.summary());
  }

  @Test
  void anExceptionEndsTheAppsRunNotTheStackAndWhatItOpenedIsClosed() {
    TestHost[] p = TestHost.pair(clock);
    Faulty.timerRuns = 0;
    WorkloadRun run = Workloads.parse("app " + Faulty.class.getName()).start(p[1].stack.sockets());
    UdpSocket sender = p[0].stack.sockets().udpBind(0, d -> {});
    sender.send(Ipv4Address.parse("10.0.0.2"), 4000, new byte[] {1});
    sender.send(Ipv4Address.parse("10.0.0.2"), 4000, new byte[] {2});
    clock.runForMillis(10);
    assertTrue(run.done(), "the exception ended the run");
    AppResult r = (AppResult) run.result().toCompletableFuture().join();
    assertFalse(r.success());
    String why = Faulty.class.getName() + " threw java.lang.IllegalStateException: bad state after 2 in a UDP handler";
    assertEquals(java.util.Optional.of(why), r.error());
    assertEquals(Faulty.class.getName() + " failed: " + why, r.summary());
    // its port was unbound and its timer cancelled; the stack goes on
    long noPort = p[1].count(StackCounter.RX_DROP_NO_PORT);
    sender.send(Ipv4Address.parse("10.0.0.2"), 4000, new byte[] {3});
    clock.runForMillis(100);
    assertEquals(noPort + 1, p[1].count(StackCounter.RX_DROP_NO_PORT));
    assertEquals(0, Faulty.timerRuns, "the pending timer did not run");
    WorkloadRun echo = Workloads.parse("echo 4000").start(p[1].stack.sockets());
    assertFalse(echo.done(), "the port is free again");
    echo.stop();
  }

  /** Listens on TCP port 7000 and throws on the first bytes a connection brings. */
  public static final class BrokenServer implements App {
    @Override
    public void configure(Map<String, String> args) {}

    @Override
    public void start(Sockets sockets, Runnable finished) {
      sockets.tcpListen(7000, socket -> (s, data) -> {
        throw new IllegalArgumentException("cannot parse " + data.length + " bytes");
      });
    }

    @Override
    public void stop() {}

    @Override
    public String summary() {
      return "broken";
    }
  }

  @Test
  void anAppThatThrowsOnTcpDataLosesItsConnectionsAndItsListener() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun run = Workloads.parse("app " + BrokenServer.class.getName()).start(p[1].stack.sockets());
    List<Optional<TcpError>> ends = new ArrayList<>();
    TcpHandler client = new TcpHandler() {
      @Override
      public void connected(TcpSocket socket) {
        socket.send(new byte[] {1, 2, 3});
      }

      @Override
      public void received(TcpSocket socket, byte[] data) {}

      @Override
      public void closed(TcpSocket socket, Optional<TcpError> error) {
        ends.add(error);
      }
    };
    Ipv4Address server = Ipv4Address.parse("10.0.0.2");
    p[0].stack.sockets().tcpConnect(server, 7000, client);
    assertTrue(clock.runUntil(() -> ends.size() == 1, 10_000_000_000L), "the connection ended");
    assertTrue(run.done());
    assertEquals(java.util.Optional.of(BrokenServer.class.getName() + " threw java.lang.IllegalArgumentException:"
        + " cannot parse 3 bytes in TcpHandler.received"), ((AppResult) run.snapshot()).error());
    assertEquals(TcpError.Kind.RESET, ends.get(0).orElseThrow().kind(), "aborted: the peer sees a reset");
    p[0].stack.sockets().tcpConnect(server, 7000, client);
    assertTrue(clock.runUntil(() -> ends.size() == 2, 10_000_000_000L));
    assertEquals(TcpError.Kind.REFUSED, ends.get(1).orElseThrow().kind(), "nobody listens any more");
  }
}
