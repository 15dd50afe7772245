package io.fleetsim.fault;

/**
 * One fault an experiment can inject, its parameters already validated. Either it changes the
 * frames on a link ({@link LinkFault}) or the runner acts on a VM or connection ({@link ControlFault}).
 */
public sealed interface Fault permits Fault.LinkFault, Fault.ControlFault {

  /** The HOCON name, e.g. {@code latency}. */
  String kind();

  /** What it does, for progress lines and reports: {@code latency 50ms +- 10ms normal}. */
  default String describe() {
    return kind();
  }

  /** A fault on the frames of one direction of a link. */
  sealed interface LinkFault extends Fault permits DeadWire, LatencyFault, LossFault, DuplicateFault,
      ReorderFault, CorruptFault, RateLimitFault, PartitionFault {

    /** Fresh decision logic for one direction of one link materialisation. */
    FaultStage stage(FaultContext ctx);
  }

  /** A fault the runner carries out itself: there is no per-frame logic. */
  sealed interface ControlFault extends Fault permits LinkDown, Disconnect, Crash, Restart,
      Pause, Resume, PartitionFault.Groups {}

  /**
   * A pulled cable, as the wire sees it: every frame is lost ({@value #CAUSE_LINK_DOWN}). The
   * runner puts it on a VM's link while {@link LinkDown} has the carrier off (QEMU's
   * {@code set_link off} drops frames both ways too, rather than queueing them).
   */
  record DeadWire() implements LinkFault {
    @Override
    public String kind() {
      return "link-down";
    }

    @Override
    public FaultStage stage(FaultContext ctx) {
      return (frame, at, out) -> out.drop(CAUSE_LINK_DOWN);
    }
  }

  String CAUSE_LINK_DOWN = "link-down";

  /** The target VMs' carrier goes off; with {@code for} it comes back on after. */
  record LinkDown() implements ControlFault {
    @Override
    public String kind() {
      return "link-down";
    }
  }

  /** Closes the TCP connection of a network's socket port or of a VM's netdev. */
  record Disconnect() implements ControlFault {
    @Override
    public String kind() {
      return "disconnect";
    }
  }

  /** The VM stops as if powered off; with {@code for} it restarts after. */
  record Crash() implements ControlFault {
    @Override
    public String kind() {
      return "crash";
    }
  }

  /** The VM reboots now. */
  record Restart() implements ControlFault {
    @Override
    public String kind() {
      return "restart";
    }
  }

  /** The vCPU stops (devices keep their state); with {@code for} it resumes after. */
  record Pause() implements ControlFault {
    @Override
    public String kind() {
      return "pause";
    }
  }

  /** A paused vCPU runs again. */
  record Resume() implements ControlFault {
    @Override
    public String kind() {
      return "resume";
    }
  }
}
