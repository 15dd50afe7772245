package io.fleetsim.guest;

import io.fleetsim.addr.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A NIC for stack tests. Accepted frames are recorded and passed to {@link #onTransmit}. With a
 * ring capacity, each frame occupies a slot for {@code txNanos} (one after another, like a real
 * wire); a full ring refuses, and when a slot frees after a refusal the stack hears
 * transmitSpace.
 */
public final class FakeLink implements Link {
  private final MacAddress mac;
  private final VirtualClock clock;
  private final List<byte[]> sent = new ArrayList<>();
  private Listener listener;
  private boolean carrier = true;
  private int ringCapacity = Integer.MAX_VALUE;
  private long txNanos;
  private int inRing;
  private long wireFreeAt;
  private boolean refused;
  private int refusals;
  private Consumer<byte[]> onTransmit = f -> {};

  public FakeLink(VirtualClock clock, MacAddress mac) {
    this.clock = clock;
    this.mac = mac;
  }

  public static MacAddress mac(int last) {
    return new MacAddress(0x5254_0012_3400L | last);
  }

  public FakeLink ring(int capacity, long nanosPerFrame) {
    this.ringCapacity = capacity;
    this.txNanos = nanosPerFrame;
    return this;
  }

  public FakeLink onTransmit(Consumer<byte[]> consumer) {
    this.onTransmit = consumer;
    return this;
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public boolean carrier() {
    return carrier;
  }

  public void carrier(boolean up) {
    carrier = up;
    listener.carrierChanged(up);
  }

  /** Sets the initial carrier before a stack is attached. */
  public FakeLink initialCarrier(boolean up) {
    carrier = up;
    return this;
  }

  @Override
  public boolean transmit(byte[] frame) {
    if (inRing >= ringCapacity) {
      refused = true;
      refusals++;
      return false;
    }
    sent.add(frame.clone());
    if (ringCapacity != Integer.MAX_VALUE) {
      inRing++;
      wireFreeAt = Math.max(wireFreeAt, clock.now()) + txNanos;
      clock.schedule(wireFreeAt - clock.now(), this::slotFreed);
    }
    onTransmit.accept(frame.clone());
    return true;
  }

  private void slotFreed() {
    inRing--;
    if (refused) {
      refused = false;
      listener.transmitSpace();
    }
  }

  @Override
  public void listener(Listener l) {
    this.listener = l;
  }

  /** A frame arriving from the wire. */
  public void deliver(byte[] frame) {
    listener.received(frame);
  }

  public List<byte[]> sent() {
    return sent;
  }

  public int refusals() {
    return refusals;
  }

  public Listener listener() {
    return listener;
  }
}
