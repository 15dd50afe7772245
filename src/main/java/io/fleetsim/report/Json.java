package io.fleetsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.VmReport;

/**
 * How fleetsim writes JSON (--stats files, results.json): indented; records, Optionals and
 * Durations as plain JSON; addresses the way people write them; VM reports in their documented
 * shape ({@link VmReportJson}).
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .findAndRegisterModules()
      .registerModule(new SimpleModule()
          .addSerializer(Ipv4Address.class, ToStringSerializer.instance)
          .addSerializer(MacAddress.class, ToStringSerializer.instance)
          .addSerializer(java.time.Duration.class, ToStringSerializer.instance)
          .addSerializer(VmReport.class, new VmReportJson()));

  private Json() {}
}
