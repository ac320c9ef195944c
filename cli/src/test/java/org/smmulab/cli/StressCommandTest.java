package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code smmulab stress}: JSON shape, exit codes, injected bugs and bad options. */
class StressCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void aShortCleanRunPrintsOneJsonDocumentAndExitsZero() throws Exception {
    assertThat(run("stress", "--ops", "300", "--seed", "3", "--json")).isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("seed").asLong()).isEqualTo(3);
    assertThat(root.get("operations").asLong()).isEqualTo(300);
    assertThat(root.get("dmasChecked").asLong()).isPositive();
    assertThat(root.get("tlbHitRatio").asDouble()).isBetween(0.0, 1.0);
    assertThat(root.get("violations")).isEmpty();
    assertThat(root.get("injected").isNull()).isTrue();
  }

  @Test
  void anInjectedBugIsReportedWithExitOne() throws Exception {
    assertThat(run("stress", "--seconds", "5", "--inject", "skip-tlbi", "--json")).isEqualTo(1);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("injected").asText()).isEqualTo("skip-tlbi");
    assertThat(root.get("violations").get(0).get("class").asText()).isEqualTo("stale-translation");
  }

  @Test
  void badOptionsExitTwoWithAMessage() {
    assertThat(run("stress", "--inject", "no-such-bug")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown injection 'no-such-bug'");
    assertThat(run("stress", "--threads", "0")).isEqualTo(2);
    assertThat(run("stress", "--preset", "nope")).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }
}
