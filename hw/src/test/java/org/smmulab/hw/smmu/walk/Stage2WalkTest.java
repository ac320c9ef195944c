package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.smmulab.hw.smmu.walk.WalkFixture.AF;
import static org.smmulab.hw.smmu.walk.WalkFixture.BLOCK;
import static org.smmulab.hw.smmu.walk.WalkFixture.PAGE;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_NORMAL;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_READ;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_RW;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_WRITE;
import static org.smmulab.hw.smmu.walk.WalkFixture.SID;
import static org.smmulab.hw.smmu.walk.WalkFixture.TABLE;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/** Stage-2-only walks: start levels, concatenated roots, faults and S2AP/XN permissions. */
class Stage2WalkTest {
  /** 4K granule: L0 index 1, L1 index 2, L2 index 3, L3 index 4, offset 0xabc. */
  private static final long IPA = (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0xabc;

  private static final long L0 = 0x20_0000;
  private static final long L1 = 0x20_1000;
  private static final long L2 = 0x20_2000;
  private static final long L3 = 0x20_3000;

  private final WalkFixture f = new WalkFixture();

  private void mapPage(long leafAttrs) {
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, L3, TABLE);
    f.put(L3, 4, 0x7000_0000L, PAGE | leafAttrs);
  }

  private WalkResult walk(Ste ste, Transaction txn) throws TranslationFault {
    return new TableWalker(f.memory, TranslationCaches.NONE, 48).walk(WalkFixture.stage2(ste), txn);
  }

  /** The event of the fault, checked to be a stage-2 fault of CLASS IN for {@code ipa}. */
  private EventRecord fault(Ste ste, Transaction txn, EventType expected) {
    TranslationFault fault = catchThrowableOfType(() -> walk(ste, txn), TranslationFault.class);
    assertThat(fault).as("walk of 0x%x must fault", txn.address()).isNotNull();
    EventRecord e = fault.event();
    if (e != null) {
      assertThat(e.type()).as(fault.getMessage()).isEqualTo(expected);
      assertThat(e.s2()).isTrue();
      assertThat(e.eventClass()).isEqualTo(EventRecord.CLASS_IN);
      assertThat(e.ipa()).isEqualTo(txn.address() & 0x000f_ffff_ffff_f000L);
      assertThat(e.inputAddress()).isEqualTo(txn.address());
    }
    return e;
  }

  private static Transaction write(long ipa) {
    return Transaction.write(SID, ipa);
  }

  @Test
  void pageAtLevel3FromStartLevel0() throws TranslationFault {
    mapPage(S2_RW);
    WalkResult result = walk(WalkFixture.ste(L0).build(), write(IPA));
    assertThat(result.outputAddress()).isEqualTo(0x7000_0abcL);
    TlbEntry e = result.entry();
    assertThat(e.tag())
        .isEqualTo(new CacheTag(CacheTag.World.NS_EL1, CacheTag.Kind.STAGE2, 7, 0, false));
    assertThat(e.inputBase()).isEqualTo(IPA & ~0xfffL);
    assertThat(e.sizeShift()).isEqualTo(12);
    assertThat(e.level()).isEqualTo(3);
    assertThat(e.permissions().bits()).isEqualTo(0x3f);
  }

  @Test
  void blocksAtLevel1AndLevel2() throws TranslationFault {
    Ste ste = WalkFixture.ste(L0).build();
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, 0xc000_0000L, BLOCK | S2_RW);
    assertThat(walk(ste, write(IPA)).outputAddress()).isEqualTo(0xc060_4abcL);
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, 0x7020_0000L, BLOCK | S2_RW);
    WalkResult r = walk(ste, write(IPA));
    assertThat(r.outputAddress()).isEqualTo(0x7020_4abcL);
    assertThat(r.entry().sizeShift()).isEqualTo(21);
  }

  @Test
  void twoConcatenatedLevel1TablesFor40BitIpa() throws TranslationFault {
    // 4K, 40-bit IPA, S2SL0 = 1 (start at L1): IPA bit 39 selects the second root table.
    long root = 0x30_0000;
    Ste ste = WalkFixture.ste(root).set(SteFields.S2_T0SZ, 24).set(SteFields.S2_SL0, 1).build();
    f.put(root, 2, 0xc000_0000L, BLOCK | S2_RW);
    f.put(root + 0x1000, 2, 0x8000_0000L, BLOCK | S2_RW);
    long low = IPA & ~(1L << 39);
    assertThat(walk(ste, write(low)).outputAddress()).isEqualTo(0xc060_4abcL);
    assertThat(walk(ste, write(IPA)).outputAddress()).isEqualTo(0x8060_4abcL);
    fault(ste, write(1L << 40), EventType.F_TRANSLATION);

    // S2TTB is aligned down to the 8 KiB of the two concatenated tables.
    Ste unaligned = ste.toBuilder().set(SteFields.S2_TTB, root + 0x1000).build();
    assertThat(walk(unaligned, write(low)).outputAddress()).isEqualTo(0xc060_4abcL);
  }

  @Test
  void sixteenConcatenatedTablesAreTheLimit() throws TranslationFault {
    long root = 0x40_0000;
    Ste sixteen = WalkFixture.ste(root).set(SteFields.S2_T0SZ, 21).set(SteFields.S2_SL0, 1).build();
    f.put(root + 15 * 0x1000, 2, 0x8000_0000L, BLOCK | S2_RW);
    long ipa = (0xfL << 39) | (2L << 30) | 0x123;
    assertThat(walk(sixteen, write(ipa)).outputAddress()).isEqualTo(0x8000_0123L);

    Ste thirtyTwo =
        WalkFixture.ste(root).set(SteFields.S2_T0SZ, 20).set(SteFields.S2_SL0, 1).build();
    fault(thirtyTwo, write(ipa), EventType.F_TRANSLATION);
  }

  @Test
  void ipaBeyondS2T0szIsATranslationFaultRecordedOnlyWithS2R() {
    mapPage(S2_RW);
    Ste ste = WalkFixture.ste(L0).set(SteFields.S2_T0SZ, 24).set(SteFields.S2_SL0, 1).build();
    Transaction txn = new Transaction(SID, true, 9, 1L << 41, false, true, false);
    EventRecord e = fault(ste, txn, EventType.F_TRANSLATION);
    assertThat(e).isNotNull();
    assertThat(e.sid()).isEqualTo(SID);
    assertThat(e.substream()).hasValue(9);
    assertThat(e.rnw()).isTrue();
    assertThat(e.pnu()).isTrue();
    assertThat(e.ind()).isFalse();

    Ste silent = ste.toBuilder().set(SteFields.S2_R, 0).build();
    assertThat(fault(silent, txn, EventType.F_TRANSLATION)).isNull();
  }

  @Test
  void reservedStartLevelIsATranslationFault() {
    mapPage(S2_RW);
    fault(
        WalkFixture.ste(L0).set(SteFields.S2_SL0, 3).build(), write(IPA), EventType.F_TRANSLATION);
  }

  @Test
  void granule16kAndStartLevel2() throws TranslationFault {
    Granule g = Granule.SIZE_16K;
    // 16K, S2SL0 = 1: start at L2 (25-bit shift), 36-bit IPA -> 11 root bits, one table.
    long root = 0x50_0000;
    Ste ste =
        WalkFixture.ste(root)
            .set(SteFields.S2_TG, 2)
            .set(SteFields.S2_SL0, 1)
            .set(SteFields.S2_T0SZ, 28)
            .build();
    long ipa = (6L << 25) | (7L << 14) | 0x1abc;
    f.put(root, 6, 0x50_4000, TABLE, g);
    f.put(0x50_4000, 7, 0x9000_0000L, PAGE | S2_RW, g);
    WalkResult r = walk(ste, write(ipa));
    assertThat(r.outputAddress()).isEqualTo(0x9000_1abcL);
    assertThat(r.entry().granule()).isEqualTo(g);
  }

  @Test
  void accessFlagClearFaultsUnlessS2affd() throws TranslationFault {
    mapPage(S2_READ | S2_WRITE | S2_NORMAL);
    fault(WalkFixture.ste(L0).build(), write(IPA), EventType.F_ACCESS);
    Ste affd = WalkFixture.ste(L0).set(SteFields.S2_AFFD, 1).build();
    assertThat(walk(affd, write(IPA)).outputAddress()).isEqualTo(0x7000_0abcL);
  }

  @Test
  void outputBeyondS2psIsAnAddressSizeFault() {
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, 0x100_0000_0000L, BLOCK | S2_RW);
    fault(WalkFixture.ste(L0).set(SteFields.S2_PS, 2).build(), write(IPA), EventType.F_ADDR_SIZE);
  }

  @Test
  void abortReadingADescriptorIsAStage2WalkAbort() {
    WalkFixture small = new WalkFixture(40);
    small.put(L0, 1, 0x100_0000_0000L, TABLE);
    Ste ste = WalkFixture.ste(L0).set(SteFields.S2_R, 0).build();
    TranslationFault fault =
        catchThrowableOfType(
            () ->
                new TableWalker(small.memory, TranslationCaches.NONE, 48)
                    .walk(WalkFixture.stage2(ste), write(IPA)),
            TranslationFault.class);
    assertThat(fault.event().type()).isEqualTo(EventType.F_WALK_EABT);
    assertThat(fault.event().s2()).isTrue();
    assertThat(fault.event().eventClass()).isEqualTo(EventRecord.CLASS_IN);
    assertThat(fault.event().fetchAddress()).isEqualTo(0x100_0000_0000L + 2 * 8);
  }

  /** Columns: S2AP read, S2AP write, XN[1:0], privileged, write, instruction, allowed. */
  @ParameterizedTest(name = "R={0} W={1} XN={2} priv={3} write={4} instr={5} -> {6}")
  @CsvSource({
    "true, false, 0, false, false, false, true",
    "true, false, 0, true, true, false, false",
    "false, true, 0, false, true, false, true",
    "false, true, 0, true, false, false, false",
    "true, true, 0, false, false, true, true",
    "true, true, 0, true, false, true, true",
    "true, true, 3, false, false, true, false",
    "true, true, 3, true, false, true, false",
    "true, true, 1, true, false, true, false",
    "true, true, 2, false, false, true, false",
    "true, true, 3, true, true, false, true",
    "false, true, 0, true, false, true, false",
  })
  void permissions(
      boolean read,
      boolean write,
      long xn,
      boolean privileged,
      boolean isWrite,
      boolean instr,
      boolean allowed)
      throws TranslationFault {
    mapPage(AF | S2_NORMAL | (read ? S2_READ : 0) | (write ? S2_WRITE : 0) | (xn << 53));
    Transaction txn = new Transaction(SID, false, 0, IPA, isWrite, privileged, instr);
    Ste ste = WalkFixture.ste(L0).build();
    if (allowed) {
      assertThat(walk(ste, txn).outputAddress()).isEqualTo(0x7000_0abcL);
    } else {
      fault(ste, txn, EventType.F_PERMISSION);
    }
  }
}
