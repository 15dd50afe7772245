package io.fleetsim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** What each fault does when it goes on, as the run's {@link FaultSite} sees it. */
class FaultApplyTest {

  /** Writes down every call, with the links' faults as they were handed over. */
  private static final class Recording implements FaultSite {
    final List<String> calls = new ArrayList<>();
    final List<Fault.LinkFault> placed = new ArrayList<>();
    private final Map<String, List<String>> vms = Map.of("web", List.of("web-1", "web-2"),
        "web-1", List.of("web-1"), "web-2", List.of("web-2"), "db", List.of("db"));

    @Override
    public void onTargetLinks(Fault.LinkFault fault) {
      calls.add("onTargetLinks " + fault.kind());
      placed.add(fault);
    }

    @Override
    public void onLinksOf(String vm, Fault.LinkFault fault, Direction direction) {
      calls.add("onLinksOf " + vm + " " + fault.kind() + " " + direction);
      placed.add(fault);
    }

    @Override
    public String target() {
      return "web";
    }

    @Override
    public List<String> vmsOf(String name) {
      return vms.get(name);
    }

    @Override
    public Set<MacAddress> macsOf(String vm) {
      return Set.of(mac(vm));
    }

    @Override
    public void carrierOff() {
      calls.add("carrierOff");
    }

    @Override
    public void crash() {
      calls.add("crash");
    }

    @Override
    public void restart() {
      calls.add("restart");
    }

    @Override
    public void pause() {
      calls.add("pause");
    }

    @Override
    public void resume() {
      calls.add("resume");
    }

    @Override
    public void disconnect() {
      calls.add("disconnect");
    }
  }

  private static MacAddress mac(String vm) {
    return new MacAddress(0x525400000000L + 256L * vm.length() + vm.charAt(vm.length() - 1));
  }

  private static Recording apply(Fault fault) {
    Recording site = new Recording();
    fault.apply(site);
    return site;
  }

  @Test
  void aFrameFaultGoesOnTheTargetsLinksItself() {
    LatencyFault latency = LatencyFault.of(Duration.ofMillis(5));
    Recording site = apply(latency);
    assertEquals(List.of("onTargetLinks latency"), site.calls);
    assertEquals(List.of(latency), site.placed);
    assertTrue(latency.onFrames());
  }

  @Test
  void linkDownTurnsTheCarrierOffAndKillsTheWireBothWays() {
    Recording site = apply(new LinkDownFault());
    assertEquals(List.of("carrierOff", "onTargetLinks dead-wire"), site.calls);
    List<String> drops = new ArrayList<>();
    List<ByteString> passed = new ArrayList<>();
    site.placed.get(0).stage(FaultContext.seeded(1)).onFrame(ByteString.fromString("frame"), 0,
        new FaultStage.Emit() {
          @Override
          public void frame(ByteString frame, long atNanos) {
            passed.add(frame);
          }

          @Override
          public void drop(String cause) {
            drops.add(cause);
          }
        });
    assertEquals(List.of("link-down"), drops);
    assertEquals(List.of(), passed);
    assertFalse(FaultRegistry.ALL.names().contains(site.placed.get(0).kind()),
        "the dead wire is no kind of its own");
  }

  @Test
  void theControlKindsActOnTheirTargetAndSayWhetherTheyLast() {
    Map<Fault, String> calls = Map.of(new CrashFault(), "crash", new RestartFault(), "restart",
        new PauseFault(), "pause", new ResumeFault(), "resume",
        new DisconnectFault(), "disconnect");
    calls.forEach((fault, call) -> assertEquals(List.of(call), apply(fault).calls, fault.kind()));
    assertEquals(Optional.of(VmPower.CRASH), new CrashFault().power());
    assertEquals(Optional.of(VmPower.RESTART), new RestartFault().power());
    assertEquals(Optional.of(VmPower.PAUSE), new PauseFault().power());
    assertEquals(Optional.of(VmPower.RESUME), new ResumeFault().power());
    assertEquals(Optional.empty(), new DisconnectFault().power());
    assertEquals(Optional.empty(), new LinkDownFault().power());
    assertTrue(new RestartFault().instant() && new ResumeFault().instant()
        && new DisconnectFault().instant());
    assertFalse(new CrashFault().instant() || new PauseFault().instant()
        || new LinkDownFault().instant());
  }

  /** Each VM of a group stops hearing the other groups' MACs, on the frames it receives. */
  @Test
  void aPartitionCutsEachVmOffFromTheOtherGroups() {
    PartitionFault.Groups groups = new PartitionFault.Groups(List.of(List.of("web"),
        List.of("db")));
    Recording site = apply(groups);
    assertEquals(List.of("onLinksOf web-1 partition IN", "onLinksOf web-2 partition IN",
        "onLinksOf db partition IN"), site.calls);
    assertEquals(Set.of(mac("db")), ((PartitionFault) site.placed.get(0)).blockedSources());
    assertEquals(Set.of(mac("db")), ((PartitionFault) site.placed.get(1)).blockedSources());
    assertEquals(new LinkedHashSet<>(List.of(mac("web-1"), mac("web-2"))),
        ((PartitionFault) site.placed.get(2)).blockedSources());
    assertTrue(groups.onFrames());
  }

  @Test
  void everyListedKindIsNamedByTheFaultsItBuilds() {
    assertEquals(List.of("latency", "loss", "duplicate", "reorder", "corrupt", "rate", "partition",
        "link-down", "disconnect", "crash", "restart", "pause", "resume"),
        FaultRegistry.ALL.names());
    for (Fault f : List.of(LatencyFault.of(Duration.ZERO), LossFault.random(0.1),
        new DuplicateFault(0.1), new ReorderFault(0.1, Duration.ofMillis(1)),
        new CorruptFault(0.1, 1), new RateLimitFault(1000, 100, 100),
        new PartitionFault.Groups(List.of(List.of("a"), List.of("b"))), new LinkDownFault(),
        new DisconnectFault(), new CrashFault(), new RestartFault(), new PauseFault(),
        new ResumeFault())) {
      assertTrue(FaultRegistry.ALL.kind(f.kind()).isPresent(), f.kind());
    }
  }
}
