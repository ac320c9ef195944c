package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.smmulab.hw.smmu.walk.WalkFixture.AF;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_EL0;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_RO;
import static org.smmulab.hw.smmu.walk.WalkFixture.BLOCK;
import static org.smmulab.hw.smmu.walk.WalkFixture.PAGE;
import static org.smmulab.hw.smmu.walk.WalkFixture.S1_RW_ALL;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_NORMAL;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_READ;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_RW;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_WRITE;
import static org.smmulab.hw.smmu.walk.WalkFixture.S2_XN;
import static org.smmulab.hw.smmu.walk.WalkFixture.SID;
import static org.smmulab.hw.smmu.walk.WalkFixture.TABLE;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.txn.Permissions;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Nested walks. Stage 2 maps the 2 MiB IPA block at 0x4000_0000 (holding the stage-1 tables,
 * read-only) to PA 0x8000_0000, and the block at 0x4040_0000 (the data) to PA 0x9000_0000; every
 * other IPA is unmapped. Stage 1 maps {@link #VA} to IPA 0x4040_5000 through tables at IPAs
 * 0x4000_0000 to 0x4000_3000.
 */
class NestedWalkTest {
  private static final long VA = (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0xabc;

  private static final long S2_L0 = 0x20_0000;
  private static final long S2_L1 = 0x20_1000;
  private static final long S2_L2 = 0x20_2000;
  private static final long IPA_TABLES = 0x4000_0000L;
  private static final long PA_TABLES = 0x8000_0000L;
  private static final long S2_TABLES_READ_ONLY = AF | S2_READ | S2_NORMAL;

  private final WalkFixture f = new WalkFixture();

  NestedWalkTest() {
    f.put(S2_L0, 0, S2_L1, TABLE);
    f.put(S2_L1, 1, S2_L2, TABLE);
    f.put(S2_L2, 0, PA_TABLES, BLOCK | S2_TABLES_READ_ONLY);
    f.put(S2_L2, 2, 0x9000_0000L, BLOCK | S2_RW);
    // Stage-1 tables, written at their physical addresses, pointing at IPAs.
    f.put(PA_TABLES, 1, IPA_TABLES + 0x1000, TABLE);
    f.put(PA_TABLES + 0x1000, 2, IPA_TABLES + 0x2000, TABLE);
    f.put(PA_TABLES + 0x2000, 3, IPA_TABLES + 0x3000, TABLE);
    f.put(PA_TABLES + 0x3000, 4, 0x4040_5000L, PAGE | S1_RW_ALL);
  }

  private static ResolvedStream stream(Ste ste, Cd cd) {
    return WalkFixture.nested(ste, cd);
  }

  private static ResolvedStream stream() {
    return stream(WalkFixture.ste(S2_L0).build(), WalkFixture.cd(IPA_TABLES).build());
  }

  private TableWalker walker() {
    return new TableWalker(f.memory, TranslationCaches.NONE, 48);
  }

  private EventRecord fault(ResolvedStream stream, Transaction txn) {
    TranslationFault fault =
        catchThrowableOfType(() -> walker().walk(stream, txn), TranslationFault.class);
    assertThat(fault).as("walk must fault").isNotNull();
    return fault.event();
  }

  private static void assertFault(
      EventRecord e, EventType type, boolean s2, int eventClass, long ipa) {
    assertThat(e).isNotNull();
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.s2()).isEqualTo(s2);
    assertThat(e.eventClass()).isEqualTo(eventClass);
    assertThat(e.ipa()).isEqualTo(ipa);
    assertThat(e.inputAddress()).isEqualTo(VA);
    assertThat(e.sid()).isEqualTo(SID);
  }

  @Test
  void translatesThroughBothStages() throws TranslationFault {
    WalkResult result = walker().walk(stream(), Transaction.write(SID, VA));
    assertThat(result.outputAddress()).isEqualTo(0x9000_5abcL);
    TlbEntry e = result.entry();
    assertThat(e.tag())
        .isEqualTo(new CacheTag(CacheTag.World.NS_EL1, CacheTag.Kind.NESTED, 7, 5, true));
    assertThat(e.sizeShift()).as("the 4K stage-1 page is the smaller leaf").isEqualTo(12);
    assertThat(e.inputBase()).isEqualTo(VA & ~0xfffL);
    assertThat(e.outputBase()).isEqualTo(0x9000_5000L);
    assertThat(e.level()).isEqualTo(3);
  }

  @Test
  void entryCoversTheSmallerStage2LeafAndIntersectsPermissions() throws TranslationFault {
    // Stage 1: a read-only 1 GiB block to IPA 0x4000_0000; stage 2: 2 MiB blocks, execute-never.
    f.put(PA_TABLES + 0x1000, 2, 0x4000_0000L, BLOCK | AF | AP_EL0 | AP_RO);
    f.put(S2_L2, 3, 0xa000_0000L, BLOCK | S2_RW | S2_XN);
    WalkResult result = walker().walk(stream(), Transaction.read(SID, VA));
    assertThat(result.outputAddress()).isEqualTo(0xa000_4abcL);
    TlbEntry e = result.entry();
    assertThat(e.sizeShift()).isEqualTo(21);
    assertThat(e.inputBase()).isEqualTo(VA & ~0x1f_ffffL);
    assertThat(e.outputBase()).isEqualTo(0xa000_0000L);
    assertThat(e.level()).as("the stage-1 level").isEqualTo(1);
    assertThat(e.permissions())
        .isEqualTo(new Permissions(Permissions.READ_PRIV | Permissions.READ_UNPRIV));
  }

  @Test
  void unmappedTableIpaIsAStage2FaultOfClassTt() {
    f.put(PA_TABLES + 0x1000, 2, 0x5000_0000L, TABLE);
    assertFault(
        fault(stream(), Transaction.write(SID, VA)),
        EventType.F_TRANSLATION,
        true,
        EventRecord.CLASS_TT,
        0x5000_0000L);
  }

  @Test
  void unmappedTtbIsAStage2FaultOfClassTt() {
    ResolvedStream s = stream(WalkFixture.ste(S2_L0).build(), WalkFixture.cd(0x6000_0000L).build());
    assertFault(
        fault(s, Transaction.write(SID, VA)),
        EventType.F_TRANSLATION,
        true,
        EventRecord.CLASS_TT,
        0x6000_0000L);
  }

  @Test
  void unmappedOutputIpaIsAStage2FaultOfClassIn() {
    f.put(PA_TABLES + 0x3000, 4, 0x4100_0000L, PAGE | S1_RW_ALL);
    assertFault(
        fault(stream(), Transaction.write(SID, VA)),
        EventType.F_TRANSLATION,
        true,
        EventRecord.CLASS_IN,
        0x4100_0000L);
  }

  @Test
  void writeToStage2ReadOnlyOutputIsAStage2PermissionFault() {
    f.put(S2_L2, 2, 0x9000_0000L, BLOCK | S2_TABLES_READ_ONLY);
    assertFault(
        fault(stream(), Transaction.write(SID, VA)),
        EventType.F_PERMISSION,
        true,
        EventRecord.CLASS_IN,
        0x4040_5000L);
  }

  @Test
  void writeToStage1ReadOnlyPageIsAStage1PermissionFault() {
    f.put(PA_TABLES + 0x3000, 4, 0x4040_5000L, PAGE | AF | AP_EL0 | AP_RO);
    assertFault(
        fault(stream(), Transaction.write(SID, VA)),
        EventType.F_PERMISSION,
        false,
        EventRecord.CLASS_IN,
        0);
  }

  @Test
  void tablesWithoutStage2ReadAccessFaultAsClassTt() {
    f.put(S2_L2, 0, PA_TABLES, BLOCK | AF | S2_WRITE | S2_NORMAL);
    assertFault(
        fault(stream(), Transaction.write(SID, VA)),
        EventType.F_PERMISSION,
        true,
        EventRecord.CLASS_TT,
        IPA_TABLES);
  }

  @Test
  void protectedTableWalkRefusesTablesInDeviceMemory() throws TranslationFault {
    f.put(S2_L2, 0, PA_TABLES, BLOCK | AF | S2_READ | (0b0001L << 2)); // Device-nGnRE
    assertThat(walker().walk(stream(), Transaction.write(SID, VA)).outputAddress())
        .isEqualTo(0x9000_5abcL);
    Ste ptw = WalkFixture.ste(S2_L0).set(SteFields.S2_PTW, 1).build();
    assertFault(
        fault(stream(ptw, WalkFixture.cd(IPA_TABLES).build()), Transaction.write(SID, VA)),
        EventType.F_PERMISSION,
        true,
        EventRecord.CLASS_TT,
        IPA_TABLES);
  }

  @Test
  void eachStageRecordsByItsOwnControl() {
    Ste noS2r = WalkFixture.ste(S2_L0).set(SteFields.S2_R, 0).build();
    Cd noR = WalkFixture.cd(IPA_TABLES).set(CdFields.R, 0).build();

    f.put(PA_TABLES + 0x3000, 4, 0x4100_0000L, PAGE | S1_RW_ALL); // stage-2 fault on the output
    assertThat(fault(stream(noS2r, WalkFixture.cd(IPA_TABLES).build()), Transaction.write(SID, VA)))
        .isNull();
    assertThat(fault(stream(WalkFixture.ste(S2_L0).build(), noR), Transaction.write(SID, VA)))
        .isNotNull();

    f.put(PA_TABLES + 0x3000, 4, 0x4040_5000L, PAGE); // stage-1 access flag fault
    assertThat(fault(stream(noS2r, WalkFixture.cd(IPA_TABLES).build()), Transaction.write(SID, VA)))
        .isNotNull();
    assertThat(fault(stream(WalkFixture.ste(S2_L0).build(), noR), Transaction.write(SID, VA)))
        .isNull();
  }

  @Test
  void toPhysicalTranslatesOneIpaWithTheCallersClass() throws TranslationFault {
    Transaction txn = Transaction.read(SID, VA).withSubstream(1);
    assertThat(walker().toPhysical(stream(), txn, IPA_TABLES + 0x40, EventRecord.CLASS_CD))
        .isEqualTo(PA_TABLES + 0x40);

    TranslationFault fault =
        catchThrowableOfType(
            () -> walker().toPhysical(stream(), txn, 0x6000_0040L, EventRecord.CLASS_CD),
            TranslationFault.class);
    assertFault(fault.event(), EventType.F_TRANSLATION, true, EventRecord.CLASS_CD, 0x6000_0000L);
    assertThat(fault.event().substream()).hasValue(1);

    ResolvedStream stage1Only = WalkFixture.stage1(WalkFixture.cd(IPA_TABLES).build());
    assertThat(walker().toPhysical(stage1Only, txn, 0x6000_0040L, EventRecord.CLASS_CD))
        .isEqualTo(0x6000_0040L);
  }
}
