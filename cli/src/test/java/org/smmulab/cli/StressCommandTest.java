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
    assertThat(root.get("violationsByClass")).isEmpty();
    assertThat(root.get("injected").isNull()).isTrue();
    assertThat(root.get("firstViolation").isNull()).isTrue();
    assertThat(root.has("operationLog")).as("no log without a violation").isFalse();
    assertThat(out.toString().trim().split("\n")).as("exactly one document").hasSize(1);
  }

  @Test
  void anInjectedBugIsReportedWithExitOneTheTimeToCatchItAndTheLog() throws Exception {
    assertThat(run("stress", "--seconds", "5", "--inject", "skip-tlbi", "--json")).isEqualTo(1);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("injected").asText()).isEqualTo("skip-tlbi");
    JsonNode byClass = root.get("violationsByClass");
    assertThat(byClass.get("stale-translation").asLong()).isPositive();
    long counted = 0;
    for (JsonNode n : byClass) {
      counted += n.asLong();
    }
    assertThat(counted).isEqualTo(root.get("violationCount").asLong());
    JsonNode first = root.get("violations").get(0);
    assertThat(first.get("class").asText()).isEqualTo("stale-translation");
    assertThat(first.get("device").asText()).startsWith("dev");
    JsonNode caught = root.get("firstDmaViolation");
    assertThat(caught.get("class").asText()).isEqualTo("stale-translation");
    assertThat(caught.get("seconds").asDouble()).isBetween(0.0, root.get("seconds").asDouble());
    assertThat(caught.get("operations").asLong()).isBetween(0L, root.get("operations").asLong());
    assertThat(root.get("operationLog")).isNotEmpty();
    assertThat(root.get("operationLog").size())
        .as("operations only, up to the first violation")
        .isLessThanOrEqualTo(4 * (int) root.get("firstViolation").get("operations").asLong() + 4);
  }

  @Test
  void theTextSummarySaysWhenTheFirstViolationWasFound() {
    assertThat(run("stress", "--seconds", "5", "--seed", "2", "--inject", "missing-sync"))
        .isEqualTo(1);
    assertThat(out.toString())
        .contains("injected missing-sync")
        .containsPattern("[0-9,]+ violations: [0-9,]+ [a-z-]+")
        .containsPattern("First violation found through a DMA outcome: [a-z-]+ after [0-9.]+ s")
        .contains("--seed 2 --ops ");
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
