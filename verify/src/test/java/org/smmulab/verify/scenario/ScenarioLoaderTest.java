package org.smmulab.verify.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * What the loader makes of valid files: declarations with their defaults and overrides, the number
 * and size syntax, every step form, and the expansion of {@code count} and {@code repeat}. (Every
 * kind of invalid file is covered through {@code smmulab run} in the cli module.)
 */
class ScenarioLoaderTest {
  private static Scenario parse(String text) throws ScenarioException {
    return ScenarioLoader.parse(text, "dir/t.yaml");
  }

  @Test
  void declarationsTakeDefaultsAndOverrides() throws Exception {
    Scenario s =
        parse(
            """
            driver: {asid-space: global, inject: [skip-tlbi, skip-cfgi]}
            instances:
              - {name: a, preset: minimal-s1, asid-bits: 16, tlb-entries: 4, granules: [4K, 64K]}
              - {name: b}
            devices:
              - {name: nic, instance: a, sid: [0x10, 0x11], ats: true, atc-entries: 8, ssid-bits: 3}
            domains:
              - {name: vm, stage: 2, granule: 64K, ias: 40, oas: 44}
              - {name: d}
            steps:
              - show: tags
            """);
    assertThat(s.name()).as("the file name without extension").isEqualTo("t");
    assertThat(s.driver().asidSpace()).isEqualTo(AsidSpace.GLOBAL);
    assertThat(s.driver().injections())
        .containsExactlyInAnyOrder(Injection.SKIP_TLBI, Injection.SKIP_CFGI);
    assertThat(s.driver().injectedAt())
        .containsEntry(Injection.SKIP_TLBI, new Position("dir/t.yaml", 1, 39))
        .containsEntry(Injection.SKIP_CFGI, new Position("dir/t.yaml", 1, 50));
    InstanceSpec a = s.instances().get(0);
    assertThat(a.preset()).isEqualTo("minimal-s1");
    assertThat(a.config().asidBits()).isEqualTo(16);
    assertThat(a.config().model().tlbEntries()).isEqualTo(4);
    assertThat(a.config().granules()).containsExactlyInAnyOrder(Granule.SIZE_4K, Granule.SIZE_64K);
    assertThat(a.config().stage2()).as("minimal-s1 keeps its own features").isFalse();
    assertThat(s.instances().get(1).preset()).isEqualTo("mmu-700-like");
    assertThat(s.instances().get(1).config().model())
        .as("an instance without overrides keeps every knob of its preset")
        .isEqualTo(SmmuPresets.mmu700Like().model());
    DeviceSpec nic = s.devices().get(0);
    assertThat(nic.streamIds()).containsExactly(0x10, 0x11);
    assertThat(nic.ats()).isTrue();
    assertThat(nic.atcEntries()).isEqualTo(8);
    assertThat(nic.ssidBits()).isEqualTo(3);
    assertThat(nic.at()).isEqualTo(new Position("dir/t.yaml", 6, 5));
    DomainSpec vm = s.domains().get(0);
    assertThat(vm.stage()).isEqualTo(Stage.STAGE_2);
    assertThat(vm.granule()).isEqualTo(Granule.SIZE_64K);
    assertThat(vm.ias()).isEqualTo(40);
    assertThat(vm.oas()).isEqualTo(44);
    DomainSpec d = s.domains().get(1);
    assertThat(List.<Object>of(d.stage(), d.granule(), d.ias(), d.oas()))
        .containsExactly(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
  }

  @Test
  void everyModelKnobCanBeOverriddenAndTheRestStay() throws Exception {
    Scenario s =
        parse(
            """
            instances:
              - name: a
                config-eviction-one-in: 8
                config-partial-refetch: false
                speculative-fill-period: 3
                walk-cache-entries: 5
            steps:
              - show: tags
            """);
    SmmuConfig.ModelKnobs k = s.instances().get(0).config().model();
    SmmuConfig.ModelKnobs preset = SmmuPresets.mmu700Like().model();
    assertThat(k.configEvictionOneIn()).isEqualTo(8);
    assertThat(k.configPartialRefetch()).isFalse();
    assertThat(k.speculativeFillPeriod()).isEqualTo(3);
    assertThat(k.walkCacheEntries()).isEqualTo(5);
    assertThat(k.walkCache()).isEqualTo(preset.walkCache());
    assertThat(k.tlbEntries()).isEqualTo(preset.tlbEntries());
    assertThat(k.asyncCommands()).isEqualTo(preset.asyncCommands());
  }

  @Test
  void operationStepsReadNumbersSizesAndFlags() throws Exception {
    Scenario s =
        parse(
            """
            scenario: ops
            instances: [{name: s0}]
            devices: [{name: dev, instance: s0, sid: 3, ssid-bits: 2}]
            domains: [{name: d}]
            steps:
              - map: {domain: d, iova: 0x1_0000_0000, pa: 2147483648, size: 2M, prot: R|NOEXEC}
              - map: {domain: d, iova: 0x200000, pa: 0x90000000, size: 4k, expect: {error: already-mapped}}
              - unmap: {domain: d, iova: 0x1_0000_0000, size: 0x200000}
              - attach: {device: dev, domain: d}
              - attach: {device: dev, pasid: 3, domain: d, expect: {error: tag-exhausted}}
              - attach: {device: dev, domain: blocked}
              - detach: dev
              - detach: {device: dev, pasid: 3}
            """);
    assertThat(s.name()).isEqualTo("ops");
    List<Step> steps = s.steps();
    assertThat(steps.get(0))
        .isEqualTo(
            new MapStep(
                new Position("dir/t.yaml", 6, 5),
                "d",
                0x1_0000_0000L,
                0x8000_0000L,
                2L << 20,
                Prot.READ | Prot.NOEXEC,
                null));
    assertThat(((MapStep) steps.get(1)).size()).isEqualTo(4096);
    assertThat(((MapStep) steps.get(1)).prot()).as("default").isEqualTo(Prot.READ | Prot.WRITE);
    assertThat(((MapStep) steps.get(1)).expectedError()).isEqualTo(ErrorKind.ALREADY_MAPPED);
    assertThat(((UnmapStep) steps.get(2)).size()).isEqualTo(0x20_0000);
    assertThat(steps.get(4))
        .isEqualTo(
            new AttachStep(
                new Position("dir/t.yaml", 10, 5), "dev", 3, "d", ErrorKind.TAG_EXHAUSTED));
    assertThat(((AttachStep) steps.get(5)).domain()).as("blocked").isNull();
    assertThat(steps.get(6)).isEqualTo(new DetachStep(new Position("dir/t.yaml", 12, 5), "dev", 0));
    assertThat(((DetachStep) steps.get(7)).pasid()).isEqualTo(3);
    assertThat(steps.get(4).describe()).isEqualTo("attach dev PASID 3 to d");
    assertThat(steps.get(0).describe()).isEqualTo("map d 0x100000000 +2M -> 0x80000000 R|NOEXEC");
  }

  @Test
  void dmaStepsTakeEveryExpectationForm() throws Exception {
    Scenario s =
        parse(
            """
            instances: [{name: s0}]
            devices: [{name: dev, instance: s0, sid: 3}]
            steps:
              - dma: {device: dev, iova: 0x1000}
              - dma: {device: dev, iova: 0x1000, access: write, size: 4096, expect: ok}
              - dma: {device: dev, iova: 0x1ff8, expect: fault}
              - dma: {device: dev, iova: 0x1000, expect: {pa: 0x80000000, via: TLB}}
              - dma: {device: dev, iova: 0x1000, expect: {fault: F_TRANSLATION}}
              - dma: {device: dev, iova: 0x1000, expect: {fault: unrecorded}}
            """);
    List<Step> steps = s.steps();
    DmaStep plain = (DmaStep) steps.get(0);
    assertThat(plain.size()).as("default size").isEqualTo(8);
    assertThat(plain.write()).isFalse();
    assertThat(plain.expect()).isNull();
    DmaStep write = (DmaStep) steps.get(1);
    assertThat(write.write()).isTrue();
    assertThat(write.size()).isEqualTo(4096);
    assertThat(write.expect()).isEqualTo(new DmaExpectation(true, null, null, null));
    assertThat(((DmaStep) steps.get(2)).expect())
        .isEqualTo(new DmaExpectation(false, null, null, null));
    assertThat(((DmaStep) steps.get(3)).expect())
        .isEqualTo(new DmaExpectation(true, 0x8000_0000L, null, DmaSegment.Source.TLB));
    assertThat(((DmaStep) steps.get(4)).expect())
        .isEqualTo(new DmaExpectation(false, null, "F_TRANSLATION", null));
    assertThat(((DmaStep) steps.get(5)).expect().fault()).isEqualTo(DmaExpectation.UNRECORDED);
  }

  @Test
  void expectAndShowStepsKeepWhatTheyCheck() throws Exception {
    Scenario s =
        parse(
            """
            instances: [{name: s0}, {name: s1}]
            devices: [{name: dev, instance: s0, sid: 3}]
            domains: [{name: d}, {name: v, stage: 2}]
            steps:
              - attach: {device: dev, domain: d}
              - expect:
                  tags:
                    s0: [{domain: d, type: S1_ASID, id: 1, users: 1}, {domain: v}]
                    s1: {asids: 0, vmids: 0}
                  arrays:
                    d: [{instance: s0, type: S1_ASID, id: 1}, {instance: s0, type: ATS, id: 3, ssid: 0}]
                  commands:
                    s0: {cfgi_ste: 2, CMD_SYNC: 2}
                    s1: {}
              - show: all
              - show: [tlb, tags]
            """);
    ExpectStep e = (ExpectStep) s.steps().get(1);
    assertThat(e.tags().get("s0").exact()).hasSize(2);
    assertThat(e.tags().get("s0").exact().get(1))
        .isEqualTo(new TagExpectation.Tag("v", null, null, null));
    assertThat(e.tags().get("s1")).isEqualTo(new TagExpectation(null, 0, 0));
    assertThat(e.arrays().get("d")).hasSize(2);
    assertThat(e.arrays().get("d").get(1).ssid()).isZero();
    assertThat(e.commands().get("s0"))
        .as("opcode names are case-insensitive and kept as the architecture spells them")
        .containsExactly(java.util.Map.entry("CFGI_STE", 2L), java.util.Map.entry("CMD_SYNC", 2L));
    assertThat(e.commands().get("s1")).isEmpty();
    assertThat(((ShowStep) s.steps().get(2)).parts()).isEqualTo(EnumSet.allOf(ShowStep.Part.class));
    assertThat(((ShowStep) s.steps().get(3)).parts())
        .containsExactly(ShowStep.Part.TAGS, ShowStep.Part.TLB);
  }

  @Test
  void countAndRepeatExpandWithTheirVariable() throws Exception {
    Scenario s =
        parse(
            """
            instances: [{name: s0}]
            devices: [{name: "dev{i}", count: 3, instance: s0, sid: 0x20}]
            domains: [{name: "d{i}", count: 3}]
            steps:
              - repeat:
                  count: 3
                  steps:
                    - attach: {device: "dev{i}", domain: "d{i}"}
                    - repeat:
                        count: 2
                        as: j
                        steps:
                          - dma: {device: "dev{i}", iova: "0x{j}000"}
            """);
    assertThat(s.devices()).extracting(DeviceSpec::name).containsExactly("dev0", "dev1", "dev2");
    assertThat(s.devices()).extracting(DeviceSpec::streamId).containsExactly(0x20, 0x21, 0x22);
    assertThat(s.domains()).extracting(DomainSpec::name).containsExactly("d0", "d1", "d2");
    assertThat(s.steps()).hasSize(9);
    assertThat(s.steps())
        .extracting(Step::describe)
        .startsWith(
            "attach dev0 to d0",
            "dma dev0 read 0x0 (8 bytes)",
            "dma dev0 read 0x1000 (8 bytes)",
            "attach dev1 to d1");
    assertThat(s.steps().get(3).at())
        .as("a repeated step keeps the position of what was written")
        .isEqualTo(s.steps().get(0).at());
  }

  @Test
  void aVariableOutsideItsRepeatIsReportedWhereItIsUsed() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    instances: [{name: s0}]
                    devices: [{name: dev, instance: s0, sid: 1}]
                    steps:
                      - repeat: {count: 2, steps: [{dma: {device: dev, iova: "{k}"}}]}
                    """))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("dir/t.yaml:4:58: 'iova' uses {k}, which is not bound here (bound: i)");
  }

  @Test
  void numbersAndSizesFollowTheDocumentedSyntax() {
    assertThat(Numbers.parse("0x8000_0000")).isEqualTo(0x8000_0000L);
    assertThat(Numbers.parse("0xffffffffffffffff")).isEqualTo(-1L);
    assertThat(Numbers.parse("0x1_0000_0000_0000_0000")).as("wider than 64 bits").isNull();
    assertThat(Numbers.parse("12ab")).isNull();
    assertThat(Numbers.parse("-1")).isNull();
    assertThat(Numbers.parseSize("4K")).isEqualTo(4096);
    assertThat(Numbers.parseSize("4k")).isEqualTo(4096);
    assertThat(Numbers.parseSize("2M")).isEqualTo(2L << 20);
    assertThat(Numbers.parseSize("1G")).isEqualTo(1L << 30);
    assertThat(Numbers.parseSize("0x10K")).isEqualTo(16L << 10);
    assertThat(Numbers.parseSize("9223372036854775807G")).as("overflows").isNull();
    assertThat(Numbers.parseSize("4KB")).isNull();
    assertThat(Numbers.size(8192)).isEqualTo("8K");
    assertThat(Numbers.size(3L << 30)).isEqualTo("3G");
    assertThat(Numbers.size(0x1800)).isEqualTo("6K");
    assertThat(Numbers.size(100)).isEqualTo("0x64");
  }
}
