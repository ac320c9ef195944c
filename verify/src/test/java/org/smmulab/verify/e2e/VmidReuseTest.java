package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * A VMID freed by one stage-2 domain and taken by the next leaves nothing of the first behind:
 * neither TLB entries nor walk-cache entries pointing into its tables.
 */
class VmidReuseTest {
  private static final int SID = 0x40;
  private static final long IOVA = 0x1000d4000L;

  @Test
  void theNextOwnerOfAVmidNeverWalksThePreviousOwnersTables() throws Exception {
    try (Machine m = new Machine(QueueListener.NONE, SmmuPresets.mmu700Like())) {
      Endpoint dev = Endpoint.withoutAts("dev", m.memory, m.smmus.get(0), SID);
      m.smmus.get(0).connect(dev);
      Master master = m.driver.addMaster("dev", m.devices.get(0).id(), new int[] {SID}, null, 0);
      PagingDomain first =
          m.driver.newPagingDomain("first", Stage.STAGE_2, Granule.SIZE_4K, 48, 48);
      PagingDomain second =
          m.driver.newPagingDomain("second", Stage.STAGE_2, Granule.SIZE_4K, 48, 48);
      for (int i = 0; i < 64; i++) {
        first.map(IOVA + i * 0x1000L, 0x8300_0000L + i * 0x1000L, 0x1000, Prot.READ);
        second.map(IOVA + i * 0x1000L, 0x8100_0000L + i * 0x1000L, 0x1000, Prot.READ);
      }
      for (int round = 0; round < 50; round++) {
        PagingDomain now = round % 2 == 0 ? first : second;
        long base = round % 2 == 0 ? 0x8300_0000L : 0x8100_0000L;
        m.driver.attach(master, now);
        assertThat(m.driver.tagOf(now, m.devices.get(0).id()).id()).isEqualTo(1);
        for (int i = 0; i < 64; i++) {
          DmaResult r = dev.dma(DmaRequest.read(SID, IOVA + i * 0x1000L + 8, 8));
          assertThat(r.completed()).as("round %d page %d: %s", round, i, r.faultReason()).isTrue();
          assertThat(r.segments().get(0).pa())
              .as("round %d page %d on %s", round, i, now.name())
              .isEqualTo(base + i * 0x1000L + 8);
        }
        m.driver.detach(master);
      }
    }
  }
}
