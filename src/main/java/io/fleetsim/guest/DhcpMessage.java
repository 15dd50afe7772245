package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A DHCP message (RFC 2131 layout, RFC 2132 options) for Ethernet clients. Options are kept as
 * raw bytes by code in the order met; a code seen twice is concatenated (RFC 3396), and with
 * option 52 (overload) the {@code file} then {@code sname} fields hold options too.
 * {@link #checkOptions} applies RFC 2132's length rules to the options a client reads.
 *
 * <p>Public for the guest's DHCP server workload (guest.workload), which reads requests with
 * {@link #decode} and writes replies with {@link #encode}; the stack's client uses the rest.
 */
public record DhcpMessage(int op, int xid, int secs, int flags, int clientAddress, int yourAddress,
    int serverAddress, long clientMac, Map<Integer, byte[]> options) {
  public static final int SERVER_PORT = 67;
  public static final int CLIENT_PORT = 68;
  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;
  public static final int FLAG_BROADCAST = 0x8000;
  static final int MAGIC_COOKIE = 0x6382_5363;
  static final int FIXED = 236;
  /** RFC 1542: relay agents may drop BOOTP messages shorter than 300 bytes. */
  static final int MIN_LENGTH = 300;

  public static final int DISCOVER = 1;
  public static final int OFFER = 2;
  public static final int REQUEST = 3;
  public static final int DECLINE = 4;
  public static final int ACK = 5;
  public static final int NAK = 6;
  public static final int RELEASE = 7;

  static final int OPT_PAD = 0;
  public static final int OPT_SUBNET_MASK = 1;
  public static final int OPT_ROUTER = 3;
  public static final int OPT_DNS = 6;
  public static final int OPT_REQUESTED_ADDRESS = 50;
  public static final int OPT_LEASE_TIME = 51;
  static final int OPT_OVERLOAD = 52;
  public static final int OPT_MESSAGE_TYPE = 53;
  public static final int OPT_SERVER_ID = 54;
  public static final int OPT_PARAMETER_LIST = 55;
  public static final int OPT_MESSAGE = 56;
  public static final int OPT_RENEWAL_TIME = 58;
  public static final int OPT_REBINDING_TIME = 59;
  public static final int OPT_CLIENT_ID = 61;
  static final int OPT_END = 255;

  private static final int SNAME = 44;
  private static final int SNAME_LENGTH = 64;
  private static final int FILE = 108;
  private static final int FILE_LENGTH = 128;

  public DhcpMessage {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * A whole UDP payload as a DHCP message; a malformed one (cut, not Ethernet, no cookie, an
   * option running past its field) is an {@link IllegalArgumentException} saying why.
   */
  public static DhcpMessage decode(byte[] payload) {
    try {
      return parse(payload, 0, payload.length);
    } catch (Malformed e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  static DhcpMessage parse(byte[] b, int off, int len) throws Malformed {
    if (len < FIXED + 4) {
      throw new Malformed(StackCounter.RX_DROP_TRUNCATED, "DHCP message cut at " + len);
    }
    if (Bytes.u8(b, off + 1) != 1 || Bytes.u8(b, off + 2) != 6) {
      throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "DHCP hardware type not Ethernet");
    }
    if (Bytes.i32(b, off + FIXED) != MAGIC_COOKIE) {
      throw new Malformed(StackCounter.RX_DROP_BAD_HEADER, "BOOTP without the DHCP cookie");
    }
    Map<Integer, byte[]> options = new LinkedHashMap<>();
    readOptions(b, off + FIXED + 4, off + len, "options", options);
    byte[] overload = options.get(OPT_OVERLOAD);
    if (overload != null) {
      if (overload.length != 1 || overload[0] < 1 || overload[0] > 3) {
        throw new Malformed(StackCounter.RX_DROP_DHCP_BAD_OPTION,
            "DHCP option 52 (overload) must be 1 byte 1-3");
      }
      // RFC 3396 section 7: the options field, then file, then sname
      if ((overload[0] & 1) != 0) {
        readOptions(b, off + FILE, off + FILE + FILE_LENGTH, "file field", options);
      }
      if ((overload[0] & 2) != 0) {
        readOptions(b, off + SNAME, off + SNAME + SNAME_LENGTH, "sname field", options);
      }
    }
    return new DhcpMessage(Bytes.u8(b, off), Bytes.i32(b, off + 4), Bytes.u16(b, off + 8),
        Bytes.u16(b, off + 10), Bytes.i32(b, off + 12), Bytes.i32(b, off + 16),
        Bytes.i32(b, off + 20), Bytes.u48(b, off + 28), options);
  }

  /** The options in {@code b[i, end)} up to END, added to {@code options}. */
  private static void readOptions(byte[] b, int i, int end, String where,
      Map<Integer, byte[]> options) throws Malformed {
    while (i < end) {
      int code = Bytes.u8(b, i);
      if (code == OPT_END) {
        return;
      }
      if (code == OPT_PAD) {
        i++;
        continue;
      }
      if (i + 1 >= end || i + 2 + Bytes.u8(b, i + 1) > end) {
        throw new Malformed(StackCounter.RX_DROP_DHCP_BAD_OPTION,
            "DHCP option " + code + " cut at the end of the " + where);
      }
      int optionLength = Bytes.u8(b, i + 1);
      byte[] value = new byte[optionLength];
      System.arraycopy(b, i + 2, value, 0, optionLength);
      options.merge(code, value, DhcpMessage::concat);
      i += 2 + optionLength;
    }
  }

  /**
   * RFC 2132's rules for the options the client reads: a message breaking one is refused whole,
   * never read as if the option were absent (a 3-byte mask is not "no mask").
   */
  void checkOptions() throws Malformed {
    exactly(OPT_MESSAGE_TYPE, "message type", 1);
    exactly(OPT_SUBNET_MASK, "subnet mask", 4);
    addressList(OPT_ROUTER, "router");
    addressList(OPT_DNS, "domain name server");
    exactly(OPT_LEASE_TIME, "lease time", 4);
    exactly(OPT_SERVER_ID, "server identifier", 4);
    exactly(OPT_RENEWAL_TIME, "renewal (T1) time", 4);
    exactly(OPT_REBINDING_TIME, "rebinding (T2) time", 4);
    byte[] text = options.get(OPT_MESSAGE);
    if (text != null && text.length == 0) {
      throw badOption(OPT_MESSAGE, "message", "at least 1 byte", 0);
    }
  }

  private void exactly(int code, String name, int length) throws Malformed {
    byte[] v = options.get(code);
    if (v != null && v.length != length) {
      throw badOption(code, name, length + (length == 1 ? " byte" : " bytes"), v.length);
    }
  }

  private void addressList(int code, String name) throws Malformed {
    byte[] v = options.get(code);
    if (v != null && (v.length == 0 || v.length % 4 != 0)) {
      throw badOption(code, name, "a multiple of 4 bytes", v.length);
    }
  }

  private static Malformed badOption(int code, String name, String rule, int length) {
    return new Malformed(StackCounter.RX_DROP_DHCP_BAD_OPTION,
        "option " + code + " (" + name + ") of " + length + " bytes, must be " + rule);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Option 53, or 0 when absent or malformed (see {@link #checkOptions}). */
  public int messageType() {
    byte[] v = options.get(OPT_MESSAGE_TYPE);
    return v != null && v.length == 1 ? v[0] & 0xFF : 0;
  }

  /** The first address of an address option (exactly a multiple of 4 bytes), if any. */
  public Optional<Ipv4Address> address(int code) {
    List<Ipv4Address> all = addresses(code);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  public List<Ipv4Address> addresses(int code) {
    byte[] v = options.get(code);
    List<Ipv4Address> out = new ArrayList<>();
    if (v != null && v.length > 0 && v.length % 4 == 0) {
      for (int i = 0; i < v.length; i += 4) {
        out.add(new Ipv4Address(Bytes.i32(v, i)));
      }
    }
    return out;
  }

  /** A 32-bit unsigned option (times in seconds), if present with exactly 4 bytes. */
  public OptionalLong unsigned32(int code) {
    byte[] v = options.get(code);
    return v != null && v.length == 4 ? OptionalLong.of(Bytes.i32(v, 0) & 0xFFFF_FFFFL)
        : OptionalLong.empty();
  }

  /** The BOOTP message (UDP payload), options in map order, END, padded to 300 bytes. */
  public byte[] encode() {
    ByteArrayOutputStream opts = new ByteArrayOutputStream();
    for (Map.Entry<Integer, byte[]> e : options.entrySet()) {
      byte[] v = e.getValue();
      if (v.length > 255) {
        throw new IllegalArgumentException("DHCP option " + e.getKey() + " longer than 255");
      }
      opts.write(e.getKey());
      opts.write(v.length);
      opts.write(v, 0, v.length);
    }
    opts.write(OPT_END);
    byte[] o = opts.toByteArray();
    byte[] b = new byte[Math.max(MIN_LENGTH, FIXED + 4 + o.length)];
    b[0] = (byte) op;
    b[1] = 1;
    b[2] = 6;
    Bytes.put32(b, 4, xid);
    Bytes.put16(b, 8, secs);
    Bytes.put16(b, 10, flags);
    Bytes.put32(b, 12, clientAddress);
    Bytes.put32(b, 16, yourAddress);
    Bytes.put32(b, 20, serverAddress);
    Bytes.put48(b, 28, clientMac);
    Bytes.put32(b, FIXED, MAGIC_COOKIE);
    System.arraycopy(o, 0, b, FIXED + 4, o.length);
    return b;
  }

  public static byte[] u8(int v) {
    return new byte[] {(byte) v};
  }

  public static byte[] ipv4(Ipv4Address a) {
    byte[] v = new byte[4];
    Bytes.put32(v, 0, a.bits());
    return v;
  }
}
