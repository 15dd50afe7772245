package io.fleetsim.guest.driver;

/**
 * The driver's own view of the 82540EM (docs/e1000.md): register offsets and bits, kept apart
 * from the device model on purpose, so the end-to-end tests check one against the other.
 */
final class E1000Hw {
  private E1000Hw() {}

  // PCI configuration space
  static final int PCI_ID = 0x00;
  static final int PCI_COMMAND = 0x04;
  static final int PCI_ID_82540EM = 0x100E << 16 | 0x8086;
  static final int PCI_COMMAND_MEMORY = 1 << 1;
  static final int PCI_COMMAND_MASTER = 1 << 2;

  // registers (BAR0 offsets)
  static final int CTRL = 0x0000;
  static final int STATUS = 0x0008;
  static final int EECD = 0x0010;
  static final int MDIC = 0x0020;
  static final int ICR = 0x00C0;
  static final int ITR = 0x00C4;
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
  static final int MTA = 0x5200;
  static final int MTA_ENTRIES = 128;
  static final int RAL = 0x5400; // RAL[n] = RAL + 8n, RAH[n] = RAL + 8n + 4
  static final int RA_ENTRIES = 16;

  static final int CTRL_SLU = 1 << 6;
  static final int CTRL_RST = 1 << 26;
  static final int STATUS_FD = 1;
  static final int STATUS_LU = 1 << 1;
  static final int STATUS_SPEED_SHIFT = 6;

  static final int EECD_SK = 1;
  static final int EECD_CS = 1 << 1;
  static final int EECD_DI = 1 << 2;
  static final int EECD_DO = 1 << 3;
  static final int EECD_REQ = 1 << 6;
  static final int EECD_GNT = 1 << 7;
  static final int EEPROM_READ_OPCODE = 0b110; // Microwire: start bit + READ
  static final int EEPROM_OPCODE_BITS = 3;
  static final int EEPROM_ADDRESS_BITS = 6; // 64 words on the 82540
  static final int EEPROM_WORDS = 64;
  static final int EEPROM_SUM = 0xBABA;

  static final int MDIC_REG_SHIFT = 16;
  static final int MDIC_PHY_SHIFT = 21;
  static final int MDIC_OP_READ = 1 << 27;
  static final int MDIC_READY = 1 << 28;
  static final int MDIC_ERROR = 1 << 30;
  static final int PHY_ADDRESS = 1;
  static final int PHY_ID1 = 0x02;
  static final int PHY_ID2 = 0x03;
  static final int M88E1011_PHY_ID = 0x01410C20;
  static final int PHY_REVISION_MASK = 0xF;

  static final int ICR_TXDW = 1;
  static final int ICR_TXQE = 1 << 1;
  static final int ICR_LSC = 1 << 2;
  static final int ICR_RXDMT0 = 1 << 4;
  static final int ICR_RXO = 1 << 6;
  static final int ICR_RXT0 = 1 << 7;

  static final int RCTL_EN = 1 << 1;
  static final int RCTL_BAM = 1 << 15;
  static final int RCTL_BSIZE_2048 = 0;
  static final int RCTL_SECRC = 1 << 26;
  static final int TCTL_EN = 1 << 1;
  static final int TCTL_PSP = 1 << 3;
  static final int TCTL_CT_SHIFT = 4;
  static final int TCTL_COLD_SHIFT = 12;
  static final int TIPG_COPPER = 8 | 8 << 10 | 6 << 20; // IPGT, IPGR1, IPGR2
  static final int RAH_AV = 1 << 31;

  // descriptors
  static final int DESCRIPTOR_SIZE = 16;
  static final int RX_BUFFER_SIZE = 2048;
  static final int RXD_LENGTH = 8;
  static final int RXD_STATUS = 12;
  static final int RXD_ERRORS = 13;
  static final int RXD_DD = 1;
  static final int RXD_EOP = 1 << 1;
  static final int TXD_LOWER = 8;
  static final int TXD_UPPER = 12;
  static final int TXD_CMD_EOP = 1;
  static final int TXD_CMD_IFCS = 1 << 1;
  static final int TXD_CMD_RS = 1 << 3;
  static final int TXD_STA_DD = 1;
}
