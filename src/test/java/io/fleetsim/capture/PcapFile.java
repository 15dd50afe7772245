package io.fleetsim.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classic pcap file read back for tests: either byte order, checked strictly (a truncated or
 * trailing record is an error). Usable by any test in the module that inspects a capture.
 */
public record PcapFile(ByteOrder order, int magic, int versionMajor, int versionMinor,
    int thiszone, int sigfigs, int snaplen, int linktype, List<Packet> packets) {

  public record Packet(long seconds, long micros, int caplen, int length, byte[] data) {
    @Override
    public String toString() {
      return "Packet[" + seconds + "." + micros + ", caplen=" + caplen + ", len=" + length + "]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Packet r && seconds == r.seconds && micros == r.micros
          && caplen == r.caplen && length == r.length && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data) * 31 + length;
    }
  }

  public static PcapFile read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  public static PcapFile parse(byte[] bytes) {
    if (bytes.length < 24) {
      throw new IllegalArgumentException("pcap shorter than its header: " + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(0) != 0xA1B2C3D4) {
      in.order(ByteOrder.BIG_ENDIAN);
      if (in.getInt(0) != 0xA1B2C3D4) {
        throw new IllegalArgumentException(String.format("bad magic %08x", in.getInt(0)));
      }
    }
    int magic = in.getInt();
    int major = Short.toUnsignedInt(in.getShort());
    int minor = Short.toUnsignedInt(in.getShort());
    int zone = in.getInt();
    int sigfigs = in.getInt();
    int snaplen = in.getInt();
    int linktype = in.getInt();
    List<Packet> packets = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 16) {
        throw new IllegalArgumentException("truncated record header at " + in.position());
      }
      long seconds = Integer.toUnsignedLong(in.getInt());
      long micros = Integer.toUnsignedLong(in.getInt());
      int caplen = in.getInt();
      int length = in.getInt();
      if (caplen < 0 || caplen > in.remaining()) {
        throw new IllegalArgumentException("record caplen " + caplen + " past the end at "
            + in.position());
      }
      byte[] data = new byte[caplen];
      in.get(data);
      packets.add(new Packet(seconds, micros, caplen, length, data));
    }
    return new PcapFile(in.order(), magic, major, minor, zone, sigfigs, snaplen, linktype,
        List.copyOf(packets));
  }
}
