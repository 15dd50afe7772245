package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The statistics registers: saturating, cleared on read, 64-bit pairs, and statistics(). */
class E1000StatisticsTest {

  private static void receive(Bench b, int size) {
    b.nic.receive(ByteString.fromArray(frame(MAC, size)));
  }

  @Test
  void countersAreClearedOnRead() {
    Bench b = new Bench().receiver(0);
    receive(b, 100);
    receive(b, 100);
    assertEquals(2, b.read(GPRC));
    assertEquals(0, b.read(GPRC));
    assertEquals(2, b.read(TPR));
    assertEquals(0, b.read(TPR));
  }

  @Test
  void missedPacketAndNoBufferCountersAreClearedOnReadToo() {
    Bench b = new Bench().receiver(0);
    b.write(RDT, 0);
    receive(b, 100);
    assertEquals(1, b.read(MPC));
    assertEquals(0, b.read(MPC));
    assertEquals(1, b.read(RNBC));
    assertEquals(0, b.read(RNBC));
  }

  @Test
  void sixtyFourBitCountersClearWhenTheHighHalfIsRead() {
    Bench b = new Bench().receiver(0);
    receive(b, 100);
    assertEquals(104, b.read(GORCL));
    assertEquals(104, b.read(GORCL), "the low half alone does not clear");
    assertEquals(0, b.read(GORCH));
    assertEquals(0, b.read(GORCL), "reading the high half cleared both");
  }

  @Test
  void statisticsReportsWithoutClearing() {
    Bench b = new Bench().receiver(0);
    receive(b, 100);
    assertEquals(1, b.nic.statistics().get("GPRC"));
    assertEquals(1, b.nic.statistics().get("GPRC"));
    assertEquals(104, b.nic.statistics().get("GORC"));
    assertEquals(1, b.read(GPRC));
  }

  @Test
  void thirtyTwoBitCountersSaturate() {
    Bench b = new Bench().receiver(0);
    b.nic.pokeRegister(GPRC, 0xFFFF_FFFF);
    receive(b, 100);
    assertEquals(0xFFFF_FFFFL, b.stat("GPRC"));
    assertEquals(1, b.stat("TPR"), "its neighbours count on");
  }

  @Test
  void sixtyFourBitCountersCarryAndSaturate() {
    Bench b = new Bench().receiver(0);
    b.nic.pokeRegister(GORCL, 0xFFFF_FFF0);
    receive(b, 100); // + 104
    assertEquals(0x58, b.read(GORCL));
    assertEquals(1, b.read(GORCH));
    b.nic.pokeRegister(GORCL, 0xFFFF_FFF0);
    b.nic.pokeRegister(GORCH, 0xFFFF_FFFF);
    receive(b, 100);
    assertEquals(0xFFFF_FFFF, b.read(GORCL));
    assertEquals(0xFFFF_FFFF, b.read(GORCH));
  }

  @Test
  void statisticsNamesTheRegistersAndTheModelsOwnCounters() {
    Bench b = new Bench();
    for (String name : new String[] {"MPC", "GPRC", "BPRC", "MPRC", "GPTC", "GORC", "GOTC",
        "RNBC", "ROC", "TPR", "TPT", "MPTC", "BPTC", "TOR", "TOT", "PRC64", "PTC1522",
        "rxDroppedNotReady", "txFramesDropped", "txDescriptorsSkipped", "dmaFaults",
        "ringErrors"}) {
      assertEquals(0L, b.nic.statistics().get(name), name);
    }
  }
}
