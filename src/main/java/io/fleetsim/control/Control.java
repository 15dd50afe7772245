package io.fleetsim.control;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A running experiment, hub or switch as the control API sees it. Every method may be called from
 * any thread at any moment, also before the run has started and after it ended (then changes are
 * refused with the reason). Reads answer at once from thread-safe state; changes are carried out
 * on the runner's own thread (between two steps of its timeline) and complete when they have been.
 */
public interface Control {

  /** What is running, now. */
  Status status();

  /** Every fault so far and to come, the timeline's and the API's, in id order. */
  List<FaultView> faults();

  /**
   * Puts a fault on now. {@code json} is one JSON object in the keys of the HOCON timeline
   * without {@code at} ({@code for} optional, absent: until ended or the end of the run),
   * validated as the experiment file is: a {@link Reply.Invalid} names each wrong key's path.
   */
  CompletionStage<Reply<FaultView>> addFault(String json);

  /** Ends fault {@code id} now, and cancels its repetitions still to come. */
  CompletionStage<Reply<FaultView>> endFault(String id);

  /**
   * {@code action} on VM or fleet {@code name}: crash, restart, pause, resume and link-down put on
   * the fault of that kind; link-up ends the link-down faults that hold it. The reply is the fault
   * put on or ended.
   */
  CompletionStage<Reply<FaultView>> vmAction(String name, VmAction action);

  /** Every counter so far, for {@code /metrics}. */
  Readings readings();

  /** The per-second series from second {@code from} on (1 is the first second). */
  List<Second> series(long from);
}
