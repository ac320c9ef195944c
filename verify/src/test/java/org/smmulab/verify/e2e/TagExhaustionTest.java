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
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * An instance with 8-bit ASIDs has 255 of them: the 256th domain attached there fails cleanly and
 * leaves the master, the domain's array and the STE as they were; freeing one makes room again.
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
}
