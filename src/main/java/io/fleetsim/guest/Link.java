package io.fleetsim.guest;

import io.fleetsim.addr.MacAddress;

/** A network interface as the stack sees it; the driver implements it. */
public interface Link {
  MacAddress mac();

  boolean carrier();

  /**
   * Queues a whole Ethernet frame (no FCS) for transmission. False when the transmit ring is full:
   * the stack keeps the frame and tries again on {@link Listener#transmitSpace()}.
   */
  boolean transmit(byte[] frame);

  /** The driver calls up through this; set once by the stack. */
  void listener(Listener listener);

  interface Listener {
    void received(byte[] frame);

    void carrierChanged(boolean up);

    void transmitSpace();
  }
}
