package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fleetsim.fault.LossFault;
import io.fleetsim.guest.workload.PingWorkload;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import io.fleetsim.testing.ExampleApps;
import org.junit.jupiter.api.Test;

/** Every experiment in examples/ is valid (RunCliTest runs quickstart; bench/fleet the big ones). */
class ExamplesTest {
  @Test
  void everyExampleValidates() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertEquals(List.of("datacentre.conf", "fleet-1000.conf", "gossip.conf", "leaf-spine.conf", "lossy-wan.conf",
        "partition.conf", "qemu-join.conf", "quickstart.conf", "tcp-under-loss.conf", "two-sites.conf"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : files) {
      try {
        // gossip.conf's app is examples/apps, compiled and on the classpath as README says
        Experiment e = ExampleApps.onClasspath(() -> ExperimentLoader.load(file));
        assertTrue(e.vmCount() > 0, file + " has VMs");
      } catch (ExperimentException ex) {
        throw new AssertionError(file + ": " + ex.getMessage());
      }
    }
  }

  /** Without the app on the classpath, the file is refused at the workload's line, saying how. */
  @Test
  void gossipWithoutItsAppOnTheClasspathSaysWhereToPutIt() {
    ExperimentException e = org.junit.jupiter.api.Assertions.assertThrows(ExperimentException.class,
        () -> ExperimentLoader.load(Path.of("examples/gossip.conf")));
    assertEquals(List.of("gossip.conf:21: vms.node.workloads[0]: app: class com.example.Gossip is not on"
        + " the classpath (add its directory or jar to FLEETSIM_CLASSPATH; see README, Writing a workload)"
        + " (usage: app CLASS [key=value ...])"), e.errors().stream().map(ValidationError::toString).toList());
  }

  /** What the app refuses is an error of its workload's line, in the app's words. */
  @Test
  void gossipsBadArgumentIsAnErrorAtItsLine() throws Exception {
    String bad = Files.readString(Path.of("examples/gossip.conf")).replace("fanout=2", "fanout=lots");
    ExperimentException e = org.junit.jupiter.api.Assertions.assertThrows(ExperimentException.class,
        () -> ExampleApps.onClasspath(() -> ExperimentLoader.parse(bad, "gossip.conf")));
    assertEquals(List.of("gossip.conf:21: vms.node.workloads[0]: app: com.example.Gossip rejected its arguments:"
        + " fanout=lots is not a whole number 1-100 (given: peers=10.0.0.1-10.0.0.16 fanout=lots interval=100ms"
        + " rounds=4 duration=5s) (usage: app CLASS [key=value ...])"),
        e.errors().stream().map(ValidationError::toString).toList());
  }

  /** Its comments (and README): each VM pings its neighbour; 1% loss on half of them for 20 s. */
  @Test
  void fleet1000PingsNeighboursWithLossOnHalf() throws Exception {
    Experiment e = ExperimentLoader.load(Path.of("examples/fleet-1000.conf"));
    assertEquals(1000, e.vmCount());
    Set<String> targets = new HashSet<>();
    for (Experiment.Fleet fleet : e.fleets().values()) {
      fleet.vms().forEach(vm -> assertEquals(new Experiment.ToNetwork("dc"),
          vm.nics().get(0).attachment()));
      List<Experiment.Vm> vms = fleet.vms();
      for (int i = 0; i < vms.size(); i++) {
        Experiment.Vm vm = vms.get(i);
        Experiment.Vm next = vms.get((i + 1) % vms.size());
        assertEquals(List.of(new PingWorkload(next.nics().get(0).ip().get().address(), OptionalLong.of(55),
            Duration.ofSeconds(1), PingWorkload.DEFAULT_SIZE)), vm.workloads(), vm.name());
        targets.add(next.nics().get(0).ip().get().address().toString());
      }
    }
    assertEquals(1000, targets.size(), "every VM is pinged by one other");
    // the address ranges its comments give
    assertEquals("10.1.1.244", e.fleets().get("steady").vms().get(499).nics().get(0).ip().get().address().toString());
    assertEquals("10.1.1.245", e.fleets().get("lossy").vms().get(0).nics().get(0).ip().get().address().toString());
    assertEquals("10.1.3.232", e.fleets().get("lossy").vms().get(499).nics().get(0).ip().get().address().toString());
    assertEquals(1, e.faults().size());
    Experiment.Fault loss = e.faults().get(0);
    assertEquals(LossFault.random(0.01), loss.fault());
    assertEquals(Duration.ofSeconds(20), loss.at());
    assertEquals(Optional.of(Duration.ofSeconds(20)), loss.duration());
    assertEquals(500, e.fleets().get(loss.target().get()).vms().size(), "half of the VMs");
  }

  /** Its comments (and README): 20,000 VMs in virtual time; latency, loss, a crash, as described. */
  @Test
  void datacentreIsTwentyThousandVmsInVirtualTime() throws Exception {
    Experiment e = ExperimentLoader.load(Path.of("examples/datacentre.conf"));
    assertEquals(20_000, e.vmCount());
    assertEquals(ClockMode.VIRTUAL, e.clock());
    assertEquals(List.of(), e.qemuPorts());
    assertEquals(5000, e.fleets().get("slow").vms().size(), "a quarter");
    assertEquals("10.1.39.16", e.fleets().get("web").vms().get(9999).nics().get(0).ip().get().address().toString());
    assertEquals(List.of("latency", "loss", "crash"), e.faults().stream().map(Experiment.Fault::kind).toList());
    assertEquals(List.of(Optional.of("slow"), Optional.of("lossy"), Optional.of("canary")),
        e.faults().stream().map(Experiment.Fault::target).toList());
  }
}
