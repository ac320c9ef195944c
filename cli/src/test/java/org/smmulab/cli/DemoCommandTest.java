package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void demoPassesItsSelfCheckAndWritesNothingToStderr() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, "demo")).isZero();
    assertThat(out.toString())
        .contains("STE V=1 Config=bypass SHCFG=incoming")
        .contains("CFGI_STE SID=8 Leaf=1")
        .contains("S1 L2 4K block")
        .contains("Self-check: all")
        .doesNotContain("DIFF");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void unknownSubcommandIsAUsageErrorWithExitCode2() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, "no-such-command")).isEqualTo(2);
    assertThat(err.toString()).contains("no-such-command");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void versionNamesTheCommand() {
    StringWriter out = new StringWriter();
    assertThat(run(out, new StringWriter(), "--version")).isZero();
    assertThat(out.toString()).startsWith("smmulab ");
  }
}
