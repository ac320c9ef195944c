package org.smmulab.peer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.tags.AsidSpace;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.ScanResult;
import org.smmulab.peer.diff.DiffReport;
import org.smmulab.peer.diff.DifferentialRunner;
import org.smmulab.peer.diff.DmaObservation;
import org.smmulab.peer.diff.DomainShape;
import org.smmulab.peer.diff.MappedRegion;
import org.smmulab.peer.diff.PeerOp;
import org.smmulab.peer.diff.PeerStep;
import org.smmulab.peer.diff.PeerWorld;
import org.smmulab.peer.model.ModelMachine;
import org.smmulab.verify.scenario.ScenarioLoader;
import org.smmulab.verify.scenario.ScenarioRunner;

/**
 * How a scenario becomes a peer run, without QEMU: the example's translation, its data region and
 * what its DMAs move on the model, a model-against-model run of it, and what happens to
 * expectations.
 */
class ScenarioAdapterTest {
  private static final int RW = Prot.READ | Prot.WRITE;

  private static PeerScenario example() throws Exception {
    return ScenarioAdapter.adapt(ScenarioLoader.load(PeerExamples.qemuPeer()));
  }

  private static PeerStep step(PeerScenario s, String prefix) {
    return s.plan().steps().stream()
        .filter(st -> st.description().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step starting with " + prefix));
  }

  @Test
  void theExampleBecomesEduDevicesStageOneDomainsAndItsOperations() throws Exception {
    PeerScenario s = example();
    assertThat(s.devices()).isEqualTo(3);
    assertThat(s.options()).isEqualTo(DriverOptions.DEFAULTS);
    assertThat(s.plan().domains())
        .containsExactly(
            new DomainShape("shared", Granule.SIZE_4K, 48, 44),
            new DomainShape("own", Granule.SIZE_4K, 48, 44));
    List<PeerStep> steps = s.plan().steps();
    assertThat(steps).as("31 steps less 4 expect steps").hasSize(27);
    assertThat(steps.subList(0, 3))
        .extracting(PeerStep::op)
        .containsExactly(new PeerOp.Attach(0, 0), new PeerOp.Attach(1, 0), new PeerOp.Attach(2, 1));
    assertThat(steps.get(0).description())
        .isEqualTo("attach nic to shared at " + PeerExamples.qemuPeer() + ":25:5");
    assertThat(steps.get(3).op()).isEqualTo(new PeerOp.Map(0, 0x100000, 0x5000_0000L, 0x2000, RW));
    assertThat(step(s, "dma nic read 0x100000 (64 bytes)").op())
        .isEqualTo(new PeerOp.Dma(0, false, 0x100000, 0, 64));
    assertThat(step(s, "dma gpu write 0x101ff0").op())
        .isEqualTo(new PeerOp.Dma(1, true, 0x101ff0, 0, 16));
    assertThat(step(s, "detach gpu").op()).isEqualTo(new PeerOp.Detach(1));
    assertThat(step(s, "map shared 0x104000 +4K -> 0x50004000 R ").op())
        .isEqualTo(new PeerOp.Map(0, 0x104000, 0x5000_4000L, 0x1000, Prot.READ));
    assertThat(((MappedRegion) s.plan().region()).ranges())
        .as("every mapped range, the refused second map of 0x104000 included, merged")
        .containsExactly(
            new MappedRegion.Range(0x5000_0000L, 0x2000),
            new MappedRegion.Range(0x5000_4000L, 0x2000),
            new MappedRegion.Range(0x5010_0000L, 0x1000),
            new MappedRegion.Range(0x5020_0000L, 0x20_0000));
    assertThat(s.plan().notes())
        .containsExactly(
            "devices run as edu devices, in declaration order: nic as edu0 (StreamID 0x10), gpu as"
                + " edu1 (StreamID 0x18), disk as edu2 (StreamID 0x20)",
            "expectations are not evaluated on the peer (smmulab run checks them): 4 expect or show"
                + " steps left out, the expect of 15 operation or dma steps ignored");
    assertThat(s.plan().source())
        .isEqualTo("scenario qemu-peer (" + PeerExamples.qemuPeer() + "), 27 operations");
  }

  @Test
  void theExampleAgreesWithItselfOnTwoModels() throws Exception {
    PeerScenario s = example();
    try (ModelMachine a = new ModelMachine(s.devices());
        ModelMachine b = new ModelMachine(s.devices())) {
      DiffReport r = new DifferentialRunner(s.options(), line -> {}).run(a, b, s.plan());
      assertThat(r.differences()).isEmpty();
      assertThat(r.agreements()).isEqualTo(27);
      assertThat(r.dmas()).isEqualTo(14);
      assertThat(r.faultingDmas()).as("faults with an event record").isEqualTo(5);
    }
  }

  @Test
  void aDeviceReadFillsItsBufferFromThePatternAndALaterWriteCopiesItOut() throws Exception {
    PeerScenario s = example();
    try (ModelMachine m = new ModelMachine(s.devices())) {
      PeerWorld world = new PeerWorld(m, s.options(), s.plan().domains(), s.plan().region());
      DmaObservation nicWrite = null;
      DmaObservation gpuWrite = null;
      for (PeerStep st : s.plan().steps()) {
        DmaObservation o = world.apply(st.op()).dma();
        if (st.description().startsWith("dma nic write 0x100040")) {
          nicWrite = o;
          byte[] written = new byte[64];
          m.memory().read(0x5000_0040L, written, 0, 64);
          for (int i = 0; i < 64; i++) {
            assertThat(written[i])
                .as("byte %d: what the 64-byte read of range 0 brought in", i)
                .isEqualTo(PeerLayout.patternByte(0, i));
          }
        }
        if (st.description().startsWith("dma gpu write 0x101ff0")) {
          gpuWrite = o;
          assertThat(m.memory().read64(0x5000_1ff0L))
              .as("the GPU never read, so its buffer holds zeros")
              .isZero();
          break;
        }
      }
      assertThat(nicWrite).isNotNull();
      assertThat(nicWrite.sinks())
          .containsEntry("[0x50000000, 0x50002000)", new ScanResult(64, 0x40, 0x7f))
          .containsEntry("[0x50200000, 0x50400000)", ScanResult.CLEAN);
      assertThat(nicWrite.bytesChanged()).isEqualTo(64);
      assertThat(gpuWrite).isNotNull();
      assertThat(gpuWrite.sink("[0x50000000, 0x50002000)"))
          .isEqualTo(new ScanResult(16, 0x1ff0, 0x1fff));
    }
  }

  @Test
  void expectationsAreLeftOutOrIgnoredButTheirOperationsStillRun() throws Exception {
    String text =
        """
        instances:
          - {name: s, preset: qemu-like}
        devices:
          - {name: a, instance: s, sid: 0x1}
        domains:
          - {name: d, oas: 44}
        steps:
          - attach: {device: a, domain: d}
          - expect: {tags: {s: {asids: 7}}}
          - show: tags
          - map: {domain: d, iova: 0x1000, pa: 0x50000000, size: 4K}
          - dma: {device: a, iova: 0x1000, expect: {pa: 0x50001000}}
          - unmap: {domain: d, iova: 0x1000, size: 4K, expect: {error: not-mapped}}
          - attach: {device: a, domain: blocked}
        """;
    assertThat(new ScenarioRunner(ScenarioLoader.parse(text, "e.yaml")).run().passed())
        .as("the expectations are wrong on the model")
        .isFalse();
    PeerScenario s = ScenarioAdapter.adapt(ScenarioLoader.parse(text, "e.yaml"));
    assertThat(s.plan().steps())
        .extracting(PeerStep::op)
        .containsExactly(
            new PeerOp.Attach(0, 0),
            new PeerOp.Map(0, 0x1000, 0x5000_0000L, 0x1000, RW),
            new PeerOp.Dma(0, false, 0x1000, 0, 8),
            new PeerOp.Unmap(0, 0x1000, 0x1000),
            new PeerOp.Detach(0));
    assertThat(s.plan().notes())
        .containsExactly(
            "devices run as edu devices, in declaration order: a as edu0 (StreamID 0x10, not its"
                + " declared 0x1)",
            "expectations are not evaluated on the peer (smmulab run checks them): 2 expect or show"
                + " steps left out, the expect of 2 operation or dma steps ignored");
    try (ModelMachine a = new ModelMachine(s.devices());
        ModelMachine b = new ModelMachine(s.devices())) {
      DiffReport r = new DifferentialRunner(s.options(), line -> {}).run(a, b, s.plan());
      assertThat(r.agree()).isTrue();
      assertThat(r.steps()).isEqualTo(5);
    }
  }

  @Test
  void theScenariosAsidSpaceAndInjectionsReachTheDriver() throws Exception {
    PeerScenario s =
        ScenarioAdapter.adapt(
            ScenarioLoader.parse(
                """
                driver: {asid-space: global, inject: [skip-tlbi, skip-cfgi]}
                instances:
                  - {name: s, preset: qemu-like}
                steps:
                  - show: tags
                  - map: {domain: d, iova: 0x10000, pa: 0x5fff0000, size: 64K}
                domains:
                  - {name: d, granule: 64K, oas: 44}
                """,
                "i.yaml"));
    assertThat(s.options().injections())
        .containsExactlyInAnyOrder(Injection.SKIP_TLBI, Injection.SKIP_CFGI);
    assertThat(s.options().asidSpace()).isEqualTo(AsidSpace.GLOBAL);
    assertThat(s.devices()).as("one edu device even when the scenario declares none").isOne();
    assertThat(s.plan().domains()).containsExactly(new DomainShape("d", Granule.SIZE_64K, 48, 44));
  }
}
