package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Random descriptors, random CD and STE translation fields and random addresses: a walk either
 * translates (consistently with the entry it returns) or ends in a {@link TranslationFault}; it
 * never throws anything else. Table pointers are biased towards the random pages so that walks go
 * deep; some point far outside memory to provoke external aborts.
 */
class WalkerGarbagePropertiesTest {
  private static final long REGION = 0x10_0000;
  private static final int PAGES = 16;
  private static final int[] OAS = {32, 36, 40, 42, 44, 48, 52};

  /**
   * Stage-2 {S2TG, S2SL0, S2T0SZ} combinations the architecture allows: 4K from L0 with 48 bits, 4K
   * from L1 with 40 bits (two concatenated tables) and 39 bits, 16K from L2 with 36 bits and from
   * L1 with 47 bits, 64K from L2 with 42 bits.
   */
  private static final int[][] CONSISTENT_S2 = {
    {0, 2, 16}, {0, 1, 24}, {0, 1, 25}, {2, 1, 28}, {2, 2, 17}, {1, 1, 22}
  };

  @Property(tries = 1000, seed = "20261124")
  void walksNeverThrowAnythingButTranslationFaults(@ForAll long seed) throws BusAbort {
    SplittableRandom random = new SplittableRandom(seed);
    PhysicalMemory memory = new PhysicalMemory(48);
    for (long pa = REGION; pa < REGION + PAGES * 0x1000L; pa += 8) {
      memory.write64(pa, descriptor(random));
    }
    boolean stage1 = random.nextBoolean();
    boolean stage2 = !stage1 || random.nextBoolean();
    Cd cd = cd(random);
    Ste ste = ste(random);
    ResolvedStream stream =
        new ResolvedStream(
            ResolvedStream.Mode.TRANSLATE,
            ste,
            stage1 ? cd : null,
            stage1,
            stage2,
            random.nextBoolean() ? CacheTag.World.NS_EL1 : CacheTag.World.EL2,
            ste.s2Vmid(),
            cd.asid());
    long address = address(random, stage1 ? 64 - cd.t0sz() : 64 - ste.s2T0sz());
    Transaction txn =
        new Transaction(
            1,
            random.nextBoolean(),
            random.nextInt(1 << 20),
            address,
            random.nextBoolean(),
            random.nextBoolean(),
            random.nextBoolean());
    int oas = OAS[random.nextInt(OAS.length)];
    TableWalker walker = new TableWalker(memory, new RecordingCaches(0), oas);

    try {
      WalkResult result = walker.walk(stream, txn);
      assertThat(result.outputAddress() >>> oas).isZero();
      assertThat(result.entry().covers(address)).isTrue();
      assertThat(result.entry().translate(address)).isEqualTo(result.outputAddress());
      assertThat(result.entry().permissions().allows(txn)).isTrue();
      Statistics.label("outcome").collect("translated");
    } catch (TranslationFault fault) {
      if (fault.event() != null) {
        assertThat(fault.event().inputAddress()).isEqualTo(address);
      }
      Statistics.label("outcome")
          .collect(fault.event() == null ? "not recorded" : fault.event().type().name());
    }
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("translated").count(n -> n > 0);
              c.check("F_TRANSLATION").count(n -> n > 0);
              c.check("F_WALK_EABT").count(n -> n > 0);
              c.check("F_PERMISSION").count(n -> n > 0);
              c.check("F_ADDR_SIZE").count(n -> n > 0);
            });
    try {
      walker.toPhysical(stream, txn, random.nextLong(1L << 48), EventRecord.CLASS_CD);
    } catch (TranslationFault expected) {
      assertThat(expected.getMessage()).isNotEmpty();
    }
  }

  /** Plausible stage-1 fields with every so often a value outside the usual range. */
  private static Cd cd(SplittableRandom random) {
    return Cd.builder()
        .set(CdFields.V, 1)
        .set(CdFields.AA64, 1)
        .set(CdFields.T0SZ, txsz(random))
        .set(CdFields.T1SZ, txsz(random))
        .set(CdFields.TG0, random.nextInt(10) == 0 ? 3 : random.nextInt(3))
        .set(CdFields.TG1, random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3))
        .set(CdFields.IPS, random.nextInt(8))
        .set(CdFields.EPD0, random.nextInt(8) == 0)
        .set(CdFields.EPD1, random.nextBoolean())
        .set(CdFields.TBI0, random.nextBoolean())
        .set(CdFields.TBI1, random.nextBoolean())
        .set(CdFields.AFFD, random.nextBoolean())
        .set(CdFields.R, random.nextBoolean())
        .set(CdFields.HAD0, random.nextInt(4) == 0)
        .set(CdFields.ASID, random.nextInt(1 << 16))
        .set(CdFields.TTB0, page(random))
        .set(CdFields.TTB1, page(random))
        .build();
  }

  /** Plausible stage-2 fields with every so often a value outside the usual range. */
  private static Ste ste(SplittableRandom random) {
    int[] geometry =
        random.nextInt(4) == 0
            ? new int[] {random.nextInt(4), random.nextInt(4), txsz(random)}
            : CONSISTENT_S2[random.nextInt(CONSISTENT_S2.length)];
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.S2_VMID, random.nextInt(1 << 16))
        .set(SteFields.S2_TG, geometry[0])
        .set(SteFields.S2_SL0, geometry[1])
        .set(SteFields.S2_T0SZ, geometry[2])
        .set(SteFields.S2_PS, random.nextInt(8))
        .set(SteFields.S2_AA64, 1)
        .set(SteFields.S2_AFFD, random.nextBoolean())
        .set(SteFields.S2_PTW, random.nextBoolean())
        .set(SteFields.S2_FWB, random.nextBoolean())
        .set(SteFields.S2_R, random.nextBoolean())
        .set(SteFields.S2_TTB, page(random))
        .build();
  }

  private static int txsz(SplittableRandom random) {
    return random.nextInt(10) == 0 ? random.nextInt(64) : 16 + random.nextInt(24);
  }

  /** Mostly inside the input range (either half for stage 1), sometimes anything. */
  private static long address(SplittableRandom random, int inputBits) {
    if (random.nextInt(5) == 0 || inputBits <= 0 || inputBits >= 64) {
      return random.nextLong();
    }
    long low = random.nextLong() & ((1L << inputBits) - 1);
    return random.nextInt(4) == 0 ? low | (-1L << inputBits) : low;
  }

  /** A random page of the region, or now and then any address at all. */
  private static long page(SplittableRandom random) {
    return random.nextInt(8) == 0
        ? random.nextLong()
        : REGION + random.nextInt(PAGES) * 0x1000L + random.nextInt(16) * 16L;
  }

  /** Mostly tables into the region and leaves with random attributes; some pure noise. */
  private static long descriptor(SplittableRandom random) {
    long attributes = random.nextLong() & 0xfff0_0000_0000_0ffcL;
    if (random.nextInt(5) != 0) {
      attributes |= 1L << 10; // AF, so that some leaves are usable
    }
    return switch (random.nextInt(10)) {
      case 0 -> random.nextLong();
      case 1 -> attributes | (random.nextLong() & 0x0000_ffff_ffff_f000L) | 0b11;
      case 2 -> attributes | (random.nextLong() & 0x0000_ffff_c000_0000L) | 0b01;
      default -> attributes | page(random) & ~0xfffL | 0b11;
    };
  }
}
