package io.fleetsim.guest.workload;

/**
 * @param echoed datagrams sent back (accepted by the stack)
 * @param dropped replies the stack refused (no route, link down, queue full)
 */
public record EchoResult(int port, long echoed, long bytes, long dropped)
    implements WorkloadResult {
  @Override
  public String kind() {
    return EchoWorkload.KIND;
  }

  @Override
  public String summary() {
    return "echo " + port + ": " + echoed + " datagrams (" + bytes + " bytes) echoed, " + dropped
        + " dropped";
  }
}
