package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.fleetsim.fault.FaultRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads an experiment file. Every problem is reported at once, as {@link ValidationError}s. */
public final class ExperimentLoader {
  private ExperimentLoader() {}

  public static Experiment load(Path file) throws ExperimentException {
    String name = String.valueOf(file.getFileName());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ExperimentException(List.of(new ValidationError(file.toString(), "", -1,
          Files.exists(file) ? "not a readable file" : "no such file")));
    }
    Config config;
    try {
      config = ConfigFactory.parseFile(file.toFile(), options(name)).resolve();
    } catch (ConfigException e) {
      throw new ExperimentException(List.of(syntaxError(name, e)));
    }
    return new ExperimentReader(name, config, defaults(), FaultRegistry.ALL).read();
  }

  /** Parses experiment text; {@code fileName} only labels the errors. */
  public static Experiment parse(String text, String fileName) throws ExperimentException {
    return parse(text, fileName, FaultRegistry.ALL);
  }

  /** As {@link #parse(String, String)}, knowing the fault kinds of {@code kinds}. */
  static Experiment parse(String text, String fileName, FaultRegistry kinds)
      throws ExperimentException {
    Config config;
    try {
      config = ConfigFactory.parseString(text, options(fileName)).resolve();
    } catch (ConfigException e) {
      throw new ExperimentException(List.of(syntaxError(fileName, e)));
    }
    return new ExperimentReader(fileName, config, defaults(), kinds).read();
  }

  /** {@code fleetsim.experiment-defaults} from reference.conf. */
  static Config defaults() {
    return ConfigFactory.defaultReference().getConfig("fleetsim.experiment-defaults");
  }

  private static ConfigParseOptions options(String name) {
    return ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)
        .setOriginDescription(name);
  }

  private static ValidationError syntaxError(String file, ConfigException e) {
    int line = e.origin() == null ? -1 : e.origin().lineNumber();
    return new ValidationError(file, "", line, ExperimentFile.rephrase(e, ""));
  }
}
