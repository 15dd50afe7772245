package io.fleetsim.cli;

import io.fleetsim.qemu.QemuOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** QEMU-style options, kept in the order given (QEMU's defaults, such as MACs, depend on it). */
final class QemuArgs {
  private final List<QemuOption> options = new ArrayList<>();

  @Option(names = {"-netdev", "--netdev"}, paramLabel = "TYPE,id=ID,...",
      description = "A QEMU netdev: socket (listen=, connect=, mcast=, udp=, fd=), stream, dgram, hubport.")
  void netdev(String value) {
    options.add(new QemuOption("-netdev", value));
  }

  @Option(names = {"-device", "--device"}, paramLabel = "e1000,netdev=ID,...",
      description = "A QEMU NIC: e1000 with netdev= and optional mac=.")
  void device(String value) {
    options.add(new QemuOption("-device", value));
  }

  @Option(names = {"-object", "--object"}, paramLabel = "filter-dump,id=F,netdev=ID,file=PATH",
      description = "A packet capture in pcap format, as QEMU's filter-dump (maxlen= optional).")
  void object(String value) {
    options.add(new QemuOption("-object", value));
  }

  List<QemuOption> options() {
    return List.copyOf(options);
  }
}
