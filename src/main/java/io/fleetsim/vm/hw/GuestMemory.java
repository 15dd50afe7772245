package io.fleetsim.vm.hw;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.util.ByteString;

/**
 * A VM's physical address space, little-endian like x86. Pages are allocated on first write, so
 * a VM pays only for the memory its guest touches; untouched memory reads as zero.
 *
 * <p>The vCPU and the NIC's DMA use it from different actors, as CPU and devices share RAM in
 * hardware: accesses themselves are unsynchronized, and ordering comes from the messages that
 * hand over ownership (a tail-register write, an interrupt), exactly the driver protocol.
 */
public final class GuestMemory {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  private final long size;
  private final AtomicReferenceArray<byte[]> pages;

  public GuestMemory(long size) {
    if (size <= 0 || (size & PAGE_MASK) != 0 || (size >> PAGE_SHIFT) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("guest memory must be a positive multiple of 4 KiB, got " + size);
    }
    this.size = size;
    this.pages = new AtomicReferenceArray<>((int) (size >> PAGE_SHIFT));
  }

  public long size() {
    return size;
  }

  /** Pages the guest (or a device) has written so far. */
  public int touchedPages() {
    int n = 0;
    for (int i = 0; i < pages.length(); i++) {
      if (pages.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  public void read(long address, byte[] dst, int offset, int length) {
    check(address, length);
    while (length > 0) {
      int inPage = (int) (address & PAGE_MASK);
      int chunk = Math.min(length, PAGE_SIZE - inPage);
      byte[] page = pages.get((int) (address >>> PAGE_SHIFT));
      if (page == null) {
        java.util.Arrays.fill(dst, offset, offset + chunk, (byte) 0);
      } else {
        System.arraycopy(page, inPage, dst, offset, chunk);
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
      int inPage = (int) (address & PAGE_MASK);
      int chunk = Math.min(length, PAGE_SIZE - inPage);
      System.arraycopy(src, offset, page(address), inPage, chunk);
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
    int done = 0;
    while (done < length) {
      int inPage = (int) ((address + done) & PAGE_MASK);
      int chunk = Math.min(length - done, PAGE_SIZE - inPage);
      src.slice(from + done, from + done + chunk).copyToArray(page(address + done), inPage);
      done += chunk;
    }
  }

  public int readU8(long address) {
    check(address, 1);
    byte[] page = pages.get((int) (address >>> PAGE_SHIFT));
    return page == null ? 0 : page[(int) (address & PAGE_MASK)] & 0xFF;
  }

  public void writeU8(long address, int value) {
    check(address, 1);
    page(address)[(int) (address & PAGE_MASK)] = (byte) value;
  }

  public int readU16(long address) {
    check(address, 2);
    return readU8(address) | readU8(address + 1) << 8;
  }

  public void writeU16(long address, int value) {
    check(address, 2); // all or nothing: a fault must not leave a partial write
    writeU8(address, value);
    writeU8(address + 1, value >>> 8);
  }

  public int readU32(long address) {
    check(address, 4);
    return readU16(address) | readU16(address + 2) << 16;
  }

  public void writeU32(long address, int value) {
    check(address, 4); // all or nothing: a fault must not leave a partial write
    writeU16(address, value);
    writeU16(address + 2, value >>> 16);
  }

  public long readU64(long address) {
    check(address, 8);
    return (readU32(address) & 0xFFFF_FFFFL) | ((long) readU32(address + 4)) << 32;
  }

  public void writeU64(long address, long value) {
    check(address, 8); // all or nothing: a fault must not leave a partial write
    writeU32(address, (int) value);
    writeU32(address + 4, (int) (value >>> 32));
  }

  private byte[] page(long address) {
    int index = (int) (address >>> PAGE_SHIFT);
    byte[] page = pages.get(index);
    if (page == null) {
      byte[] fresh = new byte[PAGE_SIZE];
      page = pages.compareAndSet(index, null, fresh) ? fresh : pages.get(index);
    }
    return page;
  }

  private void check(long address, int length) {
    if (address < 0 || length < 0 || address > size - length) {
      throw new GuestMemoryFault(address, length, size);
    }
  }
}
