package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

  @Test
  void aPortAloneListensOnLoopback() {
    ApiSettings s = ApiSettings.parse("8080", Optional.empty());
    assertEquals(new ApiSettings("127.0.0.1", 8080, Optional.empty()), s);
    assertTrue(s.loopback());
    assertEquals(0, ApiSettings.parse("0", Optional.empty()).port());
    assertEquals(65535, ApiSettings.parse("65535", Optional.empty()).port());
  }

  @Test
  void aHostIsAnIpv4LiteralOrAName() {
    assertEquals(new ApiSettings("0.0.0.0", 9000, Optional.of("t")),
        ApiSettings.parse("0.0.0.0:9000", Optional.of("t")));
    assertEquals("localhost", ApiSettings.parse("localhost:0", Optional.empty()).host());
    assertEquals("api.example-1.test", ApiSettings.parse("api.example-1.test:80", Optional.empty()).host());
  }

  @Test
  void loopbackIsWhatTheAddressIs() {
    assertTrue(ApiSettings.parse("127.0.0.1:1", Optional.empty()).loopback());
    assertTrue(ApiSettings.parse("127.0.0.9:1", Optional.empty()).loopback());
    assertTrue(ApiSettings.parse("localhost:1", Optional.empty()).loopback());
    assertFalse(ApiSettings.parse("0.0.0.0:1", Optional.empty()).loopback());
    assertFalse(ApiSettings.parse("192.168.1.1:1", Optional.empty()).loopback());
    assertFalse(ApiSettings.parse("no-such-host.invalid:1", Optional.empty()).loopback());
  }

  @Test
  void anEmptyTokenIsNone() {
    assertEquals(Optional.empty(), ApiSettings.parse("1", Optional.of("")).token());
  }

  @Test
  void badValuesSayWhatIsWrong() {
    assertMessage("x", "--api: 'x' is not a port (0-65535)");
    assertMessage("65536", "--api: '65536' is not a port (0-65535)");
    assertMessage("-1", "--api: '-1' is not a port (0-65535)");
    assertMessage("127.0.0.1:http", "--api: 'http' is not a port (0-65535)");
    assertMessage("127.0.0.1:", "--api: '' is not a port (0-65535) in '127.0.0.1:'");
    assertMessage(":80", "--api: ':80' names no host before ':'");
    assertMessage("1.2.3.999:80", "--api: '1.2.3.999' is not an IPv4 address");
    assertMessage("1.2.3:80", "--api: '1.2.3' is not an IPv4 address");
    assertMessage("::1:80", "--api: '::1' is not an IPv4 address or host name (IPv6 is not supported)");
    assertMessage("bad_host:80", "--api: 'bad_host' is not an IPv4 address or host name");
  }

  private static void assertMessage(String value, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiSettings.parse(value, Optional.empty()));
    assertEquals(message, e.getMessage());
  }
}
