package io.fleetsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultKey;
import io.fleetsim.fault.FaultKind;
import io.fleetsim.fault.FaultRegistry;
import io.fleetsim.fault.FaultStage;
import io.fleetsim.fault.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reader knows fault kinds only through the registry's descriptions: the kinds it accepts,
 * each kind's keys, defaults and targets. A kind that exists only in this test is read like the
 * others once it is in the list.
 */
class FaultKindsTest {
  private static final String HEAD = "name = a\nduration = 60s\n"
      + "networks { lan { type = switch, ports = [\"socket,id=e1,listen=127.0.0.1:20001\"] },"
      + " far { type = switch } }, links { wan { between = [lan, far] } }\n"
      + "vms {\n  web { count = 2, network = lan, ip = \"10.0.0.2/24\" }\n}\n";
  /** The names of each sort an experiment can target, in HEAD. */
  private static final Map<Target, String> NAMED = Map.of(Target.VM, "web", Target.NETWORK, "lan",
      Target.PORT, "e1", Target.LINK, "wan");

  /** A frame fault only this test knows: drops every frame after the first {@code after}. */
  record Blackhole(int after, String cause) implements io.fleetsim.fault.Fault.LinkFault {
    @Override
    public String kind() {
      return "blackhole";
    }

    @Override
    public FaultStage stage(io.fleetsim.fault.FaultContext ctx) {
      return (frame, at, out) -> out.drop(cause);
    }
  }

  private static final FaultKind BLACKHOLE = new FaultKind("blackhole",
      "every frame after the first few is dropped",
      List.of(FaultKey.required("after", FaultKey.Type.COUNT, "frames that still pass"),
          FaultKey.optional("cause", FaultKey.Type.CHOICE, "blackhole", "the drop cause booked")),
      Set.of(Target.NETWORK), true,
      p -> p.getInt("after").flatMap(n -> p.getString("cause").map(c -> new Blackhole(n, c))));

  private static String faults(String... elements) {
    return HEAD + "faults = [\n" + String.join("\n", elements) + "\n]\n";
  }

  private static List<ValidationError> errors(String text, FaultRegistry kinds) {
    return assertThrows(ExperimentException.class,
        () -> ExperimentLoader.parse(text, "t.conf", kinds)).errors();
  }

  @Test
  void aKindInTheListIsReadWithItsDefaultsAndDirection() throws Exception {
    Experiment e = ExperimentLoader.parse(faults(
        "{ at = 1s, kind = blackhole, target = lan, after = 3, direction = in }"), "t.conf",
        FaultRegistry.ALL.with(BLACKHOLE));
    Experiment.Fault f = e.faults().get(0);
    assertEquals("blackhole", f.kind());
    assertEquals(new Blackhole(3, "blackhole"), f.fault());
    assertEquals(Direction.IN, f.direction());
  }

  @Test
  void aKindInTheListIsValidatedByWhatItDeclares() {
    List<ValidationError> errors = errors(faults(
        "{ at = 1s, kind = blackhole, target = web, after = 3 }",
        "{ at = 1s, kind = blackhole, target = lan }",
        "{ at = 1s, kind = blackhole, target = lan, after = 3, afer = 4 }"),
        FaultRegistry.ALL.with(BLACKHOLE));
    assertEquals(List.of(
        "t.conf:8: faults[0].target: 'web' is a vm or fleet; blackhole needs a network",
        "t.conf:9: faults[1].after: missing required key",
        "t.conf:10: faults[2].afer: unknown key 'afer' (did you mean 'after'?)"),
        errors.stream().map(ValidationError::toString).collect(Collectors.toList()));
  }

  @Test
  void theUnknownKindMessageListsTheRegistry() {
    String text = faults("{ at = 1s, kind = nosuch, target = lan }");
    String all = String.join(", ", FaultRegistry.ALL.names());
    assertEquals("unknown fault kind 'nosuch' (expected one of: " + all + ")",
        errors(text, FaultRegistry.ALL).get(0).message());
    assertEquals("unknown fault kind 'nosuch' (expected one of: " + all + ", blackhole)",
        errors(text, FaultRegistry.ALL.with(BLACKHOLE)).get(0).message());
    assertEquals("unknown fault kind 'blackhole' (expected one of: " + all + ")",
        errors(faults("{ at = 1s, kind = blackhole, target = lan, after = 1 }"), FaultRegistry.ALL)
            .get(0).message());
  }

  /** A key no kind has lists, for each kind, exactly the keys its description allows. */
  @Test
  void everyKindsAllowedKeysAreItsDeclaredOnes() {
    for (FaultKind k : FaultRegistry.ALL.kinds()) {
      Set<String> expected = new TreeSet<>(List.of("at", "for", "every", "kind"));
      expected.addAll(k.keyNames());
      if (k.targeted()) {
        expected.add("target");
      }
      if (k.directed()) {
        expected.add("direction");
      }
      String target = k.targeted() ? ", target = " + NAMED.get(k.targets().iterator().next()) : "";
      ValidationError e = errors(faults("{ at = 1s, kind = " + k.name() + target
          + ", zzzzzzzzzz = 1 }"), FaultRegistry.ALL).stream()
          .filter(x -> x.path().equals("faults[0].zzzzzzzzzz")).findFirst()
          .orElseThrow(() -> new AssertionError(k.name() + ": the unknown key is reported"));
      assertEquals("unknown key 'zzzzzzzzzz' (expected one of: " + String.join(", ", expected)
          + ")", e.message(), k.name());
    }
  }

  /** Each kind takes a VM, a network or a port as its target exactly when it declares it. */
  @Test
  void everyKindAcceptsTheTargetsItDeclaresAndNoOthers() {
    for (FaultKind k : FaultRegistry.ALL.kinds()) {
      if (!k.targeted()) {
        continue;
      }
      for (Target sort : Target.values()) {
        String text = faults("{ at = 1s, kind = " + k.name() + ", target = " + NAMED.get(sort)
            + " }");
        Optional<ValidationError> refused = targetError(text);
        assertEquals(!k.targets().contains(sort), refused.isPresent(), k.name() + " on " + sort);
        refused.ifPresent(e -> assertTrue(e.message().endsWith(k.name() + " needs "
            + k.targets().stream().sorted().map(Target::noun).collect(Collectors.joining(" or "))),
            e.message()));
      }
    }
  }

  /** Reads {@code key}'s default as the reader reads a value of its type. */
  private static void assertValueOfType(Config defaults, FaultKey key) {
    String name = key.name();
    switch (key.type()) {
      case DURATION:
        Units.duration(defaults, name);
        break;
      case SIZE:
        assertTrue(Units.bytes(defaults, name) > 0, name);
        break;
      case PROBABILITY:
        double p = defaults.getDouble(name);
        assertTrue(p >= 0 && p <= 1, name);
        break;
      case COUNT:
        defaults.getInt(name);
        break;
      default:
        assertFalse(defaults.getString(name).isBlank(), name);
    }
  }

  private static Optional<ValidationError> targetError(String text) {
    try {
      ExperimentLoader.parse(text, "t.conf");
      return Optional.empty();
    } catch (ExperimentException ex) {
      return ex.errors().stream().filter(e -> e.path().equals("faults[0].target")).findFirst();
    }
  }

  /** What help and messages show is there for every kind, and defaults read as their type. */
  @Test
  void everyKindIsDocumentedAndItsDefaultsAreValidValues() {
    assertFalse(FaultRegistry.ALL.kinds().isEmpty());
    for (FaultKind k : FaultRegistry.ALL.kinds()) {
      assertFalse(k.doc().isBlank(), k.name());
      assertTrue(k.targeted() || !k.keys().isEmpty(), k.name() + " names its VMs in a key");
      k.keys().forEach(key -> assertFalse(key.doc().isBlank(), k.name() + "." + key.name()));
      Config defaults = ConfigFactory.parseString(k.defaults());
      for (FaultKey key : k.keys()) {
        assertEquals(key.defaultValue().isPresent(), defaults.hasPath(key.name()), key.name());
        if (key.defaultValue().isPresent()) {
          assertValueOfType(defaults, key);
        }
      }
    }
  }
}
