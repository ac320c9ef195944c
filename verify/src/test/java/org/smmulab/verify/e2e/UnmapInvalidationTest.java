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
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * Unmaps whose invalidation needs care, on an instance with range invalidation and strict level
 * hints (a TLBI with TTL=3 leaves a 2 MiB block entry in place, as the architecture allows).
 */
class UnmapInvalidationTest {
  private static final int SID = 0x30;
  private static final long PAGE = 0x1ff000L;
  private static final long BLOCK = 0x200000L;
  private static final long PA = 0x8000_0000L;

  @Test
  void unmapOfAPageAndABlockRemovesBothFromTheTlb() throws Exception {
    try (Machine m = new Machine(QueueListener.NONE, SmmuPresets.mmu700Like())) {
      assertThat(m.smmus.get(0).config().model().strictTtl()).isTrue();
      Endpoint dev = Endpoint.withoutAts("dev", m.memory, m.smmus.get(0), SID);
      m.smmus.get(0).connect(dev);
      Master master = m.driver.addMaster("dev", m.devices.get(0).id(), new int[] {SID}, null, 0);
      PagingDomain domain = m.driver.newPagingDomain("d", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      m.driver.attach(master, domain);
      // PA and IOVA share their 2 MiB alignment: one 4 KiB page, then one 2 MiB block.
      domain.map(PAGE, PA + PAGE, 0x1000 + BLOCK, Prot.READ | Prot.WRITE);
      assertThat(domain.table().walk(leaf -> {}).leaves()).isEqualTo(2);
      assertThat(dev.dma(DmaRequest.read(SID, PAGE, 8)).completed()).isTrue();
      assertThat(dev.dma(DmaRequest.read(SID, BLOCK + 0x1234, 8)).completed()).isTrue();

      domain.unmap(PAGE, 0x1000 + BLOCK);

      assertThat(dev.dma(DmaRequest.read(SID, PAGE, 8)).faulted()).isTrue();
      assertThat(dev.dma(DmaRequest.read(SID, BLOCK + 0x1234, 8)).faulted())
          .as("the block's TLB entry must not survive a level-3 hint")
          .isTrue();
    }
  }
}
