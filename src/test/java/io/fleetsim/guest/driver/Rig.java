package io.fleetsim.guest.driver;

import static org.junit.jupiter.api.Assertions.fail;

import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.Link;
import io.fleetsim.nic.e1000.E1000;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.CostTable;
import io.fleetsim.vm.hw.Cpu;
import io.fleetsim.vm.hw.GuestMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.pekko.util.ByteString;

/**
 * A single-threaded stand-in for the VM and NIC actors: the driver on an E1000 in guest memory,
 * a fake host (netdev + interrupt line + timer), a fake guest environment running scheduled
 * tasks, and a listener recording what reaches the stack.
 */
final class Rig {
  static final MacAddress MAC = new MacAddress(0x525400ABCDEFL);
  static final MacAddress PEER = new MacAddress(0x5254000000AAL);

  /** The NIC actor's side of the device. */
  static final class Host implements E1000.Host {
    boolean line;
    boolean timerPending;
    boolean full;
    int receiveReady;
    final List<byte[]> sent = new ArrayList<>();

    @Override
    public void interruptLine(boolean asserted) {
      line = asserted;
    }

    @Override
    public boolean transmit(ByteString frame) {
      if (full) {
        return false;
      }
      sent.add(frame.toArray());
      return true;
    }

    @Override
    public void scheduleTimer(long delayNanos) {
      timerPending = true;
    }

    @Override
    public void receiveReady() {
      receiveReady++;
    }
  }

  /** Guest time stands still; tasks run when the rig runs them; every charge is summed. */
  static final class Env implements GuestEnv {
    final Deque<Runnable> tasks = new ArrayDeque<>();
    final List<String> printed = new ArrayList<>();
    final CostTable costs;
    final SplittableRandom random = new SplittableRandom(1);
    long cycles;

    Env(CostTable costs) {
      this.costs = costs;
    }

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public SplittableRandom random() {
      return random;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
      tasks.add(task);
      return () -> tasks.remove(task);
    }

    @Override
    public Cpu cpu() {
      return new Cpu() {
        @Override
        public void charge(long c) {
          cycles += c;
        }

        @Override
        public CostTable costs() {
          return costs;
        }
      };
    }

    @Override
    public void print(String line) {
      printed.add(line);
    }
  }

  /** Mmio onto the E1000, counting accesses per offset. */
  static class Bus implements Mmio {
    final E1000 nic;
    final Map<Integer, Integer> reads = new HashMap<>();
    final Map<Integer, Integer> writes = new HashMap<>();
    int configAccesses;

    Bus(E1000 nic) {
      this.nic = nic;
    }

    @Override
    public int read(int offset) {
      reads.merge(offset, 1, Integer::sum);
      return nic.mmioRead(offset);
    }

    @Override
    public void write(int offset, int value) {
      writes.merge(offset, 1, Integer::sum);
      nic.mmioWrite(offset, value);
    }

    @Override
    public int configRead(int offset) {
      configAccesses++;
      return nic.pciConfigRead(offset);
    }

    @Override
    public void configWrite(int offset, int value) {
      configAccesses++;
      nic.pciConfigWrite(offset, value);
    }

    int accesses() {
      return reads.values().stream().mapToInt(Integer::intValue).sum()
          + writes.values().stream().mapToInt(Integer::intValue).sum() + configAccesses;
    }
  }

  static final class Stack implements Link.Listener {
    final List<byte[]> received = new ArrayList<>();
    final List<Boolean> carrier = new ArrayList<>();
    int transmitSpace;

    @Override
    public void received(byte[] frame) {
      received.add(frame);
    }

    @Override
    public void carrierChanged(boolean up) {
      carrier.add(up);
    }

    @Override
    public void transmitSpace() {
      transmitSpace++;
    }
  }

  final GuestMemory memory = new GuestMemory(1 << 20);
  final Host host = new Host();
  final E1000 nic = new E1000(MAC, memory, host);
  final Env env;
  final Bus bus;
  final E1000Driver driver;
  final Stack stack = new Stack();
  /** Frames on the wire towards the NIC, held while it cannot receive (back-pressure). */
  final Deque<byte[]> wire = new ArrayDeque<>();

  Rig() {
    this(E1000Driver.Config.defaults(), CostTable.defaults());
  }

  Rig(E1000Driver.Config config) {
    this(config, CostTable.defaults());
  }

  Rig(E1000Driver.Config config, CostTable costs) {
    this(config, costs, null);
  }

  Rig(E1000Driver.Config config, CostTable costs, Bus bus) {
    this.env = new Env(costs);
    this.bus = bus != null ? bus : new Bus(nic);
    this.driver = new E1000Driver(this.bus, new BumpAllocator(memory, 0, memory.size()), env,
        config);
  }

  Rig started() {
    driver.start();
    driver.listener(stack);
    return this;
  }

  /** The NIC actor: hands held frames to the NIC while it can take them. */
  int pumpWire() {
    int n = 0;
    while (!wire.isEmpty() && nic.canReceive()) {
      nic.receive(ByteString.fromArray(wire.poll()));
      n++;
    }
    return n;
  }

  /** Runs everything until nothing is left to do: interrupts, wire, guest tasks, the NIC timer. */
  void settle() {
    for (int i = 0; i < 100_000; i++) {
      if (host.line) {
        driver.interrupt();
      } else if (pumpWire() > 0) {
        continue;
      } else if (!env.tasks.isEmpty()) {
        env.tasks.poll().run();
      } else if (host.timerPending) {
        host.timerPending = false;
        nic.onTimer();
      } else {
        return;
      }
    }
    fail("the rig did not settle");
  }

  static byte[] frame(MacAddress dst, MacAddress src, int size, int seed) {
    byte[] f = new byte[size];
    for (int i = 0; i < size; i++) {
      f[i] = (byte) (i * 7 + seed);
    }
    System.arraycopy(dst.toBytes(), 0, f, 0, 6);
    System.arraycopy(src.toBytes(), 0, f, 6, 6);
    f[12] = 0x08;
    f[13] = 0x00;
    return f;
  }
}
