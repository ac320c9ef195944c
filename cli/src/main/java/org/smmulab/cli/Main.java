package org.smmulab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code smmulab} command: entry point and subcommand registry.
 *
 * <p>Conventions shared by every subcommand: {@code --help} and {@code --version}; results on
 * stdout, problems on stderr; {@code --json} prints exactly one JSON document on stdout and nothing
 * else there; exit 0 when everything held, 1 when a check, an expectation or the oracle failed, 2
 * on bad input (a usage error is reported as its message and a hint to use {@code --help}).
 */
@Command(
    name = "smmulab",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "SMMU Lab: an Arm SMMUv3 model, a Linux-style driver and the tools around them.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      DecodeCommand.class,
      PresetsCommand.class,
      PlanCommand.class,
      StressCommand.class,
      PeerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /**
   * The command line with the shared conventions installed: every subcommand's {@code --version}
   * names the command, and usage and internal errors are reported as described above.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new VersionProvider());
    }
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          PrintWriter err = command.getErr();
          err.println(command.getCommandName() + ": internal error: " + e);
          e.printStackTrace(err);
          err.flush();
          return 1;
        });
    return cl;
  }

  /** A usage error: its message, suggestions for a mistyped word, and where to find help. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Runs the command line and returns its exit code (0 ok, 1 a check failed, 2 bad input). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
