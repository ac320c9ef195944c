package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.verify.scenario.ScenarioLoader;

/**
 * {@code smmulab demo}: the bundled scenario runs green and the narration tells a newcomer what was
 * attached where, which tags each SMMU allocated and freed, which commands each received, what each
 * DMA did, and that the oracle found no violation.
 */
class DemoCommandTest {
  @Test
  void theNarratedDemoPassesAndExplainsEachPart() {
    Cli r = Cli.run("demo");
    assertThat(r.exitCode).as(r.out).isZero();
    assertThat(r.err).isEmpty();
    assertThat(r.out)
        .startsWith("SMMU Lab demo\n")
        .contains("nic (behind smmu0) is attached to shared")
        .contains("the driver gave it ASID 1 on smmu0")
        .contains("the driver gave it ASID 1 on smmu1")
        .contains("the driver gave it ASID 2 on smmu0")
        .contains("smmu0 received TLBI_NH_VA 1, ATC_INV 1, CMD_SYNC 2")
        .contains("smmu1 received TLBI_NH_VA 1, CMD_SYNC 1")
        .contains("Translated by an ATS translation request")
        .contains("Translated by the device's own ATC")
        .contains("The SMMU recorded F_TRANSLATION in its event queue")
        .contains("The SMMU recorded F_PERMISSION in its event queue")
        .contains("smmu1 freed ASID 1, after TLBI_NH_ASID")
        .contains("The stream is blocked")
        .contains("no device reached memory its domain did not map")
        .doesNotContain("FAIL ")
        .endsWith(
            "PASSED: 20 steps, every expectation held; the oracle judged 10 DMAs and found"
                + " no violation.\n");
  }

  @Test
  void theScenarioOptionPrintsTheBundledFileItself() throws Exception {
    Cli r = Cli.run("demo", "--scenario");
    assertThat(r.exitCode).isZero();
    assertThat(r.out).isEqualTo(DemoCommand.bundledScenario());
    assertThat(ScenarioLoader.parse(r.out, "demo.yaml").steps()).hasSize(20);
  }

  @Test
  void jsonIsTheRunDocument() {
    Cli r = Cli.run("demo", "--json");
    assertThat(r.exitCode).isZero();
    assertThat(r.json().get("scenario").asText()).isEqualTo("demo");
    assertThat(r.json().get("passed").asBoolean()).isTrue();
    assertThat(r.json().get("tags").get("smmu1")).isEmpty();
  }
}
