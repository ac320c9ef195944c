package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.MIB_2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.caches;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fill;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fillTables;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.leaf;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.table;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.pte.Granule;

/**
 * The TTL hint: honoured with the {@code strictTtl} knob (only leaves of the hinted level and
 * granule, and only tables above that level, go), ignored without it.
 */
class TtlHintTest {
  private final TlbEntry page = leaf(s1(1, 5), MIB_2, 3);
  private final TlbEntry block = leaf(s1(1, 5), MIB_2, 2);
  private final TlbEntry page64k = leaf(s1(1, 5), MIB_2, 3, Granule.SIZE_64K);
  private final WalkCacheEntry l1Table = table(s1(1, 5), 0, 1);
  private final WalkCacheEntry l2Table = table(s1(1, 5), MIB_2, 2);

  /** 512 pages of 4 KiB from 2 MiB (NUM = 0, SCALE = 9), LEAF = 0, with a hint. */
  private static Command rangeWithTtl(int ttl) {
    return Command.tlbiNhVa(1, 5, TlbiRange.of(MIB_2, Granule.SIZE_4K, 0, 9, ttl, false));
  }

  private TranslationCacheSet filled(boolean strict) {
    TranslationCacheSet c = caches(strict);
    fill(c, page, block, page64k);
    fillTables(c, l1Table, l2Table);
    return c;
  }

  @Test
  void strictLevel2HintRemovesOnlyLevel2LeavesAndTablesAbove() {
    TranslationCacheSet c = filled(true);

    c.invalidate(rangeWithTtl(2));

    assertThat(c.tlbEntries()).containsExactlyInAnyOrder(page, page64k);
    assertThat(c.walkCacheEntries()).containsExactly(l2Table);
  }

  @Test
  void strictLevel3HintSparesBlocksAndLeavesOfAnotherGranule() {
    TranslationCacheSet c = filled(true);

    c.invalidate(rangeWithTtl(3));

    assertThat(c.tlbEntries()).containsExactlyInAnyOrder(block, page64k);
    assertThat(c.walkCacheEntries()).isEmpty();
  }

  @Test
  void withoutStrictTtlTheHintIsIgnored() {
    TranslationCacheSet c = filled(false);

    c.invalidate(rangeWithTtl(2));

    assertThat(c.tlbEntries()).isEmpty();
    assertThat(c.walkCacheEntries()).isEmpty();
  }

  @Test
  void strictWithoutHintRemovesEveryLevel() {
    TranslationCacheSet c = filled(true);

    c.invalidate(rangeWithTtl(0));

    assertThat(c.tlbEntries()).isEmpty();
    assertThat(c.walkCacheEntries()).isEmpty();
  }

  @Test
  void aTtlOnASingleAddressCommandIsIgnoredEvenWhenStrict() {
    TranslationCacheSet c = filled(true);
    Command single = Command.tlbiNhVa(1, 5, new TlbiRange(MIB_2 + 0x5000, 0, 0, 0, 3, true));

    c.invalidate(single);

    // The level-2 block and the 64 KiB page contain 0x205000 and go despite the level-3 hint;
    // the 4 KiB page at 0x200000 does not contain it.
    assertThat(c.tlbEntries()).containsExactly(page);
  }
}
