package io.fleetsim.cli;

import picocli.CommandLine.Command;

@Command(name = "hub", mixinStandardHelpOptions = true,
    description = {"Runs a hub: every frame from one netdev goes to every other, like QEMU's hub.",
        "Runs until SIGINT or SIGTERM, then prints per-port counters."})
final class HubCommand extends FabricCommand {
  @Override
  FabricProcess.Kind kind() {
    return FabricProcess.Kind.HUB;
  }
}
