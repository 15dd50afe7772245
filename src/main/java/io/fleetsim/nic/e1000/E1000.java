package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.MacRegisters.BPRC;
import static io.fleetsim.nic.e1000.MacRegisters.BPTC;
import static io.fleetsim.nic.e1000.MacRegisters.GORC;
import static io.fleetsim.nic.e1000.MacRegisters.GOTC;
import static io.fleetsim.nic.e1000.MacRegisters.GPRC;
import static io.fleetsim.nic.e1000.MacRegisters.GPTC;
import static io.fleetsim.nic.e1000.MacRegisters.ICR;
import static io.fleetsim.nic.e1000.MacRegisters.ICS;
import static io.fleetsim.nic.e1000.MacRegisters.IMS;
import static io.fleetsim.nic.e1000.MacRegisters.ITR;
import static io.fleetsim.nic.e1000.MacRegisters.MPC;
import static io.fleetsim.nic.e1000.MacRegisters.MPRC;
import static io.fleetsim.nic.e1000.MacRegisters.MPTC;
import static io.fleetsim.nic.e1000.MacRegisters.MTA;
import static io.fleetsim.nic.e1000.MacRegisters.RA;
import static io.fleetsim.nic.e1000.MacRegisters.RADV;
import static io.fleetsim.nic.e1000.MacRegisters.RCTL;
import static io.fleetsim.nic.e1000.MacRegisters.RDBAH;
import static io.fleetsim.nic.e1000.MacRegisters.RDBAL;
import static io.fleetsim.nic.e1000.MacRegisters.RDH;
import static io.fleetsim.nic.e1000.MacRegisters.RDLEN;
import static io.fleetsim.nic.e1000.MacRegisters.RDT;
import static io.fleetsim.nic.e1000.MacRegisters.RDTR;
import static io.fleetsim.nic.e1000.MacRegisters.RECEIVED_BY_SIZE;
import static io.fleetsim.nic.e1000.MacRegisters.RNBC;
import static io.fleetsim.nic.e1000.MacRegisters.ROC;
import static io.fleetsim.nic.e1000.MacRegisters.STATUS;
import static io.fleetsim.nic.e1000.MacRegisters.TADV;
import static io.fleetsim.nic.e1000.MacRegisters.TCTL;
import static io.fleetsim.nic.e1000.MacRegisters.TDBAH;
import static io.fleetsim.nic.e1000.MacRegisters.TDBAL;
import static io.fleetsim.nic.e1000.MacRegisters.TDH;
import static io.fleetsim.nic.e1000.MacRegisters.TDLEN;
import static io.fleetsim.nic.e1000.MacRegisters.TDT;
import static io.fleetsim.nic.e1000.MacRegisters.TOR;
import static io.fleetsim.nic.e1000.MacRegisters.TOT;
import static io.fleetsim.nic.e1000.MacRegisters.TPR;
import static io.fleetsim.nic.e1000.MacRegisters.TPT;
import static io.fleetsim.nic.e1000.MacRegisters.TRANSMITTED_BY_SIZE;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.nic.e1000.MacRegisters.Register;
import io.fleetsim.vm.hw.GuestMemory;
import io.fleetsim.vm.hw.GuestMemoryFault;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Intel 82540EM as QEMU's {@code e1000} models it: the register file behind BAR0, PCI config
 * space, EEPROM, PHY, legacy receive and transmit descriptor rings in guest memory, the address
 * filter, interrupt causes with QEMU's mitigation timer, and the statistics registers.
 *
 * <p>MMIO goes to the register table ({@link MacRegisters}), whose special registers call back
 * through {@link MacRegisters.Device}; the statistics are registers there too.
 * Receive and transmit are small methods named after the hardware steps, and every interrupt
 * passes {@link #setInterruptCause}.
 *
 * <p>Thread safety: every public method is synchronized. The VM thread does MMIO and config
 * accesses, the NIC actor's thread does receive, link changes, timers and transmit resumption.
 * Host callbacks run with the lock held and must not block or call back into this object.
 *
 * <p>A guest bug (descriptors outside memory, a bad ring, unsupported descriptors) never throws
 * out of here: the device skips, stops or counts as hardware would, and logs the first of a kind.
 */
public final class E1000 {
  private static final Logger log = LoggerFactory.getLogger(E1000.class);

  /** What the device needs from its surroundings; implemented by the NIC actor. */
  public interface Host {
    /** The level-triggered INTx line changed. */
    void interruptLine(boolean asserted);

    /**
     * A frame leaves the NIC. False means the netdev is full: the frame was not taken, the
     * transmit pass stops there and the same frame is offered again after {@link #resumeTransmit()}.
     */
    boolean transmit(ByteString frame);

    /** Call {@link #onTimer()} after {@code delayNanos}; replaces a pending request. */
    void scheduleTimer(long delayNanos);

    /** The guest gave receive buffers ({@link #canReceive()} is now true): held frames may come. */
    void receiveReady();
  }

  // ------------------------------------------------------------------ register bits
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
  static final int RCTL_RDMTS_SHIFT = 8;
  static final int RCTL_MO_SHIFT = 12;
  static final int RCTL_BAM = 1 << 15;
  static final int RCTL_BSIZE_SHIFT = 16;
  static final int RCTL_BSEX = 1 << 25;
  static final int RCTL_SECRC = 1 << 26;
  static final int TCTL_EN = 1 << 1;
  static final int RAH_AV = 1 << 31;

  // ------------------------------------------------------------------ descriptors
  static final int DESCRIPTOR_SIZE = 16;
  static final int RXD_DD = 1;
  static final int RXD_EOP = 1 << 1;
  static final int RXD_IXSM = 1 << 2;
  static final int RXD_ERR_RXE = 1 << 7;
  // TX command byte (bits 31:24 of the descriptor's second dword)
  static final int TXD_EOP = 1;
  static final int TXD_IFCS = 1 << 1;
  static final int TXD_TSE = 1 << 2; // IC on a legacy descriptor
  static final int TXD_RS = 1 << 3;
  static final int TXD_RPS = 1 << 4;
  static final int TXD_DEXT = 1 << 5;
  static final int TXD_IDE = 1 << 7;
  static final int TXD_DTYP_DATA = 1 << 20;
  static final int TXD_STA_DD = 1;
  private static final int TXD_STA_ERRORS = 0b1110; // EC, LC, TU
  private static final int POPTS_CHECKSUMS = 0b11; // IXSM, TXSM

  private static final int MIN_FRAME = 60;
  private static final int MAX_STANDARD_FRAME = 14 + 4 + 1500; // header, VLAN tag, MTU
  private static final int MAX_LONG_FRAME = 16384 - 4;
  private static final int MAX_TX_FRAME = 0x10000;
  private static final int TX_BUFFER_KEEP = 4096;
  private static final int MIN_MITIGATION_DELAY = 500; // 256 ns units: at most 7813 interrupts/s
  private static final long MITIGATION_UNIT_NANOS = 256;
  private static final int[] BSIZE = {2048, 1024, 512, 256};
  private static final int[] BSIZE_EXTENDED = {2048, 16384, 8192, 4096};
  private static final int[] MTA_SHIFT = {4, 3, 2, 0};
  private static final byte[] ZEROS = new byte[MIN_FRAME];

  /** What a guest can get wrong; each kind is logged once per device. */
  private enum GuestBug {
    DMA_FAULT, RX_RING, TX_RING, NULL_RX_BUFFER, TX_OFFLOAD, TX_FRAME_TOO_LONG, TX_EMPTY_FRAME
  }

  /** A frame the netdev refused, waiting with its EOP descriptor for {@link #resumeTransmit()}. */
  private record HeldFrame(ByteString frame, long descriptor, int lower, int upper) {}

  private final MacAddress mac;
  private final GuestMemory memory;
  private final Host host;
  private final Eeprom eeprom;
  private final Phy phy = new Phy();
  private final MacRegisters regs;
  private final PciConfig pci = new PciConfig();
  private final byte[] descriptor = new byte[DESCRIPTOR_SIZE];

  private boolean lineAsserted;
  // QEMU's interrupt mitigation: a window is open while the timer runs; edges inside it wait
  private boolean mitTimerOn;
  private boolean mitIrqLevel;
  private boolean mitIde;

  // transmit: the frame being gathered across descriptors (and passes), and back-pressure
  private byte[] txData;
  private int txSize;
  private boolean txFrameFaulted;
  private boolean txFrameUnsupported;
  private boolean txBusy;
  private boolean txStalled;
  private HeldFrame held;

  // what the model itself counts besides the hardware registers
  private long rxDroppedNotReady;
  private long txFramesDropped;
  private long txDescriptorsSkipped;
  private long dmaFaults;
  private long ringErrors;
  private final EnumSet<GuestBug> reported = EnumSet.noneOf(GuestBug.class);

  public E1000(MacAddress mac, GuestMemory memory, Host host) {
    this.mac = Objects.requireNonNull(mac, "mac");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.host = Objects.requireNonNull(host, "host");
    this.eeprom = new Eeprom(mac, PciConfig.DEVICE_ID, PciConfig.VENDOR_ID);
    this.regs = new MacRegisters(mac, eeprom, phy, new RegisterSideEffects());
    reset();
  }

  // ------------------------------------------------------------------ bus interface

  /** A 32-bit read in the 128 KiB BAR0 window. */
  public synchronized int mmioRead(int offset) {
    return regs.read(offset);
  }

  /** A 32-bit write in the 128 KiB BAR0 window. */
  public synchronized void mmioWrite(int offset, int value) {
    regs.write(offset, value);
  }

  /** A dword of PCI configuration space. */
  public synchronized int pciConfigRead(int offset) {
    return pci.read(offset);
  }

  public synchronized void pciConfigWrite(int offset, int value) {
    boolean wasMaster = pci.busMaster();
    pci.write(offset, value);
    updateLine(); // INTx disable may have changed
    if (!wasMaster && pci.busMaster()) {
      offerReceive();
      startTransmit();
    }
  }

  /** What the special registers' handlers set off here. */
  private final class RegisterSideEffects implements MacRegisters.Device {
    @Override
    public void reset() {
      E1000.this.reset();
    }

    @Override
    public void setInterruptCause(int causes) {
      E1000.this.setInterruptCause(causes);
    }

    @Override
    public void receiveControlWritten() {
      offerReceive();
    }

    @Override
    public void transmitControlWritten() {
      startTransmit();
    }
  }

  // ------------------------------------------------------------------ reset and link

  private void reset() {
    regs.reset();
    phy.reset();
    if (!phy.carrier()) { // the cable survives a reset
      regs.set(STATUS, regs.get(STATUS) & ~STATUS_LU);
    }
    eeprom.resetProtocol();
    mitTimerOn = false; // a timer still pending will find no window and do nothing
    mitIrqLevel = false;
    mitIde = false;
    txData = null;
    txSize = 0;
    txFrameFaulted = false;
    txFrameUnsupported = false;
    txStalled = false;
    held = null;
    updateLine();
  }

  /** The cable: link down clears STATUS.LU and the PHY's link bit; any change raises LSC. */
  public synchronized void setLinkUp(boolean up) {
    int before = regs.get(STATUS);
    if (up) {
      regs.set(STATUS, regs.get(STATUS) | STATUS_LU);
      phy.linkUp();
    } else {
      regs.set(STATUS, regs.get(STATUS) & ~STATUS_LU);
      phy.linkDown();
    }
    if (regs.get(STATUS) != before) {
      raise(ICR_LSC);
    }
    if (up) {
      offerReceive();
    }
  }

  // ------------------------------------------------------------------ interrupts

  private void raise(int causes) {
    setInterruptCause(regs.get(ICR) | causes);
  }

  /**
   * Every interrupt passes here: ICR (and its ICS mirror) becomes {@code causes} and the line
   * follows IMS & ICR. As in QEMU, a rising edge opens a mitigation window of max(500, the
   * smallest non-zero of ITR, RADV*4 if RDTR, TADV*4 if a descriptor had IDE) * 256 ns; further
   * rising edges inside the window wait for {@link #onTimer()}.
   */
  private void setInterruptCause(int causes) {
    regs.set(ICR, causes);
    regs.set(ICS, causes);
    int pending = regs.get(IMS) & causes;
    if (!mitIrqLevel && pending != 0) {
      if (mitTimerOn) {
        return;
      }
      long delay = mitigationDelay(pending);
      mitTimerOn = true;
      mitIde = false;
      host.scheduleTimer(delay * MITIGATION_UNIT_NANOS);
    }
    mitIrqLevel = pending != 0;
    updateLine();
  }

  private long mitigationDelay(int pending) {
    int delay = 0;
    if (mitIde && (pending & (ICR_TXQE | ICR_TXDW)) != 0) {
      delay = shorter(delay, regs.get(TADV) * 4);
    }
    if (regs.get(RDTR) != 0 && (pending & ICR_RXT0) != 0) {
      delay = shorter(delay, regs.get(RADV) * 4);
    }
    delay = shorter(delay, regs.get(ITR));
    return Math.max(delay, MIN_MITIGATION_DELAY);
  }

  private static int shorter(int current, int candidate) {
    return candidate != 0 && (current == 0 || candidate < current) ? candidate : current;
  }

  private void updateLine() {
    boolean line = mitIrqLevel && !pci.intxDisabled();
    if (line != lineAsserted) {
      lineAsserted = line;
      host.interruptLine(line);
    }
  }

  /** The mitigation timer requested through {@link Host#scheduleTimer} fired. */
  public synchronized void onTimer() {
    if (!mitTimerOn) {
      return; // stale: reset closed the window
    }
    mitTimerOn = false;
    setInterruptCause(regs.get(ICR));
  }

  // ------------------------------------------------------------------ receive

  /** STATUS.LU, RCTL.EN, bus mastering and at least one descriptor between RDH and RDT. */
  public synchronized boolean canReceive() {
    return receiverEnabled() && rxRingValid() && regs.get(RDH) != regs.get(RDT);
  }

  /** A frame from the wire (no FCS). Call when {@link #canReceive()}; otherwise it is dropped. */
  public synchronized void receive(ByteString frame) {
    if (!receiverEnabled()) {
      rxDroppedNotReady++;
      return;
    }
    ByteString padded = padToMinimum(frame);
    if (oversized(padded.size())) {
      regs.count(ROC);
      return;
    }
    if (!addressFilterAccepts(padded)) {
      return;
    }
    int total = padded.size() + fcsLength();
    if (!rxRingValid()) {
      ringErrors++;
      guestBug(GuestBug.RX_RING, String.format("RX ring unusable (RDLEN=%d RDH=%d RDT=%d)",
          regs.get(RDLEN), regs.get(RDH), regs.get(RDT)));
      receiverOverrun();
      return;
    }
    if (!hasReceiveBuffersFor(total)) {
      receiverOverrun();
      return;
    }
    if (!storeInDescriptors(padded, total)) {
      return;
    }
    countReceived(padded, total);
    raise(ICR_RXT0 | (belowMinimumThreshold() ? ICR_RXDMT0 : 0));
  }

  private boolean receiverEnabled() {
    return (regs.get(STATUS) & STATUS_LU) != 0 && (regs.get(RCTL) & RCTL_EN) != 0
        && pci.busMaster();
  }

  private int rxRingSize() {
    return regs.get(RDLEN) / DESCRIPTOR_SIZE;
  }

  private boolean rxRingValid() {
    int n = rxRingSize();
    return n > 0 && regs.get(RDH) < n && regs.get(RDT) < n;
  }

  private void offerReceive() {
    if (canReceive()) {
      host.receiveReady();
    }
  }

  private static ByteString padToMinimum(ByteString frame) {
    return frame.size() >= MIN_FRAME ? frame
        : frame.concat(ByteString.fromArray(ZEROS, 0, MIN_FRAME - frame.size()));
  }

  /** Longer than 1518 bytes without LPE or than 16380 with it, unless SBP keeps it. */
  private boolean oversized(int size) {
    int rctl = regs.get(RCTL);
    return (rctl & RCTL_SBP) == 0
        && (size > MAX_LONG_FRAME || (size > MAX_STANDARD_FRAME && (rctl & RCTL_LPE) == 0));
  }

  private boolean addressFilterAccepts(ByteString frame) {
    int rctl = regs.get(RCTL);
    if (isBroadcast(frame)) {
      if ((rctl & RCTL_BAM) != 0) {
        return true;
      }
    } else if (isMulticast(frame)) {
      if ((rctl & RCTL_MPE) != 0) {
        return true;
      }
    } else if ((rctl & RCTL_UPE) != 0) {
      return true;
    }
    return matchesReceiveAddress(frame) || hitsMulticastTable(frame);
  }

  private boolean matchesReceiveAddress(ByteString frame) {
    long destination = 0;
    for (int i = 0; i < 6; i++) {
      destination |= (frame.apply(i) & 0xFFL) << (8 * i); // RAL/RAH byte order
    }
    for (int i = 0; i < 16; i++) {
      int high = regs.get(RA, 2 * i + 1);
      long address = (regs.get(RA, 2 * i) & 0xFFFF_FFFFL) | (high & 0xFFFFL) << 32;
      if ((high & RAH_AV) != 0 && address == destination) {
        return true;
      }
    }
    return false;
  }

  private boolean hitsMulticastTable(ByteString frame) {
    int shift = MTA_SHIFT[(regs.get(RCTL) >>> RCTL_MO_SHIFT) & 3];
    int hash = (((frame.apply(5) & 0xFF) << 8 | (frame.apply(4) & 0xFF)) >>> shift) & 0xFFF;
    return ((regs.get(MTA, hash >>> 5) >>> (hash & 31)) & 1) != 0;
  }

  private int fcsLength() {
    return (regs.get(RCTL) & RCTL_SECRC) != 0 ? 0 : 4;
  }

  private int receiveBufferSize() {
    int rctl = regs.get(RCTL);
    int code = (rctl >>> RCTL_BSIZE_SHIFT) & 3;
    return (rctl & RCTL_BSEX) != 0 ? BSIZE_EXTENDED[code] : BSIZE[code];
  }

  private int freeReceiveDescriptors() {
    int free = regs.get(RDT) - regs.get(RDH);
    return free < 0 ? free + rxRingSize() : free;
  }

  private boolean hasReceiveBuffersFor(int total) {
    int free = freeReceiveDescriptors();
    return free > 0 && total <= (long) free * receiveBufferSize();
  }

  private void receiverOverrun() {
    regs.count(RNBC);
    regs.count(MPC);
    raise(ICR_RXO);
  }

  /** Scatters the frame from RDH on, one buffer per descriptor, and writes each back with DD. */
  private boolean storeInDescriptors(ByteString frame, int total) {
    int n = rxRingSize();
    long ring = ringBase(RDBAL, RDBAH);
    int bufferSize = receiveBufferSize();
    int size = frame.size();
    int done = 0;
    while (done < total) {
      int head = regs.get(RDH);
      if (head == regs.get(RDT)) { // only null buffers can bring us here: they took the space
        receiverOverrun();
        return false;
      }
      long address = ring + (long) DESCRIPTOR_SIZE * head;
      if (!fetchDescriptor(address, "RX descriptor")) {
        return false;
      }
      long buffer = le64(descriptor, 0);
      int length = 0;
      int status = RXD_DD;
      int errors = 0;
      if (buffer != 0) {
        length = Math.min(total - done, bufferSize);
        int copy = Math.min(length, size - done); // FCS bytes are counted, not written
        if (copy > 0 && !dmaWrite(buffer, frame, done, copy)) {
          errors |= RXD_ERR_RXE;
        }
        done += length;
        if (done >= total) {
          status |= RXD_EOP | RXD_IXSM;
        }
      } else {
        guestBug(GuestBug.NULL_RX_BUFFER, "RX descriptor " + head + " has no buffer: skipped");
      }
      writeBackReceiveDescriptor(address, length, status, errors);
      regs.set(RDH, head + 1 >= n ? 0 : head + 1);
    }
    return true;
  }

  private void writeBackReceiveDescriptor(long address, int length, int status, int errors) {
    descriptor[8] = (byte) length;
    descriptor[9] = (byte) (length >>> 8);
    descriptor[10] = 0; // checksum
    descriptor[11] = 0;
    descriptor[12] = (byte) status;
    descriptor[13] = (byte) errors;
    descriptor[14] = 0; // special
    descriptor[15] = 0;
    memory.write(address + 8, descriptor, 8, 8); // fetchDescriptor checked the whole range
  }

  private void countReceived(ByteString frame, int total) {
    int size = frame.size();
    regs.countBySize(RECEIVED_BY_SIZE, total);
    regs.count(TPR);
    regs.count(GPRC);
    regs.add(TOR, size + 4);
    regs.add(GORC, size + 4);
    if (isBroadcast(frame)) {
      regs.count(BPRC);
    } else if (isMulticast(frame)) {
      regs.count(MPRC);
    }
  }

  /** Free descriptors at or below RDLEN >> (RDMTS + 1) bytes' worth. */
  private boolean belowMinimumThreshold() {
    int shift = ((regs.get(RCTL) >>> RCTL_RDMTS_SHIFT) & 3) + 1;
    return (long) freeReceiveDescriptors() * DESCRIPTOR_SIZE <= (regs.get(RDLEN) >>> shift);
  }

  // ------------------------------------------------------------------ transmit

  /** The netdev has room again: the refused frame is offered again and the pass continues. */
  public synchronized void resumeTransmit() {
    txStalled = false;
    startTransmit();
  }

  private void startTransmit() {
    if ((regs.get(TCTL) & TCTL_EN) == 0 || !pci.busMaster() || txBusy || txStalled) {
      return;
    }
    txBusy = true;
    int causes;
    try {
      causes = transmitPass();
    } finally {
      txBusy = false;
    }
    raise(causes);
  }

  /** Descriptors from TDH to TDT; TXDW if one had RS, TXQE once the queue is empty. */
  private int transmitPass() {
    int causes = 0;
    if (held != null) {
      if (!host.transmit(held.frame())) {
        txStalled = true;
        return causes;
      }
      countTransmitted(held.frame());
      causes |= completeTransmitDescriptor(held.descriptor(), held.lower(), held.upper());
      held = null;
    }
    if (regs.get(TDH) == regs.get(TDT)) {
      return causes | ICR_TXQE;
    }
    int n = regs.get(TDLEN) / DESCRIPTOR_SIZE;
    if (n == 0 || regs.get(TDH) >= n || regs.get(TDT) >= n) {
      ringErrors++;
      guestBug(GuestBug.TX_RING, String.format("TX ring unusable (TDLEN=%d TDH=%d TDT=%d)",
          regs.get(TDLEN), regs.get(TDH), regs.get(TDT)));
      return causes;
    }
    long ring = ringBase(TDBAL, TDBAH);
    while (regs.get(TDH) != regs.get(TDT)) {
      long address = ring + (long) DESCRIPTOR_SIZE * regs.get(TDH);
      if (!fetchDescriptor(address, "TX descriptor")) {
        return causes; // stop: the guest must fix its ring
      }
      long buffer = le64(descriptor, 0);
      int lower = le32(descriptor, 8);
      int upper = le32(descriptor, 12);
      if (gatherTransmitDescriptor(buffer, lower, upper)) {
        ByteString frame = finishFrame();
        if (frame != null && !sendFrame(frame)) {
          held = new HeldFrame(frame, address, lower, upper);
          txStalled = true;
          return causes;
        }
      }
      causes |= completeTransmitDescriptor(address, lower, upper);
    }
    return causes | ICR_TXQE;
  }

  /** Adds one descriptor's data to the frame being gathered; true at end of packet. */
  private boolean gatherTransmitDescriptor(long buffer, int lower, int upper) {
    int command = lower >>> 24;
    if ((command & TXD_IDE) != 0) {
      mitIde = true;
    }
    boolean extended = (command & TXD_DEXT) != 0;
    if (extended && (lower & TXD_DTYP_DATA) == 0) {
      txDescriptorsSkipped++; // a context descriptor: offload setup, not modelled
      guestBug(GuestBug.TX_OFFLOAD, "TX context descriptor skipped (offloads are not modelled)");
      return false;
    }
    int length;
    if (extended) {
      length = lower & 0xFFFFF;
      if ((command & TXD_TSE) != 0 || ((upper >>> 8) & POPTS_CHECKSUMS) != 0) {
        txFrameUnsupported = true;
      }
    } else {
      length = lower & 0xFFFF; // IFCS and legacy IC are ignored, as in QEMU
    }
    appendFrameData(buffer, length);
    return (command & TXD_EOP) != 0;
  }

  private void appendFrameData(long buffer, int length) {
    int take = Math.min(length, MAX_TX_FRAME - txSize);
    if (take < length) {
      guestBug(GuestBug.TX_FRAME_TOO_LONG, "TX frame longer than 64 KiB truncated");
    }
    if (take <= 0) {
      return;
    }
    if (txData == null || txData.length < txSize + take) {
      // a power of two from 64 up: sized to the frames the guest sends (a ping's fits in 128)
      byte[] bigger = new byte[Math.max(64, Integer.highestOneBit(txSize + take - 1) << 1)];
      if (txSize > 0) {
        System.arraycopy(txData, 0, bigger, 0, txSize);
      }
      txData = bigger;
    }
    try {
      memory.read(buffer, txData, txSize, take);
      txSize += take;
    } catch (GuestMemoryFault fault) {
      dmaFault("TX buffer", fault);
      txFrameFaulted = true;
    }
  }

  /** The gathered frame, or null when it cannot go out (counted as dropped). */
  private ByteString finishFrame() {
    ByteString frame = null;
    if (txFrameUnsupported) {
      guestBug(GuestBug.TX_OFFLOAD, "TX frame asking for checksum/TSO offload dropped");
    } else if (txSize == 0 && !txFrameFaulted) {
      guestBug(GuestBug.TX_EMPTY_FRAME, "TX frame of 0 bytes dropped");
    } else if (!txFrameFaulted) {
      frame = ByteString.fromArray(txData, 0, txSize);
    }
    if (frame == null) {
      txFramesDropped++;
    }
    txSize = 0;
    txFrameFaulted = false;
    txFrameUnsupported = false;
    if (txData != null && txData.length > TX_BUFFER_KEEP) {
      txData = null;
    }
    return frame;
  }

  /** False when the netdev is full. With the link down the frame is lost on the dead wire. */
  private boolean sendFrame(ByteString frame) {
    if ((regs.get(STATUS) & STATUS_LU) == 0) {
      txFramesDropped++;
    } else if (!host.transmit(frame)) {
      return false;
    }
    countTransmitted(frame);
    return true;
  }

  /** RS (or RPS) writes DD back; then TDH moves on. */
  private int completeTransmitDescriptor(long address, int lower, int upper) {
    int causes = 0;
    if (((lower >>> 24) & (TXD_RS | TXD_RPS)) != 0) {
      int status = (upper | TXD_STA_DD) & ~TXD_STA_ERRORS;
      try {
        memory.writeU32(address + 12, status);
      } catch (GuestMemoryFault fault) {
        dmaFault("TX write-back", fault);
      }
      causes = ICR_TXDW;
    }
    int n = regs.get(TDLEN) / DESCRIPTOR_SIZE;
    int next = regs.get(TDH) + 1;
    regs.set(TDH, next >= n ? 0 : next);
    return causes;
  }

  private void countTransmitted(ByteString frame) {
    int size = frame.size();
    if (isBroadcast(frame)) {
      regs.count(BPTC);
    } else if (isMulticast(frame)) {
      regs.count(MPTC);
    }
    regs.countBySize(TRANSMITTED_BY_SIZE, size + 4);
    regs.count(TPT);
    regs.add(TOT, size + 4);
    regs.count(GPTC);
    regs.add(GOTC, size + 4);
  }

  // ------------------------------------------------------------------ statistics

  /** The statistics registers by name, without clearing them; 64-bit pairs under one name. */
  public synchronized Map<String, Long> statistics() {
    Map<String, Long> stats = regs.statistics();
    stats.put("rxDroppedNotReady", rxDroppedNotReady);
    stats.put("txFramesDropped", txFramesDropped);
    stats.put("txDescriptorsSkipped", txDescriptorsSkipped);
    stats.put("dmaFaults", dmaFaults);
    stats.put("ringErrors", ringErrors);
    return stats;
  }

  /** Test hook: sets a register's stored value directly, bypassing its write handler. */
  synchronized void pokeRegister(int offset, int value) {
    regs.poke(offset, value);
  }

  // ------------------------------------------------------------------ DMA and helpers

  private long ringBase(Register low, Register high) {
    return (long) regs.get(high) << 32 | (regs.get(low) & 0xFFFF_FFF0L);
  }

  private boolean fetchDescriptor(long address, String what) {
    try {
      memory.read(address, descriptor, 0, DESCRIPTOR_SIZE);
      return true;
    } catch (GuestMemoryFault fault) {
      dmaFault(what, fault);
      return false;
    }
  }

  private boolean dmaWrite(long address, ByteString data, int from, int length) {
    try {
      memory.write(address, data, from, length);
      return true;
    } catch (GuestMemoryFault fault) {
      dmaFault("RX buffer", fault);
      return false;
    }
  }

  private void dmaFault(String what, GuestMemoryFault fault) {
    dmaFaults++;
    guestBug(GuestBug.DMA_FAULT, what + ": " + fault.getMessage());
  }

  private void guestBug(GuestBug kind, String detail) {
    if (reported.add(kind)) {
      log.warn("e1000 {}: guest bug: {} (further ones of this kind are not logged)", mac, detail);
    }
  }

  private static boolean isBroadcast(ByteString frame) {
    for (int i = 0; i < 6; i++) {
      if (frame.apply(i) != (byte) 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMulticast(ByteString frame) {
    return (frame.apply(0) & 1) != 0;
  }

  private static long le64(byte[] b, int at) {
    return (le32(b, at) & 0xFFFF_FFFFL) | (long) le32(b, at + 4) << 32;
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
  }

  @Override
  public String toString() {
    return "e1000 " + mac;
  }
}
