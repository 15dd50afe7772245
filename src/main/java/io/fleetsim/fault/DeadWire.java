package io.fleetsim.fault;

/**
 * A pulled cable as the wire sees it: every frame is lost ({@value #CAUSE}). Not a kind of its
 * own: {@link LinkDownFault} puts it on its VMs' links while their carrier is off (QEMU's
 * {@code set_link off} drops frames both ways too, rather than queueing them).
 */
record DeadWire() implements Fault.LinkFault {
  /** The drop cause frames on a dead wire are booked under. */
  static final String CAUSE = "link-down";

  @Override
  public String kind() {
    return "dead-wire";
  }

  @Override
  public FaultStage stage(FaultContext ctx) {
    return (frame, at, out) -> out.drop(CAUSE);
  }
}
