package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.smmulab.hw.smmu.walk.WalkFixture.AF;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_EL0;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_RO;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_TABLE_NO_EL0;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_TABLE_RO;
import static org.smmulab.hw.smmu.walk.WalkFixture.BLOCK;
import static org.smmulab.hw.smmu.walk.WalkFixture.NG;
import static org.smmulab.hw.smmu.walk.WalkFixture.PAGE;
import static org.smmulab.hw.smmu.walk.WalkFixture.PXN;
import static org.smmulab.hw.smmu.walk.WalkFixture.PXN_TABLE;
import static org.smmulab.hw.smmu.walk.WalkFixture.S1_RW_ALL;
import static org.smmulab.hw.smmu.walk.WalkFixture.SID;
import static org.smmulab.hw.smmu.walk.WalkFixture.TABLE;
import static org.smmulab.hw.smmu.walk.WalkFixture.UXN;
import static org.smmulab.hw.smmu.walk.WalkFixture.UXN_TABLE;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.txn.Permissions;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/** Stage-1 walks over hand-built tables: geometry, descriptor kinds, faults and permissions. */
class Stage1WalkTest {
  /** 4K granule, 48-bit VA: L0 index 1, L1 index 2, L2 index 3, L3 index 4, offset 0xabc. */
  private static final long VA = (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0xabc;

  private static final long L0 = 0x10_0000;
  private static final long L1 = 0x10_1000;
  private static final long L2 = 0x10_2000;
  private static final long L3 = 0x10_3000;
  private static final long PAGE_PA = 0x4000_0000L;

  private final WalkFixture f = new WalkFixture();

  /** Maps {@link #VA} through four 4K levels to {@link #PAGE_PA} with the given leaf bits. */
  private void mapPage(long leafAttrs, long tableAttrs) {
    f.put(L0, 1, L1, TABLE | tableAttrs);
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, L3, TABLE);
    f.put(L3, 4, PAGE_PA, PAGE | leafAttrs);
  }

  private WalkResult walk(Cd cd, Transaction txn) throws TranslationFault {
    return walk(cd, txn, 48);
  }

  private WalkResult walk(Cd cd, Transaction txn, int oas) throws TranslationFault {
    return new TableWalker(f.memory, TranslationCaches.NONE, oas).walk(WalkFixture.stage1(cd), txn);
  }

  private EventRecord fault(Cd cd, Transaction txn, EventType expected) {
    return fault(cd, txn, expected, 48);
  }

  private EventRecord fault(Cd cd, Transaction txn, EventType expected, int oas) {
    TranslationFault fault = catchThrowableOfType(() -> walk(cd, txn, oas), TranslationFault.class);
    assertThat(fault).as("walk of 0x%x must fault", txn.address()).isNotNull();
    if (fault.event() != null) {
      assertThat(fault.event().type()).as(fault.getMessage()).isEqualTo(expected);
      assertThat(fault.event().s2()).isFalse();
      assertThat(fault.event().eventClass()).isEqualTo(EventRecord.CLASS_IN);
    }
    return fault.event();
  }

  private static Transaction write(long va) {
    return Transaction.write(SID, va);
  }

  @Test
  void pageAtLevel3TranslatesAndDescribesItsTlbEntry() throws TranslationFault {
    mapPage(S1_RW_ALL, 0);
    WalkResult result = walk(WalkFixture.cd(L0).build(), write(VA));

    assertThat(result.outputAddress()).isEqualTo(0x4000_0abcL);
    TlbEntry e = result.entry();
    assertThat(e.tag())
        .isEqualTo(new CacheTag(CacheTag.World.NS_EL1, CacheTag.Kind.STAGE1, 0, 5, true));
    assertThat(e.inputBase()).isEqualTo(VA & ~0xfffL);
    assertThat(e.sizeShift()).isEqualTo(12);
    assertThat(e.outputBase()).isEqualTo(PAGE_PA);
    assertThat(e.level()).isEqualTo(3);
    assertThat(e.granule()).isEqualTo(Granule.SIZE_4K);
    assertThat(e.permissions().bits())
        .isEqualTo(0x3f); // AP = 01: read/write at both privileges; no XN
  }

  @Test
  void ttbIsAlignedDownToTheRootTableSize() throws TranslationFault {
    mapPage(S1_RW_ALL, 0);
    assertThat(walk(WalkFixture.cd(L0 | 0xff0).build(), write(VA)).outputAddress())
        .isEqualTo(0x4000_0abcL);
  }

  @Test
  void notGlobalLeafIsTaggedWithItsAsidOnly() throws TranslationFault {
    mapPage(S1_RW_ALL | NG, 0);
    TlbEntry e = walk(WalkFixture.cd(L0).build(), write(VA)).entry();
    assertThat(e.tag().global()).isFalse();
    assertThat(e.tag().asid()).isEqualTo(5);
  }

  @Test
  void blocksAtLevel1AndLevel2With4k() throws TranslationFault {
    Cd cd = WalkFixture.cd(L0).build();
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, 0x8000_0000L, BLOCK | S1_RW_ALL);
    WalkResult gig = walk(cd, write(VA));
    assertThat(gig.outputAddress()).isEqualTo(0x8060_4abcL);
    assertThat(gig.entry().sizeShift()).isEqualTo(30);
    assertThat(gig.entry().level()).isEqualTo(1);

    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, 0x4020_0000L, BLOCK | S1_RW_ALL);
    WalkResult twoMeg = walk(cd, write(VA));
    assertThat(twoMeg.outputAddress()).isEqualTo(0x4020_4abcL);
    assertThat(twoMeg.entry().sizeShift()).isEqualTo(21);
    assertThat(twoMeg.entry().inputBase()).isEqualTo(VA & ~0x1f_ffffL);
  }

  @Test
  void blockAtLevel0AndBlockEncodingAtLevel3AreTranslationFaults() {
    Cd cd = WalkFixture.cd(L0).build();
    f.put(L0, 1, 0x80_0000_0000L, BLOCK | S1_RW_ALL);
    fault(cd, write(VA), EventType.F_TRANSLATION);

    mapPage(S1_RW_ALL, 0);
    f.put(L3, 4, PAGE_PA, BLOCK | S1_RW_ALL);
    fault(cd, write(VA), EventType.F_TRANSLATION);
  }

  @Test
  void invalidDescriptorRecordsEveryFieldWhenRIsSet() {
    mapPage(S1_RW_ALL, 0);
    f.put(L2, 3, L3, 0); // invalid
    Transaction txn = new Transaction(SID, true, 3, VA, false, true, true);
    EventRecord e = fault(WalkFixture.cd(L0).build(), txn, EventType.F_TRANSLATION);

    assertThat(e).isNotNull();
    assertThat(e.sid()).isEqualTo(SID);
    assertThat(e.ssv()).isTrue();
    assertThat(e.ssid()).isEqualTo(3);
    assertThat(e.inputAddress()).isEqualTo(VA);
    assertThat(e.rnw()).isTrue();
    assertThat(e.pnu()).isTrue();
    assertThat(e.ind()).isTrue();
    assertThat(e.s2()).isFalse();
    assertThat(e.eventClass()).isEqualTo(EventRecord.CLASS_IN);
  }

  @Test
  void aPrefetchWalkTranslatesLikeAWalkAndFindsNothingQuietly() throws TranslationFault {
    mapPage(S1_RW_ALL, 0);
    TableWalker walker = new TableWalker(f.memory, TranslationCaches.NONE, 48);
    ResolvedStream stream = WalkFixture.stage1(WalkFixture.cd(L0).build());
    WalkResult found = walker.prefetch(stream, Transaction.read(SID, VA), 0);
    assertThat(found.outputAddress()).isEqualTo(0x4000_0abcL);
    assertThat(found.entry()).isEqualTo(walker.walk(stream, Transaction.read(SID, VA)).entry());

    long unmapped = VA + 0x1000;
    assertThat(walker.prefetch(stream, Transaction.read(SID, unmapped), 0)).isNull();
    assertThat(fault(WalkFixture.cd(L0).build(), write(unmapped), EventType.F_TRANSLATION))
        .as("the same address walked for a transaction faults with its event")
        .isNotNull();
    WalkFixture small = new WalkFixture(40);
    small.put(L0, 1, 0x100_0000_0000L, TABLE);
    assertThat(
            new TableWalker(small.memory, TranslationCaches.NONE, 48)
                .prefetch(stream, Transaction.read(SID, VA), 0))
        .as("nor does an abort reading a descriptor")
        .isNull();
  }

  @Test
  void faultsAreNotRecordedWhenRIsClear() {
    mapPage(S1_RW_ALL, 0);
    f.put(L2, 3, L3, 0);
    Cd cd = WalkFixture.cd(L0).set(CdFields.R, 0).build();
    assertThat(fault(cd, write(VA), EventType.F_TRANSLATION)).isNull();
  }

  @Test
  void accessFlagClearIsAnAccessFaultUnlessAffd() throws TranslationFault {
    mapPage(AP_EL0, 0);
    EventRecord e = fault(WalkFixture.cd(L0).build(), write(VA), EventType.F_ACCESS);
    assertThat(e).isNotNull();
    assertThat(fault(WalkFixture.cd(L0).set(CdFields.R, 0).build(), write(VA), EventType.F_ACCESS))
        .isNull();

    Cd affd = WalkFixture.cd(L0).set(CdFields.AFFD, 1).build();
    assertThat(walk(affd, write(VA)).outputAddress()).isEqualTo(0x4000_0abcL);
  }

  @Test
  void outputBeyondIpsOrOasIsAnAddressSizeFault() throws TranslationFault {
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, L3, TABLE);
    f.put(L3, 4, 0x1_0000_0000L, PAGE | S1_RW_ALL);
    Cd ips32 = WalkFixture.cd(L0).set(CdFields.IPS, 0).build();
    assertThat(fault(ips32, write(VA), EventType.F_ADDR_SIZE)).isNotNull();
    assertThat(
            fault(
                WalkFixture.cd(L0).set(CdFields.IPS, 0).set(CdFields.R, 0).build(),
                write(VA),
                EventType.F_ADDR_SIZE))
        .isNull();
    assertThat(walk(WalkFixture.cd(L0).set(CdFields.IPS, 1).build(), write(VA)).outputAddress())
        .isEqualTo(0x1_0000_0abcL);

    // IPS 48 bits but an instance OAS of 32: the OAS caps the output size.
    fault(WalkFixture.cd(L0).build(), write(VA), EventType.F_ADDR_SIZE, 32);
  }

  @Test
  void nextTableBeyondIpsIsAnAddressSizeFault() {
    f.put(L0, 1, L1, TABLE);
    f.put(L1, 2, 0x10_0000_0000L, TABLE);
    Cd ips36 = WalkFixture.cd(L0).set(CdFields.IPS, 1).build();
    fault(ips36, write(VA), EventType.F_ADDR_SIZE);
  }

  @Test
  void abortReadingADescriptorIsAWalkAbortWithTheFetchAddressEvenWithoutR() {
    WalkFixture small = new WalkFixture(40);
    small.put(L0, 1, L1, TABLE);
    small.put(L1, 2, L2, TABLE);
    small.put(L2, 3, 0x100_0000_0000L, TABLE); // beyond the 40-bit memory
    Cd cd = WalkFixture.cd(L0).set(CdFields.R, 0).build();
    TranslationFault fault =
        catchThrowableOfType(
            () ->
                new TableWalker(small.memory, TranslationCaches.NONE, 48)
                    .walk(WalkFixture.stage1(cd), write(VA)),
            TranslationFault.class);

    EventRecord e = fault.event();
    assertThat(e.type()).isEqualTo(EventType.F_WALK_EABT);
    assertThat(e.fetchAddress()).isEqualTo(0x100_0000_0000L + 4 * 8);
    assertThat(e.s2()).isFalse();
    assertThat(e.eventClass()).isEqualTo(EventRecord.CLASS_TT);
    assertThat(e.inputAddress()).isEqualTo(VA);
    assertThat(e.rnw()).isFalse();
  }

  /** A CD with both halves enabled: TTB0 at {@link #L0}, TTB1 at 0x20_0000, 48 bits each. */
  private QwordImage.Builder<Cd> bothHalves() {
    return WalkFixture.cd(L0)
        .set(CdFields.EPD1, 0)
        .set(CdFields.T1SZ, 16)
        .set(CdFields.TG1, 2) // 4K in the TG1 encoding
        .set(CdFields.TTB1, 0x20_0000);
  }

  private void mapUpperHalf() {
    f.put(0x20_0000, 1, 0x20_1000, TABLE);
    f.put(0x20_1000, 2, 0x20_2000, TABLE);
    f.put(0x20_2000, 3, 0x20_3000, TABLE);
    f.put(0x20_3000, 4, 0x5000_0000L, PAGE | S1_RW_ALL);
  }

  @Test
  void upperBitsSelectTtb0OrTtb1() throws TranslationFault {
    mapPage(S1_RW_ALL, 0);
    mapUpperHalf();
    Cd cd = bothHalves().build();
    assertThat(walk(cd, write(VA)).outputAddress()).isEqualTo(0x4000_0abcL);
    assertThat(walk(cd, write(0xffff_0000_0000_0000L | VA)).outputAddress())
        .isEqualTo(0x5000_0abcL);
    fault(cd, write(0x0001_0000_0000_0000L | VA), EventType.F_TRANSLATION);
    fault(cd, write(0xfffe_0000_0000_0000L | VA), EventType.F_TRANSLATION);
  }

  @Test
  void topByteIsIgnoredOnlyWhereTbiIsSet() throws TranslationFault {
    mapPage(S1_RW_ALL, 0);
    mapUpperHalf();
    long taggedLow = 0x5a00_0000_0000_0000L | VA;
    long taggedHigh = 0xa5ff_0000_0000_0000L | VA;
    fault(bothHalves().build(), write(taggedLow), EventType.F_TRANSLATION);
    fault(bothHalves().build(), write(taggedHigh), EventType.F_TRANSLATION);

    Cd tbi0 = bothHalves().set(CdFields.TBI0, 1).build();
    assertThat(walk(tbi0, write(taggedLow)).outputAddress()).isEqualTo(0x4000_0abcL);
    fault(tbi0, write(taggedHigh), EventType.F_TRANSLATION);

    Cd tbi1 = bothHalves().set(CdFields.TBI1, 1).build();
    assertThat(walk(tbi1, write(taggedHigh)).outputAddress()).isEqualTo(0x5000_0abcL);
    fault(tbi1, write(taggedLow), EventType.F_TRANSLATION);
  }

  @Test
  void epdDisablesItsHalf() {
    mapPage(S1_RW_ALL, 0);
    mapUpperHalf();
    fault(bothHalves().set(CdFields.EPD0, 1).build(), write(VA), EventType.F_TRANSLATION);
    fault(
        bothHalves().set(CdFields.EPD1, 1).build(),
        write(0xffff_0000_0000_0000L | VA),
        EventType.F_TRANSLATION);
  }

  @Test
  void t0szOf25StartsAtLevel1AndFaultsBeyondItsRange() throws TranslationFault {
    Cd cd = WalkFixture.cd(L1).set(CdFields.T0SZ, 25).build();
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, L3, TABLE);
    f.put(L3, 4, PAGE_PA, PAGE | S1_RW_ALL);
    long va = (2L << 30) | (3L << 21) | (4L << 12) | 0xabc;
    assertThat(walk(cd, write(va)).outputAddress()).isEqualTo(0x4000_0abcL);
    fault(cd, write(va | (1L << 39)), EventType.F_TRANSLATION);
  }

  @Test
  void cdValuesTheConfigurationStageShouldRefuseAreTranslationFaults() {
    mapPage(S1_RW_ALL, 0);
    fault(WalkFixture.cd(L0).set(CdFields.TG0, 3).build(), write(VA), EventType.F_TRANSLATION);
    fault(WalkFixture.cd(L0).set(CdFields.T0SZ, 15).build(), write(VA), EventType.F_TRANSLATION);
    fault(WalkFixture.cd(L0).set(CdFields.T0SZ, 40).build(), write(VA), EventType.F_TRANSLATION);
  }

  @Test
  void streamsThatDoNotTranslateAreRejectedAsProgrammingErrors() {
    TableWalker walker = new TableWalker(f.memory, TranslationCaches.NONE, 48);
    ResolvedStream s1 = WalkFixture.stage1(WalkFixture.cd(L0).build());
    ResolvedStream bypass =
        new ResolvedStream(
            ResolvedStream.Mode.BYPASS, s1.ste(), null, false, false, s1.world(), 0, 0);
    ResolvedStream noCd =
        new ResolvedStream(
            ResolvedStream.Mode.TRANSLATE, s1.ste(), null, true, false, s1.world(), 0, 0);
    assertThatThrownBy(() -> walker.walk(bypass, write(VA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TRANSLATE");
    assertThatThrownBy(() -> walker.walk(noCd, write(VA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CD");
    assertThatThrownBy(() -> new TableWalker(f.memory, TranslationCaches.NONE, 56))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("56");
  }

  @Test
  void granule16kStartsAtLevel1For47BitsWithBlocksAtLevel2() throws TranslationFault {
    Granule g = Granule.SIZE_16K;
    Cd cd = WalkFixture.cd(0x40_0000).set(CdFields.T0SZ, 17).set(CdFields.TG0, 2).build();
    long va = (5L << 36) | (6L << 25) | (7L << 14) | 0x1abc;
    f.put(0x40_0000, 5, 0x40_4000, TABLE, g);
    f.put(0x40_4000, 6, 0x40_8000, TABLE, g);
    f.put(0x40_8000, 7, 0x4000_0000L, PAGE | S1_RW_ALL, g);
    WalkResult page = walk(cd, write(va));
    assertThat(page.outputAddress()).isEqualTo(0x4000_1abcL);
    assertThat(page.entry().sizeShift()).isEqualTo(14);
    assertThat(page.entry().granule()).isEqualTo(g);

    f.put(0x40_4000, 6, 0x4200_0000L, BLOCK | S1_RW_ALL, g);
    WalkResult block = walk(cd, write(va));
    assertThat(block.outputAddress()).isEqualTo(0x4201_dabcL);
    assertThat(block.entry().sizeShift()).isEqualTo(25);

    f.put(0x40_0000, 5, 0x10_0000_0000L, BLOCK | S1_RW_ALL, g);
    fault(cd, write(va), EventType.F_TRANSLATION);
  }

  @Test
  void granule16kWith48BitsUsesATwoEntryLevel0() throws TranslationFault {
    Granule g = Granule.SIZE_16K;
    Cd cd = WalkFixture.cd(0x40_0000).set(CdFields.TG0, 2).build();
    long va = (1L << 47) | (5L << 36) | (6L << 25) | (7L << 14) | 0x1abc;
    f.put(0x40_0000, 1, 0x40_4000, TABLE, g);
    f.put(0x40_4000, 5, 0x40_8000, TABLE, g);
    f.put(0x40_8000, 6, 0x40_c000, TABLE, g);
    f.put(0x40_c000, 7, 0x4000_0000L, PAGE | S1_RW_ALL, g);
    assertThat(walk(cd, write(va)).outputAddress()).isEqualTo(0x4000_1abcL);
  }

  @Test
  void granule64kCarriesOutputBits51To48InDescriptorBits15To12() throws TranslationFault {
    Granule g = Granule.SIZE_64K;
    Cd cd = WalkFixture.cd(0x40_0000).set(CdFields.TG0, 1).set(CdFields.IPS, 6).build();
    long va = (3L << 42) | (4L << 29) | (5L << 16) | 0xabcd;
    f.put(0x40_0000, 3, 0x41_0000, TABLE, g);
    f.put(0x41_0000, 4, 0x42_0000, TABLE, g);
    // Output 0xf_1234_5678_0000: bits [47:16] in place, bits [51:48] = 0xf in bits [15:12].
    f.raw(0x42_0000 + 5 * 8, 0x0000_1234_5678_0000L | (0xfL << 12) | PAGE | S1_RW_ALL);

    WalkResult result = walk(cd, write(va), 52);
    assertThat(result.outputAddress()).isEqualTo(0xf_1234_5678_abcdL);
    assertThat(result.entry().sizeShift()).isEqualTo(16);

    fault(cd, write(va), EventType.F_ADDR_SIZE, 48);
    fault(
        WalkFixture.cd(0x40_0000).set(CdFields.TG0, 1).build(),
        write(va),
        EventType.F_ADDR_SIZE,
        52);

    f.put(0x41_0000, 4, 0x6000_0000L, BLOCK | S1_RW_ALL, g);
    WalkResult block = walk(cd, write(va), 52);
    assertThat(block.outputAddress()).isEqualTo(0x6005_abcdL);
    assertThat(block.entry().sizeShift()).isEqualTo(29);
  }

  /**
   * Stage-1 permission rules. Columns: leaf bits, L0 table bits, privileged, write, instruction,
   * whether the access is allowed.
   */
  @ParameterizedTest(name = "leaf {0} table {1} priv={2} write={3} instr={4} -> {5}")
  @CsvSource({
    // AP = 00: privileged read/write only.
    "0, 0, true, true, false, true",
    "0, 0, false, false, false, false",
    // AP = 01: read/write at both privileges.
    "AP_EL0, 0, false, true, false, true",
    // AP = 10: privileged read-only.
    "AP_RO, 0, true, false, false, true",
    "AP_RO, 0, true, true, false, false",
    "AP_RO, 0, false, false, false, false",
    // AP = 11: read-only at both privileges.
    "AP_EL0|AP_RO, 0, false, false, false, true",
    "AP_EL0|AP_RO, 0, false, true, false, false",
    // APTable[1]: no writes below.
    "AP_EL0, AP_TABLE_RO, true, true, false, false",
    "AP_EL0, AP_TABLE_RO, false, false, false, true",
    // APTable[0]: no unprivileged access below.
    "AP_EL0, AP_TABLE_NO_EL0, false, false, false, false",
    "AP_EL0, AP_TABLE_NO_EL0, true, true, false, true",
    // Execute-never.
    "AP_EL0, 0, true, false, true, true",
    "AP_EL0, 0, false, false, true, true",
    "AP_EL0|PXN, 0, true, false, true, false",
    "AP_EL0|PXN, 0, false, false, true, true",
    "AP_EL0|UXN, 0, false, false, true, false",
    "AP_EL0|UXN, 0, true, false, true, true",
    "AP_EL0, PXN_TABLE, true, false, true, false",
    "AP_EL0, PXN_TABLE, false, false, true, true",
    "AP_EL0, UXN_TABLE, false, false, true, false",
    "AP_EL0, UXN_TABLE, true, false, true, true",
    // An unprivileged instruction fetch needs unprivileged read access too.
    "0, 0, false, false, true, false",
    // XN does not restrict data reads.
    "AP_EL0|PXN|UXN, PXN_TABLE|UXN_TABLE, false, false, false, true",
  })
  void permissions(
      String leaf, String table, boolean privileged, boolean write, boolean instr, boolean allowed)
      throws TranslationFault {
    mapPage(AF | bits(leaf), bits(table));
    Transaction txn = new Transaction(SID, false, 0, VA, write, privileged, instr);
    Cd cd = WalkFixture.cd(L0).build();
    if (allowed) {
      assertThat(walk(cd, txn).outputAddress()).isEqualTo(0x4000_0abcL);
    } else {
      EventRecord e = fault(cd, txn, EventType.F_PERMISSION);
      assertThat(e.rnw()).isEqualTo(!write);
      assertThat(e.pnu()).isEqualTo(privileged);
      assertThat(e.ind()).isEqualTo(instr);
    }
  }

  @Test
  void hierarchicalAttributeDisableIgnoresTableRestrictions() throws TranslationFault {
    mapPage(S1_RW_ALL, AP_TABLE_RO | AP_TABLE_NO_EL0 | UXN_TABLE);
    Transaction fetch = new Transaction(SID, false, 0, VA, false, false, true);
    fault(WalkFixture.cd(L0).build(), write(VA), EventType.F_PERMISSION);
    Cd had = WalkFixture.cd(L0).set(CdFields.HAD0, 1).build();
    assertThat(walk(had, write(VA)).entry().permissions()).isEqualTo(Permissions.ALL);
    assertThat(walk(had, fetch).outputAddress()).isEqualTo(0x4000_0abcL);
  }

  private static long bits(String names) {
    long v = 0;
    for (String name : names.split("\\|")) {
      switch (name.trim()) {
        case "0" -> v |= 0;
        case "AP_EL0" -> v |= AP_EL0;
        case "AP_RO" -> v |= AP_RO;
        case "PXN" -> v |= PXN;
        case "UXN" -> v |= UXN;
        case "PXN_TABLE" -> v |= PXN_TABLE;
        case "UXN_TABLE" -> v |= UXN_TABLE;
        case "AP_TABLE_RO" -> v |= AP_TABLE_RO;
        case "AP_TABLE_NO_EL0" -> v |= AP_TABLE_NO_EL0;
        default -> throw new IllegalArgumentException("unknown bit name " + name);
      }
    }
    return v;
  }
}
