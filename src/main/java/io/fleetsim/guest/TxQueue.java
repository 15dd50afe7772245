package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.vm.hw.Cpu;
import java.util.ArrayDeque;

/**
 * The way out to the link. When the driver's ring is full the frame is held here, in order, and
 * the held frames go out on {@link Link.Listener#transmitSpace()}; past {@link #CAPACITY} held
 * frames new ones are dropped ({@code txQueueFull}). Carrier down drops what is held.
 *
 * <p>Back-pressure between the stack and the driver: the frames waiting are held here and only
 * here; the driver only remembers that it refused one, to call {@code transmitSpace} once when
 * its ring has room again (the wake-up: driver poll -> {@link #space()}).
 */
final class TxQueue {
  /** Linux's default txqueuelen is 1000; a small guest holds less. */
  static final int CAPACITY = 256;

  private final Link link;
  private final Cpu cpu;
  private final StackCounters counters;
  private final Runnable drained;
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private boolean up;

  TxQueue(Link link, Cpu cpu, StackCounters counters, Runnable drained) {
    this.link = link;
    this.cpu = cpu;
    this.counters = counters;
    this.drained = drained;
    this.up = link.carrier();
  }

  /** Charges the per-packet transmit cost and sends, holds or drops {@code frame}. */
  SendStatus transmit(byte[] frame) {
    cpu.charge(cpu.costs().txPacket());
    if (!up) {
      counters.increment(StackCounter.TX_DROP_LINK_DOWN);
      return SendStatus.LINK_DOWN;
    }
    if (held.isEmpty() && link.transmit(frame)) {
      sent(frame);
      return SendStatus.SENT;
    }
    if (held.size() >= CAPACITY) {
      counters.increment(StackCounter.TX_QUEUE_FULL);
      return SendStatus.QUEUE_FULL;
    }
    held.addLast(frame);
    counters.increment(StackCounter.TX_DEFERRED);
    return SendStatus.QUEUED;
  }

  /** The driver has room again: send held frames until it refuses or none are left. */
  void space() {
    if (held.isEmpty()) {
      return;
    }
    while (!held.isEmpty()) {
      if (!link.transmit(held.peekFirst())) {
        return;
      }
      sent(held.pollFirst());
    }
    drained.run();
  }

  void carrier(boolean carrierUp) {
    this.up = carrierUp;
    if (!carrierUp && !held.isEmpty()) {
      counters.add(StackCounter.TX_DROP_LINK_DOWN, held.size());
      held.clear();
      drained.run();
    }
  }

  boolean up() {
    return up;
  }

  /** Nothing held: a new frame would go straight to the link. */
  boolean idle() {
    return held.isEmpty();
  }

  int held() {
    return held.size();
  }

  private void sent(byte[] frame) {
    counters.increment(StackCounter.TX_FRAMES);
    counters.add(StackCounter.TX_BYTES, frame.length);
  }
}
