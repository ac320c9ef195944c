package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.BlockedDomain;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * An instance with 8-bit ASIDs (or VMIDs) has 255 of them: the 256th domain attached there fails
 * cleanly and leaves the master, the arrays, the tags and the STE as they were; freeing one makes
 * room again.
 */
class TagExhaustionTest {
  @Test
  void runningOutOfAsidsFailsTheAttachAndChangesNothing() throws Exception {
    try (Machine m = new Machine(QueueListener.NONE, SmmuPresets.minimalS1())) {
      var id = m.devices.get(0).id();
      List<Master> masters = new ArrayList<>();
      List<PagingDomain> domains = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        masters.add(m.driver.addMaster("dev" + i, id, new int[] {i}, null, 0));
        domains.add(m.driver.newPagingDomain("d" + i, Stage.STAGE_1, Granule.SIZE_4K, 40, 40));
      }
      for (int i = 0; i < 255; i++) {
        m.driver.attach(masters.get(i), domains.get(i));
      }
      assertThat(m.driver.tagUsage(id).asids()).isEqualTo(255);
      PagingDomain last = domains.get(255);
      last.map(0x1000, 0x8000_0000L, 0x1000, Prot.READ);

      assertThatThrownBy(() -> m.driver.attach(masters.get(255), last))
          .isInstanceOf(AttachException.class)
          .hasMessageContaining("ASID")
          .extracting(e -> ((AttachException) e).kind())
          .isEqualTo(AttachException.Kind.TAG_EXHAUSTED);

      assertThat(m.driver.domainOf(masters.get(255))).isEqualTo(BlockedDomain.INSTANCE);
      assertThat(last.invalidations().get().numInvs()).isZero();
      assertThat(m.driver.tagUsage(id).asids()).isEqualTo(255);
      Endpoint dev = Endpoint.withoutAts("dev255", m.memory, m.smmus.get(0), 255);
      assertThat(dev.dma(DmaRequest.read(255, 0x1000, 8)).faulted()).as("still blocked").isTrue();

      m.driver.detach(masters.get(7));
      m.driver.attach(masters.get(255), last);
      assertThat(m.driver.tagOf(last, id).id()).as("the freed ASID is reused").isEqualTo(8);
      assertThat(dev.dma(DmaRequest.read(255, 0x1000, 8)).completed()).isTrue();
    }
  }

  @Test
  void runningOutOfVmidsWhileMovingFromAnotherDomainKeepsTheOldAttachmentWorking()
      throws Exception {
    SmmuConfig vmid8 = SmmuPresets.mmu700Like().toBuilder().vmid16(false).build();
    try (Machine m = new Machine(QueueListener.NONE, vmid8)) {
      var id = m.devices.get(0).id();
      for (int i = 0; i < 255; i++) {
        Master holder = m.driver.addMaster("holder" + i, id, new int[] {0x100 + i}, null, 0);
        m.driver.attach(
            holder, m.driver.newPagingDomain("s2-" + i, Stage.STAGE_2, Granule.SIZE_4K, 40, 40));
      }
      assertThat(m.driver.tagUsage(id).vmids()).isEqualTo(255);
      int sid = 0x42;
      Endpoint dev = Endpoint.withoutAts("mover", m.memory, m.smmus.get(0), sid);
      m.smmus.get(0).connect(dev);
      Master mover = m.driver.addMaster("mover", id, new int[] {sid}, null, 0);
      PagingDomain current = m.driver.newPagingDomain("s1", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      current.map(0x5000, 0x9000_0000L, 0x1000, Prot.READ);
      m.driver.attach(mover, current);
      PagingDomain wanted =
          m.driver.newPagingDomain("s2-wanted", Stage.STAGE_2, Granule.SIZE_4K, 40, 40);
      InvalidationArray currentArray = current.invalidations().get();
      var tagBefore = m.driver.tagOf(current, id);
      var commandsBefore = m.smmus.get(0).statistics().commandsByOpcode();

      assertThatThrownBy(() -> m.driver.attach(mover, wanted))
          .isInstanceOf(AttachException.class)
          .hasMessageContaining("VMID")
          .extracting(e -> ((AttachException) e).kind())
          .isEqualTo(AttachException.Kind.TAG_EXHAUSTED);

      assertThat(m.driver.domainOf(mover)).isSameAs(current);
      assertThat(current.invalidations().get()).isSameAs(currentArray);
      assertThat(wanted.invalidations().get().numInvs()).isZero();
      assertThat(m.driver.tagOf(current, id)).isEqualTo(tagBefore);
      assertThat(m.driver.tagUsage(id).vmids()).isEqualTo(255);
      assertThat(m.smmus.get(0).statistics().commandsByOpcode())
          .as("no entry was rewritten")
          .isEqualTo(commandsBefore);
      var dma = dev.dma(DmaRequest.read(sid, 0x5000, 8));
      assertThat(dma.completed()).as("still on its stage-1 domain: %s", dma.faultReason()).isTrue();
      assertThat(dma.segments().get(0).pa()).isEqualTo(0x9000_0000L);
    }
  }
}
