package io.fleetsim.cli;

import io.fleetsim.qemu.QemuOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * QEMU-style options, kept in the order given (QEMU's defaults, such as MACs, depend on it).
 * {@code -device} is declared by each command (shown for a VM, hidden where it is refused) and
 * joins the same list through {@link #add}.
 */
final class QemuArgs {
  private final List<QemuOption> options = new ArrayList<>();

  @Option(names = {"-netdev", "--netdev"}, paramLabel = "TYPE,id=ID,...",
      description = "A QEMU netdev: socket (listen=, connect=, mcast=, udp=, fd=), stream, dgram, hubport.")
  void netdev(String value) {
    add(new QemuOption("-netdev", value));
  }

  @Option(names = {"-object", "--object"}, paramLabel = "filter-dump,id=F,netdev=ID,file=PATH",
      description = "A packet capture in pcap format, as QEMU's filter-dump (maxlen= optional).")
  void object(String value) {
    add(new QemuOption("-object", value));
  }

  void add(QemuOption option) {
    options.add(option);
  }

  List<QemuOption> options() {
    return List.copyOf(options);
  }
}
