package org.smmulab.bench.pgtable;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.hw.memory.PhysicalMemory;

/**
 * Map then unmap of one 4 KiB page and of one 2 MiB block in a 4K-granule, 48-bit table, one
 * operation pair per invocation. The tables on the path are installed in setup, so the steady state
 * allocates nothing, as a driver's hot path mostly does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PageTableMapUnmapBenchmark {
  private static final long RAM_BASE = 0x4000_0000L;
  private static final int RAM_BYTES = 16 << 20;
  private static final long PAGE_IOVA = 0x12_3456_7000L;
  private static final long BLOCK_IOVA = 0x12_3460_0000L;
  private static final int PROT = Prot.READ | Prot.WRITE | Prot.CACHE;

  @Param({"S1", "S2"})
  public String stage;

  private PageAllocator allocator;
  private IoPageTable table;

  /** The memory the tables live in: the hardware model's physical memory, as in a real run. */
  static Memory newMemory() {
    return new PhysicalMemory(48);
  }

  @Setup
  public void setUp() throws Exception {
    Memory memory = newMemory();
    allocator = new PageAllocator(memory, List.of(new RamRange(RAM_BASE, RAM_BYTES)));
    Stage s = "S1".equals(stage) ? Stage.STAGE_1 : Stage.STAGE_2;
    table = IoPageTable.create(PageTableConfig.of(s, Granule.SIZE_4K, 48, 48), memory, allocator);
    table.map(PAGE_IOVA, 0x8000_0000L, 4096, PROT);
    table.unmap(PAGE_IOVA, 4096);
  }

  @TearDown
  public void tearDown() throws Exception {
    table.destroy();
    if (allocator.allocationsOutstanding() != 0) {
      throw new IllegalStateException("page table leaked " + allocator.stats());
    }
  }

  /** Map and unmap one 4 KiB page (level 3). */
  @Benchmark
  public UnmapResult mapUnmapPage() throws Exception {
    table.map(PAGE_IOVA, 0x8000_0000L, 4096, PROT);
    return table.unmap(PAGE_IOVA, 4096);
  }

  /** Map and unmap one 2 MiB block (level 2). */
  @Benchmark
  public UnmapResult mapUnmapBlock() throws Exception {
    table.map(BLOCK_IOVA, 0x8020_0000L, 2 << 20, PROT);
    return table.unmap(BLOCK_IOVA, 2 << 20);
  }
}
