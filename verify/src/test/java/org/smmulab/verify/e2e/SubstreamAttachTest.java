package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/** Two SubstreamIDs of one master on two stage-1 domains, each with its own ASID. */
class SubstreamAttachTest {
  private static final int SID = 0x55;
  private static final long IOVA = 0x7000_0000L;

  @Test
  void eachSubstreamTranslatesThroughItsOwnDomain() throws Exception {
    try (Machine m = new Machine(QueueListener.NONE, SmmuPresets.mmu700Like())) {
      var id = m.devices.get(0).id();
      Endpoint ep = Endpoint.withAts("accel", m.memory, m.smmus.get(0), 16, 1, SID);
      m.smmus.get(0).connect(ep);
      Master master = m.driver.addMaster("accel", id, new int[] {SID}, ep, 4);
      PagingDomain a = m.driver.newPagingDomain("a", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      PagingDomain b = m.driver.newPagingDomain("b", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
      a.map(IOVA, 0x8000_0000L, 0x1000, Prot.READ | Prot.WRITE);
      b.map(IOVA, 0x9000_0000L, 0x1000, Prot.READ | Prot.WRITE);

      m.driver.attachPasid(master, 1, a);
      m.driver.attachPasid(master, 2, b);

      assertThat(m.driver.tagOf(a, id).id()).isNotEqualTo(m.driver.tagOf(b, id).id());
      DmaResult viaA = ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(1));
      DmaResult viaB = ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(2));
      assertThat(viaA.segments().get(0).pa()).isEqualTo(0x8000_0000L);
      assertThat(viaB.segments().get(0).pa()).isEqualTo(0x9000_0000L);
      assertThat(ep.atsEnabled()).as("the SubstreamIDs use ATS").isTrue();
      DmaResult noPasid = ep.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(noPasid.faulted()).as("the stream itself is blocked").isTrue();
      assertThat(noPasid.faultReason())
          .as("CD 0 is invalid, so the stream's ATS request is refused")
          .isEqualTo("ATS request refused");

      a.unmap(IOVA, 0x1000);
      assertThat(ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(1)).faulted()).isTrue();
      assertThat(ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(2)).completed()).isTrue();

      m.driver.detachPasid(master, 2);
      assertThat(ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(2)).faulted()).isTrue();
      assertThat(m.driver.tagOf(b, id)).as("b's last user left").isNull();

      assertThatThrownBy(() -> m.driver.attachPasid(master, 16, b))
          .isInstanceOf(AttachException.class)
          .extracting(e -> ((AttachException) e).kind())
          .isEqualTo(AttachException.Kind.UNSUPPORTED);
    }
  }
}
