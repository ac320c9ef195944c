package org.smmulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Runs {@code smmulab} in-process with the real error handling and keeps what it printed. */
final class Cli {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int exitCode;
  final String out;
  final String err;

  private Cli(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** Stdout as the one JSON document it must be: exactly one line holding one object. */
  JsonNode json() {
    String text = out.strip();
    if (text.lines().count() != 1) {
      throw new AssertionError("--json printed " + text.lines().count() + " lines:\n" + out);
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (!node.isObject()) {
        throw new AssertionError("not a JSON object: " + text);
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of stderr. */
  java.util.List<String> errLines() {
    return err.lines().toList();
  }
}
