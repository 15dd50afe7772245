package io.fleetsim.qemu;

import static io.fleetsim.qemu.QemuOption.device;
import static io.fleetsim.qemu.QemuOption.netdev;
import static io.fleetsim.qemu.QemuOption.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

  static final QemuOption N0 = netdev("socket,id=n0,listen=:1234");
  static final QemuOption N1 = netdev("socket,id=n1,mcast=230.0.0.1:1234,localaddr=127.0.0.1");

  static String rejected(QemuOption... options) {
    return assertThrows(OptionException.class, () -> QemuCommandLine.parse(List.of(options)))
        .getMessage();
  }

  @Test
  void wholeConfigKeepsOrderPerKind() {
    QemuConfig c = QemuCommandLine.parse(List.of(
        object("filter-dump,id=f0,netdev=n1,file=a.pcap"), N0, device("e1000,netdev=h1"), N1,
        netdev("hubport,id=h0,hubid=0,netdev=n0"), netdev("hubport,id=h1,hubid=0")));
    assertEquals(List.of("n0", "n1", "h0", "h1"),
        c.netdevs().stream().map(NetdevSpec::id).toList());
    // the dump and the device were given before the netdevs they name, and are kept all the same
    assertEquals(List.of("f0 on n1"),
        c.dumps().stream().map(d -> d.id() + " on " + d.netdev()).toList());
    assertEquals(List.of("h1"), c.devices().stream().map(DeviceSpec::netdev).toList());
  }

  @Test
  void fleetsimHubShape() {
    QemuConfig c = QemuCommandLine.parse(List.of(N0, N1,
        netdev("hubport,id=h0,hubid=0,netdev=n0"), netdev("hubport,id=h1,hubid=0,netdev=n1")));
    // two sockets, each behind a port of hub 0: the shape `fleetsim hub` is given
    assertEquals(List.of("n0", "n1", "h0", "h1"), c.netdevs().stream().map(NetdevSpec::id).toList());
    assertEquals(new NetdevSpec.Hubport("h0", 0, Optional.of("n0"), "hubport,id=h0,hubid=0,netdev=n0"),
        c.netdevs().get(2));
    assertEquals(new NetdevSpec.Hubport("h1", 0, Optional.of("n1"), "hubport,id=h1,hubid=0,netdev=n1"),
        c.netdevs().get(3));
    assertTrue(c.devices().isEmpty());
    assertTrue(c.dumps().isEmpty());
  }

  @Test
  void deviceOnAHubport() {
    QemuConfig c = QemuCommandLine.parse(List.of(netdev("hubport,id=h,hubid=0"),
        device("e1000,netdev=h")));
    assertEquals(List.of(new DeviceSpec("e1000", Optional.empty(), "h", Optional.empty(),
        "e1000,netdev=h")), c.devices(), "a hubport is a netdev a device can sit on");
    assertEquals(Optional.empty(), ((NetdevSpec.Hubport) c.netdevs().get(0)).netdev());
  }

  @Test
  void doubleDashNamesAccepted() {
    assertEquals(1, QemuCommandLine.parse(List.of(new QemuOption("--netdev",
        "socket,id=a,listen=:1"))).netdevs().size());
  }

  @Test
  void duplicateNetdevId() {
    assertEquals("-netdev socket,id=n0,connect=h:1: Duplicate ID 'n0' for netdev",
        rejected(N0, netdev("socket,id=n0,connect=h:1")));
  }

  @Test
  void duplicateDeviceAndObjectIds() {
    assertEquals("-device e1000,netdev=n1,id=x: Duplicate ID 'x' for device",
        rejected(N0, N1, device("e1000,netdev=n0,id=x"), device("e1000,netdev=n1,id=x")));
    assertEquals("-object filter-dump,id=f,netdev=n0,file=b: Duplicate ID 'f' for object",
        rejected(N0, object("filter-dump,id=f,netdev=n0,file=a"),
            object("filter-dump,id=f,netdev=n0,file=b")));
  }

  @Test
  void idNamespacesAreSeparateLikeQemu() {
    // one id, n0, for a netdev, a device and an object: three kinds, no clash
    QemuConfig c = QemuCommandLine.parse(List.of(N0, device("e1000,netdev=n0,id=n0"),
        object("filter-dump,id=n0,netdev=n0,file=a")));
    assertEquals(List.of("n0"), c.netdevs().stream().map(NetdevSpec::id).toList());
    assertEquals(List.of(Optional.of("n0")), c.devices().stream().map(DeviceSpec::id).toList());
    assertEquals(List.of("n0"), c.dumps().stream().map(FilterDumpSpec::id).toList());
  }

  @Test
  void twoDumpsOnOneNetdevAreFine() {
    assertEquals(2, QemuCommandLine.parse(List.of(N0, object("filter-dump,id=f,netdev=n0,file=a"),
        object("filter-dump,id=g,netdev=n0,file=b"))).dumps().size());
  }

  @Test
  void dumpOnUnknownNetdev() {
    assertEquals("-object filter-dump,id=f,netdev=zz,file=a: Parameter 'netdev' expects a network"
            + " backend id ('zz' is not a -netdev id)",
        rejected(N0, object("filter-dump,id=f,netdev=zz,file=a")));
  }

  @Test
  void deviceOnUnknownNetdev() {
    assertEquals("-device e1000,netdev=zz: Property 'e1000.netdev' can't find value 'zz'",
        rejected(N0, device("e1000,netdev=zz")));
  }

  @Test
  void twoDevicesOnOneNetdev() {
    String m = rejected(N0, device("e1000,netdev=n0,id=a"), device("e1000,netdev=n0,id=b"));
    assertTrue(m.startsWith("-device e1000,netdev=n0,id=b: Property 'e1000.netdev' can't take"
        + " value 'n0', it's in use (by -device e1000,netdev=n0,id=a)"), m);
  }

  @Test
  void deviceOnANetdevAlreadyOnAHubEvenIfGivenFirst() {
    // QEMU creates netdevs before devices, so the device is the one refused.
    String m = rejected(device("e1000,netdev=n0"), N0, netdev("hubport,id=h,hubid=3,netdev=n0"));
    assertEquals("-device e1000,netdev=n0: Property 'e1000.netdev' can't take value 'n0', it's"
        + " in use (by hubport 'h' of hub 3)", m);
  }

  @Test
  void hubportNetdevUnknownOrLater() {
    assertEquals("-netdev hubport,id=h,hubid=0,netdev=zz: netdev 'zz' not found (a hubport's"
        + " netdev= must name a -netdev given before it)",
        rejected(N0, netdev("hubport,id=h,hubid=0,netdev=zz")));
    String later = rejected(netdev("hubport,id=h,hubid=0,netdev=n0"), N0);
    assertTrue(later.startsWith("-netdev hubport,id=h,hubid=0,netdev=n0: netdev 'n0' not found"),
        later);
    String self = rejected(netdev("hubport,id=h,hubid=0,netdev=h"));
    assertTrue(self.contains("netdev 'h' not found"), self);
  }

  @Test
  void hubportNetdevAlreadyOnAHub() {
    String m = rejected(N0, netdev("hubport,id=h0,hubid=0,netdev=n0"),
        netdev("hubport,id=h1,hubid=1,netdev=n0"));
    assertEquals("-netdev hubport,id=h1,hubid=1,netdev=n0: netdev 'n0' is already connected"
        + " (to hubport 'h0' of hub 0); a netdev can be on one hub only", m);
  }

  @Test
  void unsupportedOptionName() {
    String m = rejected(new QemuOption("-chardev", "socket,id=c"));
    assertTrue(m.startsWith("-chardev socket,id=c: "), m);
    assertTrue(m.contains("-netdev, -device, -object"), m);
  }

  @Test
  void firstBadOptionIsReported() {
    String m = rejected(N0, netdev("user,id=u"), device("bogus"));
    assertTrue(m.startsWith("-netdev user,id=u: fleetsim does not support netdev type 'user'"), m);
  }
}
