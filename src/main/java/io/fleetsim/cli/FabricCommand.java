package io.fleetsim.cli;

import io.fleetsim.api.ApiSettings;
import io.fleetsim.qemu.QemuCommandLine;
import io.fleetsim.qemu.QemuConfig;
import io.fleetsim.qemu.QemuOption;
import io.fleetsim.time.RealClock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code fleetsim hub} and {@code fleetsim switch} share: netdevs on one fabric. */
abstract class FabricCommand implements Callable<Integer> {

  @Mixin
  QemuArgs qemu = new QemuArgs();

  /** Not listed in --help: accepted only to refuse it with a reason (see {@link #call}). */
  @Option(names = {"-device", "--device"}, hidden = true)
  void device(String value) {
    qemu.add(new QemuOption("-device", value));
  }

  @Option(names = "--stats", paramLabel = "FILE",
      description = "At exit, also write the per-port counters to FILE as JSON.")
  File stats;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings over fleetsim's defaults, in HOCON (the keys are in reference.conf).")
  File config;

  @Mixin
  ApiOptions apiOptions = new ApiOptions();

  abstract FabricProcess.Kind kind();

  @Override
  public Integer call() throws Exception {
    QemuConfig parsed = QemuCommandLine.parse(qemu.options());
    if (parsed.netdevs().isEmpty()) {
      throw new UsageError(kind().label() + " needs at least one -netdev");
    }
    if (!parsed.devices().isEmpty()) {
      throw new UsageError(parsed.devices().get(0).source()
          + ": a " + kind().label() + " has no guest to put a NIC in; -device belongs to a VM");
    }
    if (stats != null) {
      Writable.file("--stats " + stats, stats.toPath());
    }
    Optional<ApiSettings> api = apiSettings(apiOptions, System.getenv("FLEETSIM_API_TOKEN"));
    Settings settings = Settings.load(Optional.ofNullable(config));
    return FabricProcess.run(kind(), parsed, settings, RealClock.system(),
        Optional.ofNullable(stats), api);
  }

  /**
   * {@code --api} as settings, its token the first line of {@code --api-token-file}, else {@code
   * env} (FLEETSIM_API_TOKEN); empty without {@code --api}. A bad value or an unreadable file is
   * a usage error naming it.
   */
  static Optional<ApiSettings> apiSettings(ApiOptions options, String env) {
    if (options.api == null) {
      if (options.tokenFile != null) {
        throw new UsageError("--api-token-file " + options.tokenFile + ": only with --api");
      }
      return Optional.empty();
    }
    Optional<String> token = Optional.ofNullable(env).filter(t -> !t.isEmpty());
    if (options.tokenFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(options.tokenFile.toPath(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageError("--api-token-file " + options.tokenFile + ": cannot read it ("
            + Writable.reason(e) + ")");
      }
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        throw new UsageError("--api-token-file " + options.tokenFile + ": its first line is empty");
      }
      token = Optional.of(lines.get(0).strip());
    }
    try {
      return Optional.of(ApiSettings.parse(options.api, token));
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage()); // it names --api and the value
    }
  }
}
