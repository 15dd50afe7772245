package io.fleetsim.cli;

import java.io.File;
import picocli.CommandLine.Option;

/** {@code --api} and its token, shared by run, hub and switch. */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "[HOST:]PORT",
      description = "Serve the control API (status, faults, /metrics, a live page) on HOST:PORT; "
          + "HOST is 127.0.0.1 unless given (another address prints a warning); PORT 0 picks a free one.")
  String api;

  @Option(names = "--api-token-file", paramLabel = "FILE",
      description = "Every API request must carry 'Authorization: Bearer TOKEN', TOKEN being the "
          + "file's first line (or set FLEETSIM_API_TOKEN).")
  File tokenFile;
}
