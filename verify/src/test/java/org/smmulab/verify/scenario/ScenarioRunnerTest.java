package org.smmulab.verify.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;
import org.smmulab.verify.oracle.ViolationClass;

/**
 * The runner on the real driver and hardware model: what passes and fails a step, what the oracle
 * catches, what the unchanged check sees, and what the trace receives.
 */
class ScenarioRunnerTest {
  private static final String MACHINE =
      """
      instances: [{name: s0, preset: mmu-700-like}, {name: s1, preset: qemu-like}]
      devices:
        - {name: nic, instance: s0, sid: 0x10}
        - {name: gpu, instance: s1, sid: 0x20}
      domains: [{name: d, oas: 44}, {name: e, oas: 44}]
      """;

  private static ScenarioResult run(String steps) throws ScenarioException {
    return new ScenarioRunner(ScenarioLoader.parse(MACHINE + steps, "t.yaml")).run();
  }

  @Test
  void aCleanRunReportsTagsCommandsAndDmas() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - attach: {device: nic, domain: d}
              - attach: {device: gpu, domain: d}
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
              - dma: {device: nic, iova: 0x10008, expect: {pa: 0x80000008, via: WALK}}
              - unmap: {domain: d, iova: 0x10000, size: 4K}
              - dma: {device: gpu, iova: 0x10000, expect: {fault: F_TRANSLATION}}
            """);
    assertThat(r.passed()).as("%s", r.steps()).isTrue();
    assertThat(r.dmasChecked()).isEqualTo(2);
    StepResult attach = r.steps().get(0);
    assertThat(attach.tagsAllocated())
        .containsExactly(new TagInfo("s0", InvalidationType.S1_ASID, 1, "d", 1));
    assertThat(attach.commands()).containsOnlyKeys("s0");
    assertThat(attach.commands().get("s0")).containsKeys("CFGI_STE", "CFGI_CD", "CMD_SYNC");
    assertThat(r.steps().get(2).commands()).as("a map sends nothing").isEmpty();
    assertThat(r.steps().get(3).dma())
        .isEqualTo(new DmaOutcome(true, 0x8000_0008L, DmaSegment.Source.WALK, null, null));
    assertThat(r.steps().get(4).commands())
        .containsOnlyKeys("s0", "s1")
        .containsEntry("s0", Map.of("TLBI_NH_VA", 1L, "CMD_SYNC", 1L));
    assertThat(r.steps().get(4).commands().get("s1"))
        .as("qemu-like has no range invalidation: one TLBI_NH_VA per page")
        .containsEntry("TLBI_NH_VA", 1L);
    assertThat(r.tags().get("s1"))
        .containsExactly(new TagInfo("s1", InvalidationType.S1_ASID, 1, "d", 1));
    assertThat(r.setupCommands().get("s0")).containsKey("CMD_SYNC");
  }

  @Test
  void anUnexpectedSuccessFailsTheStepAndOnlyThatStep() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - attach: {device: nic, domain: d, expect: {error: tag-exhausted}}
              - attach: {device: gpu, domain: d}
            """);
    assertThat(r.passed()).isFalse();
    assertThat(r.expectationsFailed()).isEqualTo(1);
    assertThat(r.steps().get(0).ok()).isFalse();
    assertThat(r.steps().get(0).message())
        .isEqualTo("expected it to fail with tag-exhausted, but it succeeded");
    assertThat(r.steps().get(1).ok()).isTrue();
  }

  @Test
  void anOperationThatFailsUnexpectedlyFailsItsStep() throws Exception {
    ScenarioResult r = run("steps:\n  - unmap: {domain: d, iova: 0x10000, size: 4K}\n");
    StepResult step = r.steps().get(0);
    assertThat(step.ok()).isFalse();
    assertThat(step.error()).isEqualTo(ErrorKind.NOT_MAPPED);
    assertThat(step.message()).startsWith("failed with not-mapped (nothing unmapped at 0x10000");
  }

  @Test
  void anExpectedErrorPassesWhenNothingChanged() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 8K}
              - attach: {device: nic, domain: d}
              - map: {domain: d, iova: 0x11000, pa: 0x90000000, size: 4K, expect: {error: already-mapped}}
              - unmap: {domain: e, iova: 0x10000, size: 4K, expect: {error: not-mapped}}
              - dma: {device: nic, iova: 0x11000, expect: {pa: 0x80001000}}
            """);
    assertThat(r.passed()).as("%s", r.steps()).isTrue();
    assertThat(r.steps().get(2).error()).isEqualTo(ErrorKind.ALREADY_MAPPED);
    assertThat(r.steps().get(2).message())
        .isEqualTo("failed with already-mapped as expected; nothing changed");
    assertThat(r.steps().get(2).errorMessage()).isNotBlank();
  }

  @Test
  void theWrongErrorFailsTheStep() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K, expect: {error: out-of-memory}}
            """);
    assertThat(r.steps().get(1).ok()).isFalse();
    assertThat(r.steps().get(1).message())
        .startsWith("expected it to fail with out-of-memory, but it failed with already-mapped");
  }

  @Test
  void theUnchangedCheckSeesAPageTableChange() throws Exception {
    Scenario s = ScenarioLoader.parse(MACHINE + "steps: [{show: tags}]\n", "t.yaml");
    try (ScenarioMachine m =
        new ScenarioMachine(s, org.smmulab.driver.queue.QueueListener.NONE, TraceListener.NONE)) {
      MachineState before = MachineState.capture(m, Map.of());
      assertThat(before.difference(MachineState.capture(m, Map.of()))).isNull();
      m.domains.get("e").map(0x2000, 0x8000_0000L, 0x1000, 3);
      assertThat(before.difference(MachineState.capture(m, Map.of())))
          .startsWith("the page table of e changed from [] to [0x2000+0x1000:");
      m.driver.attach(m.masters.get("gpu"), m.domains.get("e"));
      MachineState attached = MachineState.capture(m, Map.of());
      assertThat(before.difference(attached)).startsWith("the tags of s1 changed");
    }
  }

  @Test
  void aWrongDmaExpectationNamesWhatWasFound() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - attach: {device: nic, domain: d}
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
              - dma: {device: nic, iova: 0x10000, expect: {pa: 0x90000000}}
            """);
    StepResult dma = r.steps().get(2);
    assertThat(dma.ok()).isFalse();
    assertThat(dma.checks()).hasSize(1);
    assertThat(dma.checks().get(0).detail())
        .isEqualTo("expected pa 0x90000000; found -> 0x80000000 via WALK");
    assertThat(r.violations()).as("the DMA itself was allowed").isEmpty();
  }

  @Test
  void anInjectedMissingTlbiIsCaughtByTheOracle() throws Exception {
    ScenarioResult r =
        new ScenarioRunner(
                ScenarioLoader.parse(
                    """
                    driver: {inject: skip-tlbi}
                    instances: [{name: s0, preset: qemu-like}]
                    devices: [{name: nic, instance: s0, sid: 0x10}]
                    domains: [{name: d, oas: 44}]
                    steps:
                      - attach: {device: nic, domain: d}
                      - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
                      - dma: {device: nic, iova: 0x10000}
                      - unmap: {domain: d, iova: 0x10000, size: 4K}
                      - dma: {device: nic, iova: 0x10000}
                    """,
                    "t.yaml"))
            .run();
    assertThat(r.passed()).isFalse();
    assertThat(r.expectationsFailed()).isZero();
    assertThat(r.violations()).hasSize(1);
    assertThat(r.violations().get(0).kind()).isEqualTo(ViolationClass.STALE_TRANSLATION);
    assertThat(r.steps().get(4).violation()).isEqualTo(r.violations().get(0));
    assertThat(r.steps().get(4).ok()).isFalse();
    assertThat(r.steps().get(3).commands()).as("the injected bug sends no TLBI").isEmpty();
  }

  @Test
  void expectStepsCheckTagsArraysAndCommands() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - attach: {device: nic, domain: d}
              - attach: {device: gpu, domain: e}
              - expect:
                  tags:
                    s0: [{domain: d, id: 2}]
                    s1: {asids: 1}
                  arrays:
                    d: [{instance: s0, type: S1_ASID, id: 1, users: 1}]
                  commands:
                    s1: {CFGI_STE: 2}
            """);
    List<Check> checks = r.steps().get(2).checks();
    assertThat(checks)
        .extracting(Check::what)
        .containsExactly("tags on s0", "tags on s1", "array of d", "commands on s1");
    assertThat(checks).extracting(Check::ok).containsExactly(false, true, true, false);
    assertThat(checks.get(0).detail())
        .isEqualTo("d has ASID 1, expected id 2 (found ASID 1 d users=1)");
    assertThat(checks.get(3).detail()).startsWith("expected {CFGI_STE=2}, received {CFGI_STE=2, ");
    assertThat(r.expectationsFailed()).isEqualTo(1);
  }

  @Test
  void showStepsSnapshotWhatTheyName() throws Exception {
    ScenarioResult r =
        run(
            """
            steps:
              - attach: {device: nic, domain: d}
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
              - dma: {device: nic, iova: 0x10000}
              - show: [tags, tlb]
              - show: all
            """);
    Snapshot tagsAndTlb = r.steps().get(3).snapshot();
    assertThat(tagsAndTlb.tags().get("s0")).hasSize(1);
    assertThat(tagsAndTlb.tlb().get("s0"))
        .anySatisfy(e -> assertThat(e.outputBase()).isEqualTo(0x8000_0000L));
    assertThat(tagsAndTlb.arrays()).isNull();
    assertThat(tagsAndTlb.counters()).isNull();
    Snapshot all = r.steps().get(4).snapshot();
    assertThat(all.arrays().get("d")).hasSize(1);
    assertThat(all.totalCommands().get("s0")).containsKey("CFGI_STE");
    assertThat(all.lastCommands()).as("the map was the last operation").isEmpty();
    assertThat(all.counters().get("s0").translated()).isEqualTo(1);
  }

  @Test
  void theTraceSeesStepsCommandsAndTranslations() throws Exception {
    List<String> seen = new ArrayList<>();
    TraceListener trace =
        new TraceListener() {
          @Override
          public synchronized void step(int index, Step step) {
            seen.add("step " + index);
          }

          @Override
          public synchronized void command(String instance, Command command, String error) {
            seen.add(instance + " " + command.opcode());
          }

          @Override
          public synchronized void translation(
              String instance, Transaction txn, TranslationOutcome outcome) {
            seen.add(instance + " translation " + outcome.status());
          }
        };
    Scenario s =
        ScenarioLoader.parse(
            MACHINE
                + """
                steps:
                  - attach: {device: gpu, domain: d}
                  - dma: {device: gpu, iova: 0x10000}
                """,
            "t.yaml");
    new ScenarioRunner(s).trace(trace).run();
    int step0 = seen.indexOf("step 0");
    int step1 = seen.indexOf("step 1");
    assertThat(seen.subList(0, step0)).as("probe and reset").contains("s0 CMD_SYNC", "s1 CMD_SYNC");
    assertThat(seen.subList(step0, step1)).contains("s1 CFGI_STE").doesNotContain("s0 CFGI_STE");
    assertThat(seen.subList(step1, seen.size()))
        .containsExactly("step 1", "s1 translation TERMINATED");
  }

  @Test
  void aDeclarationTheDriverRefusesIsReportedAtIt() throws Exception {
    Scenario s =
        ScenarioLoader.parse(
            """
            instances:
              - {name: wide, preset: minimal-s1, sid-bits: 24}
            devices:
              - {name: far, instance: wide, sid: 0x10000}
            steps: [{show: tags}]
            """,
            "t.yaml");
    assertThatThrownBy(() -> new ScenarioRunner(s).run())
        .as("a linear stream table covers 16 bits of StreamID at most")
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("t.yaml:4:5: the driver cannot add device far: ");
  }
}
