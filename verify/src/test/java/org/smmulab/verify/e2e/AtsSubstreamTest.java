package org.smmulab.verify.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.invs.Invalidation;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * A master with ATS and SubstreamIDs: ATS is on while any SubstreamID is attached, whatever the
 * stream is attached to, so every SubstreamID's entries in its domain's array agree with the device
 * (its unmaps reach the ATC, and detaching it leaves nothing behind).
 */
class AtsSubstreamTest {
  private static final int SID = 0x31;
  private static final long IOVA = 0x7000_0000L;
  private static final long PA_A = 0x8000_0000L;
  private static final long PA_B = 0x9000_0000L;

  private Machine m;
  private Endpoint ep;
  private Master master;
  private PagingDomain a;
  private PagingDomain b;

  @BeforeEach
  void setUp() throws Exception {
    m = new Machine(QueueListener.NONE, SmmuPresets.mmu700Like());
    ep = Endpoint.withAts("accel", m.memory, m.smmus.get(0), 16, 1, SID);
    m.smmus.get(0).connect(ep);
    master = m.driver.addMaster("accel", m.devices.get(0).id(), new int[] {SID}, ep, 4);
    a = m.driver.newPagingDomain("a", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    b = m.driver.newPagingDomain("b", Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    a.map(IOVA, PA_A, 0x1000, Prot.READ | Prot.WRITE);
    b.map(IOVA, PA_B, 0x1000, Prot.READ | Prot.WRITE);
  }

  @org.junit.jupiter.api.AfterEach
  void tearDown() {
    m.close();
  }

  private DmaResult readPasid(int ssid) {
    return ep.dma(DmaRequest.read(SID, IOVA, 8).withSubstream(ssid));
  }

  private static List<Invalidation> atsEntries(PagingDomain domain) {
    InvalidationArray invs = domain.invalidations().get();
    List<Invalidation> out = new ArrayList<>();
    for (int i = 0; i < invs.numInvs(); i++) {
      if (invs.entry(i).type().isAts() && invs.entry(i).users() > 0) {
        out.add(invs.entry(i));
      }
    }
    return out;
  }

  @Test
  void aSubstreamOfABlockedStreamTurnsAtsOnAndItsUnmapReachesTheAtc() throws Exception {
    m.driver.attachPasid(master, 1, a);

    assertThat(ep.atsEnabled()).isTrue();
    assertThat(atsEntries(a)).singleElement().extracting(Invalidation::ssid).isEqualTo(1);
    DmaResult first = readPasid(1);
    assertThat(first.segments().get(0).pa()).isEqualTo(PA_A);
    assertThat(readPasid(1).segments().get(0).source()).isEqualTo(DmaSegment.Source.ATC);

    a.unmap(IOVA, 0x1000);
    assertThat(readPasid(1).faulted()).as("the ATC entry went with the unmap").isTrue();
  }

  @Test
  void aSubstreamAttachedBeforeTheStreamTurnedAtsOnIsInvalidatedInTheAtc() throws Exception {
    m.driver.attachPasid(master, 1, a);
    m.driver.attach(master, b);
    assertThat(readPasid(1).segments().get(0).pa()).isEqualTo(PA_A);
    assertThat(readPasid(1).segments().get(0).source()).isEqualTo(DmaSegment.Source.ATC);

    a.unmap(IOVA, 0x1000);
    assertThat(readPasid(1).faulted()).as("no stale ATC entry for SubstreamID 1").isTrue();
  }

  @Test
  void atsStaysOnWhileASubstreamOutlivesTheStreamAndNothingIsLeftAfterDetach() throws Exception {
    m.driver.attach(master, b);
    m.driver.attachPasid(master, 1, a);
    m.driver.detach(master);

    assertThat(ep.atsEnabled()).as("SubstreamID 1 still needs ATS").isTrue();
    assertThat(readPasid(1).segments().get(0).pa()).isEqualTo(PA_A);
    assertThat(atsEntries(a)).singleElement().extracting(Invalidation::ssid).isEqualTo(1);

    m.driver.detachPasid(master, 1);
    assertThat(ep.atsEnabled()).isFalse();
    assertThat(a.invalidations().get().numInvs()).as("a's array after the last detach").isZero();
    assertThat(b.invalidations().get().numInvs()).as("b's array after the last detach").isZero();
    assertThat(readPasid(1).faulted()).isTrue();
    assertThat(ep.dma(DmaRequest.read(SID, IOVA, 8)).faulted()).as("the stream aborts").isTrue();
  }
}
