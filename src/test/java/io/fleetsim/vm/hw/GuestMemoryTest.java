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

  @Test
  void aSmallWriteIntoEachBufferOfARingCostsOneBlockEach() {
    // 32 receive buffers of 2 KiB, a 98-byte ping frame in each: a ring that wrapped once
    GuestMemory m = new GuestMemory(16L << 20);
    long buffers = 1L << 20;
    for (int i = 0; i < 32; i++) {
      m.write(buffers + i * 2048L, new byte[98]);
    }
    assertEquals(16, m.touchedPages(), "pages are still counted as the guest sees them");
    assertEquals(32L * GuestMemory.BLOCK_SIZE, m.blockBytes());
    m.writeU32(buffers + 2048 - 2, -1); // straddles two blocks: both are allocated
    assertEquals(33L * GuestMemory.BLOCK_SIZE, m.blockBytes());
    assertEquals(0xFFFF, m.readU16(buffers + 2048 - 2));
  }

  @Test
  void writesFarApartLandInTheirOwnRegions() {
    GuestMemory m = new GuestMemory(64L << 20);
    m.writeU64(0x10, 0x1122334455667788L);
    m.writeU64(m.size() - 8, 0x0102030405060708L);
    assertEquals(0x1122334455667788L, m.readU64(0x10));
    assertEquals(0x0102030405060708L, m.readU64(m.size() - 8));
    assertEquals(0L, m.readU64(0x10000 + 0x10), "the next region is untouched");
    assertEquals(2, m.touchedPages());
  }

  @Property(tries = 300)
  void valuesAreLittleEndianBytesWhereverTheyLie(@ForAll @IntRange(max = 300) int address,
      @ForAll long value) {
    // addresses 0..300 cover values inside a block, across a block boundary and across blocks
    // written byte by byte
    GuestMemory m = new GuestMemory(8192);
    m.writeU64(address, value);
    assertEquals(value, m.readU64(address));
    byte[] bytes = m.read(address, 8);
    for (int i = 0; i < 8; i++) {
      assertEquals((byte) (value >>> (8 * i)), bytes[i], "byte " + i);
    }
    m.writeU32(address + 8, (int) value);
    m.writeU16(address + 12, (int) (value >>> 32));
    assertEquals((int) value, m.readU32(address + 8));
    assertEquals((int) (value >>> 32) & 0xFFFF, m.readU16(address + 12));
    assertEquals((int) value & 0xFFFF, m.readU16(address + 8));
    assertEquals((value & 0xFFFF_FFFFL) | (((value >>> 32) & 0xFFFF) << 32), m.readU64(address + 8)
        & 0xFFFF_FFFF_FFFFL);
  }

  @Property(tries = 200)
  void whatIsWrittenIsReadBack(@ForAll @IntRange(max = 60_000) int address,
      @ForAll @Size(max = 5000) byte[] data, @ForAll boolean viaByteString,
      @ForAll @IntRange(max = 300) int skip) {
    GuestMemory m = new GuestMemory(65536);
    if (viaByteString) {
      // behind a prefix the write skips, in two chunks (a frame the NIC assembled from two)
      byte[] prefixed = new byte[skip + data.length];
      System.arraycopy(data, 0, prefixed, skip, data.length);
      int half = prefixed.length / 2;
      ByteString frame = ByteString.fromArray(prefixed, 0, half)
          .concat(ByteString.fromArray(prefixed, half, prefixed.length - half));
      m.write(address, frame, skip, data.length);
    } else {
      m.write(address, data);
    }
    assertArrayEquals(data, m.read(address, data.length));
    assertEquals(0, address == 0 ? 0 : m.readU8(address - 1), "the byte before is untouched");
    assertEquals(0, address + data.length >= m.size() ? 0 : m.readU8(address + data.length),
        "the byte after is untouched");
  }
}
