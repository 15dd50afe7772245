package io.fleetsim.fault;

/**
 * A change to a VM's power state. The experiment checks their order per VM before the run (a
 * crash needs a VM that is up, a resume one that is paused), knowing faults only by these.
 */
public enum VmPower {
  /** Stops the VM as if powered off; the fault's end boots it again. */
  CRASH,
  /** Stops it and boots it again at once, ending any crash that held it down. */
  RESTART,
  /** Stops the vCPU; the fault's end resumes it. */
  PAUSE,
  /** Runs a paused vCPU again, ending the pause that held it. */
  RESUME
}
