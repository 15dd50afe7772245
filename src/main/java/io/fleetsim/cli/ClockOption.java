package io.fleetsim.cli;

import io.fleetsim.experiment.ClockMode;
import picocli.CommandLine;

/** {@code --clock virtual|real}, with the choices named when the value is neither. */
final class ClockOption implements CommandLine.ITypeConverter<ClockMode> {
  @Override
  public ClockMode convert(String value) {
    return ClockMode.parse(value).orElseThrow(() ->
        new CommandLine.TypeConversionException("expected virtual or real, not '" + value + "'"));
  }
}
