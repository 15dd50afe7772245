package io.fleetsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.fleetsim.time.Clock;
import io.fleetsim.time.RealClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Shape;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md, checked on the main classes: the package layers (read from
 * the page's {@code layers} block, the one place they are written down), no package cycles, one
 * clock (only {@code io.fleetsim.time} reads the host's clock or starts timers; {@link RealClock}
 * only at the composition roots) and seeded randomness.
 *
 * <p>Each rule is also run on a small class below that breaks it, so a rule that could not fail
 * (a typo in a package name, a call ArchUnit does not see) fails here instead.
 */
class ArchitectureTest {
  private static final String BASE = "io.fleetsim";
  private static final Path PAGE = Path.of("docs/architecture.md");
  private static final Pattern LAYERS = Pattern.compile("```layers\n(.*?)```", Pattern.DOTALL);
  private static final String TIME = BASE + ".time";
  /** Where the program is put together: these may pick the real clock and wait on asks. */
  private static final String[] ROOTS = {BASE + ".cli..", BASE + ".experiment.run.."};

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPath(Path.of("target/classes"));
  private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(
      ReachesUp.class, ReadsNanoTime.class, ReadsNanoTimeByReference.class, ReadsInstantNow.class,
      ReadsSystemClock.class, Sleeps.class, StartsActorTimers.class, SchedulesOnAnExecutor.class,
      SchedulesInAStage.class, AsksItsClock.class, ChoosesRealClock.class, Asks.class,
      UnseededRandom.class, UsesThreadLocalRandom.class, UsesMathRandom.class, SeededRandom.class);

  // ------------------------------------------------------------------ the rules on src/main

  @Test
  void everyPackageIsInExactlyOneLayer() {
    List<String> listed = new ArrayList<>();
    layers().forEach(listed::addAll);
    Set<String> once = new TreeSet<>();
    for (String p : listed) {
      assertTrue(once.add(p), PAGE + ": " + p + " is in more than one layer");
    }
    Set<String> packages = new TreeSet<>();
    for (JavaClass c : MAIN) {
      packages.add(c.getPackageName());
    }
    Set<String> missing = new TreeSet<>(packages);
    missing.removeAll(once);
    Set<String> unknown = new TreeSet<>(once);
    unknown.removeAll(packages);
    assertEquals(Set.of(), missing, "packages of src/main missing from " + PAGE + "'s layers");
    assertEquals(Set.of(), unknown, "packages in " + PAGE + "'s layers that src/main does not have");
  }

  @Test
  void lowerLayersNeverImportHigherOnes() {
    layering().check(MAIN);
  }

  @Test
  void packagesHaveNoCycles() {
    noCycles().check(MAIN);
  }

  @Test
  void onlyTheTimePackageReadsTheHostClockOrStartsTimers() {
    hostClockAndTimers().check(MAIN);
  }

  @Test
  void theRealClockIsChosenOnlyAtCompositionRoots() {
    realClockOnlyAtRoots().check(MAIN);
  }

  @Test
  void asksWithATimeoutOnlyAtCompositionRoots() {
    asksOnlyAtRoots().check(MAIN);
  }

  @Test
  void modelRandomnessIsSeeded() {
    seededRandomness().check(MAIN);
  }

  // ------------------------------------------------------------------ each rule can fail

  @Test
  void layeringCatchesALowLayerReachingUp() {
    assertViolates(layering(), ReachesUp.class);
  }

  @Test
  void cycleRuleCatchesTwoPackagesUsingEachOther() {
    JavaClasses pair = new ClassFileImporter().importClasses(
        io.fleetsim.archfixture.a.CycleA.class, io.fleetsim.archfixture.b.CycleB.class);
    EvaluationResult result = noCycles().evaluate(pair);
    assertTrue(result.hasViolation(), "no cycle found in " + pair);
  }

  @Test
  void hostClockRuleCatchesEachWayOfReadingTimeOrSettingATimer() {
    ArchRule rule = hostClockAndTimers();
    assertViolates(rule, ReadsNanoTime.class);
    assertViolates(rule, ReadsNanoTimeByReference.class);
    assertViolates(rule, ReadsInstantNow.class);
    assertViolates(rule, ReadsSystemClock.class);
    assertViolates(rule, Sleeps.class);
    assertViolates(rule, StartsActorTimers.class);
    assertViolates(rule, SchedulesOnAnExecutor.class);
    assertViolates(rule, SchedulesInAStage.class);
    assertPasses(rule, AsksItsClock.class);
  }

  @Test
  void realClockRuleCatchesModelCodeChoosingIt() {
    assertViolates(realClockOnlyAtRoots(), ChoosesRealClock.class);
    assertPasses(realClockOnlyAtRoots(), AsksItsClock.class);
  }

  @Test
  void askRuleCatchesModelCodeAsking() {
    assertViolates(asksOnlyAtRoots(), Asks.class);
  }

  @Test
  void randomnessRuleCatchesUnseededGenerators() {
    ArchRule rule = seededRandomness();
    assertViolates(rule, UnseededRandom.class);
    assertViolates(rule, UsesThreadLocalRandom.class);
    assertViolates(rule, UsesMathRandom.class);
    assertPasses(rule, SeededRandom.class);
  }

  private static void assertViolates(ArchRule rule, Class<?> fixture) {
    assertTrue(violationsOf(rule, fixture).findAny().isPresent(),
        rule.getDescription() + ": nothing found in " + fixture.getSimpleName());
  }

  private static void assertPasses(ArchRule rule, Class<?> fixture) {
    assertEquals(List.of(), violationsOf(rule, fixture).toList());
  }

  /** The rule's findings in {@code fixture}, from one run over all fixtures (one import). */
  private static Stream<String> violationsOf(ArchRule rule, Class<?> fixture) {
    String member = "<" + fixture.getName() + "."; // "Method <io.fleetsim.ArchitectureTest$X.m()>"
    return rule.evaluate(FIXTURES).getFailureReport().getDetails().stream()
        .filter(line -> line.contains(member));
  }

  // ------------------------------------------------------------------ layering

  /** The page's layers, bottom first; each layer a list of package names. */
  static List<List<String>> layers() {
    String page;
    try {
      page = Files.readString(PAGE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = LAYERS.matcher(page);
    assertTrue(m.find(), PAGE + " has no ```layers block");
    List<List<String>> layers = new ArrayList<>();
    for (String line : m.group(1).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> layer = new ArrayList<>();
      for (String name : line.strip().split("\\s+")) {
        layer.add(name.equals("(root)") ? BASE : BASE + "." + name);
      }
      layers.add(layer);
    }
    Collections.reverse(layers); // written top first, like a stack
    return layers;
  }

  /**
   * A class may use its own package and packages of lower layers; packages of one layer do not
   * know each other. Packages missing from the page are left to {@link
   * #everyPackageIsInExactlyOneLayer()}.
   */
  static ArchRule layering() {
    Map<String, Integer> rank = new LinkedHashMap<>();
    List<List<String>> layers = layers();
    for (int i = 0; i < layers.size(); i++) {
      for (String p : layers.get(i)) {
        rank.put(p, i);
      }
    }
    return classes().should(new ArchCondition<JavaClass>(
        "use only their own package and packages of lower layers (" + PAGE + ")") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        Integer from = rank.get(c.getPackageName());
        if (from == null) {
          return;
        }
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          String to = d.getTargetClass().getBaseComponentType().getPackageName();
          Integer toRank = rank.get(to);
          if (!to.equals(c.getPackageName()) && toRank != null && toRank >= from) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    });
  }

  static ArchRule noCycles() {
    return slices().matching(BASE + ".(**)").should().beFreeOfCycles();
  }

  // ------------------------------------------------------------------ time

  /** What reads the host's time or arms a timer outside a {@link Clock}. */
  private static final List<Member> HOST_TIME = List.of(
      call("java.lang.System", "nanoTime", "currentTimeMillis"),
      new Member(t -> t.getOwner().getPackageName().equals("java.time") && t.getName().equals("now")),
      call("java.time.Clock", "systemUTC", "systemDefaultZone", "system"),
      call("java.time.InstantSource", "system"),
      call("java.lang.Thread", "sleep"),
      call("java.util.concurrent.TimeUnit", "sleep"),
      call("org.apache.pekko.actor.typed.javadsl.Behaviors", "withTimers"),
      call("org.apache.pekko.actor.typed.scaladsl.Behaviors", "withTimers"),
      call("org.apache.pekko.actor.typed.scaladsl.Behaviors$", "withTimers"),
      subtypeCall("org.apache.pekko.stream.stage.TimerGraphStageLogic", "schedule"),
      subtypeCall("org.apache.pekko.actor.Scheduler", "schedule"),
      subtypeCall("org.apache.pekko.actor.typed.Scheduler", "schedule"),
      subtypeCall("org.apache.pekko.actor.typed.javadsl.ActorContext", "scheduleOnce"),
      subtypeCall("org.apache.pekko.actor.typed.javadsl.ActorContext", "setReceiveTimeout"),
      subtypeCall("org.apache.pekko.actor.typed.scaladsl.ActorContext", "scheduleOnce"),
      subtypeCall("org.apache.pekko.actor.typed.scaladsl.ActorContext", "setReceiveTimeout"),
      // stream operators that keep deadlines of their own (they read System.nanoTime inside)
      new Member(t -> Set.of("org.apache.pekko.stream.javadsl", "org.apache.pekko.stream.scaladsl")
          .contains(t.getOwner().getPackageName())
          && Set.of("tick", "idleTimeout", "initialTimeout", "completionTimeout",
              "backpressureTimeout", "keepAlive", "throttle", "groupedWithin",
              "groupedWeightedWithin", "delay", "delayWith", "takeWithin", "dropWithin",
              "initialDelay").contains(t.getName())),
      call("org.apache.pekko.pattern.Patterns", "after"),
      call("java.util.concurrent.CompletableFuture", "delayedExecutor", "orTimeout",
          "completeOnTimeout"));
  private static final Set<String> TIMER_TYPES = Set.of(
      "org.apache.pekko.actor.typed.javadsl.TimerScheduler",
      "org.apache.pekko.actor.typed.scaladsl.TimerScheduler",
      "java.util.concurrent.ScheduledExecutorService",
      "java.util.concurrent.ScheduledThreadPoolExecutor",
      "java.util.Timer",
      "java.util.TimerTask");

  static ArchRule hostClockAndTimers() {
    return classes().that().resideOutsideOfPackage(TIME)
        .should(use("read the host's clock or start timers", HOST_TIME, TIMER_TYPES, true))
        .because("model code asks the Clock it was given (docs/architecture.md, Time)");
  }

  static ArchRule realClockOnlyAtRoots() {
    return noClasses().that().resideOutsideOfPackages(concat(ROOTS, TIME))
        .should().dependOnClassesThat().belongToAnyOf(RealClock.class)
        .because("the real clock is chosen where the program is put together and passed down");
  }

  /** An ask's timeout is a timer on the actor system's scheduler, outside every Clock. */
  static ArchRule asksOnlyAtRoots() {
    return classes().that().resideOutsideOfPackages(ROOTS)
        .should(use("ask with a timeout", List.of(
            call("org.apache.pekko.actor.typed.javadsl.AskPattern", "ask", "askWithStatus"),
            call("org.apache.pekko.actor.typed.scaladsl.AskPattern", "ask", "askWithStatus"),
            call("org.apache.pekko.actor.typed.scaladsl.AskPattern$", "ask", "askWithStatus"),
            subtypeCall("org.apache.pekko.actor.typed.javadsl.ActorContext", "ask"),
            subtypeCall("org.apache.pekko.actor.typed.scaladsl.ActorContext", "ask"),
            call("org.apache.pekko.pattern.Patterns", "ask", "askWithReplyTo")), Set.of(), true))
        .because("a reply waited for in real time is a timer no Clock knows of");
  }

  // ------------------------------------------------------------------ randomness

  static ArchRule seededRandomness() {
    return classes().that().resideOutsideOfPackage(BASE + ".cli..")
        .should(use("make unseeded random numbers", List.of(
            call("java.lang.Math", "random"),
            call("java.lang.StrictMath", "random"),
            call("java.util.UUID", "randomUUID"),
            call("java.util.random.RandomGenerator", "getDefault", "of"),
            new Member(t -> t.getOwner().getName().equals("java.util.Collections")
                && t.getName().equals("shuffle") && parameters(t) == 1),
            new Member(t -> (t.getOwner().getName().equals("java.util.Random")
                || t.getOwner().getName().equals("java.util.SplittableRandom"))
                && t.getName().equals("<init>") && parameters(t) == 0)),
            Set.of("java.util.concurrent.ThreadLocalRandom", "java.security.SecureRandom"), false))
        .because("randomness comes from the experiment's seed, so that a run replays");
  }

  // ------------------------------------------------------------------ helpers

  /** A field, method or constructor that must not be used, by what its access points at. */
  private record Member(Predicate<AccessTarget> matches) {}

  private static Member call(String owner, String... names) {
    Set<String> set = Set.of(names);
    return new Member(t -> t.getOwner().getName().equals(owner) && set.contains(t.getName()));
  }

  /** Methods inherited from {@code owner} are called on the subclass in the bytecode. */
  private static Member subtypeCall(String owner, String namePrefix) {
    return new Member(t -> t.getName().startsWith(namePrefix) && t.getOwner().isAssignableTo(owner));
  }

  private static int parameters(AccessTarget t) {
    return t instanceof CodeUnitAccessTarget u ? u.getRawParameterTypes().size() : -1;
  }

  private static String[] concat(String[] a, String b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  /**
   * Violated by every access (call, field access, method reference) of a member in {@code
   * members} and, with {@code anyUse}, every dependency on a type in {@code types}; without it,
   * only by accesses to members of those types.
   */
  private static ArchCondition<JavaClass> use(String what, List<Member> members, Set<String> types,
      boolean anyUse) {
    return new ArchCondition<JavaClass>("not " + what) {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        Set<JavaAccess<?>> accesses = new LinkedHashSet<>(c.getAccessesFromSelf());
        accesses.addAll(c.getCodeUnitReferencesFromSelf());
        for (JavaAccess<?> a : accesses) {
          AccessTarget t = a.getTarget();
          if (members.stream().anyMatch(m -> m.matches().test(t))
              || (!anyUse && types.contains(t.getOwner().getName()))) {
            events.add(SimpleConditionEvent.violated(a, a.getDescription()));
          }
        }
        if (anyUse) {
          for (Dependency d : c.getDirectDependenciesFromSelf()) {
            if (types.contains(d.getTargetClass().getName())) {
              events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }
      }
    };
  }

  // ------------------------------------------------------------------ fixtures: one broken rule each
  // Never instantiated or run; only their bytecode is read. They sit in the root package, the
  // lowest layer, outside the time package and the composition roots (the cycle's two halves
  // are in io.fleetsim.archfixture).

  static final class ReachesUp {
    io.fleetsim.cli.Main main;
  }

  static final class ReadsNanoTime {
    long now() {
      return System.nanoTime();
    }
  }

  static final class ReadsNanoTimeByReference {
    LongSupplier now = System::nanoTime;
  }

  static final class ReadsInstantNow {
    Object now() {
      return java.time.Instant.now();
    }
  }

  static final class ReadsSystemClock {
    Object clock() {
      return java.time.Clock.systemUTC();
    }
  }

  static final class Sleeps {
    void nap() throws InterruptedException {
      Thread.sleep(1);
    }
  }

  static final class StartsActorTimers {
    Behavior<String> behavior() {
      return Behaviors.withTimers(timers -> Behaviors.empty());
    }
  }

  static final class SchedulesOnAnExecutor {
    ScheduledExecutorService executor() {
      return Executors.newSingleThreadScheduledExecutor();
    }
  }

  abstract static class SchedulesInAStage extends TimerGraphStageLogic {
    SchedulesInAStage(Shape shape) {
      super(shape);
    }

    void arm() {
      scheduleOnce("key", Duration.ofMillis(1));
    }
  }

  static final class AsksItsClock {
    long now(Clock clock) {
      return clock.nanos();
    }

    Clock.Timer later(Clock clock, Runnable task) {
      return clock.schedule(1_000_000, task);
    }
  }

  static final class ChoosesRealClock {
    Clock clock() {
      return RealClock.system();
    }
  }

  static final class Asks {
    Object ask(org.apache.pekko.actor.typed.ActorRef<Object> ref,
        org.apache.pekko.actor.typed.Scheduler scheduler) {
      return org.apache.pekko.actor.typed.javadsl.AskPattern.ask(ref, replyTo -> "question",
          Duration.ofSeconds(1), scheduler);
    }
  }

  static final class UnseededRandom {
    Random random() {
      return new Random();
    }
  }

  static final class UsesThreadLocalRandom {
    double roll() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }

  static final class UsesMathRandom {
    double roll() {
      return Math.random();
    }
  }

  static final class SeededRandom {
    Random random(long seed) {
      return new Random(seed);
    }
  }
}
