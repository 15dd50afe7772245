package io.fleetsim.vm.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {

  @Test
  void untouchedMemoryReadsZeroAndCostsNoPages() {
    GuestMemory m = new GuestMemory(64L << 20);
    assertEquals(0, m.readU32(0x123456));
    assertEquals(0L, m.readU64(m.size() - 8));
    assertEquals(0, m.touchedPages());
  }

  @Test
  void writesAllocateOnlyThePagesTheyTouchAndAreLittleEndian() {
    GuestMemory m = new GuestMemory(1 << 20);
    m.writeU32(0x1ffe, 0xA1B2C3D4); // straddles pages 1 and 2
    assertEquals(2, m.touchedPages());
    assertEquals(0xD4, m.readU8(0x1ffe));
    assertEquals(0xC3, m.readU8(0x1fff));
    assertEquals(0xB2, m.readU8(0x2000));
    assertEquals(0xA1B2C3D4, m.readU32(0x1ffe));
    m.writeU64(0x8000, 0x0102030405060708L);
    assertEquals(0x0102030405060708L, m.readU64(0x8000));
    assertEquals(0x0708, m.readU16(0x8000));
  }

  @Test
  void accessesOutsideMemoryFaultWithoutTouchingIt() {
    GuestMemory m = new GuestMemory(8192);
    assertThrows(GuestMemoryFault.class, () -> m.writeU32(8190, 1));
    assertThrows(GuestMemoryFault.class, () -> m.read(-1, 4));
    assertThrows(GuestMemoryFault.class, () -> m.write(8000, new byte[300]));
    assertEquals(0, m.touchedPages());
  }

  @Property(tries = 200)
  void whatIsWrittenIsReadBack(@ForAll @IntRange(max = 60_000) int address,
      @ForAll @Size(max = 5000) byte[] data, @ForAll boolean viaByteString) {
    GuestMemory m = new GuestMemory(65536);
    if (viaByteString) {
      m.write(address, ByteString.fromArray(data), 0, data.length);
    } else {
      m.write(address, data);
    }
    assertArrayEquals(data, m.read(address, data.length));
  }
}
