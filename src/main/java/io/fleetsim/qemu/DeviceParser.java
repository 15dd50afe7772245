package io.fleetsim.qemu;

import io.fleetsim.addr.MacAddress;
import java.util.Set;

/** {@code -device} option strings to {@link DeviceSpec}s: only the e1000 NIC. */
final class DeviceParser {

  static final String OPTION = "-device";
  /** What fleetsim emulates; QEMU's e1000-82540em is an alias of e1000. */
  static final String MODEL = "e1000";
  private static final Set<String> MODELS = Set.of("e1000", "e1000-82540em");
  private static final Set<String> KEYS = Set.of("driver", "id", "netdev", "mac");

  private DeviceParser() {}

  static DeviceSpec parse(String text) {
    QemuOpts opts = QemuOpts.isJson(text)
        ? QemuOpts.parseJson(OPTION + " " + text, text)
        : QemuOpts.parse(text, "driver");
    OptionReader r = new OptionReader(OPTION, text, opts);
    String driver = r.required("driver");
    var id = r.optionalId();
    if (!MODELS.contains(driver)) {
      throw r.error("'" + driver + "' is not a valid device model name for fleetsim (supported:"
          + " e1000, e1000-82540em)");
    }
    r.firstUnknown(KEYS).ifPresent(k -> {
      throw r.error("Property '" + MODEL + "." + k + "' not found (fleetsim's e1000 takes only"
          + " id=, netdev= and mac=)");
    });
    var mac = r.optional("mac").map(m -> MacAddress.tryParse(m).orElseThrow(
        () -> r.error("Property '" + MODEL + ".mac' doesn't take value '" + m + "'")));
    String netdev = r.optional("netdev").orElseThrow(() -> r.error(
        "Parameter 'netdev' is missing (fleetsim needs every NIC attached to a -netdev;"
            + " an unattached NIC could never send or receive)"));
    return new DeviceSpec(MODEL, id, netdev, mac, text);
  }
}
