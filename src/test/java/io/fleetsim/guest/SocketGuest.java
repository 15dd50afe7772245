package io.fleetsim.guest;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.testing.FramedClient;
import io.fleetsim.vm.hw.CostTable;
import io.fleetsim.vm.hw.Cpu;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A guest in real time for interop tests: one thread plays the VM thread, the link is a TCP
 * connection with QEMU's socket framing (a QEMU netdev on the other end).
 */
final class SocketGuest implements AutoCloseable, GuestEnv {
  private final ScheduledExecutorService vm = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "guest-vm");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "guest-wire");
    t.setDaemon(true);
    return t;
  });
  private final FramedClient wire;
  private final List<String> lines = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(1);
  private final NetStack stack;
  private volatile boolean closed;

  SocketGuest(Socket socket, MacAddress mac) throws Exception {
    this.wire = FramedClient.wrap(socket);
    WireLink link = new WireLink(mac);
    this.stack = onVm(() -> new NetStack(this, link));
    reader.execute(() -> {
      try {
        while (!closed) {
          Optional<byte[]> frame = wire.receive(200);
          frame.ifPresent(f -> vm.execute(() -> link.listener.received(f)));
        }
      } catch (IOException e) {
        if (!closed) {
          print("wire closed: " + e);
        }
      }
    });
  }

  NetStack stack() {
    return stack;
  }

  <T> T onVm(Callable<T> task) throws Exception {
    return vm.submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Starts something on the VM thread and waits for the stage it returns. */
  <T> T await(Callable<CompletionStage<T>> start, Duration timeout) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    vm.execute(() -> {
      try {
        start.call().whenComplete((v, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete(v);
          }
        });
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("nothing within " + timeout + "; console:\n" + console()
          + "\ncounters: " + onVm(() -> stack.counters().toString()));
    }
  }

  String console() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  @Override
  public SplittableRandom random() {
    return random;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    ScheduledFuture<?> f = vm.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cpu cpu() {
    return Cpu.unlimited(CostTable.defaults());
  }

  @Override
  public void print(String line) {
    synchronized (lines) {
      lines.add(line);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    wire.close();
    vm.shutdownNow();
    reader.shutdownNow();
  }

  private final class WireLink implements Link {
    private final MacAddress mac;
    private Listener listener;

    WireLink(MacAddress mac) {
      this.mac = mac;
    }

    @Override
    public MacAddress mac() {
      return mac;
    }

    @Override
    public boolean carrier() {
      return true;
    }

    @Override
    public boolean transmit(byte[] frame) {
      try {
        wire.send(frame);
      } catch (IOException e) {
        print("send failed: " + e);
      }
      return true;
    }

    @Override
    public void listener(Listener l) {
      this.listener = l;
    }
  }
}
