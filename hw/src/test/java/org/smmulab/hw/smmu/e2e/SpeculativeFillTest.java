package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
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
import org.smmulab.hw.smmu.config.ForwardingMemory;
import org.smmulab.hw.smmu.tlb.TlbEntry;

/**
 * Speculative fill caches translations nobody used, so a driver that changes a mapping it believes
 * "not yet used, hence not cached" without invalidating it is caught; those entries obey the same
 * invalidations as any other, and the generation protocol keeps a speculative walk that overlapped
 * an invalidation from caching what it read.
 */
class SpeculativeFillTest {
  private static final int SID = 6;
  private static final int ASID = 5;
  private static final long CD_ADDR = 0x180_0000L;
  private static final long L0 = 0x200_0000L;
  private static final long L1 = 0x200_1000L;
  private static final long L2 = 0x200_2000L;
  private static final long L3 = 0x200_3000L;
  private static final long PAGE_ATTRS = 0b11 | 1L << 10 | 1L << 6 | 1L << 11;
  private static final long OLD_PA = 0x50_0000L;
  private static final long NEW_PA = 0x90_0000L;

  private final PhysicalMemory memory = new PhysicalMemory(40);

  /** Maps all 512 pages of the one L3 table, page {@code i} to {@code base + i * 4K}. */
  private SoftwareSide start(Memory smmuMemory, SmmuConfig config) throws Exception {
    Smmu smmu = new Smmu("smmu0", config, smmuMemory);
    SoftwareSide sw = new SoftwareSide(smmu, memory, 6, 6).enable(8);
    sw.write(
        SoftwareSide.STRTAB + SID * 64L,
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
            .set(SteFields.S1_CONTEXT_PTR, CD_ADDR)
            .build()
            .toQwords());
    sw.write(CD_ADDR, FuzzWorld.cd(ASID, L0));
    memory.write64(L0, L1 | 0b11);
    memory.write64(L1, L2 | 0b11);
    memory.write64(L2, L3 | 0b11);
    for (int i = 0; i < 512; i++) {
      map(i, OLD_PA);
    }
    return sw;
  }

  private void map(int page, long base) throws BusAbort {
    memory.write64(L3 + page * 8L, (base + page * 0x1000L) | PAGE_ATTRS);
  }

  private static SmmuConfig config(boolean speculative, int period) {
    return Configs.speculationPeriod(
        Configs.speculative(Configs.async(SmmuPresets.mmu700Like(), false), speculative), period);
  }

  /** Pages 1..511 remapped without invalidation: how many are still served from the TLB, stale. */
  private int staleAfterUsingOnlyPageZero(SmmuConfig config) throws Exception {
    SoftwareSide sw = start(memory, config);
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      for (int i = 0; i < 256; i++) {
        assertThat(dev.dma(DmaRequest.read(SID, i * 8L, 8)).completed()).isTrue();
      }
      for (int page = 1; page < 512; page++) {
        map(page, NEW_PA);
      }
      int stale = 0;
      for (int page = 1; page < 512; page++) {
        DmaResult r = dev.dma(DmaRequest.read(SID, page * 0x1000L, 8));
        if (r.segments().get(0).pa() == OLD_PA + page * 0x1000L) {
          assertThat(r.segments().get(0).source()).isEqualTo(Source.TLB);
          stale++;
        }
      }
      return stale;
    }
  }

  @Test
  void pagesTheDeviceNeverUsedCanBeCachedAndServedStale() throws Exception {
    assertThat(staleAfterUsingOnlyPageZero(config(false, 1)))
        .as("without speculation only used pages are cached")
        .isZero();
    assertThat(staleAfterUsingOnlyPageZero(config(true, 1)))
        .as("with speculation on every hit, unused pages of the table were cached")
        .isGreaterThan(4);
  }

  @Test
  void aSpeculativeEntryGoesWithTheTlbiThatCoversItAndOnlyWithThatOne() throws Exception {
    SoftwareSide sw = start(memory, config(true, 1));
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      for (int i = 0; i < 64; i++) {
        dev.dma(DmaRequest.read(SID, i * 8L, 8));
      }
      List<TlbEntry> speculative =
          smmu.caches().tlbEntries().stream().filter(e -> e.inputBase() != 0).toList();
      assertThat(speculative).as("entries for pages never used").hasSizeGreaterThan(1);
      TlbEntry victim = speculative.get(0);

      sw.submit(Command.tlbiNhVa(0, ASID + 1, TlbiRange.single(victim.inputBase(), true)));
      assertThat(smmu.caches().tlbEntries()).as("another ASID's TLBI").contains(victim);
      sw.submit(Command.tlbiNhVa(0, ASID, TlbiRange.single(victim.inputBase(), true)));
      assertThat(smmu.caches().tlbEntries())
          .doesNotContain(victim)
          .containsAll(speculative.subList(1, speculative.size()));

      sw.submit(Command.tlbiNhAsid(0, ASID));
      assertThat(smmu.caches().tlbEntries()).isEmpty();
    }
  }

  /**
   * A speculative walk reads page 1's old descriptor, then stalls; meanwhile software remaps page 1
   * and its TLBI and CMD_SYNC complete. The stalled walk then finishes: its entry must not be
   * cached. Without the TLBI (the control case) the same walk does cache the old translation.
   */
  @Test
  void aSpeculativeWalkThatOverlappedACompletedInvalidationCachesNothing() throws Exception {
    assertThat(racedSpeculation(true)).as("after TLBI + CMD_SYNC").isEqualTo(NEW_PA + 0x1000);
    assertThat(racedSpeculation(false)).as("without the TLBI").isEqualTo(OLD_PA + 0x1000);
  }

  /** Returns where page 1 translates after the race. */
  private long racedSpeculation(boolean invalidate) throws Exception {
    StallingMemory stalling = new StallingMemory(memory, L3 + 8);
    SoftwareSide sw = start(stalling, config(true, Integer.MAX_VALUE));
    try (Smmu smmu = sw.smmu) {
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      CompletableFuture<DmaResult> first =
          CompletableFuture.supplyAsync(() -> dev.dma(DmaRequest.read(SID, 0, 8)));
      assertThat(stalling.reached.await(5, TimeUnit.SECONDS))
          .as("the speculative walk of page 1 read its descriptor")
          .isTrue();

      map(1, NEW_PA);
      if (invalidate) {
        sw.submit(Command.tlbiNhVa(0, ASID, TlbiRange.single(0x1000, true)));
      }
      stalling.release.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS).segments().get(0).pa()).isEqualTo(OLD_PA);

      DmaResult page1 = dev.dma(DmaRequest.read(SID, 0x1000, 8));
      assertThat(page1.segments().get(0).source()).isEqualTo(invalidate ? Source.WALK : Source.TLB);
      return page1.segments().get(0).pa();
    }
  }

  /** Memory that stalls the first read of one word after reading it, until released. */
  private static final class StallingMemory extends ForwardingMemory {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final long stallAt;

    StallingMemory(Memory target, long stallAt) {
      super(target);
      this.stallAt = stallAt;
    }

    @Override
    public long read64(long pa) throws BusAbort {
      long value = super.read64(pa);
      if (pa == stallAt && reached.getCount() > 0) {
        reached.countDown();
        try {
          if (!release.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the stalled read was never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return value;
    }
  }
}
