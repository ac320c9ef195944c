package org.smmulab.hw.smmu.e2e;

import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.codec.QwordImage.Builder;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;

/**
 * The memory image the model fuzz tests run on, and the valid entries they mutate.
 *
 * <p>Stream tables: a linear one at {@link SoftwareSide#STRTAB} (256 STEs) and a two-level one
 * (SPLIT 6, 4 L1 descriptors) whose level-1 descriptor 0 covers the fuzzed StreamIDs 0..15 and
 * descriptor 3 the known-good StreamID {@value #GOOD_SID}; {@link #useStreamTable} switches between
 * them with SMMUEN off, as software must.
 *
 * <p>Fuzzed translations: IOVA pages 0..3 reach {@link #DATA} pages 0..3 whatever the STE kind:
 * stage 1 through {@link #S1_L0}, stage 2 through {@link #S2_L0} (which maps IPA pages 0..3 to the
 * data pages and the 2 MiB region holding the stage-1 tables, the CD tables and the data as an
 * identity block, so that nested walks and CD fetches translate). Page 3 is read-only at both
 * stages. CD tables: linear (4 CDs), two-level with 4 KiB leaves (S1Fmt 1, two leaves of 64) and
 * with 64 KiB leaves (S1Fmt 2, two leaves of 1024).
 *
 * <p>The known-good stream (StreamID {@value #GOOD_SID}, stage 1, its own CD and tables at
 * addresses no single- or double-bit mutation of zero reaches) is never touched by the fuzzing;
 * {@link #checkKnownGood} proves the model still translates it correctly.
 */
final class FuzzWorld {
  static final int FUZZ_SIDS = 16;
  static final int GOOD_SID = 200;
  static final int SPLIT = 6;
  static final long STRTAB_L1 = 0x104_0000L;
  static final long STRTAB_L2 = 0x105_0000L;
  private static final long L2_TABLE_BYTES = 64L << SPLIT;

  static final long S1_L0 = 0x20_0000L;
  static final long S1_L1 = 0x20_1000L;
  static final long S1_L2 = 0x20_2000L;
  static final long S1_L3 = 0x20_3000L;
  static final long CD_LINEAR = 0x20_4000L;
  static final long CD_L1_4K = 0x20_5000L;
  static final long CD_LEAF_4K = 0x20_6000L;
  static final long DATA = 0x20_8000L;
  static final long CD_L1_64K = 0x20_C000L;
  static final long CD_LEAF_64K = 0x21_0000L;
  static final long REGION = 0x20_0000L;
  static final long REGION_BYTES = 0x20_0000L;

  static final long S2_L0 = 0x40_0000L;
  static final long S2_L1 = 0x40_1000L;
  static final long S2_L2 = 0x40_2000L;
  static final long S2_L3 = 0x40_3000L;

  private static final long GOOD_CD = 0x5A_7040L;
  private static final long GOOD_L0 = 0x6B_1000L;
  private static final long GOOD_L1 = 0x6B_3000L;
  private static final long GOOD_L2 = 0x6B_5000L;
  private static final long GOOD_L3 = 0x6B_7000L;
  private static final long GOOD_PA = 0x7C_9000L;
  private static final long GOOD_IOVA = 0x3_5A6B_7000L;

  /** Stage-1 page: AF, EL0 access, nG, normal memory; read/write. */
  static final long S1_PAGE = 0b11 | 1L << 10 | 1L << 6 | 1L << 11 | 1L << 2;

  /** Stage-1 read-only page (AP[2]). */
  static final long S1_PAGE_RO = S1_PAGE | 1L << 7;

  /** Stage-2 page: AF, S2AP read and write, normal write-back memory. */
  static final long S2_PAGE = 0b11 | 1L << 10 | 1L << 6 | 1L << 7 | 0xFL << 2;

  /** Stage-2 read-only page. */
  static final long S2_PAGE_RO = S2_PAGE & ~(1L << 7);

  /** Stage-2 block (at level 2): the S2_PAGE attributes with descriptor type 01. */
  static final long S2_BLOCK = (S2_PAGE & ~0b11L) | 0b01;

  /** The kinds of valid STE the fuzzing starts from. */
  enum SteKind {
    S1_ONE_CD,
    S1_LINEAR_CDS,
    S1_TWO_LEVEL_4K,
    S1_TWO_LEVEL_64K,
    S2_ONLY,
    NESTED,
    BYPASS,
    ABORT;

    /** log2 of the CDs the kind's table holds (S1CDMax), 0 for kinds without CDs. */
    int cdMax() {
      return switch (this) {
        case S1_LINEAR_CDS, NESTED -> 2;
        case S1_TWO_LEVEL_4K -> 7;
        case S1_TWO_LEVEL_64K -> 11;
        default -> 0;
      };
    }

    boolean usesCds() {
      return this != S2_ONLY && this != BYPASS && this != ABORT;
    }

    boolean twoLevelCds() {
      return this == S1_TWO_LEVEL_4K || this == S1_TWO_LEVEL_64K;
    }
  }

  private final Memory memory;
  private boolean twoLevel;

  FuzzWorld(Memory memory) {
    this.memory = memory;
  }

  /** Whether the two-level stream table is in use. */
  boolean twoLevel() {
    return twoLevel;
  }

  /** Writes every table, the valid CDs and the known-good stream into memory. */
  void build() throws BusAbort {
    memory.write64(S1_L0, S1_L1 | 0b11);
    memory.write64(S1_L1, S1_L2 | 0b11);
    memory.write64(S1_L2, S1_L3 | 0b11);
    for (int i = 0; i < 4; i++) {
      memory.write64(S1_L3 + 8L * i, validPte(S1_L3 + 8L * i));
    }
    memory.write64(S2_L0, S2_L1 | 0b11);
    memory.write64(S2_L1, S2_L2 | 0b11);
    memory.write64(S2_L2, S2_L3 | 0b11);
    memory.write64(S2_L2 + 8, validPte(S2_L2 + 8));
    for (int i = 0; i < 4; i++) {
      memory.write64(S2_L3 + 8L * i, validPte(S2_L3 + 8L * i));
    }
    memory.write64(CD_L1_4K, l1Cd(CD_LEAF_4K));
    memory.write64(CD_L1_4K + 8, l1Cd(CD_LEAF_4K + 0x1000));
    memory.write64(CD_L1_64K, l1Cd(CD_LEAF_64K));
    memory.write64(CD_L1_64K + 8, l1Cd(CD_LEAF_64K + 0x1_0000));
    write(STRTAB_L1, l1Std(STRTAB_L2));
    write(
        STRTAB_L1 + 8L * (GOOD_SID >>> SPLIT),
        l1Std(STRTAB_L2 + L2_TABLE_BYTES * (GOOD_SID >>> SPLIT)));

    memory.write64(GOOD_L0 + 8 * ((GOOD_IOVA >>> 39) & 511), GOOD_L1 | 0b11);
    memory.write64(GOOD_L1 + 8 * ((GOOD_IOVA >>> 30) & 511), GOOD_L2 | 0b11);
    memory.write64(GOOD_L2 + 8 * ((GOOD_IOVA >>> 21) & 511), GOOD_L3 | 0b11);
    memory.write64(GOOD_L3 + 8 * ((GOOD_IOVA >>> 12) & 511), GOOD_PA | S1_PAGE);
    write(GOOD_CD, cd(7, GOOD_L0));
    long[] goodSte = s1Ste(GOOD_CD, SteFields.S1FMT_LINEAR, 0, 0);
    write(SoftwareSide.STRTAB + GOOD_SID * 64L, goodSte);
    write(
        STRTAB_L2 + L2_TABLE_BYTES * (GOOD_SID >>> SPLIT) + (GOOD_SID & ((1 << SPLIT) - 1)) * 64L,
        goodSte);
  }

  private void write(long address, long... qwords) throws BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }

  /** The valid contents of the page-table word at {@code address} (one the fuzzing mutates). */
  static long validPte(long address) {
    if (address >= S1_L3 && address < S1_L3 + 32) {
      int page = (int) (address - S1_L3) / 8;
      return (DATA + page * 0x1000L) | (page == 3 ? S1_PAGE_RO : S1_PAGE);
    }
    if (address >= S2_L3 && address < S2_L3 + 32) {
      int page = (int) (address - S2_L3) / 8;
      return (DATA + page * 0x1000L) | (page == 3 ? S2_PAGE_RO : S2_PAGE);
    }
    if (address == S2_L2 + 8) {
      return REGION | S2_BLOCK;
    }
    if (address == S1_L0) {
      return S1_L1 | 0b11;
    }
    if (address == S1_L1) {
      return S1_L2 | 0b11;
    }
    if (address == S1_L2) {
      return S1_L3 | 0b11;
    }
    if (address == S2_L0) {
      return S2_L1 | 0b11;
    }
    if (address == S2_L1) {
      return S2_L2 | 0b11;
    }
    if (address == S2_L2) {
      return S2_L3 | 0b11;
    }
    throw new IllegalArgumentException("not a fuzzed PTE: 0x" + Long.toHexString(address));
  }

  /** The page-table words a fuzzed translation may use. */
  static final long[] PTES = {
    S1_L0,
    S1_L1,
    S1_L2,
    S1_L3,
    S1_L3 + 8,
    S1_L3 + 16,
    S1_L3 + 24,
    S2_L0,
    S2_L1,
    S2_L2,
    S2_L2 + 8,
    S2_L3,
    S2_L3 + 8,
    S2_L3 + 16,
    S2_L3 + 24
  };

  /** Where the STE of {@code sid} lives in the stream table in use. */
  long steAddress(int sid) {
    return twoLevel
        ? STRTAB_L2 + L2_TABLE_BYTES * (sid >>> SPLIT) + (sid & ((1 << SPLIT) - 1)) * 64L
        : SoftwareSide.STRTAB + sid * 64L;
  }

  /** A valid STE of {@code kind}. */
  static long[] ste(SteKind kind, int s1Dss) {
    return switch (kind) {
      case S1_ONE_CD -> s1Ste(CD_LINEAR, SteFields.S1FMT_LINEAR, 0, s1Dss);
      case S1_LINEAR_CDS -> s1Ste(CD_LINEAR, SteFields.S1FMT_LINEAR, kind.cdMax(), s1Dss);
      case S1_TWO_LEVEL_4K -> s1Ste(CD_L1_4K, 1, kind.cdMax(), s1Dss);
      case S1_TWO_LEVEL_64K -> s1Ste(CD_L1_64K, 2, kind.cdMax(), s1Dss);
      case S2_ONLY -> withStage2(Ste.builder().set(SteFields.V, 1), StreamConfig.S2_TRANSLATE);
      case NESTED ->
          withStage2(
              Ste.builder()
                  .set(SteFields.V, 1)
                  .set(SteFields.S1_CONTEXT_PTR, CD_LINEAR)
                  .set(SteFields.S1_CD_MAX, kind.cdMax())
                  .set(SteFields.S1_DSS, s1Dss),
              StreamConfig.NESTED);
      case BYPASS ->
          Ste.builder()
              .set(SteFields.V, 1)
              .set(SteFields.CONFIG, StreamConfig.BYPASS.encoding())
              .build()
              .toQwords();
      case ABORT -> Ste.builder().set(SteFields.V, 1).build().toQwords();
    };
  }

  private static long[] s1Ste(long table, int fmt, int cdMax, int s1Dss) {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
        .set(SteFields.S1_FMT, fmt)
        .set(SteFields.S1_CONTEXT_PTR, table)
        .set(SteFields.S1_CD_MAX, cdMax)
        .set(SteFields.S1_DSS, s1Dss)
        .build()
        .toQwords();
  }

  private static long[] withStage2(Builder<Ste> b, StreamConfig config) {
    return b.set(SteFields.CONFIG, config.encoding())
        .set(SteFields.S2_VMID, 1)
        .set(SteFields.S2_T0SZ, 16)
        .set(SteFields.S2_SL0, 2)
        .set(SteFields.S2_PS, 5)
        .set(SteFields.S2_AA64, 1)
        .set(SteFields.S2_R, 1)
        .set(SteFields.S2_TTB, S2_L0)
        .build()
        .toQwords();
  }

  /** A valid CD with {@code asid} whose stage 1 starts at {@code ttb0}. */
  static long[] cd(int asid, long ttb0) {
    return Cd.builder()
        .set(CdFields.V, 1)
        .set(CdFields.AA64, 1)
        .set(CdFields.A, 1)
        .set(CdFields.R, 1)
        .set(CdFields.T0SZ, 16)
        .set(CdFields.EPD1, 1)
        .set(CdFields.IPS, 5)
        .set(CdFields.ASID, asid)
        .set(CdFields.TTB0, ttb0)
        .build()
        .toQwords();
  }

  /**
   * Where CD {@code index} of a {@code kind} STE lives (an IPA for nested streams, equal to the PA
   * in the identity region).
   */
  static long cdAddress(SteKind kind, int index) {
    return switch (kind) {
      case S1_TWO_LEVEL_4K -> CD_LEAF_4K + (index >>> 6) * 0x1000L + (index & 63) * 64L;
      case S1_TWO_LEVEL_64K -> CD_LEAF_64K + (index >>> 10) * 0x1_0000L + (index & 1023) * 64L;
      default -> CD_LINEAR + index * 64L;
    };
  }

  /** The level-1 CD descriptor address covering CD {@code index} of a two-level {@code kind}. */
  static long l1CdAddress(SteKind kind, int index) {
    return kind == SteKind.S1_TWO_LEVEL_4K
        ? CD_L1_4K + (index >>> 6) * 8L
        : CD_L1_64K + (index >>> 10) * 8L;
  }

  /** The valid level-1 CD descriptor at {@code address}. */
  static long validL1Cd(long address) {
    return address < CD_L1_64K
        ? l1Cd(CD_LEAF_4K + (address - CD_L1_4K) / 8 * 0x1000L)
        : l1Cd(CD_LEAF_64K + (address - CD_L1_64K) / 8 * 0x1_0000L);
  }

  private static long l1Cd(long leaf) {
    return L1CdDescriptor.builder()
        .set(L1CdDescriptor.V, 1)
        .set(L1CdDescriptor.L2PTR, leaf)
        .build()
        .qword(0);
  }

  /** The valid level-1 stream descriptor of the fuzzed StreamIDs. */
  static long fuzzL1Std() {
    return l1Std(STRTAB_L2);
  }

  private static long l1Std(long l2) {
    return L1StreamDescriptor.builder()
        .set(L1StreamDescriptor.SPAN, SPLIT + 1)
        .set(L1StreamDescriptor.L2PTR, l2)
        .build()
        .qword(0);
  }

  /**
   * Points the instance at the linear or the two-level stream table: SMMUEN off, new base
   * registers, SMMUEN on, then CFGI_ALL and a TLB flush through the command queue.
   */
  void useStreamTable(SoftwareSide sw, boolean twoLevelTable) throws BusAbort {
    int cr0 = sw.regs.read32(CR0);
    sw.regs.write32(CR0, cr0 & ~SoftwareSide.CR0_SMMUEN);
    Registers.awaitEqual(sw.regs, CR0ACK, cr0 & ~SoftwareSide.CR0_SMMUEN);
    if (twoLevelTable) {
      sw.regs.write64(STRTAB_BASE, STRTAB_L1);
      sw.regs.write32(STRTAB_BASE_CFG, 1 << 16 | SPLIT << 6 | 8);
    } else {
      sw.regs.write64(STRTAB_BASE, SoftwareSide.STRTAB);
      sw.regs.write32(STRTAB_BASE_CFG, 8);
    }
    sw.regs.write32(CR0, cr0);
    Registers.awaitEqual(sw.regs, CR0ACK, cr0);
    sw.submit(Command.cfgiAll(), Command.tlbiNsnhAll());
    this.twoLevel = twoLevelTable;
  }

  /**
   * A write then a read of the known-good stream: both must complete at the page the tables map and
   * the read must return what was written.
   *
   * @throws AssertionError naming what went wrong otherwise
   */
  void checkKnownGood(Endpoint dev, SplittableRandom random, String when) {
    long offset = random.nextInt(0x1000 / 8) * 8L;
    byte[] pattern = new byte[8];
    random.nextBytes(pattern);
    DmaResult wrote = dev.dma(DmaRequest.write(GOOD_SID, GOOD_IOVA + offset, pattern));
    DmaResult read = dev.dma(DmaRequest.read(GOOD_SID, GOOD_IOVA + offset, 8));
    for (DmaResult r : new DmaResult[] {wrote, read}) {
      if (!r.completed() || r.segments().get(0).pa() != GOOD_PA + offset) {
        throw new AssertionError(
            when
                + ": the untouched stream "
                + GOOD_SID
                + " no longer translates 0x"
                + Long.toHexString(GOOD_IOVA + offset)
                + " to 0x"
                + Long.toHexString(GOOD_PA + offset)
                + ": "
                + r);
      }
    }
    if (!Arrays.equals(read.data(), pattern)) {
      throw new AssertionError(when + ": the untouched stream read back other data");
    }
  }
}
