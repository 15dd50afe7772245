package io.fleetsim.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QemuOptsTest {

  @Test
  void leadingElementWithoutEqualsIsTheImpliedKey() {
    QemuOpts o = QemuOpts.parse("socket,id=a,listen=:1", "type");
    assertEquals(Map.of("type", "socket", "id", "a", "listen", ":1"), o.values());
    assertTrue(o.bareKeys().isEmpty());
  }

  @Test
  void explicitTypeKeyWorksWithoutImpliedElement() {
    assertEquals(Map.of("type", "socket", "id", "a"),
        QemuOpts.parse("type=socket,id=a", "type").values());
  }

  @Test
  void doubledCommaIsALiteralComma() {
    QemuOpts o = QemuOpts.parse("filter-dump,file=a,,b,,,,c,id=f", "qom-type");
    assertEquals("a,b,,c", o.values().get("file"));
    assertEquals("f", o.values().get("id"));
  }

  @Test
  void doubledCommaInTheImpliedElementStaysInTheValue() {
    // QEMU: "-netdev socket,,id=a" -> type 'socket,id=a'
    assertEquals(Map.of("type", "socket,id=a"), QemuOpts.parse("socket,,id=a", "type").values());
  }

  @Test
  void lastDuplicateWins() {
    assertEquals("b", QemuOpts.parse("x,id=a,id=b", "type").values().get("id"));
  }

  @Test
  void emptyValueIsKept() {
    assertEquals("", QemuOpts.parse("x,mac=", "driver").values().get("mac"));
  }

  @Test
  void valueMayContainEquals() {
    assertEquals("id=g", QemuOpts.parse("x,position=id=g", "t").values().get("position"));
  }

  @Test
  void bareKeyIsOnAndRecorded() {
    QemuOpts o = QemuOpts.parse("socket,id=a,listen", "type");
    assertEquals("on", o.values().get("listen"));
    assertEquals(Set.of("listen"), o.bareKeys());
  }

  @Test
  void bareKeyLaterGivenAValueIsNoLongerBare() {
    QemuOpts o = QemuOpts.parse("x,status,status=off", "t");
    assertEquals("off", o.values().get("status"));
    assertTrue(o.bareKeys().isEmpty());
  }

  @Test
  void notFirstElementWithoutEqualsIsBareNotImplied() {
    QemuOpts o = QemuOpts.parse("id=a,socket", "type");
    assertEquals(Map.of("id", "a", "socket", "on"), o.values());
  }

  @Test
  void trailingCommaIsIgnoredAndEmptyKeyIsKept() {
    assertEquals(Map.of("type", "x", "id", "a"), QemuOpts.parse("x,id=a,", "type").values());
    assertEquals("v", QemuOpts.parse("x,=v", "type").values().get(""));
  }

  @Test
  void leadingCommaGivesAnEmptyImpliedValue() {
    assertEquals("", QemuOpts.parse(",id=a", "type").values().get("type"));
  }

  @Test
  void jsonFlattensToDottedKeys() {
    QemuOpts o = QemuOpts.parseJson("-netdev j", "{\"type\":\"stream\",\"id\":\"x\","
        + "\"server\":true,\"addr\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"1234\"}}");
    assertEquals(Map.of("type", "stream", "id", "x", "server", "on", "addr.type", "inet",
        "addr.host", "127.0.0.1", "addr.port", "1234"), o.values());
  }

  @Test
  void badJsonIsAnOptionException() {
    OptionException e = assertThrows(OptionException.class,
        () -> QemuOpts.parseJson("-netdev {\"id\"", "{\"id\""));
    assertTrue(e.getMessage().startsWith("-netdev {\"id\": JSON parse error"), e.getMessage());
    assertThrows(OptionException.class, () -> QemuOpts.parseJson("o", "{\"a\":[1]}"));
    assertThrows(OptionException.class, () -> QemuOpts.parseJson("o", "{\"a\":null}"));
    assertThrows(OptionException.class, () -> QemuOpts.parseJson("o", "{} {}"));
  }

  @Test
  void escapeDoublesCommas() {
    assertEquals("a,,b,,,,", QemuOpts.escape("a,b,,"));
  }
}
