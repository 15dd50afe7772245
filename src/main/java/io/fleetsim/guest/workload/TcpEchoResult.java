package io.fleetsim.guest.workload;

import java.util.List;

/**
 * What a tcp-echo served.
 *
 * @param bytesEchoed over every connection
 * @param connections each accepted connection, in order of acceptance
 */
public record TcpEchoResult(int port, long bytesEchoed, List<TcpEchoConnection> connections)
    implements WorkloadResult {
  public TcpEchoResult {
    connections = List.copyOf(connections);
  }

  @Override
  public String kind() {
    return TcpEchoWorkload.KIND;
  }

  long errors() {
    return connections.stream().filter(c -> c.error().isPresent()).count();
  }

  @Override
  public String summary() {
    return "tcp-echo " + port + ": " + bytesEchoed + " bytes echoed on " + connections.size()
        + (connections.size() == 1 ? " connection" : " connections") + ", " + errors()
        + " with errors";
  }
}
