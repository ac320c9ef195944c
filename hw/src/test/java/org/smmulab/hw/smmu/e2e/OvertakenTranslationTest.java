package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.config.ForwardingMemory;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * A translation that an invalidation overtakes: software changes what the translation is reading
 * while it reads it, and completes its CFGI, TLBI and CMD_SYNC before the translation finishes.
 * Once that sync has completed no transaction may use the retired configuration, so the translation
 * must not end on it. The memory below runs the software's steps in the middle of a descriptor
 * read, on the translating thread, which makes the interleaving exact.
 */
class OvertakenTranslationTest {
  private static final int SID = 6;
  private static final long IOVA = 0x40_0000L;
  private static final long PAGE_ATTRS = 0b11 | 1L << 10 | 1L << 6 | 1L << 11;
  private static final long PA_OLD = 0x50_0000L;
  private static final long PA_OLD_LATER = 0x51_0000L;
  private static final long PA_NEW = 0x70_0000L;

  private final PhysicalMemory physical = new PhysicalMemory(40);
  private final Domain first = new Domain(5, 0x180_0000L, 0x200_0000L);
  private final Domain second = new Domain(6, 0x190_0000L, 0x300_0000L);

  /** One stage-1 domain: a CD with its ASID and four levels of tables mapping {@code IOVA}. */
  private record Domain(int asid, long cd, long tables) {
    long l3Pte() {
      return tables + 3 * 0x1000L + ((IOVA >>> 12) & 511) * 8;
    }

    void build(PhysicalMemory memory, long pa) throws BusAbort {
      long[] cdWords = FuzzWorld.cd(asid, tables);
      for (int i = 0; i < cdWords.length; i++) {
        memory.write64(cd + 8L * i, cdWords[i]);
      }
      memory.write64(tables, tables + 0x1000 | 0b11);
      memory.write64(tables + 0x1000, tables + 0x2000 | 0b11);
      memory.write64(tables + 0x2000 + 2 * 8, tables + 0x3000 | 0b11);
      memory.write64(l3Pte(), pa | PAGE_ATTRS);
    }
  }

  private static long[] steFor(Domain domain) {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
        .set(SteFields.S1_CONTEXT_PTR, domain.cd())
        .build()
        .toQwords();
  }

  /** What the software does in the middle of a descriptor read. */
  private interface Step {
    void run() throws BusAbort;
  }

  /**
   * A memory that runs {@code step} whenever the first domain's leaf descriptor is read; a step
   * that fails fails the test rather than the read.
   */
  private final class SteppingMemory extends ForwardingMemory {
    Step step = () -> {};
    int leafReads;

    SteppingMemory() {
      super(physical);
    }

    @Override
    public long read64(long pa) throws BusAbort {
      if (pa == first.l3Pte()) {
        leafReads++;
        try {
          step.run();
        } catch (BusAbort e) {
          throw new AssertionError("the software's step failed", e);
        }
      }
      return super.read64(pa);
    }
  }

  private SoftwareSide start(SteppingMemory memory) throws BusAbort {
    Smmu smmu = new Smmu("smmu0", Configs.async(SmmuPresets.mmu700Like(), false), memory);
    SoftwareSide sw = new SoftwareSide(smmu, memory, 6, 6).enable(8);
    first.build(physical, PA_OLD);
    second.build(physical, PA_NEW);
    sw.write(SoftwareSide.STRTAB + SID * 64L, steFor(first));
    return sw;
  }

  @Test
  void aStreamMovedToAnotherDomainMidWalkEndsOnTheNewDomain() throws Exception {
    SteppingMemory memory = new SteppingMemory();
    SoftwareSide sw = start(memory);
    try (Smmu smmu = sw.smmu) {
      memory.step =
          () -> {
            memory.step = () -> {};
            sw.write(SoftwareSide.STRTAB + SID * 64L, steFor(second));
            sw.submit(
                Command.cfgiSte(SID, true),
                Command.cfgiCdAll(SID),
                Command.tlbiNhAsid(0, first.asid()));
            physical.write64(first.l3Pte(), PA_OLD_LATER | PAGE_ATTRS);
          };

      TranslationOutcome outcome = smmu.translate(Transaction.read(SID, IOVA));

      assertThat(outcome.status()).isEqualTo(TranslationOutcome.Status.TRANSLATED);
      assertThat(outcome.outputAddress())
          .as("the old domain's page, mapped after the stream left it, is never reached")
          .isEqualTo(PA_NEW);
      assertThat(smmu.translate(Transaction.read(SID, IOVA)).outputAddress())
          .as("nothing of the overtaken walk was cached")
          .isEqualTo(PA_NEW);
    }
  }

  @Test
  void endlessInvalidationsDelayATranslationButDoNotStarveIt() throws Exception {
    SteppingMemory memory = new SteppingMemory();
    SoftwareSide sw = start(memory);
    try (Smmu smmu = sw.smmu) {
      memory.step = () -> sw.submit(Command.tlbiNhAsid(0, 9));

      TranslationOutcome outcome = smmu.translate(Transaction.read(SID, IOVA));

      assertThat(outcome.outputAddress()).isEqualTo(PA_OLD);
      assertThat(memory.leafReads)
          .as("overtaken attempts were made again, a bounded number of times")
          .isBetween(2, 16);
    }
  }

  @Test
  void aTranslationNobodyOvertakesIsMadeOnce() throws Exception {
    SteppingMemory memory = new SteppingMemory();
    SoftwareSide sw = start(memory);
    try (Smmu smmu = sw.smmu) {
      assertThat(smmu.translate(Transaction.read(SID, IOVA)).outputAddress()).isEqualTo(PA_OLD);
      assertThat(memory.leafReads).isEqualTo(1);
    }
  }
}
