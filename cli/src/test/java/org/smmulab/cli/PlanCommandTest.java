package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code smmulab plan}: the KUnit transition cdtable_to_bypass (STE cdtable_ssid0_ats to
 * bypass_ste, 3 syncs, hitless) in JSON and text, and malformed input.
 */
class PlanCommandTest {
  private static final String CDTABLE_SSID0_ATS =
      "0xf800f0f0f0f0f0eb,0x00000000180000d6,0,0,0,0,0,0";
  private static final String BYPASS = "9,0x0000100000000000,0,0,0,0,0,0";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void cdtableToBypassAsJsonIsThreeHitlessSyncs() throws Exception {
    assertThat(run("plan", "ste", "--from", CDTABLE_SSID0_ATS, "--to", BYPASS, "--json")).isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("kind").asText()).isEqualTo("ste");
    assertThat(root.get("syncs").asInt()).isEqualTo(3);
    assertThat(root.get("hitless").asBoolean()).isTrue();
    JsonNode steps = root.get("steps");
    assertThat(steps).hasSize(3);
    assertThat(steps.get(0).get("qwords").get(1).asText()).isEqualTo("0x00001000180000d6");
    assertThat(steps.get(0).get("changed").toString()).isEqualTo("[1]");
    assertThat(steps.get(1).get("qwords").get(0).asText()).isEqualTo("0x0000000000000009");
    assertThat(steps.get(1).get("changed").toString()).isEqualTo("[0]");
    assertThat(steps.get(2).get("qwords").get(1).asText()).isEqualTo("0x0000100000000000");
    for (JsonNode step : steps) {
      assertThat(step.get("qwords")).hasSize(8);
      assertThat(step.get("sync").asBoolean()).isTrue();
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void jsonModePrintsExactlyOneJsonDocument() throws Exception {
    assertThat(run("plan", "ste", "--from", CDTABLE_SSID0_ATS, "--to", BYPASS, "--json")).isZero();
    String text = out.toString().trim();
    assertThat(text).startsWith("{").endsWith("}");
    assertThat(new ObjectMapper().readTree(text).isObject()).isTrue();
    assertThat(text.lines().count()).isEqualTo(1);
  }

  @Test
  void textOutputShowsStepsSyncsAndBothEntries() {
    assertThat(run("plan", "ste", "--from", CDTABLE_SSID0_ATS, "--to", BYPASS)).isZero();
    assertThat(out.toString())
        .contains("from: STE V=1 Config=s1")
        .contains("to:   STE V=1 Config=bypass SHCFG=incoming")
        .contains("q1=0x00001000180000d6")
        .contains("sync 3:")
        .contains("3 syncs, hitless");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void breakingCdUpdateIsReportedNotHitless() {
    String zero = "0,0,0,0,0,0,0,0";
    String s1Cd = "0x07cde201c0003684,0x000dbeefdeadbee0,0,0x0abcdef012345678,0,0,0,0";
    assertThat(run("plan", "cd", "--from", zero, "--to", s1Cd)).isZero();
    assertThat(out.toString()).contains("2 syncs, NOT hitless");
  }

  @Test
  void nonHexQwordIsExit2NamingOptionIndexAndValue() {
    assertThat(run("plan", "ste", "--from", "1,0,0,xyz,0,0,0,0", "--to", BYPASS)).isEqualTo(2);
    assertThat(err.toString()).contains("--from: qword 3 'xyz' is not hex");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void wrongQwordCountIsExit2WithTheCount() {
    assertThat(run("plan", "ste", "--from", BYPASS, "--to", "1,0,0,0,0,0,0", "--json"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--to: expected 8 qwords, got 7");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void qwordWiderThan64BitsIsExit2() {
    assertThat(run("plan", "cd", "--from", "0x1ffffffffffffffff,0,0,0,0,0,0,0", "--to", BYPASS))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--from: qword 0 '0x1ffffffffffffffff' does not fit");
  }

  @Test
  void emptyQwordIsNotHex() {
    assertThat(run("plan", "ste", "--from", BYPASS, "--to", "1,,0,0,0,0,0,0")).isEqualTo(2);
    assertThat(err.toString()).contains("--to: qword 1 '' is not hex");
  }

  @Test
  void unknownKindIsExit2() {
    assertThat(run("plan", "l1", "--from", BYPASS, "--to", BYPASS)).isEqualTo(2);
    assertThat(err.toString()).contains("'l1' is neither ste nor cd");
  }
}
