package org.smmulab.driver.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.smmulab.arch.testing.TestMemory;

/** Random allocate/free sequences keep blocks disjoint, aligned and fully recoverable. */
class PageAllocatorPropertyTest {
  private static final List<RamRange> RANGES =
      List.of(new RamRange(0x1_0040, 0xffc0), new RamRange(0x4_0000, 0x1_0000));

  /** One step: allocate 2^order bytes, or free the live block picked by {@code pick}. */
  record Step(boolean allocate, int order, int pick) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9).map(n -> n < 6),
            Arbitraries.integers().between(PageAllocator.MIN_ORDER, 14),
            Arbitraries.integers().between(0, 1000))
        .as(Step::new);
  }

  @Property(tries = 200, seed = "20250101")
  void blocksNeverOverlapAndAllSpaceComesBack(
      @ForAll @Size(max = 60) List<@From("steps") Step> steps) throws Exception {
    PageAllocator a = new PageAllocator(new TestMemory(32), RANGES);
    AllocatorStats empty = a.stats();
    TreeMap<Long, Long> live = new TreeMap<>();
    for (Step step : steps) {
      if (step.allocate() || live.isEmpty()) {
        long size = 1L << step.order();
        long pa;
        try {
          pa = a.allocate(size);
        } catch (AllocatorExhaustedException e) {
          assertThat(e.largestFreeBlock()).isLessThan(size);
          continue;
        }
        assertThat(pa % size).isZero();
        assertThat(RANGES).anyMatch(r -> pa >= r.base() && pa + size <= r.end());
        var below = live.floorEntry(pa + size - 1);
        if (below != null) {
          assertThat(below.getKey() + below.getValue())
              .as("overlap at 0x%x", pa)
              .isLessThanOrEqualTo(pa);
        }
        live.put(pa, size);
      } else {
        List<Long> keys = new ArrayList<>(live.keySet());
        long pa = keys.get(step.pick() % keys.size());
        a.free(pa);
        live.remove(pa);
      }
      long inUse = live.values().stream().mapToLong(Long::longValue).sum();
      assertThat(a.bytesInUse()).isEqualTo(inUse);
      assertThat(a.allocationsOutstanding()).isEqualTo(live.size());
    }
    for (long pa : live.keySet()) {
      a.free(pa);
    }
    assertThat(a.stats()).isEqualTo(empty);
    assertThat(empty.freeBytes()).isEqualTo(0xffc0 + 0x1_0000);
    assertThat(a.allocate(0x1_0000)).isEqualTo(0x4_0000);
  }
}
