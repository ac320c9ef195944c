package org.smmulab.hw.smmu.walk;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCaches;
import org.smmulab.hw.smmu.tlb.WalkCacheEntry;

/**
 * A walk cache for tests: records every table insert with the generation it was given and serves
 * the deepest recorded entry with the same tag that covers an address. Leaf lookups always miss.
 */
final class RecordingCaches implements TranslationCaches {
  /** One insertTable call. */
  record Insert(WalkCacheEntry entry, long generation) {}

  final List<Insert> inserts = new ArrayList<>();
  final List<WalkCacheEntry> served = new ArrayList<>();
  private final long generation;

  RecordingCaches(long generation) {
    this.generation = generation;
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public TlbEntry lookup(
      CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, long address) {
    return null;
  }

  @Override
  public void insert(TlbEntry entry, long startGeneration) {
    throw new AssertionError("the walker must leave leaf inserts to its caller");
  }

  @Override
  public WalkCacheEntry lookupTable(CacheTag tag, long address) {
    WalkCacheEntry best = null;
    for (Insert i : inserts) {
      WalkCacheEntry e = i.entry();
      if (e.tag().equals(tag) && e.covers(address) && (best == null || e.level() > best.level())) {
        best = e;
      }
    }
    if (best != null) {
      served.add(best);
    }
    return best;
  }

  @Override
  public void insertTable(WalkCacheEntry entry, long startGeneration) {
    inserts.add(new Insert(entry, startGeneration));
  }
}
