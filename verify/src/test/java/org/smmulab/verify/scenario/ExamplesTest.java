package org.smmulab.verify.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.cmd.Command;

/**
 * Every scenario in {@code examples/} runs green: each step does what it expects and the oracle
 * finds no violation. Plus what the files cannot say themselves: the order of the commands an ATS
 * unmap sends.
 */
class ExamplesTest {
  private static final List<String> EXPECTED =
      List.of(
          "01-vm-shared-stage2.yaml",
          "02-dma-api-per-device.yaml",
          "03-pasid.yaml",
          "04-tag-exhaustion.yaml",
          "05-ats.yaml",
          "06-qemu-peer.yaml");

  /** {@code examples/} of the repository this module belongs to. */
  static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("examples");
      if (Files.isDirectory(candidate) && Files.exists(p.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  static Stream<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(examples())) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void theExamplesAreTheFiveOfTheIssueAndTheQemuPeersOne() throws IOException {
    assertThat(files().map(p -> p.getFileName().toString())).containsExactlyElementsOf(EXPECTED);
  }

  @ParameterizedTest
  @MethodSource("files")
  void runsGreen(Path file) throws Exception {
    ScenarioResult r = new ScenarioRunner(ScenarioLoader.load(file)).run();
    List<String> failed = new ArrayList<>();
    for (StepResult s : r.steps()) {
      if (!s.ok()) {
        failed.add(
            "#" + s.index() + " " + s.step().describe() + ": " + s.message() + " " + s.checks());
      }
    }
    assertThat(failed).as(file.toString()).isEmpty();
    assertThat(r.violations()).as(file.toString()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.dmasChecked()).isPositive();
  }

  @Test
  void tagExhaustionFailsTheAttachWithTheDriversReason() throws Exception {
    ScenarioResult r =
        new ScenarioRunner(ScenarioLoader.load(examples().resolve("04-tag-exhaustion.yaml"))).run();
    StepResult refused =
        r.steps().stream().filter(s -> s.error() != null).findFirst().orElseThrow();
    assertThat(refused.error()).isEqualTo(ErrorKind.TAG_EXHAUSTED);
    assertThat(refused.errorMessage()).contains("ASID");
    assertThat(refused.commands()).as("a refused attach sends nothing").isEmpty();
    assertThat(refused.ok()).isTrue();
  }

  @Test
  void anAtsUnmapInvalidatesTheTlbBeforeTheAtc() throws Exception {
    Scenario s = ScenarioLoader.load(examples().resolve("05-ats.yaml"));
    int unmap = -1;
    for (int i = 0; i < s.steps().size(); i++) {
      if (s.steps().get(i) instanceof UnmapStep) {
        unmap = i;
      }
    }
    int unmapStep = unmap;
    List<String> commands = new ArrayList<>();
    TraceListener trace =
        new TraceListener() {
          private volatile int step = -1;

          @Override
          public void step(int index, Step st) {
            step = index;
          }

          @Override
          public synchronized void command(String instance, Command command, String error) {
            if (step == unmapStep) {
              commands.add(command.opcode().specName());
            }
          }
        };
    assertThat(new ScenarioRunner(s).trace(trace).run().passed()).isTrue();
    assertThat(commands).containsExactly("TLBI_NH_VA", "CMD_SYNC", "ATC_INV", "CMD_SYNC");
  }
}
