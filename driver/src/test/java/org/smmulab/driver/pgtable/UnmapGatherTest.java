package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.driver.pgtable.Fixture.GIB;
import static org.smmulab.driver.pgtable.Fixture.MIB;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;

/** What unmap reports for invalidation: range, leaf size, freed tables. */
class UnmapGatherTest {
  private static final int RW = Prot.READ | Prot.WRITE;

  @Test
  void onePageIsALeafInvalidationOfOnePage() throws Exception {
    IoPageTable table = new Fixture().table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0x42000, 0x1000, 0x1000, RW);
    assertThat(table.unmap(0x42000, 0x1000))
        .isEqualTo(new UnmapResult(0x1000, 0x42000, 0x43000, 0x1000, 0x1000, false, 0));
  }

  @Test
  void oneBlockReportsTheBlockSize() throws Exception {
    IoPageTable table = new Fixture().table(Stage.STAGE_2, Granule.SIZE_64K, 48, 48);
    table.map(512 * MIB, 0, 512 * MIB, RW);
    assertThat(table.unmap(512 * MIB, 512 * MIB))
        .isEqualTo(new UnmapResult(512 * MIB, 512 * MIB, GIB, 512 * MIB, 512 * MIB, false, 0));
  }

  @Test
  void mixedLeavesReportTheSmallestAndEverySize() throws Exception {
    IoPageTable table = new Fixture().table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0x1ff000, 0x1ff000, 0x201000, RW);
    assertThat(table.walk(leaf -> {}).leaves()).isEqualTo(2);
    UnmapResult result = table.unmap(0x1ff000, 0x201000);
    assertThat(result)
        .isEqualTo(
            new UnmapResult(0x201000, 0x1ff000, 0x400000, 0x1000, 0x1000 | 2 * MIB, false, 0));
    assertThat(result.leafOnlyInvalidation())
        .as("a 4K page and a 2M block have no common level hint")
        .isFalse();
  }

  @Test
  void uniformLeavesWithoutFreedTablesAllowALeafInvalidation() throws Exception {
    IoPageTable table = new Fixture().table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    table.map(0x40000, 0x40000, 0x3000, RW);
    assertThat(table.unmap(0x40000, 0x3000).leafOnlyInvalidation()).isTrue();
  }

  @Test
  void blockSizedUnmapOverPagesFreesTheirTable() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    // The PA is only 4K aligned, so 2M of IOVA is mapped as 512 pages in one level-3 table.
    table.map(2 * MIB, 0x1000, 2 * MIB, RW);
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(512, 3));
    long inUse = f.allocator.bytesInUse();

    UnmapResult result = table.unmap(2 * MIB, 2 * MIB);
    assertThat(result)
        .isEqualTo(new UnmapResult(2 * MIB, 2 * MIB, 4 * MIB, 0x1000, 0x1000, true, 1));
    assertThat(result.leafOnlyInvalidation())
        .as("a freed table needs walk caches cleared")
        .isFalse();
    assertThat(f.allocator.bytesInUse()).isEqualTo(inUse - 4096);
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(0, 2));
  }

  @Test
  void gigabyteUnmapFreesAWholeSubtree() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_2, Granule.SIZE_4K, 40, 40);
    table.map(GIB + 0x1000, 0x1000, 0x1000, RW);
    table.map(GIB + 4 * MIB, 0x1000, 0x1000, RW);
    table.map(GIB + 8 * MIB, 8 * MIB, 2 * MIB, RW);
    // Concatenated PGD at level 1 -> one level-2 table -> two level-3 tables.
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(3, 3));

    UnmapResult result = table.unmap(GIB, GIB);
    assertThat(result).isEqualTo(new UnmapResult(GIB, GIB, 2 * GIB, 0x1000, 0x1000, true, 3));
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(0, 0));
    table.destroy();
    assertThat(f.allocator.stats().allocationsOutstanding()).isZero();
  }

  @Test
  void pageSizedUnmapsNeverFreeTables() throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_16K, 36, 40);
    table.map(0x4000, 0x4000, 0x8000, RW);
    UnmapResult result = table.unmap(0x4000, 0x8000);
    assertThat(result.tablesFreed()).isFalse();
    assertThat(result.leafSize()).isEqualTo(0x4000);
    assertThat(table.walk(leaf -> {})).isEqualTo(new WalkSummary(0, 1));
  }
}
