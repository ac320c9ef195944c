package org.smmulab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.smmulab.verify.scenario.Scenario;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ScenarioResult;
import org.smmulab.verify.scenario.ScenarioRunner;
import org.smmulab.verify.scenario.TraceListener;
import picocli.CommandLine;

/**
 * Runs a loaded scenario for {@code run} and {@code demo}: optional trace file, the report as text
 * or one JSON document on stdout, problems as one line on stderr, and the exit code (0 passed, 1 an
 * expectation failed or the oracle found a violation, 2 bad input).
 */
final class ScenarioExecution {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScenarioExecution() {}

  static int run(
      CommandLine.Model.CommandSpec spec,
      Scenario scenario,
      boolean json,
      Path tracePath,
      boolean narrate)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Writer traceFile = null;
    if (tracePath != null) {
      try {
        traceFile = Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println(tracePath + ": cannot write the trace: " + reason(e));
        err.flush();
        return 2;
      }
    }
    JsonlTrace trace = traceFile == null ? null : new JsonlTrace(traceFile);
    ScenarioResult result;
    try {
      result = new ScenarioRunner(scenario).trace(trace == null ? TraceListener.NONE : trace).run();
    } catch (ScenarioException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    } finally {
      if (traceFile != null) {
        try {
          traceFile.close();
        } catch (IOException e) {
          trace.noteFailure(e);
        }
      }
    }
    if (trace != null && trace.failure() != null) {
      err.println(tracePath + ": cannot write the trace: " + reason(trace.failure()));
      err.flush();
      return 2;
    }
    if (json) {
      out.println(MAPPER.writeValueAsString(ScenarioJson.of(result)));
    } else {
      ScenarioReport.print(out, result, narrate);
    }
    out.flush();
    return result.passed() ? 0 : 1;
  }

  /** Why a file could not be used, in a few words. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
