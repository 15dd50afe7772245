package io.fleetsim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API over a {@link TestControl}, through java.net.http: every route and status code. */
class ApiServerTest {
  private TestControl control;
  private ApiServer server;
  private ApiClient client;

  @BeforeEach
  void start() throws ApiException {
    control = new TestControl();
    server = ApiServer.start(control, ApiSettings.parse("0", Optional.empty()));
    client = new ApiClient(server.address());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient.Answer post(String path, String body) throws Exception {
    return client.send("POST", path, body, "application/json");
  }

  // ------------------------------------------------------------------ reads

  @Test
  void statusIsTheControlsStatus() throws Exception {
    ApiClient.Answer a = client.get("status");
    assertEquals(200, a.status());
    assertTrue(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type"));
    JsonNode s = a.json();
    assertEquals("api-test", s.path("name").asText());
    assertEquals("real", s.path("clock").asText());
    assertEquals(600.0, s.path("durationSeconds").asDouble());
    assertEquals(2, s.path("vmsRunning").asInt());
    assertTrue(s.path("readOnly").isNull());
    JsonNode port = s.path("networks").path(0).path("ports").path(2);
    assertEquals("qemu0", port.path("name").asText());
    assertEquals("qemu socket,listen=127.0.0.1:5000", port.path("peer").asText());
    assertFalse(port.path("peerUp").asBoolean(true));
  }

  @Test
  void seriesGrowsAndIsReadFromASecond() throws Exception {
    ApiClient.Answer first = client.get("series");
    assertEquals(200, first.status());
    JsonNode j = first.json();
    assertEquals("api-test", j.path("experiment").path("name").asText());
    assertEquals(600.0, j.path("experiment").path("durationSeconds").asDouble());
    assertEquals(1, j.path("series").path("seconds").size());
    client.get("series");
    JsonNode later = client.get("series?from=2").json().path("series");
    assertEquals("[2,3]", later.path("seconds").toString());
    assertEquals(2, later.path("framesPerSecond").size());
    assertEquals(2, later.path("rttMillis").path("p99").size());
    assertEquals(2 * 1500 * 8, later.path("tcpGoodputBitsPerSecond").path(0).asLong());
    JsonNode fault = j.path("faults").path(0);
    assertEquals("t0", fault.path("id").asText());
    assertEquals("timeline", fault.path("source").asText());
    assertEquals(0, fault.path("index").asInt());
    assertTrue(fault.path("end").isNull());
  }

  @Test
  void seriesFromThatIsNotASecondIs400() throws Exception {
    for (String from : List.of("x", "-1", "1.5")) {
      ApiClient.Answer a = client.get("series?from=" + from);
      assertEquals(400, a.status(), from);
      assertEquals("from", a.json().path("errors").path(0).path("path").asText());
    }
  }

  @Test
  void metricsAreTheTextFormat() throws Exception {
    control.series(1);
    ApiClient.Answer a = client.get("metrics");
    assertEquals(200, a.status());
    assertTrue(a.header("Content-Type").startsWith("text/plain"), a.header("Content-Type"));
    assertTrue(a.header("Content-Type").contains("version=0.0.4"), a.header("Content-Type"));
    String frames = "fleetsim_port_frames_total{direction=\"in\",network=\"lan\",port=\"web-1/eth0\",vm=\"web-1\"} ";
    assertTrue(a.body().contains(frames), a.body());
    assertTrue(a.body().contains("fleetsim_port_frames_total{direction=\"in\",network=\"lan\",port=\"qemu0\",vm=\"\"} 7"), a.body());
    assertTrue(a.body().contains("fleetsim_faults_active{kind=\"latency\",source=\"timeline\"} 1"), a.body());
    assertTrue(a.body().contains("fleetsim_ping_rtt_seconds_bucket{fleet=\"web\",le=\"+Inf\"} 2"), a.body());
    assertTrue(a.body().contains("fleetsim_vms{state=\"running\"} 2"), a.body());
    long before = value(a.body(), frames);
    control.series(1);
    assertTrue(value(client.get("metrics").body(), frames) > before, "counters move between scrapes");
  }

  @Test
  void pingRttBucketsAreCumulativeSeconds() {
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
    h.recordValue(80); // 80 us: in the first bucket, 100 us
    h.recordValue(700); // under 1 ms
    h.recordValue(3_000_000); // 3 s
    var p = ControlMetrics.rtt(java.util.Map.of("f", h)).getDataPoints().get(0);
    var buckets = p.getClassicBuckets();
    assertEquals(1, buckets.getCount(0), "le=0.0001");
    assertEquals(0.001, buckets.getUpperBound(3));
    long cumulative = 0;
    for (int i = 0; i <= 3; i++) {
      cumulative += buckets.getCount(i);
    }
    assertEquals(2, cumulative, "le=0.001 holds the two fast replies");
    assertEquals(3, p.getCount());
    assertEquals(3.00078, p.getSum(), 0.01);
  }

  private static long value(String metrics, String series) {
    int at = metrics.indexOf(series);
    assertTrue(at >= 0, series);
    String rest = metrics.substring(at + series.length());
    return (long) Double.parseDouble(rest.substring(0, rest.indexOf('\n')).strip());
  }

  @Test
  void pageIsSelfContained() throws Exception {
    ApiClient.Answer a = client.get("");
    assertEquals(200, a.status());
    assertTrue(a.header("Content-Type").startsWith("text/html"), a.header("Content-Type"));
    assertTrue(a.body().contains("fleetsimCharts"), "report.js inlined");
    assertTrue(a.body().contains("uPlot"), "uPlot inlined");
    assertTrue(a.body().contains("/series?from="), "live.js inlined");
    assertFalse(a.body().contains("<!-- scripts -->"));
    assertFalse(a.body().matches("(?s).*(src|href)=\"?(https?:)?//.*"), "nothing fetched from elsewhere");
    assertTrue(a.header("Content-Security-Policy").contains("connect-src 'self'"));
  }

  // ------------------------------------------------------------------ changes

  @Test
  void aPostedFaultIsListedAndEnded() throws Exception {
    ApiClient.Answer added = post("faults", "{\"kind\":\"latency\",\"target\":\"web-1\",\"delay\":\"20ms\"}");
    assertEquals(201, added.status(), added.body());
    assertEquals("a1", added.json().path("id").asText());
    assertEquals("api", added.json().path("source").asText());
    assertEquals("active", added.json().path("state").asText());

    JsonNode listed = client.get("faults").json();
    assertEquals(List.of("t0", "a1"), ids(listed));

    ApiClient.Answer ended = client.send("DELETE", "faults/a1", null, null);
    assertEquals(200, ended.status(), ended.body());
    assertEquals("ended", ended.json().path("state").asText());
    assertEquals("api", ended.json().path("periods").path(0).path("endedBy").asText());
    assertEquals("ended", client.get("faults").json().path(1).path("state").asText());

    ApiClient.Answer again = client.send("DELETE", "faults/a1", null, null);
    assertEquals(409, again.status());
    assertEquals("fault a1 is ended", again.json().path("error").asText());
    ApiClient.Answer none = client.send("DELETE", "faults/a9", null, null);
    assertEquals(404, none.status());
    assertEquals("no fault a9", none.json().path("error").asText());
  }

  private static List<String> ids(JsonNode faults) {
    List<String> ids = new ArrayList<>();
    faults.forEach(f -> ids.add(f.path("id").asText()));
    return ids;
  }

  @Test
  void badBodiesAre400WithEachErrorsPath() throws Exception {
    assertPaths("{\"kind\":\"latency\",", List.of(""));
    assertPaths("[1, 2]", List.of(""));
    assertPaths("", List.of(""));
    assertPaths("{\"kind\":\"jitterbug\",\"target\":\"web-1\"}", List.of("kind"));
    assertPaths("{\"kind\":\"latency\",\"target\":\"web-1\",\"delay\":\"20 parsecs\"}", List.of("delay"));
    assertPaths("{\"kind\":\"loss\",\"target\":\"nowhere\"}", List.of("target"));
    assertPaths("{\"kind\":\"loss\",\"target\":\"lan\",\"at\":\"5s\",\"for\":\"soon\"}", List.of("at", "for"));
    assertEquals(List.of("t0"), ids(client.get("faults").json()), "nothing was added");
    assertEquals(200, client.get("status").status(), "the server is unaffected");
  }

  private void assertPaths(String body, List<String> paths) throws Exception {
    // a text/plain body is read as well: clients (curl -d) do not always say JSON
    for (String type : List.of("application/json", "text/plain")) {
      ApiClient.Answer a = client.send("POST", "faults", body, type);
      assertEquals(400, a.status(), body + " -> " + a.body());
      List<String> got = new ArrayList<>();
      a.json().path("errors").forEach(e -> {
        got.add(e.path("path").asText());
        assertFalse(e.path("message").asText().isEmpty(), a.body());
      });
      assertEquals(paths, got, body);
    }
  }

  @Test
  void vmActionsReplyAsTheControlDoes() throws Exception {
    ApiClient.Answer crash = post("vms/web-1/crash", null);
    assertEquals(200, crash.status(), crash.body());
    assertEquals("crash", crash.json().path("kind").asText());
    assertEquals(1, client.get("status").json().path("vmsRunning").asInt());
    assertEquals(409, post("vms/web-1/crash", null).status(), "already down");
    assertEquals(200, post("vms/web-1/restart", null).status());
    ApiClient.Answer nobody = post("vms/nobody/pause", null);
    assertEquals(404, nobody.status());
    assertEquals("no VM or fleet nobody", nobody.json().path("error").asText());
    ApiClient.Answer unknown = post("vms/web-1/explode", null);
    assertEquals(404, unknown.status());
    assertEquals("no VM action 'explode': the actions are crash, restart, pause, resume, link-down, link-up",
        unknown.json().path("error").asText());
  }

  @Test
  void aControlThatThrowsIs500AndTheServerGoesOn() throws Exception {
    for (String vm : List.of("bug", "bug-later")) {
      ApiClient.Answer a = post("vms/" + vm + "/crash", null);
      assertEquals(500, a.status(), a.body());
      assertTrue(a.json().path("error").asText().startsWith("internal error: "), a.body());
      assertTrue(a.json().path("error").asText().contains("test control"), a.body());
    }
    assertEquals(200, client.get("status").status());
  }

  // ------------------------------------------------------------------ HTTP's own errors

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    for (String path : List.of("nothing", "faults/a1/more", "vms/web-1", "status/")) {
      ApiClient.Answer a = client.get(path);
      assertEquals(404, a.status(), path);
      assertFalse(a.json().path("error").asText().isEmpty(), a.body());
    }
    ApiClient.Answer put = client.send("PUT", "status", "{}", "application/json");
    assertEquals(405, put.status());
    assertEquals("GET", put.header("Allow"));
    assertFalse(put.json().path("error").asText().isEmpty());
    ApiClient.Answer delete = client.send("DELETE", "faults", null, null);
    assertEquals(405, delete.status());
    assertTrue(delete.header("Allow").contains("POST"), delete.header("Allow"));
    assertEquals(405, client.get("vms/web-1/crash").status());
    assertEquals(405, client.send("POST", "metrics", "", "text/plain").status());
  }

  @Test
  void aBodyOver64KiBIs413() throws Exception {
    String big = "{\"kind\":\"loss\",\"target\":\"lan\",\"note\":\"" + "x".repeat(64 * 1024) + "\"}";
    ApiClient.Answer a = post("faults", big);
    assertEquals(413, a.status(), a.body().substring(0, Math.min(a.body().length(), 200)));
    assertFalse(a.json().path("error").asText().isEmpty());
    String fits = "{\"kind\":\"loss\",\"target\":\"lan\",\"note\":\"" + "x".repeat(60 * 1024) + "\"}";
    assertEquals(201, post("faults", fits).status());
  }

  // ------------------------------------------------------------------ token and address

  @Test
  void aTokenIsRequiredWhenSet() throws Exception {
    try (ApiServer guarded = ApiServer.start(control, ApiSettings.parse("0", Optional.of("s3cret")))) {
      ApiClient none = new ApiClient(guarded.address());
      for (String path : List.of("status", "", "metrics", "nothing")) {
        ApiClient.Answer a = none.get(path);
        assertEquals(401, a.status(), path);
        assertTrue(a.header("WWW-Authenticate").startsWith("Bearer"), a.header("WWW-Authenticate"));
      }
      assertEquals(401, none.send("DELETE", "faults/t0", null, null).status());
      assertEquals("active", control.faults().get(0).state(), "an unauthorised change does nothing");
      assertEquals(401, new ApiClient(guarded.address(), "wrong").get("status").status());
      assertEquals(401, new ApiClient(guarded.address(), "s3cre").get("status").status());
      assertEquals(401, none.get("status?token=s3cretx").status());

      assertEquals(200, new ApiClient(guarded.address(), "s3cret").get("status").status());
      assertEquals(200, none.get("status?token=s3cret").status());
      assertEquals(200, none.get("?token=s3cret").status(), "the page");
      assertEquals(200, none.get("series?from=1&token=s3cret").status());
    }
  }

  @Test
  void itListensOn127001OnlyByDefault() throws Exception {
    assertEquals("127.0.0.1", server.address().getHost());
    int port = server.address().getPort();
    assertTrue(port > 0);
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertTrue(s.isConnected());
    }
    // 127.0.0.2 reaches this machine too: bound to every address, the server would answer there
    List<InetAddress> others = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.getHostAddress().equals("127.0.0.1")) {
          others.add(a);
        }
      }
    }
    for (InetAddress other : others) {
      assertThrows(ConnectException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(other, port), 5000);
        }
      }, "connected via " + other);
    }
  }

  @Test
  void aPortInUseIsAnApiExceptionNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ApiException e = assertThrows(ApiException.class, () -> ApiServer.start(control,
          ApiSettings.parse(String.valueOf(taken.getLocalPort()), Optional.empty())));
      assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
          e.getMessage());
    }
  }

  @Test
  void anUnknownHostIsAnApiException() {
    ApiException e = assertThrows(ApiException.class, () -> ApiServer.start(control,
        ApiSettings.parse("no-such-host.invalid:0", Optional.empty())));
    assertEquals("cannot listen on no-such-host.invalid:0: no such host", e.getMessage());
  }

  @Test
  void closedItRefusesConnections() throws Exception {
    int port = server.address().getPort();
    server.close();
    server.close(); // twice is fine
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
  }
}
