package org.smmulab.verify.pgtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.TestMemory;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.pgtable.PageTableGeometry;
import org.smmulab.driver.pgtable.Prot;

/**
 * Cross-checks the driver's io-pgtable with the independent census: after a seeded random series of
 * maps and unmaps, the tables in memory must hold exactly the mappings the series left, every table
 * page must be one the allocator handed out, and destroying the table must return every page.
 */
class IoPageTableCensusTest {
  private static final long RAM_BASE = 0x4000_0000L;
  private static final long RAM_SIZE = 64L << 20;

  @ParameterizedTest(name = "{0} {1} granule, seed {2}")
  @CsvSource({
    "STAGE_1, SIZE_4K, 1",
    "STAGE_2, SIZE_4K, 2",
    "STAGE_1, SIZE_16K, 3",
    "STAGE_2, SIZE_64K, 4",
  })
  void tablesInMemoryMatchTheMappingsLeftBehind(Stage stage, Granule granule, long seed)
      throws Exception {
    TestMemory memory = new TestMemory(48);
    PageAllocator allocator = new PageAllocator(memory, List.of(new RamRange(RAM_BASE, RAM_SIZE)));
    IoPageTable table =
        IoPageTable.create(PageTableConfig.of(stage, granule, 40, 40), memory, allocator);
    long page = granule.size();
    long block = granule.levelSize(2);
    Random random = new Random(seed);
    TreeMap<Long, long[]> expected = new TreeMap<>(); // iova -> {pa, size}

    for (int op = 0; op < 300; op++) {
      boolean useBlock = random.nextInt(8) == 0;
      long size = useBlock ? block : page * (1 + random.nextInt(4));
      long slot = useBlock ? block : page;
      long iova = (random.nextInt(useBlock ? 64 : 1024) * slot) + (useBlock ? 0 : 8 * block);
      long pa = 0x10_0000_0000L + random.nextInt(256) * slot;
      if (random.nextBoolean() || expected.isEmpty()) {
        if (overlaps(expected, iova, size)) {
          continue;
        }
        table.map(iova, pa, size, Prot.READ | Prot.WRITE);
        for (long off = 0; off < size; off += useBlock ? block : page) {
          expected.put(iova + off, new long[] {pa + off, useBlock ? block : page});
        }
      } else {
        long victim = new ArrayList<>(expected.keySet()).get(random.nextInt(expected.size()));
        long victimSize = expected.get(victim)[1];
        assertThat(table.unmap(victim, victimSize).unmappedBytes()).isEqualTo(victimSize);
        expected.remove(victim);
      }
    }

    assertThat(expected).as("the series must leave mappings to check").hasSizeGreaterThan(20);
    PageTableGeometry g = table.geometry();
    PageTableCensus census =
        PageTableCensus.take(memory, stage, granule, g.startLevel(), g.pgdEntries(), table.ttbr());
    assertThat(census.anomalies()).isEmpty();
    assertThat(census.leaves()).hasSize(expected.size());
    for (PageTableCensus.Leaf leaf : census.leaves()) {
      long[] e = expected.get(leaf.iova());
      assertThat(e).as("leaf at 0x%x", leaf.iova()).isNotNull();
      assertThat(leaf.outputAddress()).isEqualTo(e[0]);
      assertThat(leaf.size()).isEqualTo(e[1]);
    }
    assertThat(census.tablePages())
        .allSatisfy(p -> assertThat(allocator.allocationSize(p)).isPositive());
    assertThat(table.destroy()).isPositive();
    assertThat(allocator.allocationsOutstanding()).isZero();
  }

  private static boolean overlaps(TreeMap<Long, long[]> expected, long iova, long size) {
    var below = expected.floorEntry(iova + size - 1);
    return below != null && below.getKey() + below.getValue()[1] > iova;
  }
}
