package io.fleetsim.nic.e1000;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.GuestMemory;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Whatever the guest writes and whatever arrives from the wire, nothing throws out of the model. */
class E1000PropertiesTest {
  private static final int[] INTERESTING = {0x0000, 0x0008, 0x0010, 0x0014, 0x0020, 0x00C0, 0x00C4,
      0x00C8, 0x00D0, 0x00D8, 0x0100, 0x0400, 0x2800, 0x2804, 0x2808, 0x2810, 0x2818, 0x2820,
      0x282C, 0x3800, 0x3804, 0x3808, 0x3810, 0x3818, 0x382C, 0x4010, 0x408C, 0x5200, 0x5400,
      0x5404};
  private static final int MEMORY = 64 * 1024;

  /** One step of a guest, its memory and the wire acting at random. */
  sealed interface Step permits Write, Frame, Scribble, Kick, Event, Config {}

  record Write(int offset, int value) implements Step {}

  record Frame(byte[] bytes) implements Step {}

  record Scribble(long address, long value) implements Step {} // guest writes descriptors

  record Kick(int tail) implements Step {} // a TDT write

  record Event(int what) implements Step {} // link, timer, resume, statistics

  record Config(int offset, int value) implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> offsets = Arbitraries.oneOf(
        Arbitraries.of(Arrays.stream(INTERESTING).boxed().toList()),
        Arbitraries.integers().between(0, 0x1FFFF).map(o -> o & ~3), Arbitraries.integers());
    Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers(),
        Arbitraries.integers().between(0, 64),
        Arbitraries.of(0, -1, 0x2, 0x8002, 0x0400_0002, 0x0200_0022, 128, 256, 0x1000, 0x8000,
            0xFFF80));
    Arbitrary<Step> write = Combinators.combine(offsets, values).as(Write::new);
    Arbitrary<Step> frame = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000).map(Frame::new);
    Arbitrary<Step> scribble = Combinators.combine(
        Arbitraries.longs().between(0x1000, 0x1800 - 8).map(a -> a & ~7),
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, MEMORY),
            Arbitraries.of(0x0B00_0000_0000_0040L, 0x2900_0000_0000_0040L, 0x0100_0000_0000_FFFFL)))
        .as(Scribble::new);
    Arbitrary<Step> kick = Arbitraries.integers().between(0, 8).map(Kick::new);
    Arbitrary<Step> event = Arbitraries.integers().between(0, 3).map(Event::new);
    Arbitrary<Step> config = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers()).as(Config::new);
    return Arbitraries.frequencyOf(Tuple.of(4, write), Tuple.of(4, frame), Tuple.of(3, scribble),
        Tuple.of(2, kick), Tuple.of(2, event), Tuple.of(1, config)).list().ofMinSize(10).ofMaxSize(80);
  }

  /** Rings of 8 at 0x1000 (RX) and 0x1400 (TX), buffers above, everything enabled. */
  private static void bringUp(E1000 nic, GuestMemory memory) {
    for (int i = 0; i < 8; i++) {
      memory.writeU64(0x1000 + 16 * i, 0x2000 + 2048L * i);
      memory.writeU64(0x1400 + 16 * i, 0x8000 + 1024L * i);
      memory.writeU32(0x1400 + 16 * i + 8, 0x0B00_0000 | 60 + i);
    }
    nic.mmioWrite(0x2800, 0x1000);
    nic.mmioWrite(0x2808, 128);
    nic.mmioWrite(0x2818, 7);
    nic.mmioWrite(0x0100, 0x0400_8002 | 0x8); // EN, BAM, UPE, SECRC
    nic.mmioWrite(0x3800, 0x1400);
    nic.mmioWrite(0x3808, 128);
    nic.mmioWrite(0x0400, 0x2);
    nic.mmioWrite(0x00D0, 0xFFFF);
  }

  @Property(tries = 300)
  void nothingThrowsOutOfTheModel(@ForAll("steps") List<Step> steps, @ForAll boolean prepared) {
    GuestMemory memory = new GuestMemory(MEMORY);
    Bench.FakeHost host = new Bench.FakeHost();
    E1000 nic = new E1000(MacAddress.QEMU_DEFAULT, memory, host);
    nic.pciConfigWrite(0x04, 0x0006);
    if (prepared) {
      bringUp(nic, memory);
    }
    int n = 0;
    for (Step step : steps) {
      n++;
      if (step instanceof Write w) {
        nic.mmioWrite(w.offset(), w.value());
        nic.mmioRead(w.offset());
      } else if (step instanceof Frame f) {
        nic.receive(org.apache.pekko.util.ByteString.fromArray(f.bytes()));
      } else if (step instanceof Scribble s) {
        memory.writeU64(s.address(), s.value());
      } else if (step instanceof Kick k) {
        nic.mmioWrite(0x3818, k.tail());
      } else if (step instanceof Event e) {
        if (e.what() == 0) {
          nic.setLinkUp(n % 4 != 0); // mostly up: frames should flow
        } else if (e.what() == 1) {
          nic.onTimer();
        } else if (e.what() == 2) {
          host.full = !host.full;
          nic.resumeTransmit();
        } else {
          nic.statistics();
        }
      } else if (step instanceof Config c) {
        nic.pciConfigWrite(c.offset(), c.value());
        nic.pciConfigRead(c.offset());
      }
    }
    Statistics.label("received").collect(nic.statistics().get("TPR") > 0);
    Statistics.label("sent").collect(!host.sent.isEmpty());
    Statistics.label("received").coverage(c -> c.check(true).percentage(p -> p > 10));
    Statistics.label("sent").coverage(c -> c.check(true).percentage(p -> p > 10));
  }
}
