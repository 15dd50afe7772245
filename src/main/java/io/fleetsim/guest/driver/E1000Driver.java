package io.fleetsim.guest.driver;

import static io.fleetsim.guest.driver.E1000Hw.*;

import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.Link;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.CostTable;
import io.fleetsim.vm.hw.Cpu;
import io.fleetsim.vm.hw.GuestMemory;
import java.util.Arrays;
import java.util.Objects;

/**
 * The guest's e1000 driver, bringing an 82540EM up as Linux's {@code e1000} does: bus mastering,
 * reset, MAC from the EEPROM by bit-banging EECD, receive address and multicast table, PHY check,
 * descriptor rings in guest memory, RCTL/TCTL, interrupt mask, link.
 *
 * <p>Receive is NAPI-like: an interrupt reads ICR and polls the ring for at most
 * {@link Config#pollBudget()} frames; with more waiting it masks receive interrupts and schedules
 * another poll through {@link GuestEnv#schedule} instead of looping. Transmit copies each frame
 * into the buffers of the next free descriptors and writes TDT; a full ring makes
 * {@link #transmit} return false until {@link Link.Listener#transmitSpace()}.
 *
 * <p>Every register access is charged to the vCPU (mmioRead/mmioWrite), every interrupt
 * (interruptEntry) and every byte copied between DMA buffers and the stack (perByteCopy). Like
 * all guest code it runs on the VM's thread only.
 */
public final class E1000Driver implements Link {
  /** Largest frame {@link #transmit} accepts (no FCS). */
  public static final int MAX_FRAME = 16384;
  private static final int RX_CAUSES = ICR_RXT0 | ICR_RXO | ICR_RXDMT0;
  private static final int TX_CAUSES = ICR_TXDW | ICR_TXQE;
  private static final int EEPROM_GRANT_TRIES = 1000;
  private static final int MDIC_TRIES = 64;

  /**
   * Ring sizes and tuning. Each RX descriptor owns a 2048-byte buffer and each TX descriptor one of
   * {@code txBufferSize} bytes; guest memory is allocated in small blocks when first written, so
   * the defaults (32 + 32) cost at most about 116 KiB of host memory once every buffer has held a
   * full-size frame, and about 10 KiB when the frames are pings.
   *
   * @param rxDescriptors receive ring size, a multiple of 8 (RDLEN must be a multiple of 128)
   * @param txDescriptors transmit ring size, a multiple of 8
   * @param txBufferSize bytes per transmit buffer; longer frames span several descriptors
   * @param pollBudget frames per poll before the rest is left to a scheduled poll
   * @param interruptThrottle the ITR register, in 256 ns units (0 = no throttling asked)
   */
  public record Config(int rxDescriptors, int txDescriptors, int txBufferSize, int pollBudget,
      int interruptThrottle) {
    public Config {
      checkRing("rxDescriptors", rxDescriptors);
      checkRing("txDescriptors", txDescriptors);
      if (txBufferSize < 64 || txBufferSize > MAX_FRAME) {
        throw new IllegalArgumentException(
            "txBufferSize must be 64.." + MAX_FRAME + ", got " + txBufferSize);
      }
      if (pollBudget < 1) {
        throw new IllegalArgumentException("pollBudget must be at least 1, got " + pollBudget);
      }
      if (interruptThrottle < 0 || interruptThrottle > 0xFFFF) {
        throw new IllegalArgumentException(
            "interruptThrottle must be 0..65535, got " + interruptThrottle);
      }
    }

    private static void checkRing(String name, int size) {
      if (size < 8 || size > 4096 || size % 8 != 0) {
        throw new IllegalArgumentException(name + " must be a multiple of 8 in 8..4096, got " + size);
      }
    }

    public static Config defaults() {
      return new Config(32, 32, 1536, 64, 0);
    }

    /** Guest physical address space the driver allocates (rings, buffers, alignment). */
    public long guestMemoryBytes() {
      long rings = (long) (rxDescriptors + txDescriptors) * DESCRIPTOR_SIZE + 2 * 128;
      long buffers = (long) rxDescriptors * RX_BUFFER_SIZE + RX_BUFFER_SIZE
          + (long) txDescriptors * txBufferSize + 64;
      return rings + buffers; // sizes plus worst-case alignment padding
    }
  }

  /** What the driver counted (like the stack's view of {@code ip -s link}). */
  public record Stats(long rxFrames, long rxBytes, long rxErrors, long rxDropped, long txFrames,
      long txBytes, long txRingFull, long interrupts, long polls) {}

  private final Mmio mmio;
  private final GuestMemory memory;
  private final BumpAllocator allocator;
  private final GuestEnv env;
  private final Cpu cpu;
  private final CostTable costs;
  private final Config config;

  private boolean started;
  private MacAddress mac;
  private boolean carrier;
  private Listener listener;

  private long rxRing;
  private long rxBuffers;
  private int rxNext;
  private byte[] rxPartial; // a frame spanning descriptors (only with long frames)
  private int rxPartialSize;
  private boolean rxPartialBad;
  private boolean rxMasked;
  private boolean pollScheduled;
  private boolean inInterrupt;

  private long txRing;
  private long txBuffers;
  private int txTail; // next descriptor to fill
  private int txClean; // oldest descriptor not yet reclaimed
  private int[] txLast; // for a frame's first descriptor: the index of its last
  // a transmit was refused for lack of descriptors: the next poll that finds room tells the
  // listener once; the refused frames themselves wait in the stack, not here
  private boolean txStopped;

  private long rxFrames;
  private long rxBytes;
  private long rxErrors;
  private long rxDropped;
  private long txFrames;
  private long txBytes;
  private long txRingFull;
  private long interrupts;
  private long polls;

  public E1000Driver(Mmio mmio, BumpAllocator allocator, GuestEnv env, Config config) {
    this.mmio = Objects.requireNonNull(mmio, "mmio");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.memory = allocator.memory();
    this.env = Objects.requireNonNull(env, "env");
    this.cpu = env.cpu();
    this.costs = cpu.costs();
    this.config = Objects.requireNonNull(config, "config");
  }

  // ------------------------------------------------------------------ bring-up

  /**
   * Probes and brings the NIC up. Throws IllegalStateException naming the problem when the device
   * is not an 82540EM, its EEPROM checksum or MAC is bad, or the PHY does not answer.
   */
  public void start() {
    if (started) {
      throw new IllegalStateException("e1000 driver already started");
    }
    enableBusMastering();
    resetHardware();
    mac = readMacAddress();
    checkPhy();
    programAddressFilter();
    setUpTransmit();
    setUpReceive();
    wr(CTRL, rd(CTRL) | CTRL_SLU);
    wr(IMS, RX_CAUSES | ICR_TXDW | ICR_LSC);
    started = true;
    int status = rd(STATUS);
    carrier = (status & STATUS_LU) != 0;
    env.print("e1000: " + mac + " NIC up" + (carrier ? linkText(status) : ", no link yet"));
  }

  private void enableBusMastering() {
    int id = cfgRead(PCI_ID);
    if (id != PCI_ID_82540EM) {
      throw new IllegalStateException(String.format(
          "e1000: expected an 82540EM (PCI 8086:100e), found %04x:%04x", id & 0xFFFF, id >>> 16));
    }
    int command = cfgRead(PCI_COMMAND) & 0xFFFF;
    cfgWrite(PCI_COMMAND, command | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
  }

  private void resetHardware() {
    wr(IMC, 0xFFFF_FFFF);
    wr(RCTL, 0);
    wr(TCTL, TCTL_PSP);
    rd(STATUS); // flush posted writes
    wr(CTRL, rd(CTRL) | CTRL_RST);
    wr(IMC, 0xFFFF_FFFF);
    rd(ICR);
  }

  private MacAddress readMacAddress() {
    int sum = 0;
    int[] words = new int[3];
    for (int i = 0; i < EEPROM_WORDS; i++) {
      int word = readEepromWord(i);
      sum += word;
      if (i < 3) {
        words[i] = word;
      }
    }
    if ((sum & 0xFFFF) != EEPROM_SUM) {
      throw new IllegalStateException(String.format(
          "e1000: EEPROM checksum is 0x%04x, expected 0x%04x", sum & 0xFFFF, EEPROM_SUM));
    }
    long bits = 0;
    for (int word : words) {
      bits = bits << 16 | (word & 0xFF) << 8 | word >>> 8; // low byte first on the wire
    }
    if (bits == 0 || (bits & (1L << 40)) != 0) {
      throw new IllegalStateException("e1000: EEPROM holds no valid unicast MAC: "
          + new MacAddress(bits));
    }
    return new MacAddress(bits);
  }

  /** One word over Microwire: acquire, READ opcode, 6 address bits, 16 data bits, release. */
  private int readEepromWord(int address) {
    int eecd = rd(EECD) | EECD_REQ;
    wr(EECD, eecd);
    for (int i = 0; (rd(EECD) & EECD_GNT) == 0; i++) {
      if (i == EEPROM_GRANT_TRIES) {
        throw new IllegalStateException("e1000: EEPROM access not granted");
      }
    }
    eecd &= ~(EECD_DI | EECD_SK);
    wr(EECD, eecd);
    eecd |= EECD_CS;
    wr(EECD, eecd);
    eecd = shiftOutEeprom(eecd, EEPROM_READ_OPCODE, EEPROM_OPCODE_BITS);
    eecd = shiftOutEeprom(eecd, address, EEPROM_ADDRESS_BITS);
    int word = 0;
    for (int i = 0; i < 16; i++) {
      wr(EECD, eecd | EECD_SK);
      word = word << 1 | ((rd(EECD) & EECD_DO) != 0 ? 1 : 0);
      wr(EECD, eecd);
    }
    eecd &= ~(EECD_CS | EECD_DI); // deselect, one more clock, give the EEPROM back
    wr(EECD, eecd);
    wr(EECD, eecd | EECD_SK);
    wr(EECD, eecd);
    wr(EECD, eecd & ~EECD_REQ);
    return word;
  }

  private int shiftOutEeprom(int eecd, int data, int bits) {
    for (int mask = 1 << (bits - 1); mask != 0; mask >>>= 1) {
      eecd = (data & mask) != 0 ? eecd | EECD_DI : eecd & ~EECD_DI;
      wr(EECD, eecd);
      wr(EECD, eecd | EECD_SK);
      wr(EECD, eecd);
    }
    eecd &= ~EECD_DI;
    wr(EECD, eecd);
    return eecd;
  }

  private void checkPhy() {
    int id = readPhy(PHY_ID1) << 16 | readPhy(PHY_ID2);
    if ((id & ~PHY_REVISION_MASK) != M88E1011_PHY_ID) {
      throw new IllegalStateException(String.format(
          "e1000: PHY id 0x%08x is not the 82540EM's M88E1011", id));
    }
  }

  private int readPhy(int register) {
    wr(MDIC, register << MDIC_REG_SHIFT | PHY_ADDRESS << MDIC_PHY_SHIFT | MDIC_OP_READ);
    for (int i = 0; i < MDIC_TRIES; i++) {
      int mdic = rd(MDIC);
      if ((mdic & MDIC_READY) != 0) {
        if ((mdic & MDIC_ERROR) != 0) {
          throw new IllegalStateException("e1000: MDI read of PHY register " + register + " failed");
        }
        return mdic & 0xFFFF;
      }
    }
    throw new IllegalStateException("e1000: MDI read of PHY register " + register + " timed out");
  }

  private void programAddressFilter() {
    wr(RAL, mac.octet(0) | mac.octet(1) << 8 | mac.octet(2) << 16 | mac.octet(3) << 24);
    wr(RAL + 4, mac.octet(4) | mac.octet(5) << 8 | RAH_AV);
    for (int i = 1; i < RA_ENTRIES; i++) {
      wr(RAL + 8 * i, 0);
      wr(RAL + 8 * i + 4, 0);
    }
    for (int i = 0; i < MTA_ENTRIES; i++) {
      wr(MTA + 4 * i, 0);
    }
  }

  private void setUpTransmit() {
    int n = config.txDescriptors();
    txRing = allocator.allocate((long) n * DESCRIPTOR_SIZE, 128);
    txBuffers = allocator.allocate((long) n * config.txBufferSize(), 64);
    txLast = new int[n];
    for (int i = 0; i < n; i++) {
      memory.writeU64(txDescriptor(i), txBuffer(i));
      memory.writeU64(txDescriptor(i) + TXD_LOWER, 0);
    }
    wr(TDBAL, (int) txRing);
    wr(TDBAH, (int) (txRing >>> 32));
    wr(TDLEN, n * DESCRIPTOR_SIZE);
    wr(TDH, 0);
    wr(TDT, 0);
    wr(TIPG, TIPG_COPPER);
    wr(TIDV, 0);
    wr(TCTL, TCTL_EN | TCTL_PSP | 0x0F << TCTL_CT_SHIFT | 0x40 << TCTL_COLD_SHIFT);
  }

  private void setUpReceive() {
    int n = config.rxDescriptors();
    rxRing = allocator.allocate((long) n * DESCRIPTOR_SIZE, 128);
    rxBuffers = allocator.allocate((long) n * RX_BUFFER_SIZE, RX_BUFFER_SIZE);
    for (int i = 0; i < n; i++) {
      memory.writeU64(rxDescriptor(i), rxBuffers + (long) i * RX_BUFFER_SIZE);
      memory.writeU64(rxDescriptor(i) + RXD_LENGTH, 0);
    }
    wr(RDBAL, (int) rxRing);
    wr(RDBAH, (int) (rxRing >>> 32));
    wr(RDLEN, n * DESCRIPTOR_SIZE);
    wr(RDH, 0);
    wr(RDT, 0);
    wr(RDTR, 0);
    wr(RADV, 0);
    wr(ITR, config.interruptThrottle());
    wr(RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);
    rxNext = 0;
    wr(RDT, n - 1); // all buffers but one: RDH == RDT would mean "none"
  }

  // ------------------------------------------------------------------ Link

  @Override
  public MacAddress mac() {
    requireStarted();
    return mac;
  }

  @Override
  public boolean carrier() {
    return carrier;
  }

  @Override
  public void listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public boolean transmit(byte[] frame) {
    requireStarted();
    int n = config.txDescriptors();
    int bufferSize = config.txBufferSize();
    int needed = (frame.length + bufferSize - 1) / bufferSize;
    if (frame.length == 0 || frame.length > MAX_FRAME || needed > n - 1) {
      throw new IllegalArgumentException("e1000: cannot send a frame of " + frame.length
          + " bytes (1.." + Math.min(MAX_FRAME, (n - 1) * bufferSize) + ")");
    }
    if (freeTransmitDescriptors() < needed) {
      reclaimTransmitted();
      if (freeTransmitDescriptors() < needed) {
        txStopped = true;
        txRingFull++;
        return false;
      }
    }
    int first = txTail;
    for (int offset = 0; offset < frame.length; offset += bufferSize) {
      int chunk = Math.min(bufferSize, frame.length - offset);
      boolean last = offset + chunk == frame.length;
      memory.write(txBuffer(txTail), frame, offset, chunk);
      int command = TXD_CMD_IFCS | (last ? TXD_CMD_EOP | TXD_CMD_RS : 0);
      memory.writeU32(txDescriptor(txTail) + TXD_LOWER, chunk | command << 24);
      memory.writeU32(txDescriptor(txTail) + TXD_UPPER, 0);
      txLast[first] = txTail;
      txTail = (txTail + 1) % n;
    }
    chargeCopy(frame.length);
    wr(TDT, txTail);
    txFrames++;
    txBytes += frame.length;
    return true;
  }

  private int freeTransmitDescriptors() {
    int n = config.txDescriptors();
    return n - 1 - (txTail - txClean + n) % n;
  }

  /** Frees the descriptors of every frame whose last descriptor the NIC wrote back with DD. */
  private int reclaimTransmitted() {
    int n = config.txDescriptors();
    int freed = 0;
    while (txClean != txTail) {
      int last = txLast[txClean];
      if ((memory.readU8(txDescriptor(last) + TXD_UPPER) & TXD_STA_DD) == 0) {
        break;
      }
      int next = (last + 1) % n;
      freed += (next - txClean + n) % n;
      txClean = next;
    }
    return freed;
  }

  // ------------------------------------------------------------------ interrupts and polling

  /** The VM calls this when the NIC's interrupt line is asserted. */
  public void interrupt() {
    if (inInterrupt) { // never nest: take it again once this one is done
      env.schedule(0, this::interrupt);
      return;
    }
    inInterrupt = true;
    try {
      cpu.charge(costs.interruptEntry());
      interrupts++;
      int causes = rd(ICR);
      if (causes == 0 || !started) {
        return; // not ours, or before bring-up
      }
      if ((causes & ICR_LSC) != 0) {
        checkLink();
      }
      if ((causes & (RX_CAUSES | TX_CAUSES)) != 0 && !pollScheduled) {
        poll();
      }
    } finally {
      inInterrupt = false;
    }
  }

  private void scheduledPoll() {
    pollScheduled = false;
    poll();
  }

  private void poll() {
    polls++;
    reclaimTransmitted();
    boolean more = receiveFrames(config.pollBudget());
    if (more) {
      if (!rxMasked) {
        wr(IMC, RX_CAUSES); // no receive interrupts while polls are queued
        rxMasked = true;
      }
      pollScheduled = true;
      env.schedule(0, this::scheduledPoll);
    } else if (rxMasked) {
      wr(IMS, RX_CAUSES);
      rxMasked = false;
    }
    if (txStopped && freeTransmitDescriptors() > 0) {
      txStopped = false;
      if (listener != null) {
        listener.transmitSpace();
      }
    }
  }

  /**
   * Hands up to {@code budget} frames to the listener and gives their descriptors back with one
   * RDT write. True when the budget ran out (more may be waiting).
   */
  private boolean receiveFrames(int budget) {
    int n = config.rxDescriptors();
    // 1. how many descriptors, ending in an EOP, the NIC has completed
    int complete = 0;
    int frames = 0;
    for (int scanned = 0, i = rxNext; frames < budget && scanned < n - 1; i = (i + 1) % n) {
      int status = memory.readU8(rxDescriptor(i) + RXD_STATUS);
      if ((status & RXD_DD) == 0) {
        break;
      }
      scanned++;
      if ((status & RXD_EOP) != 0) {
        frames++;
        complete = scanned;
      }
    }
    if (complete == 0) {
      return false;
    }
    // 2. a register read orders our descriptor reads after the NIC's writes (Linux's dma_rmb)
    rd(STATUS);
    // 3. copy the frames out and hand them up
    for (int k = 0; k < complete; k++) {
      long descriptor = rxDescriptor(rxNext);
      int length = memory.readU16(descriptor + RXD_LENGTH);
      int status = memory.readU8(descriptor + RXD_STATUS);
      int errors = memory.readU8(descriptor + RXD_ERRORS);
      memory.writeU8(descriptor + RXD_STATUS, 0);
      long buffer = rxBuffers + (long) rxNext * RX_BUFFER_SIZE;
      rxNext = (rxNext + 1) % n;
      length = Math.min(length, RX_BUFFER_SIZE);
      if ((status & RXD_EOP) != 0 && rxPartialSize == 0) {
        deliverReceived(errors == 0 ? memory.read(buffer, length) : null); // the usual case
      } else {
        gatherReceived(buffer, length, errors);
        if ((status & RXD_EOP) != 0) {
          deliverReceived(rxPartialBad ? null : Arrays.copyOf(rxPartial, rxPartialSize));
          rxPartial = null;
          rxPartialSize = 0;
          rxPartialBad = false;
        }
      }
    }
    wr(RDT, (rxNext + n - 1) % n);
    return frames == budget;
  }

  /** A frame spanning descriptors (only with long frames): collected until its EOP. */
  private void gatherReceived(long buffer, int length, int errors) {
    rxPartialBad |= errors != 0;
    if (rxPartial == null || rxPartial.length < rxPartialSize + length) {
      rxPartial = Arrays.copyOf(rxPartial == null ? new byte[0] : rxPartial,
          Math.max(2 * RX_BUFFER_SIZE, 2 * (rxPartialSize + length)));
    }
    memory.read(buffer, rxPartial, rxPartialSize, length);
    rxPartialSize += length;
  }

  /** Hands a frame copied out of its buffers to the stack; null = the NIC flagged an error. */
  private void deliverReceived(byte[] frame) {
    if (frame == null) {
      rxErrors++;
      return;
    }
    if (listener == null) {
      rxDropped++;
      return;
    }
    chargeCopy(frame.length);
    rxFrames++;
    rxBytes += frame.length;
    listener.received(frame);
  }

  private void checkLink() {
    int status = rd(STATUS);
    boolean up = (status & STATUS_LU) != 0;
    if (up != carrier) {
      carrier = up;
      env.print("e1000: " + mac + " link " + (up ? "up" + linkText(status) : "down"));
      if (listener != null) {
        listener.carrierChanged(up);
      }
    }
  }

  private static String linkText(int status) {
    int speed = (status >>> STATUS_SPEED_SHIFT) & 3;
    return ", " + (speed == 0 ? 10 : speed == 1 ? 100 : 1000) + " Mb/s "
        + ((status & STATUS_FD) != 0 ? "full" : "half") + " duplex";
  }

  public Stats stats() {
    return new Stats(rxFrames, rxBytes, rxErrors, rxDropped, txFrames, txBytes, txRingFull,
        interrupts, polls);
  }

  // ------------------------------------------------------------------ helpers

  private long rxDescriptor(int index) {
    return rxRing + (long) index * DESCRIPTOR_SIZE;
  }

  private long txDescriptor(int index) {
    return txRing + (long) index * DESCRIPTOR_SIZE;
  }

  private long txBuffer(int index) {
    return txBuffers + (long) index * config.txBufferSize();
  }

  private void requireStarted() {
    if (!started) {
      throw new IllegalStateException("e1000 driver not started");
    }
  }

  private int rd(int offset) {
    cpu.charge(costs.mmioRead());
    return mmio.read(offset);
  }

  private void wr(int offset, int value) {
    cpu.charge(costs.mmioWrite());
    mmio.write(offset, value);
  }

  private int cfgRead(int offset) {
    cpu.charge(costs.mmioRead());
    return mmio.configRead(offset);
  }

  private void cfgWrite(int offset, int value) {
    cpu.charge(costs.mmioWrite());
    mmio.configWrite(offset, value);
  }

  private void chargeCopy(int bytes) {
    cpu.charge((long) Math.ceil(bytes * costs.perByteCopy()));
  }
}
