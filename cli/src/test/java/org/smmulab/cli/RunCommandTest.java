package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code smmulab run}: exit codes, the text report, the JSON document and the trace file. */
class RunCommandTest {
  @TempDir Path dir;

  static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
  }

  static Stream<Path> exampleFiles() throws IOException {
    try (Stream<Path> s = Files.list(examples())) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @ParameterizedTest
  @MethodSource("exampleFiles")
  void everyExampleExitsZero(Path file) {
    Cli r = Cli.run("run", file.toString());
    assertThat(r.exitCode).as(r.out + r.err).isZero();
    assertThat(r.out).contains("PASSED: ").doesNotContain("FAIL ");
    assertThat(r.err).isEmpty();
  }

  @Test
  void theTextReportShowsTheMachineStepsTagsAndVerdict() {
    Cli r = Cli.run("run", examples().resolve("01-vm-shared-stage2.yaml").toString());
    assertThat(r.out)
        .contains("Scenario vm-shared-stage2 (")
        .contains("  nic      device behind smmu0, StreamID 0x10")
        .contains("  vm       stage-2 domain, 4K granule, 48-bit input, 48-bit output")
        .contains("smmu0: VMID 1 allocated for vm")
        .contains("smmu1 received TLBI_S2_IPA 1, CMD_SYNC 1")
        .contains("-> 0x80000000 via WALK")
        .containsPattern("Tags at the end\\R  smmu0    VMID 1 vm \\(1 user\\)")
        .endsWith(
            "PASSED: 13 steps, every expectation held; the oracle judged 6 DMAs and found no"
                + " violation.\n");
  }

  @Test
  void jsonIsOneDocumentOfTheDocumentedShape() {
    Cli r = Cli.run("run", examples().resolve("02-dma-api-per-device.yaml").toString(), "--json");
    assertThat(r.exitCode).isZero();
    assertThat(r.err).isEmpty();
    JsonNode root = r.json();
    assertThat(root.get("scenario").asText()).isEqualTo("dma-api-per-device");
    assertThat(root.get("passed").asBoolean()).isTrue();
    assertThat(root.get("expectationsFailed").asInt()).isZero();
    assertThat(root.get("violations").isArray()).isTrue();
    assertThat(root.get("violations")).isEmpty();
    JsonNode first = root.get("steps").get(0);
    assertThat(first.get("index").asInt()).isZero();
    assertThat(first.get("op").asText()).isEqualTo("attach");
    assertThat(first.get("ok").asBoolean()).isTrue();
    assertThat(first.get("line").asInt()).isEqualTo(24);
    JsonNode tag = root.get("tags").get("smmu0").get(1);
    assertThat(tag.get("type").asText()).isEqualTo("S1_ASID");
    assertThat(tag.get("id").asInt()).isEqualTo(2);
    assertThat(tag.get("domain").asText()).isEqualTo("nvme0-dma");
    assertThat(tag.get("users").asInt()).isEqualTo(1);
    assertThat(root.get("tags").get("smmu1").get(0).get("id").asInt()).isEqualTo(1);
    JsonNode counters = root.get("counters").get("smmu0");
    assertThat(counters.get("commands").get("CMD_SYNC").asLong()).isPositive();
    assertThat(counters.get("translated").asLong()).isPositive();
    assertThat(counters.get("tlb").get("inserts").asLong()).isPositive();
    JsonNode unmap = root.get("steps").get(10);
    assertThat(unmap.get("op").asText()).isEqualTo("unmap");
    assertThat(unmap.get("commands").get("smmu0").get("TLBI_NH_VA").asInt()).isEqualTo(1);
    assertThat(unmap.get("commands").has("smmu1")).isFalse();
    JsonNode dma = root.get("steps").get(12).get("dma");
    assertThat(dma.get("completed").asBoolean()).isFalse();
    assertThat(dma.get("fault").asText()).isEqualTo("F_TRANSLATION");
  }

  @Test
  void aFailedExpectationExitsOneAndIsReported() throws IOException {
    Path file =
        write(
            "fails.yaml",
            """
            instances: [{name: s0}]
            devices: [{name: dev, instance: s0, sid: 1}]
            domains: [{name: d}]
            steps:
              - attach: {device: dev, domain: d}
              - expect: {tags: {s0: [{domain: d, id: 5}]}}
            """);
    Cli text = Cli.run("run", file.toString());
    assertThat(text.exitCode).isEqualTo(1);
    assertThat(text.out)
        .contains("FAIL #1   line 6    expect tags")
        .contains("FAIL tags on s0: d has ASID 1, expected id 5")
        .contains("FAILED: 1 of 2 steps did not do what was expected (#1)");
    assertThat(text.err).isEmpty();
    Cli json = Cli.run("run", file.toString(), "--json");
    assertThat(json.exitCode).isEqualTo(1);
    assertThat(json.json().get("expectationsFailed").asInt()).isEqualTo(1);
    assertThat(json.json().get("steps").get(1).get("ok").asBoolean()).isFalse();
  }

  @Test
  void aViolationExitsOneAndIsListed() throws IOException {
    Path file =
        write(
            "stale.yaml",
            """
            driver: {inject: skip-tlbi}
            instances: [{name: s0, preset: qemu-like}]
            devices: [{name: dev, instance: s0, sid: 1}]
            domains: [{name: d, oas: 44}]
            steps:
              - attach: {device: dev, domain: d}
              - map: {domain: d, iova: 0x10000, pa: 0x80000000, size: 4K}
              - dma: {device: dev, iova: 0x10000}
              - unmap: {domain: d, iova: 0x10000, size: 4K}
              - dma: {device: dev, iova: 0x10000}
            """);
    Cli r = Cli.run("run", file.toString(), "--json");
    assertThat(r.exitCode).isEqualTo(1);
    JsonNode v = r.json().get("violations").get(0);
    assertThat(v.get("class").asText()).isEqualTo("stale-translation");
    assertThat(v.get("device").asText()).isEqualTo("dev");
    assertThat(v.get("iova").asText()).isEqualTo("0x10000");
    assertThat(v.get("pa").asText()).isEqualTo("0x80000000");
    assertThat(r.json().get("expectationsFailed").asInt()).isZero();
    Cli text = Cli.run("run", file.toString());
    assertThat(text.out).contains("VIOLATION stale-translation: dev sid 1 iova 0x10000");
    assertThat(text.out).contains("the oracle found 1 violation.");
  }

  @Test
  void theTraceHasOneJsonObjectPerStepCommandAndTranslation() throws IOException {
    Path trace = dir.resolve("trace.jsonl");
    Cli r =
        Cli.run(
            "run",
            examples().resolve("05-ats.yaml").toString(),
            "--trace",
            trace.toString(),
            "--json");
    assertThat(r.exitCode).isZero();
    r.json();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines =
        Files.readAllLines(trace).stream()
            .map(
                l -> {
                  try {
                    return mapper.readTree(l);
                  } catch (IOException e) {
                    throw new AssertionError("not JSON: " + l, e);
                  }
                })
            .toList();
    assertThat(lines).allSatisfy(n -> assertThat(n.has("type") && n.has("step")).isTrue());
    assertThat(lines.get(0).get("type").asText()).as("probe and reset first").isEqualTo("command");
    assertThat(lines.get(0).get("step").isNull()).isTrue();
    JsonNode unmapStep =
        lines.stream()
            .filter(n -> n.get("type").asText().equals("step"))
            .filter(n -> n.get("op").asText().equals("unmap"))
            .findFirst()
            .orElseThrow();
    int unmap = unmapStep.get("step").asInt();
    List<String> unmapCommands =
        lines.stream()
            .filter(n -> n.get("type").asText().equals("command"))
            .filter(n -> n.get("step").asInt(-1) == unmap)
            .map(n -> n.get("opcode").asText())
            .toList();
    assertThat(unmapCommands).containsExactly("TLBI_NH_VA", "CMD_SYNC", "ATC_INV", "CMD_SYNC");
    JsonNode atcInv =
        lines.stream()
            .filter(n -> n.get("type").asText().equals("command"))
            .filter(n -> n.get("opcode").asText().equals("ATC_INV"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(atcInv.get("fields").get("SID").asInt()).isEqualTo(0x30);
    assertThat(atcInv.get("error").isNull()).isTrue();
    assertThat(lines)
        .as("an ATS device's translated access passes the SMMU untranslated")
        .anySatisfy(
            n -> {
              assertThat(n.get("type").asText()).isEqualTo("translation");
              assertThat(n.get("sid").asInt()).isEqualTo(0x30);
              assertThat(n.get("address").asText()).isEqualTo("0x88000000");
              assertThat(n.get("status").asText()).isEqualTo("BYPASSED");
            });
    assertThat(lines)
        .as("the translation request that filled the device's ATC")
        .anySatisfy(
            n -> {
              assertThat(n.get("type").asText()).isEqualTo("ats-request");
              assertThat(n.get("sid").asInt()).isEqualTo(0x30);
              assertThat(n.get("succeeded").asBoolean()).isTrue();
              assertThat(n.get("outputBase").asText()).isEqualTo("0x88000000");
              assertThat(n.get("permissions").asText()).startsWith("priv R");
            });
  }

  @Test
  void theTraceShowsEachTranslationAndFault() throws IOException {
    Path trace = dir.resolve("trace.jsonl");
    Cli r =
        Cli.run(
            "run",
            examples().resolve("01-vm-shared-stage2.yaml").toString(),
            "--trace",
            trace.toString());
    assertThat(r.exitCode).isZero();
    List<String> lines = Files.readAllLines(trace);
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"type\":\"translation\"")
                    .contains("\"sid\":16,\"ssid\":null,\"address\":\"0x40000000\"")
                    .contains(
                        "\"status\":\"TRANSLATED\",\"source\":\"WALK\",\"pa\":\"0x80000000\""));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"type\":\"event\"")
                    .contains("\"event\":\"F_TRANSLATION\"")
                    .contains("\"written\":true"));
  }

  @Test
  void aMissingFileExitsTwoWithOneLine() {
    Path missing = dir.resolve("nope.yaml");
    Cli r = Cli.run("run", missing.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).containsExactly(missing + ": cannot read: no such file or directory");
  }

  @Test
  void aDirectoryExitsTwo() {
    Cli r = Cli.run("run", dir.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(dir + ": cannot read: it is a directory");
  }

  @Test
  void aTraceThatCannotBeWrittenExitsTwo() {
    Path trace = dir.resolve("no-such-dir").resolve("t.jsonl");
    Cli r =
        Cli.run("run", examples().resolve("05-ats.yaml").toString(), "--trace", trace.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines())
        .containsExactly(trace + ": cannot write the trace: no such file or directory");
  }

  @Test
  void aDeclarationTheDriverRefusesExitsTwoAtIt() throws IOException {
    Path file =
        write(
            "refused.yaml",
            """
            instances:
              - {name: wide, preset: minimal-s1, sid-bits: 24}
            devices:
              - {name: far, instance: wide, sid: 0x10000}
            steps: [{show: tags}]
            """);
    Cli r = Cli.run("run", file.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err).startsWith(file + ":4:5: the driver cannot add device far: ");
  }
}
