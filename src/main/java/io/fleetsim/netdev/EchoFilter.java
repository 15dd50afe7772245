package io.fleetsim.netdev;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.pekko.util.ByteString;

/**
 * Recognises a multicast socket's own frames when the kernel loops them back.
 *
 * <p>Why: QEMU sets IP_MULTICAST_LOOP so that VMs on one host hear each other, and so every member
 * also receives what it sent itself. QEMU passes that copy to its NIC, which is harmless for a
 * guest. For a fleetsim hub or switch it is not: the copy would come in on the multicast port and
 * be forwarded to every other port (each frame delivered twice, once back to its sender), and a
 * learning switch would learn the sender's MAC on the multicast port.
 *
 * <p>How: the source address cannot tell the copy apart. Every member on a host sends from the
 * interface address and the group port, so another fleetsim or QEMU on the same host has exactly
 * our source address. Instead we remember the bytes of each frame we sent and drop the first
 * received datagram that is byte-for-byte equal to one still remembered, forgetting it. The copy
 * comes back within microseconds, unless reading is suspended (then it waits in the kernel buffer,
 * hence the generous {@link EchoWindow}).
 *
 * <p>Trade-off: a frame another member sends that is byte-identical to one of ours whose copy has
 * not come back yet (or was lost, until it is forgotten) is dropped as if it were our copy. Two
 * stations only send identical bytes when a frame goes round a loop in the topology or two guests
 * share a MAC and IP (both broken set-ups); a remembered frame is consumed by its copy, so a later
 * identical frame from someone else is delivered. Memory is bounded by the window.
 *
 * <p>Not thread-safe: one per socket, used from its stage.
 */
final class EchoFilter {
  /** Only this many leading bytes are hashed; equal keys are then compared in full. */
  private static final int HASHED_PREFIX = 128;

  private final EchoWindow window;
  private final LongSupplier nanoClock;
  private final ArrayDeque<Sent> sentOrder = new ArrayDeque<>();
  private final Map<Key, ArrayDeque<Sent>> byContent = new HashMap<>();
  private long bytesRemembered;

  EchoFilter(EchoWindow window, LongSupplier nanoClock) {
    this.window = window;
    this.nanoClock = nanoClock;
  }

  /** Remember a frame handed to the socket. */
  void sent(ByteString frame) {
    long now = nanoClock.getAsLong();
    expire(now);
    Key key = new Key(frame.compact().asByteBuffer());
    Sent sent = new Sent(key, now);
    sentOrder.addLast(sent);
    byContent.computeIfAbsent(key, k -> new ArrayDeque<>(2)).addLast(sent);
    bytesRemembered += frame.size();
    while (sentOrder.size() > window.frames() || bytesRemembered > window.bytes()) {
      forgetOldest();
    }
  }

  /** True (and the remembered copy is forgotten) if {@code frame} is the copy of one we sent. */
  boolean isEcho(ByteString frame) {
    expire(nanoClock.getAsLong());
    if (byContent.isEmpty()) {
      return false;
    }
    Key key = new Key(frame.asByteBuffer());
    ArrayDeque<Sent> same = byContent.get(key);
    if (same == null) {
      return false;
    }
    Sent oldest = same.pollFirst();
    oldest.echoed = true;
    if (same.isEmpty()) {
      byContent.remove(key);
    }
    bytesRemembered -= oldest.key.size();
    return true;
  }

  /** Frames remembered and not yet echoed (for tests). */
  int remembered() {
    int n = 0;
    for (ArrayDeque<Sent> same : byContent.values()) {
      n += same.size();
    }
    return n;
  }

  private void expire(long now) {
    long maxAge = window.maxAge().toNanos();
    Sent head;
    while ((head = sentOrder.peekFirst()) != null && (head.echoed || now - head.at > maxAge)) {
      forgetOldest();
    }
  }

  private void forgetOldest() {
    Sent oldest = sentOrder.pollFirst();
    if (oldest == null || oldest.echoed) {
      return;
    }
    // Frames with equal content were sent in order, so the oldest overall is first in its list.
    ArrayDeque<Sent> same = byContent.get(oldest.key);
    same.pollFirst();
    if (same.isEmpty()) {
      byContent.remove(oldest.key);
    }
    bytesRemembered -= oldest.key.size();
  }

  private static final class Sent {
    final Key key;
    final long at;
    boolean echoed;

    Sent(Key key, long at) {
      this.key = key;
      this.at = at;
    }
  }

  /** Frame content as a map key: hash of length and prefix, equality of every byte. */
  private static final class Key {
    private final ByteBuffer content;
    private final int hash;

    Key(ByteBuffer content) {
      this.content = content;
      ByteBuffer prefix = content.duplicate();
      prefix.limit(prefix.position() + Math.min(HASHED_PREFIX, prefix.remaining()));
      this.hash = 31 * content.remaining() + prefix.hashCode();
    }

    int size() {
      return content.remaining();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && k.content.equals(content);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
