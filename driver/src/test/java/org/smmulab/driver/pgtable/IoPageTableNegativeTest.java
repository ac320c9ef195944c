package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.driver.pgtable.Fixture.GIB;
import static org.smmulab.driver.pgtable.Fixture.MIB;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.AllocatorStats;

/** Requests map and unmap must refuse, and what they leave behind when they do. */
class IoPageTableNegativeTest {
  private static final int RW = Prot.READ | Prot.WRITE;

  private static void assertUnmapped(IoPageTable table, long iova, long size) throws Exception {
    for (long at = iova; at < iova + size; at += 4096) {
      assertThat(table.iovaToPhys(at)).as("IOVA 0x%x", at).isZero();
    }
  }

  @Test
  void overlapAtTheEndOfARangeChangesNothing() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0x5ff000, 0x9000, 4096, RW);
    AllocatorStats before = f.allocator.stats();

    assertThatThrownBy(() -> table.map(0x100000, 0x100000, 0x500000, RW))
        .isInstanceOf(AlreadyMappedException.class)
        .hasMessageContaining("IOVA 0x400000 is already mapped")
        .hasMessageContaining("table descriptor at level 2");

    assertUnmapped(table, 0x100000, 0x4ff000);
    assertThat(table.iovaToPhys(0x5ff000)).isEqualTo(0x9000);
    assertThat(table.walk(leaf -> {}).leaves()).isEqualTo(1);
    assertThat(f.allocator.stats()).isEqualTo(before);
  }

  @Test
  void mapInsideABlockIsRejected() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_2, Granule.SIZE_4K, 40, 40);
    table.map(GIB, GIB, GIB, RW);
    assertThatThrownBy(() -> table.map(GIB + 0x3000, 0, 4096, RW))
        .isInstanceOf(AlreadyMappedException.class)
        .hasMessageContaining("block descriptor at level 1");
    assertThat(table.iovaToPhys(GIB + 0x3000)).isEqualTo(GIB + 0x3000);
  }

  @Test
  void aBlockIsNotInstalledOverAnEmptyTableUntilABlockSizedUnmapFreesIt() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(2 * MIB, 2 * MIB, 4096, RW);
    assertThat(table.unmap(2 * MIB, 4096).tablesFreed()).isFalse();
    assertThatThrownBy(() -> table.map(2 * MIB, 2 * MIB, 2 * MIB, RW))
        .isInstanceOf(AlreadyMappedException.class);

    UnmapResult freed = table.unmap(2 * MIB, 2 * MIB);
    assertThat(freed.unmappedBytes()).isEqualTo(2 * MIB);
    assertThat(freed.tablesFreed()).isTrue();
    table.map(2 * MIB, 2 * MIB, 2 * MIB, RW);
    assertThat(table.leafAt(2 * MIB).orElseThrow().level()).isEqualTo(2);
  }

  @Test
  void partialBlockUnmapReturnsZeroAndKeepsTheBlock() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_16K, 48, 48);
    table.map(32 * MIB, 64 * MIB, 32 * MIB, RW);
    assertThat(table.unmap(32 * MIB + 0x4000, 0x4000))
        .isEqualTo(UnmapResult.nothing(32 * MIB + 0x4000));
    assertThat(table.unmap(32 * MIB, 0x4000).unmappedBytes()).isZero();
    assertThat(table.unmap(32 * MIB, 16 * MIB).unmappedBytes()).isZero();
    assertThat(table.iovaToPhys(32 * MIB + 0x4042)).isEqualTo(64 * MIB + 0x4042);
    assertThat(table.leafAt(32 * MIB).orElseThrow().size()).isEqualTo(32 * MIB);
  }

  @Test
  void unmappingAnUnmappedRangeReturnsZero() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_2, Granule.SIZE_64K, 44, 44);
    UnmapResult result = table.unmap(0x10000, 0x20000);
    assertThat(result.unmappedBytes()).isZero();
    assertThat(result.tablesFreed()).isFalse();
    assertThat(result.leafSize()).isZero();
  }

  @Test
  void unmapStopsAtTheFirstHole() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0x10000, 0x10000, 0x2000, RW);
    table.map(0x13000, 0x13000, 0x1000, RW);
    assertThat(table.unmap(0x10000, 0x4000).unmappedBytes()).isEqualTo(0x2000);
    assertThat(table.iovaToPhys(0x13000)).isEqualTo(0x13000);
  }

  @Test
  void badRequestsAreRejectedWithTheReason() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 39, 40);
    assertThatThrownBy(() -> table.map(0, 0, 0, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive multiple of the 4K granule");
    assertThatThrownBy(() -> table.map(0, 0, 0x1800, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x1800 bytes");
    assertThatThrownBy(() -> table.map(0x800, 0, 4096, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map at 0x800: address not aligned");
    assertThatThrownBy(() -> table.map(0, 0x10, 4096, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map at 0x10: address not aligned");
    assertThatThrownBy(() -> table.map((1L << 39) - 4096, 0, 8192, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the 39-bit IAS");
    assertThatThrownBy(() -> table.map(0, 1L << 40, 4096, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the 40-bit OAS");
    assertThatThrownBy(() -> table.map(-4096, 0, 4096, RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IAS");
    assertThatThrownBy(() -> table.map(0, 0, 4096, Prot.CACHE | Prot.NOEXEC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must include READ or WRITE")
        .hasMessageContaining("CACHE|NOEXEC");
    assertThatThrownBy(() -> table.map(0, 0, 4096, Prot.READ | 0x100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R|0x100");
    assertThatThrownBy(() -> table.unmap(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unmap of 0x0 bytes");
    assertThatThrownBy(() -> table.unmap(1L << 39, 4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the 39-bit IAS");
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(0, 0));
  }

  @Test
  void badConfigsAreRejected() {
    assertThatThrownBy(() -> PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 31, 40))
        .hasMessageContaining("ias must be 32..48 bits, got 31");
    assertThatThrownBy(() -> PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 40, 39))
        .hasMessageContaining("oas must be one of");
    assertThatThrownBy(() -> PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 40, 52))
        .hasMessageContaining("oas must be one of");
    assertThatThrownBy(
            () ->
                new PageTableConfig(
                    Stage.STAGE_1, Granule.SIZE_16K, 0x4000 | 0x200000, 40, 40, true))
        .hasMessageContaining("cannot map");
    assertThatThrownBy(
            () -> new PageTableConfig(Stage.STAGE_1, Granule.SIZE_64K, 0x20000000, 40, 40, true))
        .hasMessageContaining("do not include the 64K granule");
    // 4K, ias 44 > oas 40 at stage 2: 32 level-0 tables would have to be concatenated.
    assertThatThrownBy(
            () -> new PageTableGeometry(PageTableConfig.of(Stage.STAGE_2, Granule.SIZE_4K, 44, 40)))
        .hasMessageContaining("would need 32 concatenated tables");
  }

  @Test
  void allocatorExhaustionDuringMapLeavesNoLeafBehind() throws Exception {
    // PGD (4K) + level-1, level-2 and one level-3 table: the second level-3 table cannot be had.
    Fixture f = new Fixture(4 * 4096);
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);

    assertThatThrownBy(() -> table.map(0x1ff000, 0x1ff000, 0x2000, RW))
        .isInstanceOfSatisfying(
            AllocatorExhaustedException.class,
            e -> {
              assertThat(e.requestedBytes()).isEqualTo(4096);
              assertThat(e.freeBytes()).isZero();
            })
        .hasMessage(
            "out of driver memory: asked for 4096 bytes, 0 bytes free, largest free block 0 bytes");

    assertUnmapped(table, 0x1ff000, 0x2000);
    // No translation changed; the tables installed on the way stay (empty) and are reused.
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(0, 3));
    table.map(0x1ff000, 0x1ff000, 0x1000, RW);
    assertThat(table.iovaToPhys(0x1ff000)).isEqualTo(0x1ff000);

    assertThat(table.destroy()).isEqualTo(4);
    assertThat(f.allocator.stats().bytesInUse()).isZero();
    assertThat(f.allocator.stats().allocationsOutstanding()).isZero();
  }

  @Test
  void aDestroyedTableCannotBeUsed() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.destroy();
    assertThatThrownBy(() -> table.map(0, 0, 4096, RW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was destroyed");
    assertThatThrownBy(table::destroy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed twice");
  }

  @Test
  void translationControlBelongsToOneStage() throws Exception {
    Fixture f = new Fixture();
    IoPageTable s1 = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    IoPageTable s2 = f.table(Stage.STAGE_2, Granule.SIZE_4K, 48, 48);
    assertThatThrownBy(s1::vtcr).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s2::tcr).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s2::mair).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nonCoherentWalksUseNonCacheableOuterShareableAttributes() throws Exception {
    Fixture f = new Fixture();
    PageTableConfig config =
        PageTableConfig.of(Stage.STAGE_2, Granule.SIZE_16K, 40, 44).withCoherentWalk(false);
    // 16K ias 40: start level 1, SL0 = ~1 & 3 = 2; PS 44 bits = 4; TG 16K = 2; SH outer, NC.
    assertThat(f.table(config).vtcr()).isEqualTo(new Vtcr(24, 2, 2, 4, 2, 0, 0));
  }
}
