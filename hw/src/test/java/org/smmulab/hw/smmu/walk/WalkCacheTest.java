package org.smmulab.hw.smmu.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.smmulab.hw.smmu.walk.WalkFixture.AP_TABLE_RO;
import static org.smmulab.hw.smmu.walk.WalkFixture.PAGE;
import static org.smmulab.hw.smmu.walk.WalkFixture.S1_RW_ALL;
import static org.smmulab.hw.smmu.walk.WalkFixture.SID;
import static org.smmulab.hw.smmu.walk.WalkFixture.TABLE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.tlb.WalkCacheEntry;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;

/** The walker's use of the walk cache: what it inserts, with which generation, and what it uses. */
class WalkCacheTest {
  private static final long VA = (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0xabc;
  private static final long L0 = 0x10_0000;
  private static final long L1 = 0x10_1000;
  private static final long L2 = 0x10_2000;
  private static final long L3 = 0x10_3000;
  private static final long OTHER_L3 = 0x10_4000;
  private static final CacheTag S1_TABLES =
      new CacheTag(CacheTag.World.NS_EL1, CacheTag.Kind.STAGE1, 0, 5, false);

  private final WalkFixture f = new WalkFixture();
  private final Cd cd = WalkFixture.cd(L0).build();
  private final Transaction write = Transaction.write(SID, VA);

  WalkCacheTest() {
    f.put(L0, 1, L1, TABLE | AP_TABLE_RO);
    f.put(L1, 2, L2, TABLE);
    f.put(L2, 3, L3, TABLE);
    f.put(L3, 4, 0x4000_0000L, PAGE | S1_RW_ALL);
    f.put(OTHER_L3, 4, 0x5000_0000L, PAGE | S1_RW_ALL);
  }

  private WalkResult read(TranslationCaches caches) throws TranslationFault {
    return new TableWalker(f.memory, caches, 48)
        .walk(WalkFixture.stage1(cd), Transaction.read(SID, VA));
  }

  @Test
  void everyTableDescriptorIsInsertedWithTheGenerationReadAtWalkStart() throws TranslationFault {
    RecordingCaches caches = new RecordingCaches(42);
    read(caches);
    assertThat(caches.inserts)
        .containsExactly(
            new RecordingCaches.Insert(
                new WalkCacheEntry(
                    S1_TABLES, 0, 1L << 39, 39, L1, Granule.SIZE_4K, 0b10, false, false),
                42),
            new RecordingCaches.Insert(
                new WalkCacheEntry(
                    S1_TABLES,
                    1,
                    (1L << 39) | (2L << 30),
                    30,
                    L2,
                    Granule.SIZE_4K,
                    0b10,
                    false,
                    false),
                42),
            new RecordingCaches.Insert(
                new WalkCacheEntry(
                    S1_TABLES,
                    2,
                    (1L << 39) | (2L << 30) | (3L << 21),
                    21,
                    L3,
                    Granule.SIZE_4K,
                    0b10,
                    false,
                    false),
                42));
  }

  @Test
  void cachedTableIsUsedInsteadOfMemory() throws TranslationFault {
    RecordingCaches caches = new RecordingCaches(1);
    assertThat(read(caches).outputAddress()).isEqualTo(0x4000_0abcL);

    f.put(L2, 3, OTHER_L3, TABLE); // software changes the table without invalidating
    f.put(L0, 1, 0, 0); // and even removes the path to it
    assertThat(read(caches).outputAddress()).as("stale cached L2 entry").isEqualTo(0x4000_0abcL);
    assertThat(caches.served).hasSize(1);
    assertThat(caches.served.get(0).level()).isEqualTo(2);

    f.put(L0, 1, L1, TABLE);
    assertThat(read(TranslationCaches.NONE).outputAddress()).isEqualTo(0x5000_0abcL);
  }

  @Test
  void cachedHierarchicalRestrictionsStillApply() {
    RecordingCaches caches = new RecordingCaches(1);
    caches.insertTable(
        new WalkCacheEntry(
            S1_TABLES, 2, VA & ~0x1f_ffffL, 21, L3, Granule.SIZE_4K, 0b10, false, false),
        1);
    f.put(L0, 1, L1, TABLE); // memory no longer says read-only
    TranslationFault fault =
        catchThrowableOfType(
            () -> new TableWalker(f.memory, caches, 48).walk(WalkFixture.stage1(cd), write),
            TranslationFault.class);
    assertThat(fault.event().type()).isEqualTo(EventType.F_PERMISSION);
  }

  @Test
  void entryOfAnotherGranuleIsIgnored() throws TranslationFault {
    RecordingCaches caches = new RecordingCaches(1);
    caches.insertTable(
        new WalkCacheEntry(
            S1_TABLES, 2, VA & ~0x1ff_ffffL, 25, OTHER_L3, Granule.SIZE_16K, 0, false, false),
        1);
    assertThat(read(caches).outputAddress()).isEqualTo(0x4000_0abcL);
  }

  @Test
  void nestedWalkCachesStage1AndStage2TablesUnderTheirOwnTags() throws TranslationFault {
    WalkFixture n = new WalkFixture();
    n.put(0x20_0000, 0, 0x20_1000, TABLE);
    n.put(0x20_1000, 1, 0x20_2000, TABLE);
    n.put(0x20_2000, 0, 0x8000_0000L, WalkFixture.BLOCK | WalkFixture.S2_RW);
    n.put(0x8000_0000L, 1, 0x4000_1000L, TABLE);
    n.put(0x8000_1000L, 2, 0x4000_2000L, TABLE);
    n.put(0x8000_2000L, 3, 0x4000_3000L, TABLE);
    n.put(0x8000_3000L, 4, 0x4000_5000L, PAGE | S1_RW_ALL);
    RecordingCaches caches = new RecordingCaches(9);
    WalkResult r =
        new TableWalker(n.memory, caches, 48)
            .walk(
                WalkFixture.nested(
                    WalkFixture.ste(0x20_0000).build(), WalkFixture.cd(0x4000_0000L).build()),
                write);
    assertThat(r.outputAddress()).isEqualTo(0x8000_5abcL);

    List<CacheTag.Kind> kinds =
        caches.inserts.stream().map(i -> i.entry().tag().kind()).distinct().toList();
    assertThat(kinds).containsExactlyInAnyOrder(CacheTag.Kind.NESTED, CacheTag.Kind.STAGE2);
    assertThat(caches.inserts).allMatch(i -> i.generation() == 9);
    assertThat(caches.inserts)
        .filteredOn(i -> i.entry().tag().kind() == CacheTag.Kind.NESTED)
        .extracting(i -> i.entry().tableAddress())
        .as("nested stage-1 entries keep the table IPAs")
        .containsExactly(0x4000_1000L, 0x4000_2000L, 0x4000_3000L);
    assertThat(caches.inserts)
        .filteredOn(i -> i.entry().tag().kind() == CacheTag.Kind.STAGE2)
        .allMatch(i -> i.entry().tag().vmid() == 7 && i.entry().tag().asid() == 0);
  }
}
