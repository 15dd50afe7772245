package io.fleetsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.fleetsim.guest.Ipv4Address;
import io.fleetsim.qemu.MacAddress;
import java.io.File;
import java.io.IOException;

/** --stats files: indented JSON, addresses written the way people write them. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .findAndRegisterModules()
      .registerModule(new SimpleModule()
          .addSerializer(Ipv4Address.class, ToStringSerializer.instance)
          .addSerializer(MacAddress.class, ToStringSerializer.instance)
          .addSerializer(java.time.Duration.class, ToStringSerializer.instance));

  private Json() {}

  /** Writes {@code value}; a failure is reported on stderr, never thrown at the user. */
  static void write(File file, Object value) {
    try {
      MAPPER.writeValue(file, value);
    } catch (IOException e) {
      System.err.println("fleetsim: --stats " + file + ": " + e.getMessage());
    }
  }
}
