package org.smmulab.peer.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.verify.scenario.ScenarioException;
import org.smmulab.verify.scenario.ScenarioLoader;

/**
 * Every kind of scenario the QEMU peer refuses, each reported at the node that asks for it. The
 * scenarios are valid for the model ({@link ScenarioLoader} accepts them); only the peer cannot run
 * them.
 */
class ScenarioRefusalsTest {
  /** Lines 1-6: one qemu-like instance, device a, domain d; steps follow from line 7. */
  private static final String HEAD =
      """
      instances:
        - {name: s, preset: qemu-like}
      devices:
        - {name: a, instance: s, sid: 0x10}
      domains:
        - {name: d, oas: 44}
      """;

  private static String steps(String... lines) {
    return HEAD + "steps:\n" + String.join("", lines);
  }

  private static ScenarioException refusal(String text) throws Exception {
    var scenario = ScenarioLoader.parse(text, "t.yaml");
    try {
      ScenarioAdapter.adapt(scenario);
    } catch (ScenarioException e) {
      return e;
    }
    throw new AssertionError("the peer accepted:\n" + text);
  }

  private static void assertRefused(String text, String position, String... words)
      throws Exception {
    ScenarioException e = refusal(text);
    assertThat(e.getMessage()).startsWith("t.yaml:" + position + ": ").contains(words);
    assertThat(e.getMessage().lines()).hasSize(1);
  }

  @Test
  void theHeadAloneIsAccepted() throws Exception {
    assertThat(
            ScenarioAdapter.adapt(
                    ScenarioLoader.parse(steps("  - attach: {device: a, domain: d}\n"), "t.yaml"))
                .plan()
                .steps())
        .hasSize(1);
  }

  @Test
  void aSecondInstance() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
          - {name: t, preset: qemu-like}
        steps:
          - show: tags
        """,
        "3:5",
        "one SMMU instance",
        "instance t");
  }

  @Test
  void anInstanceOfAnotherPresetOrWithOverrides() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s}
        steps:
          - show: tags
        """,
        "2:5",
        "preset mmu-700-like",
        "'preset: qemu-like' without overrides");
    assertRefused(
        """
        instances:
          - name: s
            preset: qemu-like
            range-invalidation: false
            tlb-entries: 4
        steps:
          - show: tags
        """,
        "2:5",
        "overrides preset qemu-like (rangeInvalidation, model.tlbEntries)");
  }

  @Test
  void moreDevicesThanEduDevices() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        devices:
          - {name: "e{i}", count: 3, instance: s, sid: 0x10}
          - {name: f, instance: s, sid: 0x40}
        steps:
          - show: tags
        """,
        "5:5",
        "at most 3 edu devices",
        "device f is device 4");
  }

  @Test
  void aDeviceWithAts() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        devices:
          - {name: a, instance: s, sid: 0x10}
          - {name: gpu, instance: s, sid: 0x18, ats: true}
        steps:
          - show: tags
        """,
        "5:5",
        "device gpu has ATS");
  }

  @Test
  void aDeviceWithSubstreamIds() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like, ssid-bits: 4}
        devices:
          - {name: accel, instance: s, sid: 0x10, ssid-bits: 4}
        steps:
          - show: tags
        """,
        "2:5",
        "overrides preset qemu-like (ssidBits)");
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        devices:
          - {name: accel, instance: s, sid: 0x10, ssid-bits: 4}
        steps:
          - show: tags
        """,
        "4:5",
        "device accel has SubstreamIDs (ssid-bits 4)");
  }

  @Test
  void aDeviceWithTwoStreamIds() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        devices:
          - {name: a, instance: s, sid: [0x10, 0x11]}
        steps:
          - show: tags
        """,
        "4:5",
        "device a has 2 StreamIDs",
        "edu0: 0x10");
  }

  @Test
  void aStageTwoDomain() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        domains:
          - {name: d, oas: 44}
          - {name: vm, stage: 2, oas: 44}
        steps:
          - show: tags
        """,
        "5:5",
        "domain vm is a stage-2 domain",
        "stage 1 only");
  }

  @Test
  void iovasAtOrAbove256MiB() throws Exception {
    assertRefused(
        steps("  - map: {domain: d, iova: 0x10000000, pa: 0x50000000, size: 4K}\n"),
        "8:5",
        "IOVA range [0x10000000, +4K) reaches 0x10000000",
        "below 256 MiB");
    assertRefused(
        steps("  - map: {domain: d, iova: 0xfffe000, pa: 0x50000000, size: 16K}\n"),
        "8:5",
        "IOVA range [0xfffe000, +16K)");
    assertRefused(
        steps("  - unmap: {domain: d, iova: 0x20000000, size: 4K}\n"), "8:5", "IOVA range");
    assertRefused(
        steps(
            "  - attach: {device: a, domain: d}\n",
            "  - dma: {device: a, iova: 0xffffff8, size: 8}\n",
            "  - dma: {device: a, iova: 0x10000000}\n"),
        "10:5",
        "IOVA range [0x10000000, +0x8)");
  }

  @Test
  void physicalAddressesOutsideTheScenarioWindow() throws Exception {
    assertRefused(
        steps("  - map: {domain: d, iova: 0x1000, pa: 0x80000000, size: 4K}\n"),
        "8:5",
        "pa range [0x80000000, +4K) is outside [0x50000000, 0x60000000)");
    assertRefused(
        steps("  - map: {domain: d, iova: 0x1000, pa: 0x5fffe000, size: 16K}\n"),
        "8:5",
        "pa range [0x5fffe000, +16K)");
    assertRefused(
        steps("  - map: {domain: d, iova: 0x1000, pa: 0x3000000, size: 4K}\n"), "8:5", "outside");
  }

  @Test
  void moreMappedMemoryThanThePeerMeasures() throws Exception {
    assertRefused(
        steps(
            "  - map: {domain: d, iova: 0x1000000, pa: 0x50000000, size: 8M}\n",
            "  - map: {domain: d, iova: 0x2000000, pa: 0x50000000, size: 8M, expect: {error:"
                + " already-mapped}}\n",
            "  - map: {domain: d, iova: 0x3000000, pa: 0x50800000, size: 8M}\n",
            "  - map: {domain: d, iova: 0x4000000, pa: 0x51000000, size: 4K}\n"),
        "11:5",
        "maps 16388K of physical memory, more than the 16M");
  }

  @Test
  void copiesEduCannotMake() throws Exception {
    assertRefused(
        steps(
            "  - attach: {device: a, domain: d}\n",
            "  - dma: {device: a, iova: 0x1000, size: 4095, access: write}\n",
            "  - dma: {device: a, iova: 0x1000, size: 4096}\n"),
        "10:5",
        "a DMA of 4096 bytes is longer than edu can copy: at most 4095 bytes");
  }

  @Test
  void anInjectionThePeerCannotShow() throws Exception {
    assertRefused(
        """
        driver:
          inject: [skip-tlbi, skip-atc-inv]
        instances:
          - {name: s, preset: qemu-like}
        steps:
          - show: tags
        """,
        "2:23",
        "inject skip-atc-inv does nothing on the QEMU peer");
  }

  @Test
  void aScenarioWithNothingToRun() throws Exception {
    assertRefused(
        """
        instances:
          - {name: s, preset: qemu-like}
        steps:
          - show: tags
          - expect: {tags: {s: {asids: 0}}}
        """,
        "4:5",
        "only expect and show steps");
  }

  @Test
  void theFirstRefusalInTheFileIsReported() throws Exception {
    assertThatThrownBy(
            () ->
                ScenarioAdapter.adapt(
                    ScenarioLoader.parse(
                        """
                        instances:
                          - {name: s, preset: qemu-like}
                        devices:
                          - {name: a, instance: s, sid: 0x10, ats: true}
                        domains:
                          - {name: vm, stage: 2, oas: 44}
                        steps:
                          - show: tags
                        """,
                        "t.yaml")))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("t.yaml:4:5: device a has ATS");
  }
}
