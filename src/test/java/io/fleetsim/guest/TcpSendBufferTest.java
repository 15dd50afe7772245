package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The send ring keeps the stream's order across wrap-around and growth, and its capacity. */
class TcpSendBufferTest {
  @Test
  void writesReadsAndRemovesKeepTheStreamInOrderWhileItGrows() {
    int capacity = 50_000;
    TcpSendBuffer b = new TcpSendBuffer(capacity);
    byte[] stream = TcpTransferTest.random(2_000_000, 1);
    Random r = new Random(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int written = 0;
    while (out.size() < stream.length) {
      int want = Math.min(stream.length - written, r.nextInt(20_000));
      int took = b.write(stream, written, want);
      assertEquals(Math.min(want, capacity - (written - out.size())), took);
      written += took;
      int drop = r.nextInt(b.size() + 1);
      byte[] head = new byte[drop];
      b.copy(0, head, 0, drop);
      out.writeBytes(head);
      b.remove(drop);
      assertEquals(written - out.size(), b.size());
      assertEquals(capacity - b.size(), b.free());
    }
    assertArrayEquals(stream, out.toByteArray());
  }
}
