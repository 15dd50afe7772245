package io.fleetsim.qemu;

import io.fleetsim.addr.MacAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class QemuOptionProperties {

  // ---- (a) any input: a result or an OptionException, never anything else, never a hang ----

  @Property(tries = 400)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void anyNetdevStringParsesOrIsRefused(@ForAll("optionLike") String s) {
    parsesOrRefuses(() -> QemuCommandLine.parseNetdev(s));
    // random text that is always refused reaches no parser's depths
    Statistics.coverage(c -> {
      c.check("parsed").percentage(p -> p >= 5);
      c.check("refused").percentage(p -> p >= 50);
    });
  }

  @Property(tries = 300)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void anyDeviceStringParsesOrIsRefused(@ForAll("deviceLike") String s) {
    parsesOrRefuses(() -> QemuCommandLine.parseDevice(s));
    // random text that is always refused reaches no parser's depths
    Statistics.coverage(c -> {
      c.check("parsed").percentage(p -> p >= 8);
      c.check("refused").percentage(p -> p >= 40);
    });
  }

  @Property(tries = 300)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void anyObjectStringParsesOrIsRefused(@ForAll("objectLike") String s) {
    parsesOrRefuses(() -> QemuCommandLine.parseObject(s));
    // random text that is always refused reaches no parser's depths
    Statistics.coverage(c -> {
      c.check("parsed").percentage(p -> p >= 8);
      c.check("refused").percentage(p -> p >= 40);
    });
  }

  @Property(tries = 200)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void anyOptionListParsesOrIsRefused(@ForAll("optionLists") List<QemuOption> options) {
    parsesOrRefuses(() -> QemuCommandLine.parse(options));
    // random text that is always refused reaches no parser's depths
    Statistics.coverage(c -> {
      c.check("parsed").percentage(p -> p >= 20);
      c.check("refused").percentage(p -> p >= 20);
    });
  }

  private static void parsesOrRefuses(Supplier<?> parse) {
    String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try {
        parse.get();
        return "parsed";
      } catch (OptionException expected) {
        return "refused";
      }
    });
    Statistics.collect(outcome);
  }

  /** Random text mixed with the tokens the parsers look for, so deep paths get reached. */
  @Provide
  Arbitrary<String> optionLike() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("socket", "stream", "dgram", "hubport", "user", "e1000", "e1000-82540em",
            "filter-dump", "id=", "id=a", "type=", "driver=", "qom-type=", ",", ",,", "=", ":",
            "listen=", "connect=", "mcast=", "udp=", "fd=", "localaddr=", "hubid=", "netdev=",
            "server=", "addr.", "addr.type=", "inet", "unix", "fd", "host=", "port=", "path=",
            "str=", "local.", "remote.", "reconnect=", "reconnect-ms=", "mac=", "file=",
            "maxlen=", "queue=", "status=", "position=", "insert=", "230.0.0.1", "127.0.0.1",
            "52:54:00:12:34:56", "{", "}", "\"", "[", "]", "true", "-", "."),
        Arbitraries.strings().numeric().ofMaxLength(12),
        Arbitraries.strings().ofMaxLength(6));
    Arbitrary<String> structured = token.list().ofMaxSize(25).map(l -> String.join("", l));
    Arbitrary<String> json = Combinators.combine(token.list().ofMaxSize(6),
        token.list().ofMaxSize(6)).as((a, b) -> "{\"type\":\"" + String.join("", a)
        + "\",\"id\":\"x\",\"addr\":{\"" + String.join("", b) + "\":\"1\"}}");
    return Arbitraries.oneOf(structured, json, Arbitraries.strings().ofMaxLength(60),
        mutatedValid(token));
  }

  /**
   * Option-like text, plus valid devices with at most one edit: the generic mix is refused
   * almost always by the device parser (99 % of tries), which then never reaches its checks.
   */
  @Provide
  Arbitrary<String> deviceLike() {
    return oneKindLike(devices().map(OptionRenderer::device));
  }

  /** As {@link #deviceLike()}, for {@code -object filter-dump}. */
  @Provide
  Arbitrary<String> objectLike() {
    return oneKindLike(dumps().map(OptionRenderer::filterDump));
  }

  private Arbitrary<String> oneKindLike(Arbitrary<String> valid) {
    Arbitrary<String> token = Arbitraries.of(",", "=", ",,", "id=", "netdev=", "mac=", "file=",
        "maxlen=", "x", "");
    Arbitrary<String> edited = Combinators.combine(valid, Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 3), token)
        .as((v, at, len, t) -> {
          int from = at % (v.length() + 1);
          return v.substring(0, from) + t + v.substring(Math.min(v.length(), from + len));
        });
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, optionLike()),
        net.jqwik.api.Tuple.of(1, valid), net.jqwik.api.Tuple.of(2, edited));
  }

  /** A valid option string with a few random edits: reaches the checks deep inside parsers. */
  Arbitrary<String> mutatedValid(Arbitrary<String> token) {
    Arbitrary<String> valid = Arbitraries.oneOf(netdevs().map(OptionRenderer::netdev),
        devices().map(OptionRenderer::device), dumps().map(OptionRenderer::filterDump));
    Arbitrary<int[]> edit = Arbitraries.integers().between(0, 1000).array(int[].class).ofSize(2);
    return Combinators.combine(valid, edit.list().ofMaxSize(3), token.list().ofSize(3))
        .as((v, edits, tokens) -> {
          StringBuilder sb = new StringBuilder(v);
          for (int i = 0; i < edits.size(); i++) {
            int at = edits.get(i)[0] % (sb.length() + 1);
            int len = Math.min(edits.get(i)[1] % 4, sb.length() - at);
            sb.replace(at, at + len, tokens.get(i));
          }
          return sb.toString();
        });
  }

  @Provide
  Arbitrary<List<QemuOption>> optionLists() {
    Arbitrary<QemuOption> valid = Arbitraries.oneOf(netdevs().map(OptionRenderer::netdev)
        .map(QemuOption::netdev), devices().map(OptionRenderer::device).map(QemuOption::device),
        dumps().map(OptionRenderer::filterDump).map(QemuOption::object));
    Arbitrary<QemuOption> any = Combinators.combine(
        Arbitraries.of("-netdev", "-device", "-object", "--netdev", "-chardev"), optionLike())
        .as(QemuOption::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, valid), net.jqwik.api.Tuple.of(1, any)).list().ofMaxSize(8);
  }

  // ---- (b) round trip: valid specs render to strings that parse back to equal specs ----

  @Property(tries = 500)
  void netdevRoundTrip(@ForAll("netdevs") NetdevSpec spec) {
    String text = OptionRenderer.netdev(spec);
    assertEquals(withSource(spec, text), QemuCommandLine.parseNetdev(text), text);
  }

  @Property(tries = 300)
  void deviceRoundTrip(@ForAll("devices") DeviceSpec spec) {
    String text = OptionRenderer.device(spec);
    assertEquals(new DeviceSpec(spec.model(), spec.id(), spec.netdev(), spec.mac(), text),
        QemuCommandLine.parseDevice(text), text);
  }

  @Property(tries = 300)
  void filterDumpRoundTrip(@ForAll("dumps") FilterDumpSpec spec) {
    String text = OptionRenderer.filterDump(spec);
    assertEquals(new FilterDumpSpec(spec.id(), spec.netdev(), spec.file(), spec.maxlen(), text),
        QemuCommandLine.parseObject(text), text);
  }

  @Property(tries = 100)
  void consistentConfigsRoundTrip(@ForAll("configs") List<QemuOption> options) {
    QemuConfig c = QemuCommandLine.parse(options);
    List<QemuOption> again = new ArrayList<>();
    c.netdevs().forEach(n -> again.add(QemuOption.netdev(OptionRenderer.netdev(n))));
    c.devices().forEach(d -> again.add(QemuOption.device(OptionRenderer.device(d))));
    c.dumps().forEach(f -> again.add(QemuOption.object(OptionRenderer.filterDump(f))));
    assertEquals(withoutSources(c), withoutSources(QemuCommandLine.parse(again)));
    assertEquals(options.size(),
        c.netdevs().size() + c.devices().size() + c.dumps().size());
  }

  private static QemuConfig withoutSources(QemuConfig c) {
    return new QemuConfig(c.netdevs().stream().map(n -> withSource(n, "")).toList(),
        c.devices().stream().map(d -> new DeviceSpec(d.model(), d.id(), d.netdev(), d.mac(), ""))
            .toList(),
        c.dumps().stream().map(f -> new FilterDumpSpec(f.id(), f.netdev(), f.file(), f.maxlen(),
            "")).toList());
  }

  private static NetdevSpec withSource(NetdevSpec s, String src) {
    if (s instanceof NetdevSpec.Stream) {
      NetdevSpec.Stream x = (NetdevSpec.Stream) s;
      return new NetdevSpec.Stream(x.id(), x.server(), x.addr(), x.reconnect(), src);
    } else if (s instanceof NetdevSpec.Multicast) {
      NetdevSpec.Multicast x = (NetdevSpec.Multicast) s;
      return new NetdevSpec.Multicast(x.id(), x.group(), x.localAddr(), src);
    } else if (s instanceof NetdevSpec.Udp) {
      NetdevSpec.Udp x = (NetdevSpec.Udp) s;
      return new NetdevSpec.Udp(x.id(), x.local(), x.remote(), src);
    } else if (s instanceof NetdevSpec.InheritedFd) {
      NetdevSpec.InheritedFd x = (NetdevSpec.InheritedFd) s;
      return new NetdevSpec.InheritedFd(x.id(), x.fd(), src);
    }
    NetdevSpec.Hubport x = (NetdevSpec.Hubport) s;
    return new NetdevSpec.Hubport(x.id(), x.hubId(), x.netdev(), src);
  }

  // ---- generators ----

  static Arbitrary<String> ids() {
    return Combinators.combine(Arbitraries.chars().range('a', 'z').range('A', 'Z'),
            Arbitraries.strings().withChars("abcXYZ019-._").ofMaxLength(8))
        .as((c, rest) -> c + rest);
  }

  /** Free text, commas and '=' included: values must survive escaping. */
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
        Arbitraries.strings().withChars("a,=:.[]/ ").ofMaxLength(12));
  }

  static Arbitrary<String> ipv4(int firstFrom, int firstTo) {
    Arbitrary<Integer> b = Arbitraries.integers().between(0, 255);
    return Combinators.combine(Arbitraries.integers().between(firstFrom, firstTo), b, b, b)
        .as((x, y, z, w) -> x + "." + y + "." + z + "." + w);
  }

  static Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(0, 65535);
  }

  /** Hosts a stream/dgram inet address keeps as written: not "[...]", not a multicast group. */
  static Arbitrary<String> unicastHosts() {
    return Arbitraries.oneOf(ipv4(0, 223), Arbitraries.of("", "localhost", "::1", "fe80::1"),
        text()).filter(h -> !(h.startsWith("[") && h.endsWith("]") && h.length() >= 2))
        .filter(h -> !NetdevParser.isMulticast(NetdevParser.parseIpv4(h)));
  }

  static Arbitrary<SocketAddr> inets() {
    return Combinators.combine(unicastHosts(), ports()).as(SocketAddr.Inet::new);
  }

  static Arbitrary<SocketAddr> unixes() {
    return text().map(SocketAddr.Unix::new);
  }

  static Arbitrary<SocketAddr> fds() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).map(SocketAddr.Fd::new);
  }

  @Provide
  Arbitrary<NetdevSpec> netdevs() {
    Arbitrary<NetdevSpec> stream = Combinators.combine(ids(), Arbitraries.of(true, false),
        Arbitraries.oneOf(inets(), unixes(), fds()),
        Arbitraries.longs().between(0, 1_000_000_000L))
        .as((id, server, addr, ms) -> new NetdevSpec.Stream(id, server, addr,
            server ? Duration.ZERO : Duration.ofMillis(ms), ""));
    Arbitrary<NetdevSpec> mcast = Combinators.combine(ids(), ipv4(224, 239), ports(),
        ipv4(0, 255).optional())
        .as((id, g, p, local) -> new NetdevSpec.Multicast(id, new SocketAddr.Inet(g, p), local,
            ""));
    Arbitrary<NetdevSpec> udpInet = Combinators.combine(ids(), inets(), inets())
        .as((id, l, r) -> new NetdevSpec.Udp(id, l, r, ""));
    Arbitrary<NetdevSpec> udpUnix = Combinators.combine(ids(), unixes(), unixes())
        .as((id, l, r) -> new NetdevSpec.Udp(id, l, r, ""));
    Arbitrary<NetdevSpec> fd = Combinators.combine(ids(),
        Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as((id, n) -> new NetdevSpec.InheritedFd(id, n, ""));
    Arbitrary<NetdevSpec> hub = Combinators.combine(ids(), Arbitraries.integers(),
        text().optional()).as((id, h, n) -> new NetdevSpec.Hubport(id, h, n, ""));
    return Arbitraries.oneOf(stream, mcast, udpInet, udpUnix, fd, hub);
  }

  @Provide
  Arbitrary<DeviceSpec> devices() {
    return Combinators.combine(ids().optional(), text(),
        Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(MacAddress::new).optional())
        .as((id, netdev, mac) -> new DeviceSpec("e1000", id, netdev, mac, ""));
  }

  @Provide
  Arbitrary<FilterDumpSpec> dumps() {
    return Combinators.combine(ids(), text(), text().filter(f -> !f.isEmpty()),
        Arbitraries.integers().between(1, Integer.MAX_VALUE))
        .as((id, netdev, file, maxlen) -> new FilterDumpSpec(id, netdev, file, maxlen, ""));
  }

  /** Consistent configs: n distinct socket netdevs, one hub over some, devices/dumps on others. */
  @Provide
  Arbitrary<List<QemuOption>> configs() {
    return Combinators.combine(Arbitraries.integers().between(1, 6),
        Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 3))
        .as((n, hubbed, dumps) -> {
          List<QemuOption> out = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            out.add(QemuOption.netdev("socket,id=n" + i + ",listen=:" + (10000 + i)));
          }
          for (int i = 0; i < n; i++) {
            if (i < hubbed) {
              out.add(QemuOption.netdev("hubport,id=h" + i + ",hubid=0,netdev=n" + i));
            } else {
              out.add(QemuOption.device("e1000,netdev=n" + i + ",id=nic" + i));
            }
          }
          for (int d = 0; d < dumps; d++) {
            out.add(QemuOption.object("filter-dump,id=f" + d + ",netdev=n" + (d % n)
                + ",file=d" + d + ".pcap"));
          }
          return out;
        });
  }

}
