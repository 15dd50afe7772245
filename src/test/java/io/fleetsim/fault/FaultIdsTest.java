package io.fleetsim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.link.Port;
import io.fleetsim.link.PortCounters;
import io.fleetsim.time.RealClock;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** A port or chain numbers its faults itself: a run's ids do not depend on earlier runs. */
class FaultIdsTest {

  private static Port port(String name) {
    PortCounters counters = new PortCounters();
    return new Port() {
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
        return Flow.create();
      }
    };
  }

  private static List<String> ids(FaultyPort port) {
    return List.of(port.add(LossFault.random(0.1), Direction.BOTH, 1),
        port.add(new DuplicateFault(0.1), Direction.IN, 2));
  }

  @Test
  void aFreshPortGivesTheSameIdsWhateverRanBefore() {
    List<String> first = ids(new FaultyPort(port("vm/eth0"), RealClock.system()));
    assertEquals(List.of("loss@vm/eth0#1", "duplicate@vm/eth0#2"), first);
    assertEquals(first, ids(new FaultyPort(port("vm/eth0"), RealClock.system())));
  }

  @Test
  void aFreshChainGivesTheSameIdsWhateverRanBefore() {
    FaultChain one = new FaultChain(RealClock.system());
    one.add(LossFault.random(0.1), 1);
    FaultChain two = new FaultChain(RealClock.system());
    assertEquals("loss#1", two.add(LossFault.random(0.1), 1));
  }
}
