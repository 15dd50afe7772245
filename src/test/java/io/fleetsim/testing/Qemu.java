package io.fleetsim.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** A real qemu-system-x86_64 without a guest (-M none), for interop tests. */
public final class Qemu extends ChildProcess {
  public static final String BINARY = "qemu-system-x86_64";

  private Qemu(List<String> command) throws IOException {
    super("qemu", command);
  }

  /** In CI a missing QEMU fails the test; elsewhere it skips it with a message. */
  public static void require() {
    boolean present = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, BINARY).canExecute()) {
        present = true;
      }
    }
    if (present) {
      return;
    }
    String message = BINARY + " not found (apt-get install qemu-system-x86)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + ": QEMU interop tests must run in CI");
    }
    Assumptions.assumeTrue(false, message);
  }

  /** QEMU with slirp (restricted) on hub 0 beside the given netdev, which joins that hub too. */
  public static Qemu withSlirp(String socketNetdev) throws IOException {
    return withSlirp(List.of(), socketNetdev);
  }

  /**
   * The same, with more slirp options ({@code hostfwd=...}, {@code guestfwd=...}): explicit
   * forwarding rules still work under restrict=on.
   */
  public static Qemu withSlirp(List<String> slirpOptions, String socketNetdev) throws IOException {
    require();
    StringBuilder user = new StringBuilder("user,id=u0,restrict=on");
    slirpOptions.forEach(o -> user.append(',').append(o));
    List<String> cmd = new ArrayList<>(List.of(BINARY, "-M", "none", "-nodefaults",
        "-display", "none", "-monitor", "none", "-serial", "none",
        "-netdev", user.toString(),
        "-netdev", "hubport,id=hp0,hubid=0,netdev=u0",
        "-netdev", socketNetdev,
        "-netdev", "hubport,id=hp1,hubid=0,netdev=" + idOf(socketNetdev)));
    return new Qemu(cmd);
  }

  private static String idOf(String netdev) {
    for (String part : netdev.split(",")) {
      if (part.startsWith("id=")) {
        return part.substring(3);
      }
    }
    throw new IllegalArgumentException("no id= in " + netdev);
  }
}
