package org.smmulab.hw.pcie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.txn.Permissions;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

class EndpointTest {
  private static final int SID = 3;
  private static final Permissions READ_ONLY = new Permissions(Permissions.READ_UNPRIV);
  private static final Permissions READ_WRITE =
      new Permissions(Permissions.READ_UNPRIV | Permissions.WRITE_UNPRIV);

  /** A page map standing in for the SMMU: IOVA page to PA page with permissions. */
  private static final class PagePort implements UpstreamPort {
    final Map<Long, Long> pages = new HashMap<>();
    final Map<Long, Permissions> permissions = new HashMap<>();
    int requests;
    int translatedAccesses;

    /** Runs after a request's completion was computed, before it is returned. */
    Runnable whileCompletionTravels = () -> {};

    void map(long iova, long pa, Permissions p) {
      pages.put(iova >>> 12, pa >>> 12);
      permissions.put(iova >>> 12, p);
    }

    @Override
    public TranslationOutcome translate(Transaction txn) {
      Long pa = pages.get(txn.address() >>> 12);
      if (pa == null || !permissions.get(txn.address() >>> 12).allows(txn)) {
        return TranslationOutcome.terminated(null, TranslationOutcome.Source.WALK);
      }
      return TranslationOutcome.translated(
          (pa << 12) | (txn.address() & 0xfff), TranslationOutcome.Source.WALK);
    }

    @Override
    public AtsCompletion translationRequest(Transaction txn) {
      requests++;
      long page = txn.address() >>> 12;
      Long pa = pages.get(page);
      if (pa == null) {
        return AtsCompletion.failure(null);
      }
      AtsCompletion completion =
          AtsCompletion.success(
              new AtcEntry(
                  txn.substreamValid(),
                  txn.substreamId(),
                  false,
                  page << 12,
                  12,
                  pa << 12,
                  permissions.get(page)));
      whileCompletionTravels.run();
      return completion;
    }

    @Override
    public TranslationOutcome translatedAccess(Transaction txn) {
      translatedAccesses++;
      return TranslationOutcome.translated(txn.address(), TranslationOutcome.Source.CONFIG);
    }
  }

  private final PhysicalMemory memory = new PhysicalMemory(40);
  private final PagePort port = new PagePort();

  @Test
  void aDmaIsSplitAtPageBoundariesAndMovesTheBytes() throws BusAbort {
    port.map(0x1000, 0x50_0000, READ_WRITE);
    port.map(0x2000, 0x90_0000, READ_WRITE);
    Endpoint ep = Endpoint.withoutAts("nic", memory, port, SID);
    byte[] data = new byte[0x20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i + 1);
    }

    DmaResult write = ep.dma(DmaRequest.write(SID, 0x1ff0, data));

    assertThat(write.completed()).isTrue();
    assertThat(write.segments())
        .containsExactly(
            new DmaSegment(0x1ff0, 0x50_0ff0, 0x10, DmaSegment.Source.WALK),
            new DmaSegment(0x2000, 0x90_0000, 0x10, DmaSegment.Source.WALK));
    assertThat(memory.read8(0x50_0ff0)).isEqualTo((byte) 1);
    assertThat(memory.read8(0x90_000f)).isEqualTo((byte) 0x20);
    assertThat(ep.dma(DmaRequest.read(SID, 0x1ff0, 0x20)).data()).isEqualTo(data);
  }

  @Test
  void aDmaStopsAtTheFirstPageThatFaults() throws BusAbort {
    port.map(0x1000, 0x50_0000, READ_WRITE);
    Endpoint ep = Endpoint.withoutAts("nic", memory, port, SID);

    DmaResult result = ep.dma(DmaRequest.write(SID, 0x1ffc, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));

    assertThat(result.faulted()).isTrue();
    assertThat(result.faultIova()).isEqualTo(0x2000);
    assertThat(result.segments()).hasSize(1);
    assertThat(memory.read8(0x50_0fff)).as("the first page was written").isEqualTo((byte) 4);
    assertThat(ep.dmaCounts()).isEqualTo(new Endpoint.DmaCounts(1, 1));
  }

  @Test
  void withAtsTheSecondAccessIsServedByTheAtcUntilInvalidated() {
    port.map(0x4000, 0x70_0000, READ_WRITE);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    ep.setAtsEnabled(true);

    assertThat(ep.dma(DmaRequest.read(SID, 0x4000, 8)).segments().get(0).source())
        .isEqualTo(DmaSegment.Source.ATS_REQUEST);
    port.pages.clear();
    assertThat(ep.dma(DmaRequest.read(SID, 0x4008, 8)).segments().get(0))
        .as("the ATC still holds the translation the SMMU no longer has")
        .isEqualTo(new DmaSegment(0x4008, 0x70_0008, 8, DmaSegment.Source.ATC));
    assertThat(port.requests).isEqualTo(1);
    assertThat(port.translatedAccesses).isEqualTo(2);

    assertThat(ep.invalidate(Command.atcInv(SID, 0, 0x4000, 0, false))).isTrue();
    assertThat(ep.dma(DmaRequest.read(SID, 0x4000, 8)).faulted()).isTrue();
  }

  @Test
  void aReadOnlyCompletionMakesAWriteAskAgainAndFail() {
    port.map(0x4000, 0x70_0000, READ_ONLY);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    ep.setAtsEnabled(true);
    assertThat(ep.dma(DmaRequest.read(SID, 0x4000, 8)).completed()).isTrue();

    assertThat(ep.dma(DmaRequest.write(SID, 0x4000, new byte[8])).faulted()).isTrue();
    assertThat(port.requests).isEqualTo(2);
  }

  @Test
  void theFaultKnobLeavesTheAtcUntouchedAndReportsFailure() {
    port.map(0x4000, 0x70_0000, READ_WRITE);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    ep.setAtsEnabled(true);
    ep.dma(DmaRequest.read(SID, 0x4000, 8));
    ep.setFailInvalidations(true);

    assertThat(ep.invalidate(Command.atcInv(SID, 0, 0, 52, false))).isFalse();
    assertThat(ep.atc().entries()).hasSize(1);
    ep.setFailInvalidations(false);
    assertThat(ep.invalidate(Command.atcInv(SID, 0, 0, 52, false))).isTrue();
    assertThat(ep.atc().entries()).isEmpty();
  }

  @Test
  void withoutAtsEnabledAccessesAreUntranslated() {
    port.map(0x4000, 0x70_0000, READ_WRITE);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    assertThat(ep.dma(DmaRequest.read(SID, 0x4000, 8)).segments().get(0).source())
        .isEqualTo(DmaSegment.Source.WALK);
    assertThat(port.requests).isZero();
  }

  @Test
  void misuseIsRefused() {
    Endpoint plain = Endpoint.withoutAts("nic", memory, port, SID);
    assertThatThrownBy(() -> plain.setAtsEnabled(true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Endpoint.withoutAts("none", memory, port))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DmaRequest.read(SID, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCompletionOvertakenByAnAtcInvalidationIsNotUsed() {
    port.map(0x4000, 0x50_0000, READ_ONLY);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    ep.setAtsEnabled(true);
    port.whileCompletionTravels =
        () -> {
          port.whileCompletionTravels = () -> {};
          port.map(0x4000, 0x70_0000, READ_ONLY);
          assertThat(ep.invalidate(Command.atcInv(SID, 0, 0x4000, 0, false))).isTrue();
        };

    DmaResult result = ep.dma(DmaRequest.read(SID, 0x4008, 8));

    assertThat(result.segments().get(0).pa())
        .as("the page was remapped and the ATC invalidated before the completion arrived")
        .isEqualTo(0x70_0008L);
    assertThat(port.requests).isEqualTo(2);
    assertThat(ep.dma(DmaRequest.read(SID, 0x4008, 8)).segments().get(0).source())
        .isEqualTo(DmaSegment.Source.ATC);
  }

  @Test
  void endlessAtcInvalidationsDelayARequestButDoNotStarveIt() {
    port.map(0x4000, 0x50_0000, READ_ONLY);
    Endpoint ep = Endpoint.withAts("gpu", memory, port, 8, 1, SID);
    ep.setAtsEnabled(true);
    port.whileCompletionTravels = () -> ep.invalidate(Command.atcInv(SID, 0, 0, 52, false));

    DmaResult result = ep.dma(DmaRequest.read(SID, 0x4008, 8));

    assertThat(result.completed()).isTrue();
    assertThat(result.segments().get(0).pa()).isEqualTo(0x50_0008L);
    assertThat(port.requests).as("a bounded number of requests").isBetween(2, 16);
  }
}
