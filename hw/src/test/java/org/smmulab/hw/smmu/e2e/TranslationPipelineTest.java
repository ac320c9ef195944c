package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment.Source;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.txn.Transaction;

/** The translation pipeline end to end: caches stay stale until the right command completes. */
class TranslationPipelineTest {
  private static final int SID = 6;
  private static final int ASID = 5;
  private static final long CD_ADDR = 0x180_0000L;
  private static final long L0 = 0x200_0000L;
  private static final long L1 = 0x200_1000L;
  private static final long L2 = 0x200_2000L;
  private static final long L3 = 0x200_3000L;
  private static final long IOVA = 0x40_0000L;
  private static final long PAGE_ATTRS = 0b11 | 1L << 10 | 1L << 6 | 1L << 11;

  private final PhysicalMemory memory = new PhysicalMemory(40);

  private SoftwareSide start(SmmuConfig config, int eats) throws Exception {
    Smmu smmu = new Smmu("smmu0", config, memory);
    SoftwareSide sw = new SoftwareSide(smmu, memory, 6, 6).enable(8);
    sw.write(
        SoftwareSide.STRTAB + SID * 64L,
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
            .set(SteFields.S1_CONTEXT_PTR, CD_ADDR)
            .set(SteFields.EATS, eats)
            .build()
            .toQwords());
    sw.write(CD_ADDR, FuzzWorld.cd(ASID, L0));
    memory.write64(L0, L1 | 0b11);
    memory.write64(L1, L2 | 0b11);
    memory.write64(L2 + 2 * 8, L3 | 0b11);
    return sw;
  }

  private void mapPage(long iova, long pa) throws Exception {
    memory.write64(L3 + ((iova >>> 12) & 511) * 8, pa | PAGE_ATTRS);
  }

  private static Command tlbiPage(long iova) {
    return Command.tlbiNhVa(0, ASID, TlbiRange.single(iova, true));
  }

  @Test
  void aChangedPteIsServedStaleFromTheTlbUntilTlbiAndSync() throws Exception {
    SoftwareSide sw = start(Configs.async(SmmuPresets.mmu700Like(), false), 0);
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      mapPage(IOVA, 0x50_0000L);
      assertThat(dev.dma(DmaRequest.read(SID, IOVA, 8)).segments().get(0).source())
          .isEqualTo(Source.WALK);
      mapPage(IOVA, 0x60_0000L);

      DmaResult stale = dev.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(stale.segments().get(0).source()).isEqualTo(Source.TLB);
      assertThat(stale.segments().get(0).pa()).isEqualTo(0x50_0000L);

      sw.submit(tlbiPage(IOVA));
      DmaResult fresh = dev.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(fresh.segments().get(0).source()).isEqualTo(Source.WALK);
      assertThat(fresh.segments().get(0).pa()).isEqualTo(0x60_0000L);
    }
  }

  @Test
  void aChangedSteIsServedFromTheConfigCacheUntilCfgi() throws Exception {
    SoftwareSide sw = start(Configs.async(SmmuPresets.mmu700Like(), false), 0);
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      mapPage(IOVA, 0x50_0000L);
      assertThat(dev.dma(DmaRequest.read(SID, IOVA, 8)).completed()).isTrue();
      sw.write(SoftwareSide.STRTAB + SID * 64L, new long[] {1, 0, 0, 0, 0, 0, 0, 0});

      assertThat(dev.dma(DmaRequest.read(SID, IOVA, 8)).completed())
          .as("the old STE is still cached")
          .isTrue();
      sw.submit(Command.cfgiSte(SID, true));
      DmaResult aborted = dev.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(aborted.faulted()).isTrue();
      assertThat(aborted.event()).as("an abort STE records nothing").isNull();
    }
  }

  @Test
  void speculativeFillCachesTheNextPageBeforeItIsUsed() throws Exception {
    SoftwareSide sw =
        start(Configs.speculative(Configs.async(SmmuPresets.mmu700Like(), false), true), 0);
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      mapPage(IOVA, 0x50_0000L);
      mapPage(IOVA + 0x1000, 0x51_0000L);
      dev.dma(DmaRequest.read(SID, IOVA, 8));
      DmaResult next = dev.dma(DmaRequest.read(SID, IOVA + 0x1000, 8));
      assertThat(next.segments().get(0).source()).isEqualTo(Source.TLB);
      assertThat(next.segments().get(0).pa()).isEqualTo(0x51_0000L);
    }
  }

  @Test
  void anAtcKeepsServingAnUnmappedPageUntilAtcInv() throws Exception {
    SoftwareSide sw = start(Configs.async(SmmuPresets.mmu700Like(), false), SteFields.EATS_FULL);
    try (Smmu smmu = sw.smmu) {
      Endpoint gpu = Endpoint.withAts("gpu", memory, smmu, 16, 1, SID);
      smmu.connect(gpu);
      gpu.setAtsEnabled(true);
      mapPage(IOVA, 0x50_0000L);
      assertThat(gpu.dma(DmaRequest.read(SID, IOVA, 8)).segments().get(0).source())
          .isEqualTo(Source.ATS_REQUEST);

      memory.write64(L3 + ((IOVA >>> 12) & 511) * 8, 0);
      sw.submit(tlbiPage(IOVA));
      DmaResult stale = gpu.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(stale.segments().get(0).source()).as("the ATC still has it").isEqualTo(Source.ATC);

      sw.submit(Command.atcInv(SID, 0, IOVA, 0, false));
      assertThat(gpu.dma(DmaRequest.read(SID, IOVA, 8)).faulted()).isTrue();
    }
  }

  @Test
  void atsRequestsWithoutEatsAreRefusedAndTranslatedTrafficIsCheckedWithAtschk() throws Exception {
    SoftwareSide sw = start(Configs.async(SmmuPresets.mmu700Like(), false), 0);
    try (Smmu smmu = sw.smmu) {
      Endpoint gpu = Endpoint.withAts("gpu", memory, smmu, 16, 1, SID);
      gpu.setAtsEnabled(true);
      mapPage(IOVA, 0x50_0000L);
      DmaResult refused = gpu.dma(DmaRequest.read(SID, IOVA, 8));
      assertThat(refused.event().type()).isEqualTo(EventType.F_BAD_ATS_TREQ);

      int cr0 = sw.regs.read32(RegisterOffsets.CR0) | 1 << 4;
      sw.regs.write32(RegisterOffsets.CR0, cr0);
      Registers.awaitEqual(sw.regs, RegisterOffsets.CR0ACK, cr0);
      assertThat(smmu.translatedAccess(Transaction.read(SID, 0x50_0000L)).event().type())
          .isEqualTo(EventType.F_TRANSL_FORBIDDEN);
    }
  }
}
