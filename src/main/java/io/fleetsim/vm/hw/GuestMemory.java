package io.fleetsim.vm.hw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.pekko.util.ByteIterator;
import org.apache.pekko.util.ByteString;

/**
 * A VM's physical address space, little-endian like x86. Host memory is allocated on first write,
 * in blocks of {@value #BLOCK_SIZE} bytes, so a VM pays only for the bytes its guest touches;
 * untouched memory reads as zero. Blocks are smaller than the guest's 4 KiB pages because DMA
 * buffers are: a ring of 2 KiB receive buffers that carries pings writes about 100 bytes into
 * each, and 4 KiB pages made every VM cost the whole ring (about 120 KiB) once it had wrapped.
 * The blocks hang off a sparse table (64 KiB regions, 4 KiB pages, blocks), each level allocated
 * when first needed, so a VM with 16 MiB of guest memory holds no table for the memory it never
 * uses.
 *
 * <p>The vCPU and the NIC's DMA use it from different actors, as CPU and devices share RAM in
 * hardware: accesses themselves are unsynchronized, and ordering comes from the messages that
 * hand over ownership (a tail-register write, an interrupt), exactly the driver protocol. Only
 * the allocation of a table entry is atomic, so that two writers into one fresh block cannot
 * lose each other's bytes.
 */
public final class GuestMemory {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int BLOCK_SHIFT = 7;
  /** Bytes of host memory allocated at a time. */
  public static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
  private static final int BLOCK_MASK = BLOCK_SIZE - 1;
  private static final int BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;
  private static final int REGION_SHIFT = 16;
  private static final int PAGES_PER_REGION = 1 << (REGION_SHIFT - PAGE_SHIFT);

  private static final VarHandle REGIONS = MethodHandles.arrayElementVarHandle(byte[][][][].class);
  private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(byte[][][].class);
  private static final VarHandle BLOCKS = MethodHandles.arrayElementVarHandle(byte[][].class);
  private static final VarHandle LE16 =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long size;
  /** regions[r][p][b]: region r (64 KiB), its page p, that page's block b; null = all zero. */
  private final byte[][][][] regions;

  public GuestMemory(long size) {
    if (size <= 0 || (size & PAGE_MASK) != 0 || (size >> PAGE_SHIFT) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("guest memory must be a positive multiple of 4 KiB, got " + size);
    }
    this.size = size;
    this.regions = new byte[(int) ((size + (1L << REGION_SHIFT) - 1) >>> REGION_SHIFT)][][][];
  }

  public long size() {
    return size;
  }

  /** Pages the guest (or a device) has written so far. */
  public int touchedPages() {
    int n = 0;
    for (int r = 0; r < regions.length; r++) {
      byte[][][] region = (byte[][][]) REGIONS.getAcquire(regions, r);
      if (region != null) {
        for (int p = 0; p < PAGES_PER_REGION; p++) {
          if (PAGES.getAcquire(region, p) != null) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** Host bytes the written blocks take (their contents, not the tables above them). */
  public long blockBytes() {
    long n = 0;
    for (int r = 0; r < regions.length; r++) {
      byte[][][] region = (byte[][][]) REGIONS.getAcquire(regions, r);
      for (int p = 0; region != null && p < PAGES_PER_REGION; p++) {
        byte[][] page = (byte[][]) PAGES.getAcquire(region, p);
        for (int b = 0; page != null && b < BLOCKS_PER_PAGE; b++) {
          if (BLOCKS.getAcquire(page, b) != null) {
            n += BLOCK_SIZE;
          }
        }
      }
    }
    return n;
  }

  public void read(long address, byte[] dst, int offset, int length) {
    check(address, length);
    while (length > 0) {
      int inBlock = (int) (address & BLOCK_MASK);
      int chunk = Math.min(length, BLOCK_SIZE - inBlock);
      byte[] block = existingBlock(address);
      if (block == null) {
        Arrays.fill(dst, offset, offset + chunk, (byte) 0);
      } else {
        System.arraycopy(block, inBlock, dst, offset, chunk);
      }
      address += chunk;
      offset += chunk;
      length -= chunk;
    }
  }

  public byte[] read(long address, int length) {
    byte[] b = new byte[length];
    read(address, b, 0, length);
    return b;
  }

  public void write(long address, byte[] src, int offset, int length) {
    check(address, length);
    while (length > 0) {
      int inBlock = (int) (address & BLOCK_MASK);
      int chunk = Math.min(length, BLOCK_SIZE - inBlock);
      System.arraycopy(src, offset, block(address), inBlock, chunk);
      address += chunk;
      offset += chunk;
      length -= chunk;
    }
  }

  public void write(long address, byte[] src) {
    write(address, src, 0, src.length);
  }

  /** DMA of a frame into memory: copies straight from the ByteString's chunks. */
  public void write(long address, ByteString src, int from, int length) {
    check(address, length);
    if (from < 0 || length > src.length() - from) {
      throw new IndexOutOfBoundsException(
          "bytes " + from + ".." + (from + length) + " of a ByteString of " + src.length());
    }
    ByteIterator in = src.iterator().drop(from);
    while (length > 0) {
      int inBlock = (int) (address & BLOCK_MASK);
      int chunk = Math.min(length, BLOCK_SIZE - inBlock);
      in.getBytes(block(address), inBlock, chunk);
      address += chunk;
      length -= chunk;
    }
  }

  public int readU8(long address) {
    check(address, 1);
    byte[] block = existingBlock(address);
    return block == null ? 0 : block[(int) (address & BLOCK_MASK)] & 0xFF;
  }

  public void writeU8(long address, int value) {
    check(address, 1);
    block(address)[(int) (address & BLOCK_MASK)] = (byte) value;
  }

  // Multi-byte values inside one block (nearly all: descriptors and registers are aligned) are
  // one lookup; one that straddles two blocks goes byte by byte.

  public int readU16(long address) {
    check(address, 2);
    if (withinBlock(address, 2)) {
      byte[] block = existingBlock(address);
      return block == null ? 0 : (short) LE16.get(block, (int) (address & BLOCK_MASK)) & 0xFFFF;
    }
    return readU8(address) | readU8(address + 1) << 8;
  }

  public void writeU16(long address, int value) {
    check(address, 2); // all or nothing: a fault must not leave a partial write
    if (withinBlock(address, 2)) {
      LE16.set(block(address), (int) (address & BLOCK_MASK), (short) value);
      return;
    }
    writeU8(address, value);
    writeU8(address + 1, value >>> 8);
  }

  public int readU32(long address) {
    check(address, 4);
    if (withinBlock(address, 4)) {
      byte[] block = existingBlock(address);
      return block == null ? 0 : (int) LE32.get(block, (int) (address & BLOCK_MASK));
    }
    return readU16(address) | readU16(address + 2) << 16;
  }

  public void writeU32(long address, int value) {
    check(address, 4); // all or nothing: a fault must not leave a partial write
    if (withinBlock(address, 4)) {
      LE32.set(block(address), (int) (address & BLOCK_MASK), value);
      return;
    }
    writeU16(address, value);
    writeU16(address + 2, value >>> 16);
  }

  public long readU64(long address) {
    check(address, 8);
    if (withinBlock(address, 8)) {
      byte[] block = existingBlock(address);
      return block == null ? 0 : (long) LE64.get(block, (int) (address & BLOCK_MASK));
    }
    return (readU32(address) & 0xFFFF_FFFFL) | ((long) readU32(address + 4)) << 32;
  }

  public void writeU64(long address, long value) {
    check(address, 8); // all or nothing: a fault must not leave a partial write
    if (withinBlock(address, 8)) {
      LE64.set(block(address), (int) (address & BLOCK_MASK), value);
      return;
    }
    writeU32(address, (int) value);
    writeU32(address + 4, (int) (value >>> 32));
  }

  private static boolean withinBlock(long address, int length) {
    return (address & BLOCK_MASK) <= BLOCK_SIZE - length;
  }

  /** The block holding {@code address}, or null while nothing in it was written. */
  private byte[] existingBlock(long address) {
    byte[][][] region = (byte[][][]) REGIONS.getAcquire(regions, (int) (address >>> REGION_SHIFT));
    if (region == null) {
      return null;
    }
    byte[][] page = (byte[][]) PAGES.getAcquire(region, pageInRegion(address));
    return page == null ? null : (byte[]) BLOCKS.getAcquire(page, blockInPage(address));
  }

  /** The block holding {@code address}, allocated (with the table above it) if need be. */
  private byte[] block(long address) {
    int r = (int) (address >>> REGION_SHIFT);
    byte[][][] region = (byte[][][]) REGIONS.getAcquire(regions, r);
    if (region == null) {
      byte[][][] fresh = new byte[PAGES_PER_REGION][][];
      region = (byte[][][]) REGIONS.compareAndExchange(regions, r, null, fresh);
      region = region == null ? fresh : region;
    }
    int p = pageInRegion(address);
    byte[][] page = (byte[][]) PAGES.getAcquire(region, p);
    if (page == null) {
      byte[][] fresh = new byte[BLOCKS_PER_PAGE][];
      page = (byte[][]) PAGES.compareAndExchange(region, p, null, fresh);
      page = page == null ? fresh : page;
    }
    int b = blockInPage(address);
    byte[] block = (byte[]) BLOCKS.getAcquire(page, b);
    if (block == null) {
      byte[] fresh = new byte[BLOCK_SIZE];
      block = (byte[]) BLOCKS.compareAndExchange(page, b, null, fresh);
      block = block == null ? fresh : block;
    }
    return block;
  }

  private static int pageInRegion(long address) {
    return (int) (address >>> PAGE_SHIFT) & (PAGES_PER_REGION - 1);
  }

  private static int blockInPage(long address) {
    return (int) (address >>> BLOCK_SHIFT) & (BLOCKS_PER_PAGE - 1);
  }

  private void check(long address, int length) {
    if (address < 0 || length < 0 || address > size - length) {
      throw new GuestMemoryFault(address, length, size);
    }
  }
}
