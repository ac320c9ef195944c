package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.caches;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.leaf;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.table;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;
import org.smmulab.hw.smmu.tlb.CacheTag.World;

/** Inserts whose walk started before an invalidation are dropped, even unrelated ones. */
class GenerationProtocolTest {
  private final TranslationCacheSet caches = caches(false);

  @Test
  void anInsertStartedBeforeAnInvalidationIsDropped() {
    long walkStart = caches.generation();
    caches.invalidate(Command.tlbiNhVa(1, 5, TlbiRange.single(0x1000, false)));

    caches.insert(leaf(s1(1, 5), 0x1000, 3), walkStart);
    caches.insertTable(table(s1(1, 5), 0, 2), walkStart);

    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000)).isNull();
    assertThat(caches.lookupTable(s1(1, 5), 0x1000)).isNull();
    assertThat(caches.statistics().tlb().staleInsertsDropped()).isEqualTo(1);
    assertThat(caches.statistics().walkCache().staleInsertsDropped()).isEqualTo(1);
  }

  @Test
  void anInsertStartedAfterTheInvalidationIsKept() {
    caches.invalidate(Command.tlbiNhAll(1));
    long walkStart = caches.generation();

    TlbEntry e = leaf(s1(1, 5), 0x1000, 3);
    caches.insert(e, walkStart);

    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000)).isEqualTo(e);
  }

  @Test
  void theGenerationMovesBeforeEntriesAreRemoved() {
    long before = caches.generation();

    caches.invalidate(Command.tlbiS12Vmall(3));

    assertThat(caches.generation()).isGreaterThan(before);
  }
}
