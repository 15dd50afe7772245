package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The run's TCP meter: many VM threads at once lose no count, and a second is a difference. */
class RunMeterTest {
  @Test
  void concurrentStacksLoseNothing() throws Exception {
    RunMeter meter = new RunMeter();
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> vms = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread vm = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          meter.tcpDelivered(1460);
          if (i % 10 == 0) {
            meter.tcpRetransmitted();
          }
        }
      });
      vm.start();
      vms.add(vm);
    }
    go.countDown();
    for (Thread vm : vms) {
      vm.join();
    }
    assertEquals(new RunMeter.Reading(1460L * threads * perThread, threads * perThread / 10),
        meter.read());
  }

  @Test
  void aSecondIsWhatCameBetweenTwoReadings() {
    RunMeter meter = new RunMeter();
    meter.tcpDelivered(1000); // before the first reading: boot, not second 1
    RunMeter.Reading start = meter.read();
    meter.tcpDelivered(500);
    meter.tcpDelivered(36);
    meter.tcpRetransmitted();
    RunMeter.Reading first = meter.read();
    assertEquals(new RunMeter.Reading(536, 1), first.minus(start));
    assertEquals(new RunMeter.Reading(0, 0), meter.read().minus(first));
  }
}
