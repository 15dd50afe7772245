package io.fleetsim.qemu;

import io.fleetsim.addr.MacAddress;
import static io.fleetsim.qemu.QemuCommandLine.parseDevice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceParserTest {

  static void assertRejected(String value, String message) {
    OptionException e = assertThrows(OptionException.class, () -> parseDevice(value));
    assertEquals("-device " + value + ": " + message, e.getMessage());
  }

  @Test
  void minimal() {
    assertEquals(new DeviceSpec("e1000", Optional.empty(), "n0", Optional.empty(),
        "e1000,netdev=n0"), parseDevice("e1000,netdev=n0"));
  }

  @Test
  void full() {
    assertEquals(new DeviceSpec("e1000", Optional.of("nic0"), "n0",
            Optional.of(new MacAddress(0x525400123457L)),
            "e1000,netdev=n0,mac=52:54:00:12:34:57,id=nic0"),
        parseDevice("e1000,netdev=n0,mac=52:54:00:12:34:57,id=nic0"));
  }

  @Test
  void aliasModelAndDriverKey() {
    assertEquals("e1000", parseDevice("e1000-82540em,netdev=n").model());
    assertEquals("e1000", parseDevice("driver=e1000,netdev=n").model());
  }

  @ParameterizedTest
  @ValueSource(strings = {"52-54-00-12-34-56", "52:54-00:12:34:56", "52:54:00:12:34:56",
      "52:54:00:12:34:56"})
  void macSeparators(String mac) {
    assertEquals(Optional.of(new MacAddress(0x525400123456L)),
        parseDevice("e1000,netdev=n,mac=" + mac).mac());
  }

  @Test
  void macHexCaseAndMulticastAccepted() {
    assertEquals(0xABCDEF012345L, MacAddress.tryParse("AB:cd:EF:01:23:45").orElseThrow().bits());
    assertEquals(0x010000000001L, MacAddress.tryParse("01:00:00:00:00:01").orElseThrow().bits());
  }

  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:12:34:5", "52:54:00:12:34:56:78", "5254.0012.3456",
      "52:54:00:12:34:gg", "", "2:54:0:12:34:56", "52:54:00:12:34:+6", "52:54:00:12:34:5g6",
      "52_54_00_12_34_56", "52:54:00:12:34:56:"})
  void badMac(String mac) {
    assertRejected("e1000,netdev=n,mac=" + mac,
        "Property 'e1000.mac' doesn't take value '" + mac + "'");
  }

  @Test
  void netdevRequiredWithReason() {
    OptionException e = assertThrows(OptionException.class, () -> parseDevice("e1000"));
    assertTrue(e.getMessage().startsWith("-device e1000: Parameter 'netdev' is missing ("),
        e.getMessage());
    assertTrue(e.getMessage().contains("never send or receive"), e.getMessage());
  }

  @Test
  void driverRequired() {
    assertRejected("netdev=n", "Parameter 'driver' is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "virtio-net-pci", "rtl8139", "e1000e"})
  void otherModelsRejected(String model) {
    assertRejected(model + ",netdev=n", "'" + model + "' is not a valid device model name for"
        + " fleetsim (supported: e1000, e1000-82540em)");
  }

  @Test
  void unknownProperty() {
    assertRejected("e1000,netdev=n,foo=1", "Property 'e1000.foo' not found (fleetsim's e1000"
        + " takes only id=, netdev= and mac=)");
  }

  @Test
  void badId() {
    assertRejected("e1000,netdev=n,id=1x", "Parameter 'id' expects an identifier\n"
        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
  }

  @Test
  void jsonForm() {
    assertEquals("n", parseDevice("{\"driver\":\"e1000\",\"netdev\":\"n\"}").netdev());
  }
}
