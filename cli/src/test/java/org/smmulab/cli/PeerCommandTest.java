package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smmulab.peer.qemu.PeerTools;
import org.smmulab.peer.qemu.PeerUnavailableException;
import picocli.CommandLine;

/**
 * {@code smmulab peer qemu}: exit codes, the missing-tool message, scenario files and the JSON
 * document.
 */
class PeerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void withoutQemuItExitsTwoAndSaysWhatToInstall() {
    String before = System.getProperty("smmulab.qemu");
    System.setProperty("smmulab.qemu", "/nonexistent/qemu-system-aarch64");
    try {
      assertThat(run("peer", "qemu", "--ops", "5")).isEqualTo(2);
    } finally {
      if (before == null) {
        System.clearProperty("smmulab.qemu");
      } else {
        System.setProperty("smmulab.qemu", before);
      }
    }
    assertThat(err.toString())
        .contains("qemu-system-aarch64 (package qemu-system-arm)")
        .contains("apt-get install -y qemu-system-arm gcc-aarch64-linux-gnu");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void badOptionsExitTwo() {
    assertThat(run("peer", "qemu", "--ops", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--ops must be at least 1");
  }

  @Test
  void aScenarioAndASeedAreMutuallyExclusive() {
    String file = RunCommandTest.examples().resolve("06-qemu-peer.yaml").toString();
    assertThat(run("peer", "qemu", "--scenario", file, "--seed", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("are mutually exclusive");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aScenarioThePeerCannotRunIsOneLineAtItsNodeBeforeQemuStarts() throws Exception {
    Path file = dir.resolve("vm.yaml");
    Files.writeString(
        file,
        """
        instances:
          - {name: smmu0, preset: qemu-like}
        domains:
          - {name: d, oas: 44}
          - {name: vm, stage: 2, oas: 44}
        steps:
          - show: tags
        """);
    String before = System.getProperty("smmulab.qemu");
    System.setProperty("smmulab.qemu", "/nonexistent/qemu-system-aarch64");
    try {
      assertThat(run("peer", "qemu", "--scenario", file.toString())).isEqualTo(2);
    } finally {
      if (before == null) {
        System.clearProperty("smmulab.qemu");
      } else {
        System.setProperty("smmulab.qemu", before);
      }
    }
    assertThat(err.toString().lines())
        .containsExactly(
            file
                + ":5:5: domain vm is a stage-2 domain, but QEMU's SMMUv3 here implements stage 1"
                + " only");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMalformedOrMissingScenarioExitsTwoWithOneLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "instances: [{name: s, preset: qemu-like}\nsteps: []\n");
    assertThat(run("peer", "qemu", "--scenario", file.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement().asString().startsWith(file + ":");
    err.getBuffer().setLength(0);
    Path missing = dir.resolve("missing.yaml");
    assertThat(run("peer", "qemu", "--scenario", missing.toString())).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(missing + ": cannot read: no such file or directory");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theQemuPeerExampleAgreesAndPrintsOneJsonDocument() throws Exception {
    requireQemu();
    String file = RunCommandTest.examples().resolve("06-qemu-peer.yaml").toString();
    assertThat(run("peer", "qemu", "--scenario", file, "--json")).as(err.toString()).isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("source").asText())
        .isEqualTo("scenario qemu-peer (" + file + "), 27 operations");
    assertThat(root.get("notes")).hasSize(2);
    assertThat(root.get("notes").get(0).asText()).contains("nic as edu0 (StreamID 0x10)");
    assertThat(root.get("steps").asInt()).isEqualTo(27);
    assertThat(root.get("unexplained").asInt()).isZero();
    assertThat(root.get("agree").asBoolean()).isTrue();
  }

  @Test
  void aShortRunAgreesAndPrintsOneJsonDocument() throws Exception {
    requireQemu();
    assertThat(run("peer", "qemu", "--seed", "2", "--ops", "30", "--json"))
        .as(err.toString())
        .isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("source").asText()).isEqualTo("seed 2, 30 operations");
    assertThat(root.get("notes")).isEmpty();
    assertThat(root.get("steps").asInt()).isEqualTo(30);
    assertThat(root.get("unexplained").asInt()).isZero();
    assertThat(root.get("agree").asBoolean()).isTrue();
    for (JsonNode d : root.get("differences")) {
      assertThat(d.get("verdict").asText()).isIn("EXPLAINED", "KNOWN_QEMU_DEVIATION");
      assertThat(d.get("label").isTextual()).isTrue();
    }
  }

  private static void requireQemu() {
    try {
      PeerTools.find();
    } catch (PeerUnavailableException e) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("CI=true needs the QEMU peer: " + e.getMessage(), e);
      }
      Assumptions.abort("skipped: " + e.getMessage());
    }
  }
}
