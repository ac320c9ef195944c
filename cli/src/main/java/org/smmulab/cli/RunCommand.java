package org.smmulab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ScenarioLoader;
import picocli.CommandLine;

/** {@code smmulab run FILE.yaml [--json] [--trace FILE.jsonl]}: runs a scenario file. */
@CommandLine.Command(
    name = "run",
    header = "Run a scenario file with the isolation oracle judging every DMA.",
    mixinStandardHelpOptions = true,
    description =
        "Run a scenario file (format: docs/scenarios.md) on the driver and the hardware model, with the isolation oracle judging every DMA. Exit 0 when every expectation held and the oracle found no violation, 1 otherwise, 2 on bad input (a malformed file is reported as one FILE:LINE:COLUMN: message line on stderr).")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(index = "0", paramLabel = "FILE.yaml", description = "The scenario.")
  Path file;

  @CommandLine.Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @CommandLine.Option(
      names = "--trace",
      paramLabel = "FILE.jsonl",
      description = "Write every command, event and translation there, one JSON object per line.")
  Path trace;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Scenario scenario;
    try {
      if (Files.isDirectory(file)) {
        err.println(file + ": cannot read: it is a directory");
        err.flush();
        return 2;
      }
      scenario = ScenarioLoader.load(file);
    } catch (ScenarioException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println(file + ": cannot read: " + ScenarioExecution.reason(e));
      err.flush();
      return 2;
    }
    return ScenarioExecution.run(spec, scenario, json, trace, false);
  }
}
