package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code disconnect}: closes the TCP connection of a network's socket port, or of each socket port
 * of a network.
 */
public record DisconnectFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("disconnect",
      "closes the TCP connection of a network's socket port, as a reset; a listen port "
          + "then takes the next peer",
      List.of(), Set.of(Target.NETWORK, Target.PORT), false,
      p -> Optional.of(new DisconnectFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.disconnect();
  }

  @Override
  public boolean instant() {
    return true;
  }
}
