package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every subcommand shares: --help, --version, usage errors, exit codes, streams. */
class CliConventionsTest {
  @ParameterizedTest
  @ValueSource(strings = {"demo", "run", "decode", "presets", "plan", "stress"})
  void everySubcommandHasHelpOnStdout(String command) {
    Cli r = Cli.run(command, "--help");
    assertThat(r.exitCode).isZero();
    assertThat(r.out)
        .as("an optional one-line header, then the usage")
        .matches("(?s)([^\\n]*\\R)?Usage: smmulab " + command + " .*")
        .contains("--help", "--version");
    assertThat(r.err).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "run", "decode", "presets", "plan", "stress"})
  void everySubcommandIsListedByTheTopLevelHelp(String command) {
    Cli r = Cli.run("--help");
    assertThat(r.exitCode).isZero();
    assertThat(r.out).containsPattern("(?m)^  " + command + " ");
  }

  @Test
  void helpSubcommandShowsASubcommandsUsage() {
    Cli r = Cli.run("help", "decode");
    assertThat(r.exitCode).isZero();
    assertThat(r.out).matches("(?s)([^\\n]*\\R)?Usage: smmulab decode .*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "demo --version", "run --version"})
  void versionNamesTheCommand(String args) {
    Cli r = Cli.run(args.split(" "));
    assertThat(r.exitCode).isZero();
    assertThat(r.out).startsWith("smmulab ");
    assertThat(r.err).isEmpty();
  }

  @Test
  void noSubcommandIsAUsageError() {
    Cli r = Cli.run();
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines())
        .containsExactly("smmulab: Missing a subcommand", "Try 'smmulab --help' for more.");
  }

  @Test
  void anUnknownSubcommandIsAUsageErrorWithASuggestion() {
    Cli r = Cli.run("decod", "ste", "1");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).contains("Unmatched argument", "decod", "decode", "Try 'smmulab --help'");
  }

  @Test
  void anUnknownOptionIsAUsageErrorOfItsSubcommand() {
    Cli r = Cli.run("run", "--bogus", "x.yaml");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).contains("Unknown option: '--bogus'", "Try 'smmulab run --help' for more.");
  }

  @Test
  void aMissingParameterIsAUsageError() {
    Cli r = Cli.run("run");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).contains("Missing required parameter: 'FILE.yaml'");
  }
}
