package io.fleetsim.nic.e1000;

import io.fleetsim.addr.MacAddress;

/**
 * The 82540EM's 64-word Microwire EEPROM: the MAC in words 0-2, PCI IDs in words 0x0B-0x0E and
 * word 0x3F chosen so that all 64 words sum to 0xBABA. Readable two ways: the EERD register
 * (completes at once) and the EECD bit-bang lines, which is how Linux reads it on the 82540.
 *
 * <p>Microwire as the guest drives it through EECD: chip select high, then on each rising SK edge
 * one bit from DI: a start bit and a 2-bit opcode (110b = READ), then 6 address bits. A dummy 0
 * follows on DO, then each falling edge moves DO to the next data bit, MSB first, running on into
 * the following words. Dropping CS ends the command.
 */
final class Eeprom {
  static final int WORDS = 64;
  static final int CHECKSUM_WORD = 0x3F;
  static final int CHECKSUM_SUM = 0xBABA;

  // EECD bits
  static final int SK = 1;
  static final int CS = 1 << 1;
  static final int DI = 1 << 2;
  static final int DO = 1 << 3;
  static final int FWE = 3 << 4;
  static final int REQ = 1 << 6;
  static final int GNT = 1 << 7;
  static final int PRES = 1 << 8;

  // EERD fields
  static final int EERD_START = 1;
  static final int EERD_DONE = 1 << 4;

  private static final int READ_OPCODE = 0b110; // start bit + READ
  private static final int ADDRESS_BITS = 6;

  private final char[] words = new char[WORDS];

  /** The lines the guest last drove; DO is computed, PRES and GNT are always set (as in QEMU). */
  private int lines;
  private int shiftIn;
  private int bitsIn;
  private boolean reading;
  private int address;
  /** Output bit position from the MSB of the addressed word; -1 is the dummy zero. */
  private int bitOut;

  Eeprom(MacAddress mac, int deviceId, int vendorId) {
    byte[] m = mac.toBytes();
    for (int i = 0; i < 3; i++) {
      words[i] = (char) ((m[2 * i] & 0xFF) | (m[2 * i + 1] & 0xFF) << 8);
    }
    words[0x0B] = (char) deviceId; // subsystem ID
    words[0x0C] = (char) vendorId; // subsystem vendor ID
    words[0x0D] = (char) deviceId;
    words[0x0E] = (char) vendorId;
    int sum = 0;
    for (int i = 0; i < CHECKSUM_WORD; i++) {
      sum += words[i];
    }
    words[CHECKSUM_WORD] = (char) (CHECKSUM_SUM - sum);
  }

  int word(int index) {
    return words[index & (WORDS - 1)];
  }

  /** Device reset: the protocol state goes, the contents stay. */
  void resetProtocol() {
    lines = 0;
    shiftIn = 0;
    bitsIn = 0;
    reading = false;
    bitOut = 0;
  }

  int readEecd() {
    return PRES | GNT | lines | (dataOut() ? DO : 0);
  }

  void writeEecd(int value) {
    int old = lines;
    lines = value & (SK | CS | DI | FWE | REQ);
    if ((value & CS) == 0) {
      return; // deselected: clocks are ignored
    }
    if ((old & CS) == 0) {
      startCommand();
    }
    boolean rising = (value & SK) != 0 && (old & SK) == 0;
    boolean falling = (value & SK) == 0 && (old & SK) != 0;
    if (falling && reading) {
      bitOut++;
    } else if (rising) {
      clockIn((value & DI) != 0);
    }
  }

  /** EERD as read: a started read completes at once with the word in bits 31:16. */
  int readEerd(int stored) {
    if ((stored & EERD_START) == 0) {
      return stored;
    }
    int addr = (stored >>> 8) & 0xFF;
    int data = addr < WORDS ? words[addr] : 0;
    return data << 16 | (stored & 0xFF00) | EERD_DONE;
  }

  private void startCommand() {
    shiftIn = 0;
    bitsIn = 0;
    reading = false;
    bitOut = 0;
  }

  private void clockIn(boolean bit) {
    shiftIn = (shiftIn << 1) | (bit ? 1 : 0);
    bitsIn++;
    if (!reading && bitsIn == 3 + ADDRESS_BITS) {
      int opcode = (shiftIn >>> ADDRESS_BITS) & 0b111;
      address = shiftIn & (WORDS - 1);
      reading = opcode == READ_OPCODE;
      bitOut = -1;
    }
  }

  private boolean dataOut() {
    if (!reading) {
      return true; // an idle Microwire DO floats high
    }
    if (bitOut < 0) {
      return false; // the dummy zero before the data
    }
    int word = words[(address + bitOut / 16) & (WORDS - 1)];
    return ((word >>> (15 - bitOut % 16)) & 1) != 0;
  }
}
