package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.smmulab.peer.qemu.PeerTools;
import org.smmulab.peer.qemu.PeerUnavailableException;
import picocli.CommandLine;

/** {@code smmulab peer qemu}: exit codes, the missing-tool message and the JSON document. */
class PeerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

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
  void aShortRunAgreesAndPrintsOneJsonDocument() throws Exception {
    requireQemu();
    assertThat(run("peer", "qemu", "--seed", "2", "--ops", "30", "--json"))
        .as(err.toString())
        .isZero();
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("source").asText()).isEqualTo("seed 2, 30 operations");
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
