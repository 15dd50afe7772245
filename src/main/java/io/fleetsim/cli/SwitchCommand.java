package io.fleetsim.cli;

import picocli.CommandLine.Command;

@Command(name = "switch", mixinStandardHelpOptions = true,
    description = {"Runs a learning switch: known unicast goes out of one port; broadcast, multicast",
        "and unknown unicast are flooded. Runs until SIGINT or SIGTERM, then prints per-port counters."})
final class SwitchCommand extends FabricCommand {
  @Override
  FabricProcess.Kind kind() {
    return FabricProcess.Kind.SWITCH;
  }
}
