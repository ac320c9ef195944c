package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MappedRegionTest {
  private static final long BASE = 0x5000_0000L;

  @Test
  void overlappingAndTouchingRangesMergeAndOthersStayApart() {
    MappedRegion r =
        MappedRegion.builder()
            .add(BASE + 0x3000, 0x1000)
            .add(BASE, 0x2000)
            .add(BASE + 0x1000, 0x2000)
            .add(BASE + 0x10000, 0x1000)
            .build();
    assertThat(r.ranges())
        .containsExactly(
            new MappedRegion.Range(BASE, 0x4000), new MappedRegion.Range(BASE + 0x10000, 0x1000));
    assertThat(r.bytes()).isEqualTo(0x5000);
  }

  @Test
  void rangesMustBeAlignedAndNonEmpty() {
    assertThatThrownBy(() -> MappedRegion.builder().add(BASE + 4, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8-byte aligned");
    assertThatThrownBy(() -> MappedRegion.builder().add(BASE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Each pair is (first page, pages); the union must cover exactly the pages some pair names. */
  @Property(seed = "20250301", tries = 300)
  void theRegionIsTheUnionOfItsRanges(
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 63) Integer> firsts,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 8) Integer> lengths) {
    MappedRegion.Builder b = MappedRegion.builder();
    BitSet pages = new BitSet();
    for (int i = 0; i < Math.min(firsts.size(), lengths.size()); i++) {
      b.add(BASE + 4096L * firsts.get(i), 4096L * lengths.get(i));
      pages.set(firsts.get(i), firsts.get(i) + lengths.get(i));
      assertThat(b.bytes()).isEqualTo(4096L * pages.cardinality());
    }
    List<MappedRegion.Range> ranges = b.build().ranges();
    BitSet covered = new BitSet();
    for (int i = 0; i < ranges.size(); i++) {
      MappedRegion.Range r = ranges.get(i);
      covered.set((int) ((r.base() - BASE) / 4096), (int) ((r.end() - BASE) / 4096));
      if (i > 0) {
        assertThat(r.base())
            .as("apart from the previous range")
            .isGreaterThan(ranges.get(i - 1).end());
      }
    }
    assertThat(covered).isEqualTo(pages);
  }
}
