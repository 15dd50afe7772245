package io.fleetsim.cli;

import picocli.CommandLine.Command;

@Command(name = "switch", mixinStandardHelpOptions = true,
    header = "Runs a learning switch: a frame to a known MAC goes out of that one port.",
    description = "Each -netdev is a port. Broadcast, multicast and frames to unknown MACs go to every "
        + "other port. Runs until SIGINT or SIGTERM, then prints the counters of every port.")
final class SwitchCommand extends FabricCommand {
  @Override
  FabricProcess.Kind kind() {
    return FabricProcess.Kind.SWITCH;
  }
}
