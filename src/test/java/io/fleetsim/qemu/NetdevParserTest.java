package io.fleetsim.qemu;

import static io.fleetsim.qemu.QemuCommandLine.parseNetdev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetdevParserTest {

  /** Asserts the exact message, which is "-netdev VALUE: message". */
  static void assertRejected(String value, String message) {
    OptionException e = assertThrows(OptionException.class, () -> parseNetdev(value));
    assertEquals("-netdev " + value + ": " + message, e.getMessage());
  }

  static void assertRejectedContaining(String value, String... parts) {
    OptionException e = assertThrows(OptionException.class, () -> parseNetdev(value));
    assertTrue(e.getMessage().startsWith("-netdev " + value + ": "), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> e.getMessage() + " lacks " + p);
    }
  }

  static SocketAddr.Inet inet(String host, int port) {
    return new SocketAddr.Inet(host, port);
  }

  @Nested
  class Common {
    @Test
    void idIsRequired() {
      assertRejected("socket,listen=:1", "Parameter 'id' is missing");
      assertRejected("", "Parameter 'id' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket,id=,listen=:1", "socket,id=1a,listen=:1",
        "socket,id=a b,listen=:1", "socket,id=a,,b,listen=:1"})
    void idMustBeAnIdentifier(String value) {
      assertRejected(value, "Parameter 'id' expects an identifier\n"
          + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
    }

    @Test
    void identifierMayHaveDotsDashesUnderscores() {
      assertEquals("a-b.c_9", parseNetdev("socket,id=a-b.c_9,listen=:1").id());
    }

    @Test
    void typeIsRequired() {
      assertRejected("id=a,listen=:1", "Parameter 'type' is missing");
    }

    @Test
    void unknownTypeNamesTypeAndSupportedOnes() {
      assertRejected("bogus,id=a", "Parameter 'type' does not accept value 'bogus'"
          + " (fleetsim supports: socket, stream, dgram, hubport)");
      assertRejected(",id=a", "Parameter 'type' does not accept value ''"
          + " (fleetsim supports: socket, stream, dgram, hubport)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "tap", "vde", "l2tpv3", "bridge", "vhost-user"})
    void qemuTypesFleetsimLacksAreNamed(String type) {
      assertRejected(type + ",id=a", "fleetsim does not support netdev type '" + type
          + "' (supported: socket, stream, dgram, hubport)");
    }

    @Test
    void explicitTypeKeyAndLastDuplicateWins() {
      NetdevSpec s = parseNetdev("type=socket,id=a,id=b,listen=:1,listen=:2");
      assertEquals(new NetdevSpec.Stream("b", true, inet("", 2), Duration.ZERO,
          "type=socket,id=a,id=b,listen=:1,listen=:2"), s);
    }

    @Test
    void sourceIsTheTextAsWritten() {
      assertEquals("socket,id=a,listen=:1", parseNetdev("socket,id=a,listen=:1").source());
    }
  }

  @Nested
  class Socket {
    @Test
    void listenWithEmptyHostMeansAny() {
      assertEquals(new NetdevSpec.Stream("n0", true, inet("", 1234), Duration.ZERO,
          "socket,id=n0,listen=:1234"), parseNetdev("socket,id=n0,listen=:1234"));
    }

    @Test
    void listenWithHost() {
      NetdevSpec.Stream s = (NetdevSpec.Stream) parseNetdev("socket,id=n,listen=127.0.0.1:0");
      assertEquals(inet("127.0.0.1", 0), s.addr());
      assertTrue(s.server());
    }

    @Test
    void connect() {
      NetdevSpec.Stream s = (NetdevSpec.Stream) parseNetdev("socket,id=n,connect=localhost:65535");
      assertEquals(inet("localhost", 65535), s.addr());
      assertEquals(false, s.server());
      assertEquals(Duration.ZERO, s.reconnect());
    }

    @Test
    void mcast() {
      assertEquals(new NetdevSpec.Multicast("m", inet("230.0.0.1", 1234), Optional.empty(),
          "socket,id=m,mcast=230.0.0.1:1234"), parseNetdev("socket,id=m,mcast=230.0.0.1:1234"));
      NetdevSpec.Multicast m = (NetdevSpec.Multicast) parseNetdev(
          "socket,id=m,mcast=239.255.255.255:5,localaddr=127.0.0.1");
      assertEquals(Optional.of("127.0.0.1"), m.localAddr());
      assertEquals(inet("224.0.0.0", 5), ((NetdevSpec.Multicast) parseNetdev(
          "socket,id=m,mcast=224.0.0.0:5")).group());
    }

    @Test
    void udp() {
      assertEquals(new NetdevSpec.Udp("u", inet("127.0.0.1", 5001), inet("127.0.0.2", 5000),
              "socket,id=u,udp=127.0.0.2:5000,localaddr=127.0.0.1:5001"),
          parseNetdev("socket,id=u,udp=127.0.0.2:5000,localaddr=127.0.0.1:5001"));
    }

    @Test
    void fd() {
      assertEquals(new NetdevSpec.InheritedFd("f", 3, "socket,id=f,fd=3"),
          parseNetdev("socket,id=f,fd=3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket,id=a", "socket,id=a,listen=:1,connect=1.2.3.4:5",
        "socket,id=a,fd=3,listen=:1", "socket,id=a,mcast=230.0.0.1:1,udp=1.2.3.4:5"})
    void exactlyOneMode(String value) {
      assertRejected(value, "exactly one of listen=, connect=, mcast= or udp= is required");
    }

    @Test
    void unknownKey() {
      assertRejected("socket,id=a,foo=1", "Invalid parameter 'foo'");
      assertRejected("socket,id=a,=x,listen=:1", "Invalid parameter ''");
    }

    @Test
    void localaddrOnlyWithMcastOrUdp() {
      assertRejected("socket,id=a,listen=:1,localaddr=1.2.3.4",
          "localaddr= is only valid with mcast= or udp=");
    }

    @Test
    void hostPortNeedsAColon() {
      assertRejected("socket,id=a,listen=1234",
          "host address '1234' doesn't contain ':' separating host from port");
    }

    @Test
    void bareListenIsOnLikeQemu() {
      assertRejected("socket,id=a,listen",
          "host address 'on' doesn't contain ':' separating host from port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listen=:99999", "listen=:65536", "listen=:-1",
        "connect=127.0.0.1:abc", "listen=:", "connect=h:1.5", "mcast=230.0.0.1:x", "connect=h: 1",
        "connect=h:1:2"})
    void badPorts(String kv) {
      String port = kv.substring(kv.indexOf(':') + 1);
      assertRejected("socket,id=a," + kv, "port number '" + port + "' is invalid");
    }

    @Test
    void ipv6IsNotPossibleInSocketForm() {
      assertRejectedContaining("socket,id=a,connect=[::1]:5", "can't resolve host address '['",
          "-netdev stream");
    }

    @Test
    void mcastGroupMustBeMulticast() {
      assertRejected("socket,id=a,mcast=1.2.3.4:5",
          "specified mcastaddr 1.2.3.4 (0x01020304) does not contain a multicast address");
      assertRejected("socket,id=a,mcast=240.0.0.1:5",
          "specified mcastaddr 240.0.0.1 (0xf0000001) does not contain a multicast address");
      assertRejected("socket,id=a,mcast=:5",
          "specified mcastaddr 0.0.0.0 (0x00000000) does not contain a multicast address");
      assertRejectedContaining("socket,id=a,mcast=group.example:5", "'group.example'",
          "IPv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4:5", "foo", "", "1.2.3", "1.2.3.256"})
    void mcastLocaladdrIsAnIpv4AddressWithoutPort(String local) {
      assertRejected("socket,id=a,mcast=230.0.0.1:5,localaddr=" + local,
          "localaddr '" + local + "' is not a valid IPv4 address");
    }

    @Test
    void udpNeedsLocaladdrWithPort() {
      assertRejected("socket,id=a,udp=1.2.3.4:5", "localaddr= is mandatory with udp=");
      assertRejected("socket,id=a,udp=1.2.3.4:5,localaddr=1.2.3.4",
          "host address '1.2.3.4' doesn't contain ':' separating host from port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "-1", "0x3", "+3", "99999999999"})
    void badFd(String fd) {
      assertRejected("socket,id=a,fd=" + fd, "Invalid file descriptor number '" + fd + "'");
    }

    @Test
    void jsonForm() {
      assertEquals(inet("", 7), ((NetdevSpec.Stream) parseNetdev(
          "{\"type\":\"socket\",\"id\":\"x\",\"listen\":\":7\"}")).addr());
    }
  }

  @Nested
  class Stream {
    @Test
    void inetServer() {
      String v = "stream,id=s,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=1234";
      assertEquals(new NetdevSpec.Stream("s", true, inet("127.0.0.1", 1234), Duration.ZERO, v),
          parseNetdev(v));
    }

    @Test
    void serverDefaultsToOffAndTakesQemuBooleanSpellings() {
      String base = ",addr.type=inet,addr.host=h,addr.port=1";
      assertEquals(false, ((NetdevSpec.Stream) parseNetdev("stream,id=s" + base)).server());
      for (String on : new String[] {"on", "yes", "true", "y"}) {
        assertTrue(((NetdevSpec.Stream) parseNetdev("stream,id=s,server=" + on + base)).server());
      }
      assertRejected("stream,id=s,server=maybe" + base, "Parameter 'server' expects 'on' or 'off'");
    }

    @Test
    void emptyHostAndIpv6() {
      assertEquals(inet("", 1), ((NetdevSpec.Stream) parseNetdev(
          "stream,id=s,server=on,addr.type=inet,addr.host=,addr.port=1")).addr());
      assertEquals(inet("::1", 1), ((NetdevSpec.Stream) parseNetdev(
          "stream,id=s,addr.type=inet,addr.host=::1,addr.port=1")).addr());
      assertEquals(inet("::1", 1), ((NetdevSpec.Stream) parseNetdev(
          "stream,id=s,addr.type=inet,addr.host=[::1],addr.port=1")).addr());
    }

    @Test
    void unixAndFd() {
      assertEquals(new SocketAddr.Unix("/tmp/a,b"), ((NetdevSpec.Stream) parseNetdev(
          "stream,id=s,server=on,addr.type=unix,addr.path=/tmp/a,,b")).addr());
      assertEquals(new SocketAddr.Fd(4), ((NetdevSpec.Stream) parseNetdev(
          "stream,id=s,addr.type=fd,addr.str=4")).addr());
      assertRejected("stream,id=s,addr.type=fd,addr.str=x", "Invalid file descriptor number 'x'");
    }

    @Test
    void reconnect() {
      String c = "stream,id=s,server=off,addr.type=inet,addr.host=h,addr.port=1";
      assertEquals(Duration.ofMillis(1500),
          ((NetdevSpec.Stream) parseNetdev(c + ",reconnect-ms=1500")).reconnect());
      assertEquals(Duration.ofSeconds(2),
          ((NetdevSpec.Stream) parseNetdev(c + ",reconnect=2")).reconnect());
      assertRejected(c + ",reconnect=1,reconnect-ms=1",
          "'reconnect' and 'reconnect-ms' are mutually exclusive");
      assertRejected(c + ",reconnect-ms=x", "Parameter 'reconnect-ms' expects a uint64 value");
      String s = "stream,id=s,server=on,addr.type=inet,addr.host=h,addr.port=1,reconnect-ms=5";
      assertRejected(s, "'reconnect' and 'reconnect-ms' options are incompatible with socket"
          + " in server mode");
    }

    @Test
    void missingParts() {
      assertRejected("stream,id=s", "Parameter 'addr' is missing");
      assertRejected("stream,id=s,server=on,addr.type=inet", "Parameter 'addr.host' is missing");
      assertRejected("stream,id=s,server=on,addr.type=inet,addr.host=127.0.0.1",
          "Parameter 'addr.port' is missing");
      assertRejected("stream,id=s,server=on,addr.type=unix", "Parameter 'addr.path' is missing");
      assertRejected("stream,id=s,addr.host=h,addr.port=1", "Parameter 'addr.type' is missing");
    }

    @Test
    void badKeysAndTypes() {
      assertRejected("stream,id=s,addr.type=bogus",
          "Parameter 'addr.type' does not accept value 'bogus' (supported: inet, unix, fd)");
      assertRejectedContaining("stream,id=s,addr.type=vsock", "vsock", "not support");
      String ok = "stream,id=s,addr.type=inet,addr.host=h,addr.port=1";
      assertRejected(ok + ",foo=1", "Parameter 'foo' is unexpected");
      assertRejected(ok + ",addr.foo=1", "Parameter 'addr.foo' is unexpected");
      assertRejected(ok + ",addr.path=x", "Parameter 'addr.path' is unexpected");
      assertRejected(ok + ",a b=1", "Invalid parameter 'a b'");
      assertRejected("stream,id=s,addr..type=1", "Invalid parameter 'addr..type'");
      assertRejected("stream,id=s,addr=1", "Invalid parameter type for 'addr', expected: object");
      assertRejected(ok + ",addr.port=70000", "port number '70000' is invalid");
    }

    @Test
    void noShortFormBooleansInKeyvalTypes() {
      assertRejected("stream,id=s,server,addr.type=inet,addr.host=h,addr.port=1",
          "Expected '=' after parameter 'server'");
    }

    @Test
    void jsonForm() {
      String v = "{\"type\":\"stream\",\"id\":\"x\",\"server\":true,"
          + "\"addr\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"1234\"}}";
      assertEquals(new NetdevSpec.Stream("x", true, inet("127.0.0.1", 1234), Duration.ZERO, v),
          parseNetdev(v));
    }

    @Test
    void jsonErrorsNameTheOption() {
      assertRejectedContaining("{\"type\":\"stream\",\"id\":\"x\"", "JSON parse error");
      assertRejected("{\"id\":\"x\"}", "Parameter 'type' is missing");
      assertRejected("{\"type\":\"stream\",\"id\":\"x\",\"addr\":{\"type\":\"inet\","
          + "\"host\":\"h\",\"port\":\"1\"},\"foo\":1}", "Parameter 'foo' is unexpected");
    }
  }

  @Nested
  class Dgram {
    static final String MREMOTE = "remote.type=inet,remote.host=230.0.0.1,remote.port=5000";
    static final String UREMOTE = "remote.type=inet,remote.host=127.0.0.1,remote.port=5000";
    static final String ULOCAL = "local.type=inet,local.host=127.0.0.1,local.port=5001";

    @Test
    void multicastWithoutLocal() {
      String v = "dgram,id=d," + MREMOTE;
      assertEquals(new NetdevSpec.Multicast("d", inet("230.0.0.1", 5000), Optional.empty(), v),
          parseNetdev(v));
    }

    @Test
    void multicastWithInetLocalUsesItsHostAsLocaladdr() {
      String v = "dgram,id=d," + MREMOTE + "," + ULOCAL;
      assertEquals(new NetdevSpec.Multicast("d", inet("230.0.0.1", 5000),
          Optional.of("127.0.0.1"), v), parseNetdev(v));
      assertRejected("dgram,id=d," + MREMOTE
              + ",local.type=inet,local.host=foo,local.port=1",
          "localaddr 'foo' is not a valid IPv4 address");
      assertRejected("dgram,id=d," + MREMOTE + ",local.type=inet,local.host=127.0.0.1",
          "Parameter 'local.port' is missing");
    }

    @Test
    void multicastLocalRules() {
      assertRejected("dgram,id=d," + MREMOTE + ",local.type=unix,local.path=/tmp/x",
          "only support inet or fd type for local");
      assertRejectedContaining("dgram,id=d," + MREMOTE + ",local.type=fd,local.str=3",
          "local.type=fd", "multicast");
    }

    @Test
    void unicast() {
      String v = "dgram,id=d," + ULOCAL + "," + UREMOTE;
      assertEquals(new NetdevSpec.Udp("d", inet("127.0.0.1", 5001), inet("127.0.0.1", 5000), v),
          parseNetdev(v));
    }

    @Test
    void unixPairParses() {
      String v = "dgram,id=d,local.type=unix,local.path=/tmp/a,remote.type=unix,remote.path=/tmp/b";
      assertEquals(new NetdevSpec.Udp("d", new SocketAddr.Unix("/tmp/a"),
          new SocketAddr.Unix("/tmp/b"), v), parseNetdev(v));
    }

    @Test
    void localFdAlone() {
      assertEquals(new NetdevSpec.InheritedFd("d", 3, "dgram,id=d,local.type=fd,local.str=3"),
          parseNetdev("dgram,id=d,local.type=fd,local.str=3"));
    }

    @Test
    void qemuCombinationRules() {
      assertRejected("dgram,id=d", "dgram requires local= parameter");
      assertRejected("dgram,id=d," + UREMOTE, "dgram requires local= parameter");
      assertRejected("dgram,id=d," + ULOCAL, "type=inet or type=unix requires remote parameter");
      assertRejected("dgram,id=d,local.type=unix,local.path=/tmp/x",
          "type=inet or type=unix requires remote parameter");
      assertRejected("dgram,id=d,local.type=fd,local.str=3," + UREMOTE,
          "don't set remote with local.fd");
      assertRejected("dgram,id=d,remote.type=unix,remote.path=/tmp/y," + ULOCAL,
          "remote and local types must be the same");
      assertRejected("dgram,id=d,remote.type=fd,remote.str=3," + ULOCAL,
          "remote and local types must be the same");
    }

    @Test
    void badKeysAndPorts() {
      assertRejected("dgram,id=d,foo=1", "Parameter 'foo' is unexpected");
      assertRejected("dgram,id=d," + ULOCAL + ",remote.type=inet,remote.host=h,remote.port=abc",
          "port number 'abc' is invalid");
      assertRejected("dgram,id=d,local=1", "Invalid parameter type for 'local', expected: object");
    }
  }

  @Nested
  class Hubport {
    @Test
    void withAndWithoutNetdev() {
      assertEquals(new NetdevSpec.Hubport("h", 0, Optional.empty(), "hubport,id=h,hubid=0"),
          parseNetdev("hubport,id=h,hubid=0"));
      assertEquals(new NetdevSpec.Hubport("h", -1, Optional.of("n"),
          "hubport,id=h,hubid=-1,netdev=n"), parseNetdev("hubport,id=h,hubid=-1,netdev=n"));
    }

    @Test
    void errors() {
      assertRejected("hubport,id=h", "Parameter 'hubid' is missing");
      assertRejected("hubport,id=h,hubid=x", "Parameter 'hubid' expects an int64 value");
      assertRejected("hubport,id=h,hubid=99999999999", "Parameter 'hubid' expects int32_t");
      assertRejected("hubport,id=h,hubid=0,foo=1", "Invalid parameter 'foo'");
    }
  }
}
