package io.fleetsim.cli;

import picocli.CommandLine.Command;

@Command(name = "hub", mixinStandardHelpOptions = true,
    header = "Runs a hub: every frame from one netdev goes to every other, as QEMU's hub does.",
    description = "Each -netdev is a port. Runs until SIGINT or SIGTERM, then prints the counters of "
        + "every port.")
final class HubCommand extends FabricCommand {
  @Override
  FabricProcess.Kind kind() {
    return FabricProcess.Kind.HUB;
  }
}
