package io.fleetsim.netdev;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Not a test: a throughput measurement. Two listen netdevs whose ports are wired to each other
 * (a two-port relay), one client writing frames as fast as it can into the first, another
 * reading them from the second. Usage: StreamRelayBenchmark FRAME_BYTES SECONDS [echo].
 */
public final class StreamRelayBenchmark {
  private StreamRelayBenchmark() {}

  static final class RelayPort implements Port {
    final String name;
    final PortCounters counters = new PortCounters();
    Sink<ByteString, NotUsed> toOther;
    Source<ByteString, NotUsed> fromOther;

    RelayPort(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public PortCounters counters() {
      return counters;
    }

    @Override
    public Flow<ByteString, ByteString, NotUsed> link(OutCount outCount) {
      return Flow.fromSinkAndSourceCoupled(toOther, fromOther);
    }
  }

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    int frame = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    boolean raw = args.length > 2 && args[2].equals("rawecho");
    boolean echo = raw || args.length > 2 && args[2].equals("echo");
    ActorTestKit kit = ActorTestKit.create("bench");
    ActorSystem<Void> system = kit.system();
    NetdevSettings settings = NetdevSettings.defaults();

    Port a;
    Port b;
    if (echo) {
      a = new TestPorts.EchoPort("echo");
      b = null;
    } else {
      RelayPort ra = new RelayPort("a");
      RelayPort rb = new RelayPort("b");
      Pair<Sink<ByteString, NotUsed>, Source<ByteString, NotUsed>> ab =
          MergeHub.of(ByteString.class, 64).toMat(BroadcastHub.of(ByteString.class, 1024),
              Keep.both()).run(system);
      Pair<Sink<ByteString, NotUsed>, Source<ByteString, NotUsed>> ba =
          MergeHub.of(ByteString.class, 64).toMat(BroadcastHub.of(ByteString.class, 1024),
              Keep.both()).run(system);
      ra.toOther = ab.first();
      ra.fromOther = ba.second();
      rb.toOther = ba.first();
      rb.fromOther = ab.second();
      a = ra;
      b = rb;
    }
    int portA = raw ? rawEcho(system) : start(kit, "a", a, settings);
    int portB = echo ? portA : start(kit, "b", b, settings);

    Socket writerSocket = new Socket();
    writerSocket.connect(new InetSocketAddress("127.0.0.1", portA));
    Socket readerSocket;
    if (echo) {
      readerSocket = writerSocket;
    } else {
      readerSocket = new Socket();
      readerSocket.connect(new InetSocketAddress("127.0.0.1", portB));
    }
    Thread.sleep(300); // both links up

    int perWrite = Math.max(1, 256 * 1024 / (frame + 4));
    ByteBuffer batch = ByteBuffer.allocate(perWrite * (frame + 4));
    for (int i = 0; i < perWrite; i++) {
      batch.putInt(frame);
      batch.position(batch.position() + frame);
    }
    byte[] wire = batch.array();
    AtomicLong readBytes = new AtomicLong();
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = writerSocket.getOutputStream();
        while (!Thread.currentThread().isInterrupted()) {
          out.write(wire);
        }
      } catch (Exception e) {
        // ends with the benchmark
      }
    }, "writer");
    Thread reader = new Thread(() -> {
      try {
        InputStream in = readerSocket.getInputStream();
        byte[] buffer = new byte[1 << 20];
        int n;
        while ((n = in.read(buffer)) > 0) {
          readBytes.addAndGet(n);
        }
      } catch (Exception e) {
        // ends with the benchmark
      }
    }, "reader");
    writer.setDaemon(true);
    reader.setDaemon(true);
    writer.start();
    reader.start();

    Thread.sleep(2000); // warm-up
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int s = 0; s < seconds; s++) {
      long before = readBytes.get();
      long cpu0 = os.getProcessCpuTime() - threads.getThreadCpuTime(writer.getId())
          - threads.getThreadCpuTime(reader.getId());
      long t0 = System.nanoTime();
      Thread.sleep(1000);
      long bytes = readBytes.get() - before;
      double secs = (System.nanoTime() - t0) / 1e9;
      long cpu = os.getProcessCpuTime() - threads.getThreadCpuTime(writer.getId())
          - threads.getThreadCpuTime(reader.getId()) - cpu0;
      double frames = bytes / (frame + 4.0);
      // The netdevs' CPU (process minus load generator threads) per frame is less sensitive to
      // other processes on the machine than frames/s.
      System.out.printf("%s %d-byte frames: %,.0f frames/s (%.2f Gbit/s), %.0f ns netdev CPU"
              + " per frame%n", echo ? "echo" : "relay", frame, frames / secs,
          bytes * 8 / secs / 1e9, cpu / frames);
    }
    writer.interrupt();
    writerSocket.close();
    readerSocket.close();
    kit.shutdownTestKit();
    System.exit(0);
  }

  /** Pekko TCP echoing bytes without framing: the floor for the framed netdev. */
  static int rawEcho(ActorSystem<Void> system) throws Exception {
    return org.apache.pekko.stream.javadsl.Tcp.get(system).bind("127.0.0.1", 0)
        .to(Sink.foreach(c -> c.handleWith(Flow.<ByteString>create(), system)))
        .run(system).toCompletableFuture().get().localAddress().getPort();
  }

  static int start(ActorTestKit kit, String id, Port port, NetdevSettings settings) {
    return NetdevHarness.start(kit, NetdevHarness.listen(id, 0), port, settings).boundPort();
  }
}
