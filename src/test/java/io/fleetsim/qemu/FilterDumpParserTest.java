package io.fleetsim.qemu;

import static io.fleetsim.qemu.QemuCommandLine.parseObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterDumpParserTest {

  static final String OK = "filter-dump,id=f,netdev=n,file=/tmp/d.pcap";

  static void assertRejected(String value, String message) {
    OptionException e = assertThrows(OptionException.class, () -> parseObject(value));
    assertEquals("-object " + value + ": " + message, e.getMessage());
  }

  static void assertRejectedContaining(String value, String... parts) {
    OptionException e = assertThrows(OptionException.class, () -> parseObject(value));
    assertTrue(e.getMessage().startsWith("-object " + value + ": "), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> e.getMessage() + " lacks " + p);
    }
  }

  @Test
  void defaultMaxlen() {
    assertEquals(new FilterDumpSpec("f", "n", "/tmp/d.pcap", 65536, OK), parseObject(OK));
  }

  @Test
  void explicitMaxlenAndCommaInFile() {
    FilterDumpSpec s = parseObject("filter-dump,id=f,netdev=n,file=a,,b.pcap,maxlen=128");
    assertEquals("a,b.pcap", s.file());
    assertEquals(128, s.maxlen());
  }

  @Test
  void requiredKeys() {
    assertRejected("filter-dump", "Parameter 'id' is missing");
    assertRejected("filter-dump,id=f", "Parameter 'netdev' is missing");
    assertRejected("filter-dump,id=f,netdev=n", "Parameter 'file' is missing");
    assertRejected("id=f", "Parameter 'qom-type' is missing");
    assertRejected("filter-dump,id=f,netdev=n,file=", "Parameter 'file' must not be empty");
  }

  @Test
  void maxlen() {
    assertRejected(OK + ",maxlen=0", "Property 'filter-dump.maxlen' doesn't take value '0'");
    assertRejected(OK + ",maxlen=-1", "Parameter 'maxlen' expects a uint64 value");
    assertRejected(OK + ",maxlen=x", "Parameter 'maxlen' expects a uint64 value");
    assertRejected(OK + ",maxlen=99999999999", "Parameter 'maxlen' expects uint32_t");
    assertRejectedContaining(OK + ",maxlen=4294967295", "doesn't take value", "2147483647");
  }

  @Test
  void genericFilterKeys() {
    assertEquals(parseObject(OK).maxlen(), parseObject(OK + ",queue=all,status=on,position=head,"
        + "insert=before").maxlen());
    assertRejectedContaining(OK + ",queue=rx", "queue=rx", "both directions");
    assertRejectedContaining(OK + ",queue=tx", "queue=tx");
    assertRejected(OK + ",queue=bogus", "Parameter 'queue' does not accept value 'bogus'");
    assertRejectedContaining(OK + ",status=off", "status=off");
    assertRejected(OK + ",status=x", "Invalid value for netfilter status, should be 'on' or"
        + " 'off'");
    assertRejectedContaining(OK + ",position=id=g", "position=id=g", "not supported");
    assertRejected(OK + ",position=x", "Parameter 'position' expects 'head', 'tail' or 'id=<id>'");
    assertRejected(OK + ",insert=x", "Parameter 'insert' does not accept value 'x'");
    // QemuOpts short form: bare "status" is status=on
    assertEquals("f", parseObject(OK + ",status").id());
  }

  @Test
  void unknownKey() {
    assertRejected(OK + ",foo=1", "Invalid parameter 'foo'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"filter-buffer", "filter-mirror", "filter-redirector"})
  void otherFilters(String type) {
    assertRejected(type + ",id=f,netdev=n",
        "fleetsim does not support object type '" + type + "' (supported: filter-dump)");
  }

  @Test
  void unknownObjectType() {
    assertRejected("bogus,id=f",
        "Parameter 'qom-type' does not accept value 'bogus' (fleetsim supports: filter-dump)");
  }

  @Test
  void badId() {
    assertRejected("filter-dump,id=1f,netdev=n,file=x", "Parameter 'id' expects an identifier\n"
        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
  }
}
