package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.tags.CacheTag;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.observe.SmmuStatistics;

/**
 * The driver on three instances of the hardware model: ATS devices on every instance share one
 * stage-1 and one stage-2 domain; each instance gets its own tag; DMA works after map and faults
 * after unmap on every instance, whether the translation was in the IOTLB or in a device's ATC; the
 * last detach per instance flushes and frees its tag; and each instance receives exactly the
 * commands the design says.
 */
class SharedDomainsTest {
  private static final long IOVA = 0x10_0000_0000L;
  private static final long PA = 0x8000_0000L;

  @Test
  void sharedDomainsAcrossThreeInstances() throws Exception {
    try (Machine m =
        new Machine(
            QueueListener.NONE,
            SmmuPresets.mmu700Like(),
            SmmuPresets.mmu700Like(),
            SmmuPresets.mmu700Like())) {
      PagingDomain s1 = m.driver.newPagingDomain("s1", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      PagingDomain s2 = m.driver.newPagingDomain("s2", Stage.STAGE_2, Granule.SIZE_4K, 48, 48);
      List<Endpoint> gpus = new ArrayList<>();
      List<Master> s1Masters = new ArrayList<>();
      List<Endpoint> nics = new ArrayList<>();
      List<Master> s2Masters = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        var smmu = m.smmus.get(i);
        var id = m.devices.get(i).id();
        Endpoint gpu = Endpoint.withAts("gpu" + i, m.memory, smmu, 16, i, 0x10 + i);
        Endpoint nic = Endpoint.withAts("nic" + i, m.memory, smmu, 16, i, 0x20 + i);
        smmu.connect(gpu);
        smmu.connect(nic);
        gpus.add(gpu);
        nics.add(nic);
        s1Masters.add(m.driver.addMaster("gpu" + i, id, new int[] {0x10 + i}, gpu, 0));
        s2Masters.add(m.driver.addMaster("nic" + i, id, new int[] {0x20 + i}, nic, 0));
      }
      List<Map<String, Long>> beforeAttach = allCommands(m);
      for (int i = 0; i < 3; i++) {
        m.driver.attach(s1Masters.get(i), s1);
        m.driver.attach(s2Masters.get(i), s2);
      }
      for (int i = 0; i < 3; i++) {
        // Per instance, the S1 master: CD 0 empty -> S1 CD (2 syncs), STE abort -> CD table (2
        // syncs), whole-ATC flush before ATS goes on (1); the S2 master: STE abort -> S2 (2
        // syncs), ATC flush (1). Each sync is one CFGI and one CMD_SYNC.
        assertThat(diff(commands(m, i), beforeAttach.get(i)))
            .as("attach commands on smmu%d", i)
            .containsExactlyInAnyOrderEntriesOf(
                Map.of("CFGI_CD", 2L, "CFGI_STE", 4L, "ATC_INV", 2L, "CMD_SYNC", 8L));
      }
      for (int i = 0; i < 3; i++) {
        var id = m.devices.get(i).id();
        CacheTag asid = m.driver.tagOf(s1, id);
        CacheTag vmid = m.driver.tagOf(s2, id);
        assertThat(asid.type()).isEqualTo(InvalidationType.S1_ASID);
        assertThat(asid.id()).as("per-instance ASID space: lowest free id").isEqualTo(1);
        assertThat(vmid.id()).isEqualTo(1);
        assertThat(m.driver.atsEnabled(s1Masters.get(i))).isTrue();
      }

      s1.map(IOVA, PA, 0x2000, Prot.READ | Prot.WRITE);
      s2.map(IOVA, PA + 0x10_0000, 0x2000, Prot.READ | Prot.WRITE);
      for (int i = 0; i < 3; i++) {
        DmaResult g = gpus.get(i).dma(DmaRequest.write(0x10 + i, IOVA + 0x10, new byte[] {7}));
        assertThat(g.completed()).as("gpu%d: %s", i, g.faultReason()).isTrue();
        assertThat(g.segments().get(0).pa()).isEqualTo(PA + 0x10);
        DmaResult n = nics.get(i).dma(DmaRequest.read(0x20 + i, IOVA + 0x1000, 8));
        assertThat(n.completed()).as("nic%d: %s", i, n.faultReason()).isTrue();
        assertThat(n.segments().get(0).pa()).isEqualTo(PA + 0x10_1000);
      }
      // A second access is served by each device's ATC.
      assertThat(gpus.get(2).dma(DmaRequest.read(0x12, IOVA, 8)).segments().get(0).source())
          .isEqualTo(DmaSegment.Source.ATC);

      List<Map<String, Long>> beforeUnmap = allCommands(m);
      s1.unmap(IOVA, 0x1000);
      s2.unmap(IOVA + 0x1000, 0x1000);
      for (int i = 0; i < 3; i++) {
        assertThat(gpus.get(i).dma(DmaRequest.read(0x10 + i, IOVA, 8)).faulted())
            .as("gpu%d after unmap", i)
            .isTrue();
        assertThat(nics.get(i).dma(DmaRequest.read(0x20 + i, IOVA + 0x1000, 8)).faulted())
            .as("nic%d after unmap", i)
            .isTrue();
        assertThat(gpus.get(i).dma(DmaRequest.read(0x10 + i, IOVA + 0x1000, 8)).completed())
            .as("the other page of gpu%d still works", i)
            .isTrue();
      }
      for (int i = 0; i < 3; i++) {
        // Per instance: one range TLBI per domain, one ATC_INV per ATS master, and two
        // CMD_SYNCs per domain (IOTLB batch, then ATC batch).
        assertThat(diff(commands(m, i), beforeUnmap.get(i)))
            .as("unmap commands on smmu%d", i)
            .containsExactlyInAnyOrderEntriesOf(
                Map.of("TLBI_NH_VA", 1L, "TLBI_S2_IPA", 1L, "ATC_INV", 2L, "CMD_SYNC", 4L));
      }

      // The last detach per instance flushes and frees that instance's tags.
      Map<String, Long> beforeDetach = commands(m, 1);
      List<Map<String, Long>> beforeDetachOthers = allCommands(m);
      m.driver.detach(s1Masters.get(1));
      m.driver.detach(s2Masters.get(1));
      assertThat(m.driver.tagOf(s1, m.devices.get(1).id())).isNull();
      assertThat(m.driver.tagOf(s2, m.devices.get(1).id())).isNull();
      assertThat(m.driver.tagUsage(m.devices.get(1).id()).asids()).isZero();
      // The S1 master: ATS off, STE -> abort (2 syncs), whole-ATC flush (1), CD 0 -> invalid (2
      // syncs), then its tag's flush; the S2 master: STE -> abort (2), ATC flush (1), tag flush.
      assertThat(diff(commands(m, 1), beforeDetach))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "CFGI_STE", 4L,
                  "CFGI_CD", 2L,
                  "ATC_INV", 2L,
                  "TLBI_NH_ASID", 1L,
                  "TLBI_S12_VMALL", 1L,
                  "CMD_SYNC", 10L));
      assertThat(diff(commands(m, 0), beforeDetachOthers.get(0))).as("smmu0 untouched").isEmpty();
      assertThat(diff(commands(m, 2), beforeDetachOthers.get(2))).as("smmu2 untouched").isEmpty();
      assertThat(m.driver.tagOf(s1, m.devices.get(0).id())).as("smmu0 still uses it").isNotNull();
      assertThat(gpus.get(1).dma(DmaRequest.read(0x11, IOVA + 0x1000, 8)).faulted())
          .as("detached: blocked")
          .isTrue();

      m.driver.attach(s1Masters.get(1), s1);
      assertThat(m.driver.tagOf(s1, m.devices.get(1).id()).id()).isEqualTo(1);
      assertThat(gpus.get(1).dma(DmaRequest.read(0x11, IOVA + 0x1000, 8)).completed()).isTrue();
    }
  }

  private static List<Map<String, Long>> allCommands(Machine m) {
    List<Map<String, Long>> out = new ArrayList<>();
    for (int i = 0; i < m.smmus.size(); i++) {
      out.add(commands(m, i));
    }
    return out;
  }

  private static Map<String, Long> commands(Machine m, int instance) {
    SmmuStatistics stats = m.smmus.get(instance).statistics();
    return stats.commandsByOpcode();
  }

  private static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new java.util.TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }
}
