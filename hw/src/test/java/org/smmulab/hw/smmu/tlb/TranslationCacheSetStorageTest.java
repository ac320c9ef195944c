package org.smmulab.hw.smmu.tlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.GIB_1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.MIB_2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.caches;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.el2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fill;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.fillTables;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.global;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.knobs;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.leaf;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.nested;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s1;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.s2;
import static org.smmulab.hw.smmu.tlb.CacheFixtures.table;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig.ModelKnobs;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;
import org.smmulab.hw.smmu.tlb.CacheTag.World;
import org.smmulab.hw.smmu.txn.Permissions;

/** Lookup by tag and covered address, replacement, capacity and counters. */
class TranslationCacheSetStorageTest {
  private final TranslationCacheSet caches = caches(false);

  @Test
  void lookupFindsACoveringEntryOfAnySize() {
    TlbEntry gig = leaf(s1(1, 5), GIB_1, 1);
    TlbEntry block = leaf(s1(1, 5), MIB_2, 2);
    TlbEntry page = leaf(s1(1, 5), 0x5000, 3);
    TlbEntry page64k = leaf(s1(1, 5), 0x8_0000, 3, Granule.SIZE_64K);
    fill(caches, gig, block, page, page64k);

    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, GIB_1 + 0x3fff_ffffL)).isEqualTo(gig);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, MIB_2 + 0x1234)).isEqualTo(block);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x5fff)).isEqualTo(page);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x8_ffff)).isEqualTo(page64k);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x6000)).isNull();
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 2 * GIB_1)).isNull();
    assertThat(page.translate(0x5abc)).isEqualTo(0x80_0000_5abcL);
  }

  @Test
  void lookupMatchesWorldKindVmidAndAsid() {
    TlbEntry page = leaf(s1(1, 5), 0x1000, 3);
    fill(caches, page);

    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000)).isEqualTo(page);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 6, 0x1000)).isNull();
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 2, 5, 0x1000)).isNull();
    assertThat(caches.lookup(World.NS_EL1, Kind.NESTED, 1, 5, 0x1000)).isNull();
    assertThat(caches.lookup(World.EL2, Kind.STAGE1, 1, 5, 0x1000)).isNull();
  }

  @Test
  void globalEntriesMatchEveryAsidAndStage2LookupsIgnoreTheAsid() {
    TlbEntry glob = leaf(global(1, 5), 0x1000, 3);
    TlbEntry ipa = leaf(s2(1), 0x1000, 3);
    fill(caches, glob, ipa);

    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 77, 0x1000)).isEqualTo(glob);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE2, 1, 123, 0x1000)).isEqualTo(ipa);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 2, 77, 0x1000)).isNull();
  }

  @Test
  void anInsertWithTheSameKeyReplacesTheCachedEntry() {
    TlbEntry old = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry remapped =
        new TlbEntry(s1(1, 5), 0x1000, 12, 0x9000, Permissions.NONE, 3, Granule.SIZE_4K);
    fill(caches, old, remapped);

    assertThat(caches.tlbEntries()).containsExactly(remapped);
    assertThat(caches.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000)).isEqualTo(remapped);
  }

  @Test
  void walkCacheReturnsTheDeepestCoveringTable() {
    WalkCacheEntry l0 = table(s1(1, 5), 0, 0);
    WalkCacheEntry l1 = table(s1(1, 5), 0, 1);
    WalkCacheEntry l2 = table(s1(1, 5), MIB_2, 2);
    WalkCacheEntry s2Table = table(s2(1), 0, 2);
    fillTables(caches, l0, l1, l2, s2Table);

    assertThat(caches.lookupTable(s1(1, 5), MIB_2 + 0x1000)).isEqualTo(l2);
    assertThat(caches.lookupTable(s1(1, 5), 0x1000)).isEqualTo(l1);
    assertThat(caches.lookupTable(s1(1, 5), 3 * GIB_1)).isEqualTo(l0);
    assertThat(caches.lookupTable(s1(1, 6), 0x1000)).isNull();
    assertThat(caches.lookupTable(nested(1, 5), 0x1000)).isNull();
    assertThat(caches.lookupTable(new CacheTag(World.NS_EL1, Kind.STAGE2, 1, 9, false), 0x1000))
        .isEqualTo(s2Table);
  }

  @Test
  void withTheWalkCacheOffTablesAreNeverCached() {
    ModelKnobs off =
        new ModelKnobs(16, Replacement.LRU, 1, false, 16, 16, false, false, false, false);
    TranslationCacheSet c = new TranslationCacheSet(off);
    fillTables(c, table(s1(1, 5), 0, 1));

    assertThat(c.lookupTable(s1(1, 5), 0x1000)).isNull();
    assertThat(c.walkCacheEntries()).isEmpty();
    assertThat(c.statistics().walkCache()).isEqualTo(new CacheStatistics(0, 0, 0, 0, 0, 0));
  }

  @Test
  void lruEvictsTheLeastRecentlyUsedEntry() {
    TranslationCacheSet c = new TranslationCacheSet(knobs(3, Replacement.LRU, 1, false));
    TlbEntry a = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry b = leaf(s1(1, 5), 0x2000, 3);
    TlbEntry d = leaf(s1(1, 5), 0x3000, 3);
    TlbEntry e = leaf(s1(1, 5), 0x4000, 3);
    fill(c, a, b, d);
    assertThat(c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000)).isEqualTo(a);

    fill(c, e);
    assertThat(c.tlbEntries()).containsExactlyInAnyOrder(a, d, e);

    assertThat(c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x3000)).isEqualTo(d);
    fill(c, b);
    assertThat(c.tlbEntries()).containsExactlyInAnyOrder(d, e, b);
    assertThat(c.statistics().tlb().evictions()).isEqualTo(2);
  }

  @Test
  void lruKeepsAnEntryHitBetweenInsertsWhileAStreamOfMissesCyclesThroughTheRest() {
    TranslationCacheSet c = new TranslationCacheSet(knobs(4, Replacement.LRU, 1, false));
    TlbEntry hot = leaf(s1(1, 5), 0, 3);
    fill(c, hot);
    for (int i = 1; i <= 100; i++) {
      assertThat(c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0)).as("round %d", i).isEqualTo(hot);
      fill(c, leaf(s1(1, 5), i * 0x1000L, 3));
    }
    assertThat(c.tlbEntries())
        .containsExactlyInAnyOrder(
            hot,
            leaf(s1(1, 5), 98 * 0x1000L, 3),
            leaf(s1(1, 5), 99 * 0x1000L, 3),
            leaf(s1(1, 5), 100 * 0x1000L, 3));
    assertThat(c.statistics().tlb().evictions()).isEqualTo(97);
  }

  @Test
  void walkCacheHasItsOwnCapacity() {
    ModelKnobs small =
        new ModelKnobs(64, Replacement.LRU, 1, true, 2, 16, false, false, false, false);
    TranslationCacheSet c = new TranslationCacheSet(small);
    WalkCacheEntry t0 = table(s1(1, 5), 0, 2);
    WalkCacheEntry t1 = table(s1(1, 5), MIB_2, 2);
    WalkCacheEntry t2 = table(s1(1, 5), 2 * MIB_2, 2);
    fillTables(c, t0, t1, t2);

    assertThat(c.walkCacheEntries()).containsExactlyInAnyOrder(t1, t2);
    assertThat(c.statistics().walkCache().evictions()).isEqualTo(1);
  }

  private static List<TlbEntry> survivorsOfRandomReplacement(long seed) {
    TranslationCacheSet c = new TranslationCacheSet(knobs(8, Replacement.RANDOM, seed, false));
    for (int i = 0; i < 40; i++) {
      fill(c, leaf(s1(1, 5), i * 0x1000L, 3));
    }
    List<TlbEntry> out = new ArrayList<>(c.tlbEntries());
    out.sort((x, y) -> Long.compare(x.inputBase(), y.inputBase()));
    return out;
  }

  @Test
  void seededRandomReplacementIsReproducibleAndDependsOnTheSeed() {
    List<TlbEntry> first = survivorsOfRandomReplacement(42);
    List<TlbEntry> again = survivorsOfRandomReplacement(42);
    List<TlbEntry> otherSeed = survivorsOfRandomReplacement(43);

    assertThat(first).hasSize(8).isEqualTo(again);
    assertThat(otherSeed).hasSize(8).isNotEqualTo(first);
    // The last entry inserted is always resident; LRU would keep exactly pages 32..39.
    assertThat(first).contains(leaf(s1(1, 5), 39 * 0x1000L, 3));
    List<Long> bases = first.stream().map(TlbEntry::inputBase).toList();
    assertThat(bases)
        .isNotEqualTo(LongStream.rangeClosed(32, 39).map(p -> p << 12).boxed().toList());
  }

  @Test
  void countersTrackHitsMissesInsertsEvictionsAndInvalidations() {
    TranslationCacheSet c = new TranslationCacheSet(knobs(2, Replacement.LRU, 1, false));
    fill(c, leaf(s1(1, 5), 0x1000, 3), leaf(s1(1, 5), 0x2000, 3), leaf(s1(1, 5), 0x3000, 3));
    c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x3000);
    c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x1000);
    c.lookup(World.NS_EL1, Kind.STAGE1, 1, 5, 0x9000);
    long stale = c.generation();
    c.invalidate(Command.tlbiNhAsid(1, 5));
    c.insert(leaf(s1(1, 5), 0x1000, 3), stale);

    assertThat(c.statistics().tlb()).isEqualTo(new CacheStatistics(1, 2, 3, 1, 1, 2));
  }

  @Test
  void speculativeFillSkipsCoveredEntriesAndObeysTheGeneration() {
    TlbEntry block = leaf(s1(1, 5), MIB_2, 2);
    fill(caches, block);
    TlbEntry inBlock = leaf(s1(1, 5), MIB_2 + 0x1000, 3);
    TlbEntry neighbour = leaf(s1(1, 5), 0x1000, 3);
    TlbEntry otherAsid = leaf(s1(1, 6), MIB_2, 3);

    int added =
        caches.insertSpeculatively(List.of(inBlock, neighbour, otherAsid), caches.generation());
    assertThat(added).isEqualTo(2);
    assertThat(caches.tlbEntries()).containsExactlyInAnyOrder(block, neighbour, otherAsid);

    long stale = caches.generation();
    caches.invalidate(Command.tlbiNhAll(9));
    assertThat(caches.insertSpeculatively(List.of(leaf(el2(1), 0, 3)), stale)).isZero();
    assertThat(caches.tlbEntries()).hasSize(3);
  }

  @Test
  void anEntrySizeOutsideALongIsRejected() {
    TlbEntry huge = new TlbEntry(s1(1, 5), 0, 64, 0, Permissions.ALL, 1, Granule.SIZE_4K);

    assertThatThrownBy(() -> caches.insert(huge, caches.generation()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64");
  }
}
