package org.smmulab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code smmulab} command: entry point and subcommand registry. */
@Command(
    name = "smmulab",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "SMMU Lab: an Arm SMMUv3 model, a Linux-style driver and the tools around them.",
    subcommands = {
      DemoCommand.class,
      PlanCommand.class,
      StressCommand.class,
      PeerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns its exit code (0 ok, 1 a check failed, 2 bad input). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
