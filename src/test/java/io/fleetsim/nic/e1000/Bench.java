package io.fleetsim.nic.e1000;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * A test driver for {@link E1000}: a fake host, guest memory, and helpers that write registers
 * and descriptors directly. Offsets and bits are the test's own copy of e1000.md.
 */
final class Bench {
  static final MacAddress MAC = MacAddress.QEMU_DEFAULT; // 52:54:00:12:34:56
  static final MacAddress OTHER = new MacAddress(0x525400ABCDEFL);

  static final int CTRL = 0x0000;
  static final int STATUS = 0x0008;
  static final int EECD = 0x0010;
  static final int EERD = 0x0014;
  static final int MDIC = 0x0020;
  static final int VET = 0x0038;
  static final int ICR = 0x00C0;
  static final int ITR = 0x00C4;
  static final int ICS = 0x00C8;
  static final int IMS = 0x00D0;
  static final int IMC = 0x00D8;
  static final int RCTL = 0x0100;
  static final int TCTL = 0x0400;
  static final int TIPG = 0x0410;
  static final int RDBAL = 0x2800;
  static final int RDBAH = 0x2804;
  static final int RDLEN = 0x2808;
  static final int RDH = 0x2810;
  static final int RDT = 0x2818;
  static final int RDTR = 0x2820;
  static final int RADV = 0x282C;
  static final int TDBAL = 0x3800;
  static final int TDBAH = 0x3804;
  static final int TDLEN = 0x3808;
  static final int TDH = 0x3810;
  static final int TDT = 0x3818;
  static final int TIDV = 0x3820;
  static final int TADV = 0x382C;
  static final int MPC = 0x4010;
  static final int PRC64 = 0x405C;
  static final int PRC127 = 0x4060;
  static final int GPRC = 0x4074;
  static final int BPRC = 0x4078;
  static final int MPRC = 0x407C;
  static final int GPTC = 0x4080;
  static final int GORCL = 0x4088;
  static final int GORCH = 0x408C;
  static final int GOTCL = 0x4090;
  static final int GOTCH = 0x4094;
  static final int RNBC = 0x40A0;
  static final int ROC = 0x40AC;
  static final int TORL = 0x40C0;
  static final int TORH = 0x40C4;
  static final int TPR = 0x40D0;
  static final int TPT = 0x40D4;
  static final int PTC127 = 0x40DC;
  static final int MPTC = 0x40F0;
  static final int BPTC = 0x40F4;
  static final int MTA = 0x5200;
  static final int RAL = 0x5400;

  static final int CTRL_SLU = 1 << 6;
  static final int CTRL_RST = 1 << 26;
  static final int STATUS_LU = 1 << 1;
  static final int ICR_TXDW = 1;
  static final int ICR_TXQE = 1 << 1;
  static final int ICR_LSC = 1 << 2;
  static final int ICR_RXDMT0 = 1 << 4;
  static final int ICR_RXO = 1 << 6;
  static final int ICR_RXT0 = 1 << 7;
  static final int ICR_MDAC = 1 << 9;
  static final int RCTL_EN = 1 << 1;
  static final int RCTL_SBP = 1 << 2;
  static final int RCTL_UPE = 1 << 3;
  static final int RCTL_MPE = 1 << 4;
  static final int RCTL_LPE = 1 << 5;
  static final int RCTL_BAM = 1 << 15;
  static final int RCTL_BSEX = 1 << 25;
  static final int RCTL_SECRC = 1 << 26;
  static final int TCTL_EN = 1 << 1;
  static final int TCTL_PSP = 1 << 3;
  static final int RAH_AV = 1 << 31;
  static final int RXD_DD = 1;
  static final int RXD_EOP = 2;
  static final int RXD_IXSM = 4;
  static final int TXD_EOP = 1;
  static final int TXD_IFCS = 2;
  static final int TXD_RS = 8;
  static final int TXD_DEXT = 0x20;
  static final int TXD_IDE = 0x80;

  static final long RX_RING = 0x1000;
  static final long RX_BUFFERS = 0x10000;
  static final long TX_RING = 0x2000;
  static final long TX_BUFFERS = 0x80000;

  /** Records what the device asks of its host; {@code full} makes transmit refuse frames. */
  static final class FakeHost implements E1000.Host {
    boolean line;
    int lineChanges;
    final List<ByteString> sent = new ArrayList<>();
    int transmitCalls;
    boolean full;
    final List<Long> timers = new ArrayList<>();
    int receiveReady;

    @Override
    public void interruptLine(boolean asserted) {
      line = asserted;
      lineChanges++;
    }

    @Override
    public boolean transmit(ByteString frame) {
      transmitCalls++;
      if (full) {
        return false;
      }
      sent.add(frame);
      return true;
    }

    @Override
    public void scheduleTimer(long delayNanos) {
      timers.add(delayNanos);
    }

    @Override
    public void receiveReady() {
      receiveReady++;
    }
  }

  final GuestMemory memory;
  final FakeHost host = new FakeHost();
  final E1000 nic;

  Bench() {
    this(1 << 20);
  }

  Bench(long memorySize) {
    memory = new GuestMemory(memorySize);
    nic = new E1000(MAC, memory, host);
  }

  int read(int offset) {
    return nic.mmioRead(offset);
  }

  void write(int offset, int value) {
    nic.mmioWrite(offset, value);
  }

  void busMaster() {
    nic.pciConfigWrite(0x04, 0x0006);
  }

  /** A receive ring of {@code n} descriptors, each with a buffer, handing all but one to the NIC. */
  Bench rxRing(int n, int bufferStride) {
    for (int i = 0; i < n; i++) {
      memory.writeU64(RX_RING + 16L * i, RX_BUFFERS + (long) i * bufferStride);
      memory.writeU64(RX_RING + 16L * i + 8, 0);
    }
    write(RDBAL, (int) RX_RING);
    write(RDBAH, 0);
    write(RDLEN, n * 16);
    write(RDH, 0);
    write(RDT, n - 1);
    return this;
  }

  /** Bus master, an 8-descriptor ring of 2 KiB buffers, RCTL.EN|SECRC plus {@code rctl}. */
  Bench receiver(int rctl) {
    busMaster();
    rxRing(8, 2048);
    write(RCTL, RCTL_EN | RCTL_SECRC | rctl);
    return this;
  }

  record RxDescriptor(long buffer, int length, int status, int errors) {}

  RxDescriptor rxDescriptor(int i) {
    long d = RX_RING + 16L * i;
    return new RxDescriptor(memory.readU64(d), memory.readU16(d + 8), memory.readU8(d + 12),
        memory.readU8(d + 13));
  }

  byte[] rxBuffer(int i, int stride, int length) {
    return memory.read(RX_BUFFERS + (long) i * stride, length);
  }

  Bench txRing(int n) {
    write(TDBAL, (int) TX_RING);
    write(TDBAH, 0);
    write(TDLEN, n * 16);
    write(TDH, 0);
    write(TDT, 0);
    return this;
  }

  Bench transmitter() {
    busMaster();
    txRing(8);
    write(TCTL, TCTL_EN | TCTL_PSP);
    return this;
  }

  /** Puts {@code data} in a buffer and a legacy descriptor at index i (no TDT write). */
  void txDescriptor(int i, byte[] data, int command) {
    long buffer = TX_BUFFERS + 0x1000L * i;
    memory.write(buffer, data);
    txDescriptorRaw(i, buffer, data.length | command << 24, 0);
  }

  void txDescriptorRaw(int i, long buffer, int lower, int upper) {
    long d = TX_RING + 16L * i;
    memory.writeU64(d, buffer);
    memory.writeU32(d + 8, lower);
    memory.writeU32(d + 12, upper);
  }

  int txStatus(int i) {
    return memory.readU8(TX_RING + 16L * i + 12);
  }

  /** A frame to {@code dst} from OTHER, IPv4 ethertype, payload bytes 0, 1, 2, ... */
  static byte[] frame(MacAddress dst, int size) {
    return frame(dst.toBytes(), size);
  }

  static byte[] frame(byte[] dst, int size) {
    byte[] f = new byte[size];
    for (int i = 0; i < size; i++) {
      f[i] = (byte) i;
    }
    System.arraycopy(dst, 0, f, 0, Math.min(6, size));
    byte[] src = OTHER.toBytes();
    for (int i = 0; i < 6 && 6 + i < size; i++) {
      f[6 + i] = src[i];
    }
    if (size >= 14) {
      f[12] = 0x08;
      f[13] = 0x00;
    }
    return f;
  }

  static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

  long stat(String name) {
    return nic.statistics().get(name);
  }

  /** Lets the mitigation window pass, as the host's timer would. */
  void timerFires() {
    nic.onTimer();
  }
}
