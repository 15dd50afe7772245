package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code clock}: virtual unless something outside the process takes part; refused where it cannot be. */
class ClockValidationTest {
  private static final String INSIDE = "name = a\nduration = 10s\nnetworks { lan { type = switch } }\n"
      + "vms { web { count = 2, network = lan, ip = \"10.0.0.1/24\" } }\n";
  private static final String WITH_PORT = "name = a\nduration = 10s\n"
      + "networks { lan { type = switch, ports = [\"socket,id=up,listen=127.0.0.1:20001\"] } }\n"
      + "vms { web { count = 2, network = lan, ip = \"10.0.0.1/24\" } }\n";

  private static List<String> errors(String text) {
    return assertThrows(ExperimentException.class, () -> ExperimentLoader.parse(text, "t.conf"))
        .errors().stream().map(ValidationError::toString).toList();
  }

  @Test
  void anExperimentAllInsideRunsInVirtualTimeByDefault() throws Exception {
    assertEquals(ClockMode.VIRTUAL, ExperimentLoader.parse(INSIDE, "t.conf").clock());
    assertEquals(ClockMode.REAL, ExperimentLoader.parse(INSIDE + "clock = real\n", "t.conf").clock());
  }

  @Test
  void qemuPortsMeanRealTimeByDefault() throws Exception {
    assertEquals(ClockMode.REAL, ExperimentLoader.parse(WITH_PORT, "t.conf").clock());
    String ownNetdev = "name = a\nduration = 10s\n"
        + "vms { q { netdev = \"socket,id=n1,connect=127.0.0.1:20001\", ip = \"10.0.0.1/24\" } }\n";
    assertEquals(ClockMode.REAL, ExperimentLoader.parse(ownNetdev, "t.conf").clock());
    String bus = "name = a\nduration = 10s\n"
        + "vms { m { count = 2, netdev = \"socket,id=n1,mcast=230.0.0.1:1234\", ip = \"10.0.0.1/24\" } }\n";
    assertEquals(ClockMode.VIRTUAL, ExperimentLoader.parse(bus, "t.conf").clock(),
        "a multicast fleet not bridged to the real group is an in-process bus");
  }

  @Test
  void virtualTimeWithQemuPortsIsRefusedNamingThem() {
    assertEquals(List.of("t.conf:5: clock: virtual time needs the whole experiment inside fleetsim, "
        + "but networks.lan.ports up (socket,id=up,listen=127.0.0.1:20001) reaches outside it "
        + "(QEMU keeps the host's time); use clock = real"), errors(WITH_PORT + "clock = virtual\n"));
  }

  @Test
  void aClockThatIsNeitherIsNamed() {
    assertEquals(List.of("t.conf:5: clock: expected virtual or real, not 'simulated'"),
        errors(INSIDE + "clock = simulated\n"));
  }
}
