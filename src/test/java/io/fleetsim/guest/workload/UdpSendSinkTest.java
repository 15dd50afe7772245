package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.NetStack;
import io.fleetsim.guest.StackCounter;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.Wire;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UdpSendSinkTest {
  private final VirtualClock clock = new VirtualClock();

  private static WorkloadResult await(VirtualClock clock, WorkloadRun run) {
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 600_000_000_000L), "run did not finish");
    return f.join();
  }

  private static long seqOf(byte[] frame) {
    return ByteBuffer.wrap(frame).getLong(42 + 4);
  }

  private static boolean isSendData(byte[] f) {
    return f.length >= 62 && f[23] == 17 && ByteBuffer.wrap(f).getInt(42) == SequencePayload.MAGIC;
  }

  @Test
  void countAtRateWithoutLoss() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(p[1].stack.sockets());
    UdpSendResult s = (UdpSendResult) await(clock,
        Workloads.parse("udp-send 10.0.0.2:9000 rate=1000/s count=500 size=100B").start(p[0].stack.sockets()));
    clock.runForMillis(10);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(clock, sink);
    assertEquals(500, s.sent());
    assertEquals(0, s.dropped());
    assertEquals(500_000_000L, s.elapsedNanos(), 1_000_000L);
    assertEquals(1000, s.achievedRate(), 5);
    assertTrue(s.success());
    assertEquals(500, k.datagrams());
    assertEquals(500 * 100, k.bytes());
    assertEquals(1, k.senders().size());
    SenderStats st = k.senders().get(0);
    assertEquals(Ipv4Address.parse("10.0.0.1"), st.address());
    assertEquals(500, st.received());
    assertEquals(0, st.lost());
    assertEquals(499, st.highestSequence());
    assertTrue(k.success());
    assertEquals("udp-sink 9000: 500 datagrams (50000 bytes) from 1 sender, 0 lost, "
        + "0 duplicates, 0 out of order", p[1].env.lines().get(p[1].env.lines().size() - 1));
  }

  @Test
  void injectedLossDuplicatesAndReorderingAreAccounted() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    TestHost b = new TestHost(clock, 2).configured("10.0.0.2", 24);
    // Loss: every 10th datagram. Duplicate: seq 5. Reorder: seq 20 arrives 5 ms late.
    a.link.onTransmit(f -> {
      if (!isSendData(f)) {
        clock.schedule(100_000, () -> b.link.deliver(f));
        return;
      }
      long seq = seqOf(f);
      if (seq % 10 == 9) {
        return;
      }
      clock.schedule(seq == 20 ? 5_000_000 : 100_000, () -> b.link.deliver(f));
      if (seq == 5) {
        clock.schedule(200_000, () -> b.link.deliver(f));
      }
    });
    b.link.onTransmit(f -> clock.schedule(100_000, () -> a.link.deliver(f)));
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(b.stack.sockets());
    UdpSendResult s = (UdpSendResult) await(clock,
        Workloads.parse("udp-send 10.0.0.2:9000 rate=1000/s count=100").start(a.stack.sockets()));
    clock.runForMillis(10);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(clock, sink);
    assertEquals(100, s.sent(), "the sender does not see wire loss");
    SenderStats st = k.senders().get(0);
    assertEquals(90, st.received());
    // 9, 19, ..., 89; the sink cannot know about 99, which would have been the last.
    assertEquals(9, st.lost());
    assertEquals(1, st.duplicates());
    assertEquals(1, st.outOfOrder());
    assertEquals(98, st.highestSequence(), "99 was lost");
    assertEquals(91, k.datagrams());
    assertTrue(k.success(), "by default a sink passes once something arrived; loss is for expect");
  }

  @Test
  void backPressureDelaysInsteadOfDropping() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    TestHost b = new TestHost(clock, 2).configured("10.0.0.2", 24);
    Wire.connect(clock, a.link, b.link, 100_000);
    // A slow NIC: 2 slots, 1 ms per frame, far below the 10000/s asked for.
    a.link.ring(2, 1_000_000);
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(b.stack.sockets());
    UdpSendResult s = (UdpSendResult) await(clock,
        Workloads.parse("udp-send 10.0.0.2:9000 rate=10000/s count=200").start(a.stack.sockets()));
    clock.runForMillis(50);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(clock, sink);
    assertEquals(200, s.sent());
    assertEquals(0, s.dropped());
    assertTrue(s.delayed() > 0, "some datagrams waited: " + s);
    assertEquals(0, a.count(StackCounter.TX_QUEUE_FULL));
    assertTrue(s.achievedRate() < 1100, "bounded by the NIC: " + s);
    assertEquals(200, k.senders().get(0).received());
    assertEquals(0, k.senders().get(0).lost());
  }

  @Test
  void durationEndsTheRun() {
    TestHost[] p = TestHost.pair(clock);
    Workloads.parse("udp-sink 9000").start(p[1].stack.sockets());
    UdpSendResult s = (UdpSendResult) await(clock,
        Workloads.parse("udp-send 10.0.0.2:9000 rate=50/s duration=2s").start(p[0].stack.sockets()));
    assertEquals(2_000_000_000L, s.elapsedNanos());
    assertEquals(100, s.sent());
    assertTrue(p[0].env.lines().contains(
        "udp-send 10.0.0.2:9000: 100 sent in 2.000 s (50.0/s), 0 dropped, 0 delayed"),
        p[0].env.lines().toString());
  }

  @Test
  void twoSendersAreTrackedApart() {
    VirtualClock c = clock;
    TestHost a = new TestHost(c, 1).configured("10.0.0.1", 24);
    TestHost a2 = new TestHost(c, 3).configured("10.0.0.3", 24);
    TestHost b = new TestHost(c, 2).configured("10.0.0.2", 24);
    // A tiny hub: every frame from one goes to the other two.
    TestHost[] all = {a, a2, b};
    for (TestHost from : all) {
      from.link.onTransmit(f -> {
        for (TestHost to : all) {
          if (to != from) {
            c.schedule(100_000, () -> to.link.deliver(f));
          }
        }
      });
    }
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(b.stack.sockets());
    WorkloadRun s1 = Workloads.parse("udp-send 10.0.0.2:9000 rate=100/s count=50").start(a.stack.sockets());
    WorkloadRun s2 = Workloads.parse("udp-send 10.0.0.2:9000 rate=200/s count=70").start(a2.stack.sockets());
    await(c, s1);
    await(c, s2);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(c, sink);
    assertEquals(2, k.senders().size());
    assertEquals(120, k.datagrams());
    assertEquals(50, k.senders().get(0).received());
    assertEquals(70, k.senders().get(1).received());
    assertEquals(0, k.lost());
  }

  @Test
  void aRebootedSenderIsANewStreamNotARepeat() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(p[1].stack.sockets());
    await(clock, Workloads.parse("udp-send 10.0.0.2:9000 rate=1000/s count=100").start(p[0].stack.sockets()));
    clock.runForMillis(100);
    // the sender reboots: a fresh stack on the same NIC and address, numbering from 0 again from
    // the same first ephemeral port
    NetStack rebooted = new NetStack(p[0].env, p[0].link);
    rebooted.configure(Ipv4Address.parse("10.0.0.1"), 24, Optional.empty());
    await(clock, Workloads.parse("udp-send 10.0.0.2:9000 rate=1000/s count=60").start(rebooted.sockets()));
    clock.runForMillis(10);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(clock, sink);
    assertEquals(160, k.datagrams());
    assertEquals(2, k.senders().size(), k.summary());
    assertEquals(k.senders().get(0).port(), k.senders().get(1).port(), "same address and port");
    assertEquals(100, k.senders().get(0).received());
    assertEquals(60, k.senders().get(1).received());
    assertEquals(0, k.duplicates(), k.summary());
    assertEquals(0, k.outOfOrder(), k.summary());
    assertEquals(0, k.lost(), k.summary());
  }

  @Test
  void foreignDatagramsAreCountedNotTracked() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun sink = Workloads.parse("udp-sink 9000").start(p[1].stack.sockets());
    p[0].stack.udpSend(1234, Ipv4Address.parse("10.0.0.2"), 9000, "hello".getBytes());
    clock.runForMillis(10);
    sink.stop();
    UdpSinkResult k = (UdpSinkResult) await(clock, sink);
    assertEquals(1, k.foreign());
    assertTrue(k.senders().isEmpty());
  }

  @Test
  void echoServerAnswers() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun echo = Workloads.parse("echo 7").start(p[1].stack.sockets());
    java.util.List<byte[]> back = new java.util.ArrayList<>();
    p[0].stack.udpBind(5555, d -> back.add(d.payload()))
        .send(Ipv4Address.parse("10.0.0.2"), 7, "ping".getBytes());
    clock.runForMillis(10);
    assertEquals(1, back.size());
    assertEquals("ping", new String(back.get(0)));
    echo.stop();
    EchoResult r = (EchoResult) await(clock, echo);
    assertEquals(1, r.echoed());
    assertEquals(4, r.bytes());
    assertTrue(r.success());
    assertEquals("echo 7: 1 datagrams (4 bytes) echoed, 0 dropped",
        p[1].env.lines().get(p[1].env.lines().size() - 1));
  }

  @Test
  void aLateTimerDoesNotBurst() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun send = Workloads.parse("udp-send 10.0.0.2:9000 rate=1000/s count=400")
        .start(p[0].stack.sockets());
    clock.runForMillis(50);
    long before = p[0].count(StackCounter.UDP_DATAGRAMS_SENT);
    clock.stall(100_000_000L); // a starved vCPU: 100 ms pass and no timer runs
    clock.runFor(0);
    long burst = p[0].count(StackCounter.UDP_DATAGRAMS_SENT) - before;
    assertTrue(burst >= 1 && burst <= 10, "at most 10 ms worth at once: " + burst);
    UdpSendResult r = (UdpSendResult) await(clock, send);
    assertEquals(400, r.sent());
    // 400 at 1000/s take 400 ms; the 100 ms stall comes on top instead of being caught up.
    assertTrue(r.elapsedNanos() > 490_000_000L, "the stall was not made up: " + r);
  }
}
