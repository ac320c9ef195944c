package org.smmulab.verify.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.TestMemory;
import org.smmulab.verify.pgtable.PageTableCensus.Leaf;

class PageTableCensusTest {
  private static final long GIB = 1L << 30;
  private static final long MIB2 = 2L << 20;
  private static final long AF_BLOCK = 0x401; // AF | valid, bits[1:0] = 01
  private static final long AF_PAGE = 0x403; // AF | valid | page

  @Test
  void listsLeavesTablesAndReservedDescriptorsOfAHandBuiltTree() throws BusAbort {
    TestMemory mem = new TestMemory(40);
    // 4K granule, stage 1, start level 1 with 4 root entries at 0x1000.
    mem.write64(0x1000, 0x4000_0000L | AF_BLOCK); // [0, 1G) -> 1G block
    mem.write64(0x1008, 0x2000 | 3); // [1G, 2G) -> L2 table
    mem.write64(0x2000, 0x8000_0000L | AF_BLOCK); // 2M block
    mem.write64(0x2008, 0x3000 | 3); // L3 table
    mem.write64(0x3000, 0x5000 | AF_PAGE);
    mem.write64(0x3008, 0x7000 | 1); // 01 at level 3 is reserved
    mem.write64(0x3028, 0x9000 | AF_PAGE);

    PageTableCensus c = PageTableCensus.take(mem, Stage.STAGE_1, Granule.SIZE_4K, 1, 4, 0x1000);

    assertThat(c.leaves())
        .containsExactly(
            new Leaf(0, GIB, 1, 0x4000_0000L, 0x4000_0000L | AF_BLOCK),
            new Leaf(GIB, MIB2, 2, 0x8000_0000L, 0x8000_0000L | AF_BLOCK),
            new Leaf(GIB + MIB2, 4096, 3, 0x5000, 0x5000 | AF_PAGE),
            new Leaf(GIB + MIB2 + 5 * 4096, 4096, 3, 0x9000, 0x9000 | AF_PAGE));
    assertThat(c.tablePages()).containsExactly(0x1000L, 0x2000L, 0x3000L);
    assertThat(c.anomalies()).hasSize(1);
    assertThat(c.anomalies().get(0).descriptorAddress()).isEqualTo(0x3008);
    assertThat(c.anomalies().get(0).iova()).isEqualTo(GIB + MIB2 + 4096);
    assertThat(c.anomalies().get(0).reason()).startsWith("reserved descriptor");
    assertThat(c.leavesBySize())
        .containsEntry(4096L, 2)
        .containsEntry(MIB2, 1)
        .containsEntry(GIB, 1);
    assertThat(c.translate(GIB + MIB2 + 5 * 4096 + 0x123)).isEqualTo(0x9123);
    assertThat(c.translate(GIB + 0x1234)).isEqualTo(0x8000_1234L);
    assertThat(c.translate(3 * GIB)).isEqualTo(-1);
  }

  @Test
  void aTableReachedTwiceIsReportedInsteadOfWalkedForever() throws BusAbort {
    TestMemory mem = new TestMemory(40);
    mem.write64(0x1000, 0x2000 | 3);
    mem.write64(0x2000, 0x2000 | 3); // the L2 table points at itself
    PageTableCensus c = PageTableCensus.take(mem, Stage.STAGE_2, Granule.SIZE_4K, 1, 1, 0x1000);
    assertThat(c.leaves()).isEmpty();
    assertThat(c.anomalies())
        .singleElement()
        .satisfies(a -> assertThat(a.reason()).contains("twice"));
  }

  @Test
  void anAbortedTableReadIsAnAnomalyNotAnException() throws BusAbort {
    TestMemory mem = new TestMemory(32);
    mem.write64(0x1000, (1L << 33) | 3); // next table outside the 32-bit space
    PageTableCensus c = PageTableCensus.take(mem, Stage.STAGE_1, Granule.SIZE_4K, 1, 1, 0x1000);
    assertThat(c.anomalies())
        .singleElement()
        .satisfies(a -> assertThat(a.reason()).contains("abort"));
  }

  @Test
  void a64kTableKeepsAddressBits51To48InBits15To12() throws BusAbort {
    TestMemory mem = new TestMemory(52);
    long pa = 0x000A_0000_0001_0000L; // bit 49 set
    mem.write64(0x10000, (pa & 0x0000_FFFF_FFFF_0000L) | (0xAL << 12) | AF_PAGE);
    PageTableCensus c = PageTableCensus.take(mem, Stage.STAGE_1, Granule.SIZE_64K, 3, 1, 0x10000);
    assertThat(c.leaves())
        .singleElement()
        .satisfies(l -> assertThat(l.outputAddress()).isEqualTo(pa));
  }

  @Test
  void impossibleGeometryIsRejected() {
    TestMemory mem = new TestMemory(40);
    assertThatThrownBy(() -> PageTableCensus.take(mem, Stage.STAGE_1, Granule.SIZE_4K, 4, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start level 4");
  }
}
