package io.fleetsim.netdev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class EchoFilterTest {
  private final AtomicLong clock = new AtomicLong();

  private EchoFilter filter(int frames, long bytes, Duration maxAge) {
    return new EchoFilter(new EchoWindow(frames, bytes, maxAge), clock::get);
  }

  private static ByteString frame(String s) {
    return ByteString.fromString(s);
  }

  @Test
  void ownFrameIsAnEchoOnceThenNotAgain() {
    EchoFilter filter = filter(16, 1 << 20, Duration.ofSeconds(10));
    filter.sent(frame("abc"));
    assertFalse(filter.isEcho(frame("xyz")));
    assertTrue(filter.isEcho(frame("abc")));
    assertFalse(filter.isEcho(frame("abc")), "a second identical frame is someone else's");
    assertEquals(0, filter.remembered());
  }

  @Test
  void identicalFramesSentTwiceAreTwoEchoes() {
    EchoFilter filter = filter(16, 1 << 20, Duration.ofSeconds(10));
    filter.sent(frame("arp who-has"));
    filter.sent(frame("arp who-has"));
    assertTrue(filter.isEcho(frame("arp who-has")));
    assertTrue(filter.isEcho(frame("arp who-has")));
    assertFalse(filter.isEcho(frame("arp who-has")));
  }

  @Test
  void framesEqualInTheirHashedPrefixAreComparedInFull() {
    EchoFilter filter = filter(16, 1 << 20, Duration.ofSeconds(10));
    byte[] a = new byte[300];
    byte[] b = new byte[300];
    b[299] = 1; // differs after the hashed prefix only
    filter.sent(ByteString.fromArray(a));
    assertFalse(filter.isEcho(ByteString.fromArray(b)));
    assertTrue(filter.isEcho(ByteString.fromArray(a)));
  }

  @Test
  void slicesAndCompactFramesWithTheSameBytesMatch() {
    EchoFilter filter = filter(16, 1 << 20, Duration.ofSeconds(10));
    ByteString slice = frame("xxhello worldxx").slice(2, 13);
    filter.sent(slice);
    assertTrue(filter.isEcho(frame("hello world")));
  }

  @Test
  void oldFramesAreForgotten() {
    EchoFilter filter = filter(16, 1 << 20, Duration.ofSeconds(10));
    filter.sent(frame("old"));
    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    assertFalse(filter.isEcho(frame("old")));
    assertEquals(0, filter.remembered());
  }

  @Test
  void theWindowKeepsTheNewestFrames() {
    EchoFilter filter = filter(2, 1 << 20, Duration.ofSeconds(10));
    filter.sent(frame("1"));
    filter.sent(frame("2"));
    filter.sent(frame("3"));
    assertFalse(filter.isEcho(frame("1")));
    assertTrue(filter.isEcho(frame("2")));
    assertTrue(filter.isEcho(frame("3")));
  }

  @Test
  void theWindowIsBoundedInBytes() {
    EchoFilter filter = filter(1000, DatagramStage.MAX_UDP_PAYLOAD, Duration.ofSeconds(10));
    filter.sent(ByteString.fromArray(new byte[40000]));
    filter.sent(ByteString.fromArray(new byte[40001]));
    assertEquals(1, filter.remembered());
    assertTrue(filter.isEcho(ByteString.fromArray(new byte[40001])));
  }

  @Property
  void everyFrameSentIsRecognisedOnceWhateverTheInterleaving(
      @ForAll @Size(max = 40) List<@Size(max = 6) List<Byte>> sentFrames,
      @ForAll @Size(max = 40) List<@Size(max = 6) List<Byte>> othersFrames) {
    EchoFilter filter = new EchoFilter(new EchoWindow(1000, 1 << 20, Duration.ofSeconds(10)),
        () -> 0L);
    java.util.Map<ByteString, Integer> pending = new java.util.HashMap<>();
    for (List<Byte> f : sentFrames) {
      ByteString frame = bytes(f);
      filter.sent(frame);
      pending.merge(frame, 1, Integer::sum);
    }
    // Others' frames first, then our copies: a frame is an echo exactly while a sent copy of the
    // same bytes is still unclaimed (the documented trade-off), and never otherwise.
    for (List<Byte> f : othersFrames) {
      ByteString frame = bytes(f);
      boolean expected = pending.getOrDefault(frame, 0) > 0;
      assertEquals(expected, filter.isEcho(frame));
      if (expected) {
        pending.merge(frame, -1, Integer::sum);
      }
    }
    for (List<Byte> f : sentFrames) {
      ByteString frame = bytes(f);
      boolean expected = pending.getOrDefault(frame, 0) > 0;
      assertEquals(expected, filter.isEcho(frame));
      if (expected) {
        pending.merge(frame, -1, Integer::sum);
      }
    }
    assertEquals(0, filter.remembered());
  }

  private static ByteString bytes(List<Byte> list) {
    byte[] b = new byte[list.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = list.get(i);
    }
    return ByteString.fromArray(b);
  }
}
