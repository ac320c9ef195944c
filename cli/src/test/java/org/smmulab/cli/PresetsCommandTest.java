package org.smmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code smmulab presets}: every preset with the parameters its documentation promises (see
 * SmmuPresets: QEMU's model is stage 1 only with a 44-bit OAS and no ATS; minimal-s1 has 8-bit
 * StreamIDs and ASIDs and a 40-bit OAS; mmu-700-like has both stages, ATS and 16-bit tags).
 */
class PresetsCommandTest {
  @Test
  void textListsEveryPresetWithItsKeyParameters() {
    Cli r = Cli.run("presets");
    assertThat(r.exitCode).isZero();
    assertThat(r.err).isEmpty();
    assertThat(r.out)
        .contains("mmu-700-like\n  stages 1+2, 16-bit ASIDs, 16-bit VMIDs, ATS, PRI, MSI")
        .contains("qemu-like\n  stage 1 only, 16-bit ASIDs")
        .contains("minimal-s1\n  stage 1 only, 8-bit ASIDs")
        .contains("StreamIDs 8 bits (linear stream table), SubstreamIDs 0 bits, 40-bit OAS")
        .contains("commands consumed by its own thread")
        .contains("commands consumed during the CMDQ_PROD write");
  }

  @Test
  void jsonHasEveryPresetsConfiguration() {
    Cli r = Cli.run("presets", "--json");
    assertThat(r.exitCode).isZero();
    JsonNode presets = r.json().get("presets");
    assertThat(presets)
        .extracting(p -> p.get("name").asText())
        .containsExactly("mmu-700-like", "qemu-like", "minimal-s1");
    JsonNode mmu700 = presets.get(0).get("config");
    assertThat(mmu700.get("stage2").asBoolean()).isTrue();
    assertThat(mmu700.get("ats").asBoolean()).isTrue();
    assertThat(mmu700.get("asidBits").asInt()).isEqualTo(16);
    assertThat(mmu700.get("oas").asInt()).isEqualTo(48);
    assertThat(mmu700.get("model").get("asyncCommands").asBoolean()).isTrue();
    JsonNode qemu = presets.get(1).get("config");
    assertThat(qemu.get("stage2").asBoolean()).isFalse();
    assertThat(qemu.get("ats").asBoolean()).isFalse();
    assertThat(qemu.get("oas").asInt()).isEqualTo(44);
    assertThat(qemu.get("sidBits").asInt()).isEqualTo(16);
    assertThat(qemu.get("model").get("tlbEntries").asInt()).isEqualTo(256);
    JsonNode minimal = presets.get(2).get("config");
    assertThat(minimal.get("asidBits").asInt()).isEqualTo(8);
    assertThat(minimal.get("sidBits").asInt()).isEqualTo(8);
    assertThat(minimal.get("oas").asInt()).isEqualTo(40);
    assertThat(minimal.get("granules").toString()).isEqualTo("[\"4K\"]");
  }
}
