package org.smmulab.driver.pgtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.driver.pgtable.Fixture.MIB;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;

/**
 * Several threads map and unmap disjoint ranges of one table. Their pages interleave inside the
 * same table pages, so they race to install the same tables; each thread also owns whole 2M regions
 * that it maps as pages and frees with a block-sized unmap. Fixed seeds.
 */
class ConcurrentMapUnmapTest {
  private static final int THREADS = 4;
  private static final int SHARED_REGIONS = 4;
  private static final int PAGES_PER_REGION = 512;
  private static final long SHARED_BASE = 1L << 39;
  private static final long PRIVATE_BASE = 1L << 40;

  @RepeatedTest(3)
  void disjointRangesFromFourThreads(RepetitionInfo repetition) throws Exception {
    Fixture f = new Fixture();
    IoPageTable table = f.table(Stage.STAGE_1, Granule.SIZE_4K, 48, 48);
    long baseline = f.allocator.bytesInUse();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<Map<Long, Long>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      long seed = 0x5eed_0000L + repetition.getCurrentRepetition() * 16 + t;
      results.add(pool.submit(() -> work(table, thread, new Random(seed), start)));
    }
    Map<Long, Long> expected = new HashMap<>();
    for (Future<Map<Long, Long>> r : results) {
      expected.putAll(r.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    List<MappedLeaf> leaves = new ArrayList<>();
    table.walk(leaves::add);
    assertThat(leaves).hasSize(expected.size());
    for (MappedLeaf leaf : leaves) {
      assertThat(expected).containsKey(leaf.iova());
    }
    for (Map.Entry<Long, Long> e : expected.entrySet()) {
      assertThat(table.iovaToPhys(e.getKey() + 8)).isEqualTo(e.getValue() + 8);
    }
    table.destroy();
    assertThat(f.allocator.bytesInUse()).isZero();
    assertThat(f.allocator.allocationsOutstanding()).isZero();
    assertThat(baseline).isEqualTo(4096);
  }

  /** Returns the IOVA -> PA of every page this thread left mapped. */
  private static Map<Long, Long> work(
      IoPageTable table, int thread, Random random, CyclicBarrier go) throws Exception {
    List<Long> mine = new ArrayList<>();
    for (int region = 0; region < SHARED_REGIONS; region++) {
      for (int page = thread; page < PAGES_PER_REGION; page += THREADS) {
        mine.add(SHARED_BASE + region * 2 * MIB + page * 4096L);
      }
    }
    Collections.shuffle(mine, random);
    Map<Long, Long> mapped = new HashMap<>();
    go.await();
    for (long iova : mine) {
      long pa = (iova ^ (1L << 38)) + thread * 0x1000_0000L;
      table.map(iova, pa, 4096, Prot.READ | Prot.WRITE);
      mapped.put(iova, pa);
      if (random.nextInt(4) == 0) {
        long victim = new ArrayList<>(mapped.keySet()).get(random.nextInt(mapped.size()));
        UnmapResult r = table.unmap(victim, 4096);
        assertThat(r.unmappedBytes()).isEqualTo(4096);
        assertThat(r.tablesFreed()).isFalse();
        mapped.remove(victim);
      }
    }
    for (int round = 0; round < 3; round++) {
      long region = PRIVATE_BASE + (thread * 8L + round) * 2 * MIB;
      // A PA only 4K aligned: 512 pages in a table of this thread's own.
      table.map(region, 0x1000 + region, 2 * MIB, Prot.READ);
      if (round < 2) {
        UnmapResult r = table.unmap(region, 2 * MIB);
        assertThat(r.unmappedBytes()).isEqualTo(2 * MIB);
        assertThat(r.tablesFreed()).isTrue();
      } else {
        for (long off = 0; off < 2 * MIB; off += 4096) {
          mapped.put(region + off, 0x1000 + region + off);
        }
      }
    }
    return mapped;
  }
}
