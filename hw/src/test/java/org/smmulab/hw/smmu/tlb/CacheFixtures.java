package org.smmulab.hw.smmu.tlb;

import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.SmmuConfig.ModelKnobs;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;
import org.smmulab.hw.smmu.tlb.CacheTag.World;
import org.smmulab.hw.smmu.txn.Permissions;

/** Tags, entries and knobs for the cache tests, written out by hand. */
final class CacheFixtures {
  static final long KIB_4 = 1L << 12;
  static final long MIB_2 = 1L << 21;
  static final long GIB_1 = 1L << 30;

  private CacheFixtures() {}

  static ModelKnobs knobs(int tlbEntries, Replacement replacement, long seed, boolean strictTtl) {
    return new ModelKnobs(
        tlbEntries, replacement, seed, true, 64, 16, false, strictTtl, false, false);
  }

  static TranslationCacheSet caches(boolean strictTtl) {
    return new TranslationCacheSet(knobs(256, Replacement.LRU, 1, strictTtl));
  }

  static CacheTag s1(int vmid, int asid) {
    return new CacheTag(World.NS_EL1, Kind.STAGE1, vmid, asid, false);
  }

  static CacheTag global(int vmid, int asid) {
    return new CacheTag(World.NS_EL1, Kind.STAGE1, vmid, asid, true);
  }

  static CacheTag nested(int vmid, int asid) {
    return new CacheTag(World.NS_EL1, Kind.NESTED, vmid, asid, false);
  }

  static CacheTag s2(int vmid) {
    return new CacheTag(World.NS_EL1, Kind.STAGE2, vmid, 0, false);
  }

  static CacheTag el2(int asid) {
    return new CacheTag(World.EL2, Kind.STAGE1, 0, asid, false);
  }

  static CacheTag el2Global(int asid) {
    return new CacheTag(World.EL2, Kind.STAGE1, 0, asid, true);
  }

  /** A 4K-granule leaf at {@code level} (3 page, 2 = 2 MiB block, 1 = 1 GiB block). */
  static TlbEntry leaf(CacheTag tag, long inputBase, int level) {
    return leaf(tag, inputBase, level, Granule.SIZE_4K);
  }

  static TlbEntry leaf(CacheTag tag, long inputBase, int level, Granule granule) {
    return new TlbEntry(
        tag,
        inputBase,
        granule.levelShift(level),
        0x80_0000_0000L + inputBase,
        Permissions.ALL,
        level,
        granule);
  }

  /** A 4K-granule table descriptor of {@code level}, covering what one entry of it maps. */
  static WalkCacheEntry table(CacheTag tag, long inputBase, int level) {
    return new WalkCacheEntry(
        tag,
        level,
        inputBase,
        Granule.SIZE_4K.levelShift(level),
        0x4000_0000L + level * KIB_4,
        Granule.SIZE_4K,
        0,
        false,
        false);
  }

  /** Inserts every entry at the current generation. */
  static void fill(TranslationCacheSet caches, TlbEntry... entries) {
    for (TlbEntry e : entries) {
      caches.insert(e, caches.generation());
    }
  }

  static void fillTables(TranslationCacheSet caches, WalkCacheEntry... entries) {
    for (WalkCacheEntry e : entries) {
      caches.insertTable(e, caches.generation());
    }
  }
}
