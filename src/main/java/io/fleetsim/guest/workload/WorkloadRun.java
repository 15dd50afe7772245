package io.fleetsim.guest.workload;

import java.util.concurrent.CompletionStage;

/** One running workload. Single-threaded: call it on the VM thread. */
public interface WorkloadRun {
  /** Completes on the VM thread when the workload ends by itself or is stopped. */
  CompletionStage<WorkloadResult> result();

  /** What it achieved so far (the result, once done), without stopping it. */
  WorkloadResult snapshot();

  /** Ends the run now (ping prints its statistics); idempotent. */
  void stop();

  boolean done();
}
