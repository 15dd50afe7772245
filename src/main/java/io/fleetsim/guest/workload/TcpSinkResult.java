package io.fleetsim.guest.workload;

import java.util.List;

/**
 * What a tcp-sink received.
 *
 * @param bytesReceived over every connection
 * @param elapsedNanos from the first accept to the last connection's end (or now)
 * @param goodputBitsPerSecond bytesReceived x 8 over elapsedNanos: the connections together
 * @param connections each accepted connection, in order of acceptance
 */
public record TcpSinkResult(int port, long bytesReceived, long elapsedNanos,
    double goodputBitsPerSecond, List<TcpSinkConnection> connections) implements WorkloadResult {
  public TcpSinkResult {
    connections = List.copyOf(connections);
  }

  @Override
  public String kind() {
    return TcpSinkWorkload.KIND;
  }

  long corrupt() {
    return connections.stream().filter(c -> !c.intact()).count();
  }

  long errors() {
    return connections.stream().filter(c -> c.error().isPresent()).count();
  }

  @Override
  public String summary() {
    return "tcp-sink " + port + ": " + bytesReceived + " bytes in " + connections.size()
        + (connections.size() == 1 ? " connection" : " connections") + " ("
        + Goodput.text(goodputBitsPerSecond) + "), " + corrupt() + " not intact, " + errors()
        + " with errors";
  }
}
