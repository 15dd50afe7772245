package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a peer sends, the HTTP parsers give a head, "need more" or a named problem and
 * never throw; and what a well-behaved peer sends parses to what it meant, however TCP cut it.
 */
class HttpParserProperties {

  /** Bytes that look like HTTP often enough to reach every branch: pieces of heads and noise. */
  @Provide
  Arbitrary<byte[]> httpish() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.of("GET", "HEAD", "POST", " ", "/", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n",
            "\n", "\r", ":", "Host: h", "Content-Length: ", "Transfer-Encoding: chunked",
            "Connection: close", "HTTP/1.1 200 OK", "HTTP/1.0 404 x", "0", "12", "ff", ";", "\t",
            "\u0000", "\u00ff"),
        Arbitraries.strings().ofMaxLength(6).withCharRange('\u0000', '\u00ff'));
    return piece.list().ofMaxSize(40)
        .map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 2000)
  void anyBytesGiveAnOutcomeNeverAnException(@ForAll("httpish") byte[] data,
      @ForAll @IntRange(min = 0, max = 5) int offset) {
    byte[] padded = new byte[data.length + offset];
    System.arraycopy(data, 0, padded, offset, data.length);
    for (HeadParse<?> p : List.of(HttpRequestHead.parse(padded, offset, padded.length),
        HttpResponseHead.parse(padded, offset, padded.length))) {
      assertTrue(!(p.complete() && p.bad()), "one outcome");
      if (p.complete()) {
        assertTrue(p.length() > 0 && p.length() <= data.length, "took " + p.length());
      }
      if (p.bad()) {
        assertTrue(!p.problem().isEmpty());
      }
    }
    HeadParse<HttpRequestHead> r = HttpRequestHead.parse(padded, offset, padded.length);
    if (r.bad()) {
      assertTrue(List.of(400, 431, 501, 505).contains(r.status()), "status " + r.status());
    }
    ChunkedDecoder d = new ChunkedDecoder();
    long[] out = {0};
    int used = d.feed(padded, offset, data.length, (b, o, n) -> out[0] += n);
    assertTrue(used >= 0 && used <= data.length);
    assertTrue(out[0] <= data.length);
    if (!d.done()) {
      assertEquals(data.length, used, "an open or broken body takes everything");
    }
  }

  /** A well-formed request head, what it says, and its bytes. */
  record Request(String method, String path, int minor, List<String> extra, byte[] bytes) {}

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> token = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '!', '~')
        .ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u00e9')
        .ofMaxLength(30).map(String::strip);
    Arbitrary<String> path = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20)
        .map(p -> "/" + p);
    Arbitrary<List<String>> extra = Combinators.combine(token, value)
        .as((n, v) -> "x-" + n + ": " + v).list().ofMaxSize(6);
    return Combinators.combine(Arbitraries.of("GET", "HEAD", "DELETE"), path,
        Arbitraries.integers().between(0, 1), extra, Arbitraries.of("\r\n", "\n"))
        .as((m, p, minor, x, eol) -> {
          StringBuilder s = new StringBuilder(m + " " + p + " HTTP/1." + minor + eol + "Host: h" + eol);
          x.forEach(f -> s.append(f).append(eol));
          s.append(eol);
          return new Request(m, p, minor, x, s.toString().getBytes(StandardCharsets.ISO_8859_1));
        });
  }

  @Property(tries = 500)
  void aGoodRequestParsesAsSentWhereverItIsCut(@ForAll("requests") Request r,
      @ForAll @IntRange(min = 0, max = 1000) int cut) {
    int at = cut % r.bytes().length;
    HeadParse<HttpRequestHead> partial = HttpRequestHead.parse(r.bytes(), 0, at);
    assertTrue(!partial.complete() && !partial.bad(), "a prefix needs more");
    byte[] twice = new byte[2 * r.bytes().length];
    System.arraycopy(r.bytes(), 0, twice, 0, r.bytes().length);
    System.arraycopy(r.bytes(), 0, twice, r.bytes().length, r.bytes().length);
    HeadParse<HttpRequestHead> p = HttpRequestHead.parse(twice, 0, twice.length);
    assertTrue(p.complete(), () -> p.problem());
    assertEquals(r.bytes().length, p.length(), "a pipelined second request is left alone");
    assertEquals(r.method(), p.head().method());
    assertEquals(r.path(), p.head().path());
    assertEquals(r.minor(), p.head().minor());
    assertEquals(1 + r.extra().size(), p.head().fields().fields().size());
    for (int i = 0; i < r.extra().size(); i++) {
      HttpFields.Field f = p.head().fields().fields().get(i + 1);
      assertEquals(r.extra().get(i), f.name() + ": " + f.value());
    }
  }

  @Property(tries = 500)
  void chunkedBodiesDecodeToWhatWasSent(@ForAll @Size(max = 3000) byte[] body,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 700) Integer> chunkSizes,
      @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 400) Integer> cuts) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int off = 0;
    for (int i = 0; off < body.length; i++) {
      int n = Math.min(chunkSizes.get(i % chunkSizes.size()), body.length - off);
      wire.writeBytes((Integer.toHexString(n) + (i % 2 == 0 ? "" : ";ext=1") + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      wire.write(body, off, n);
      wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      off += n;
    }
    wire.writeBytes("0\r\nT: v\r\n\r\nafter".getBytes(StandardCharsets.ISO_8859_1));
    byte[] in = wire.toByteArray();
    ChunkedDecoder d = new ChunkedDecoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    int used = 0;
    for (int i = 0; pos < in.length && !d.done(); i++) {
      int n = Math.min(in.length - pos, cuts.isEmpty() ? in.length : cuts.get(i % cuts.size()));
      used += d.feed(in, pos, n, out::write);
      pos += n;
    }
    assertTrue(d.done(), d.problem());
    assertArrayEquals(body, out.toByteArray());
    assertEquals(in.length - "after".length(), used, "the bytes after the body are not its");
  }
}
