package org.smmulab.hw.smmu.tlb;

/**
 * What the translation path needs from an instance's TLB and walk cache. Implementations are
 * thread-safe: any number of translating threads use them while the command consumer invalidates.
 *
 * <p>The generation protocol keeps invalidations from being lost to a concurrent walk: a walker
 * reads {@link #generation()} before it reads its first descriptor and passes that value to {@link
 * #insert} and {@link #insertTable}. Every invalidation increases the generation after it has
 * removed its entries; an insert whose start generation is older than the current one is dropped,
 * since the walk may have read descriptors (or used cached table entries) that the invalidation was
 * meant to retire.
 */
public interface TranslationCaches {
  /** The current generation; increases with every invalidation. */
  long generation();

  /**
   * The TLB entry for {@code address} under the given tags, or {@code null}.
   *
   * @param world the stream's regime
   * @param kind which stages the stream translates with
   * @param vmid the stream's VMID
   * @param asid the stream's ASID (global entries match any)
   */
  TlbEntry lookup(CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, long address);

  /** Caches a leaf translation unless an invalidation happened since {@code startGeneration}. */
  void insert(TlbEntry entry, long startGeneration);

  /**
   * The deepest cached table descriptor covering {@code address} for the walk described by {@code
   * tag} (ASID and global are ignored for table entries of stage 2), or {@code null}.
   */
  WalkCacheEntry lookupTable(CacheTag tag, long address);

  /** Caches a table descriptor unless an invalidation happened since {@code startGeneration}. */
  void insertTable(WalkCacheEntry entry, long startGeneration);

  /**
   * Whether {@link #insertTable} may keep anything, so that a walker need not build table entries
   * for caches without a walk cache. Constant for a given instance.
   */
  default boolean cachesTables() {
    return true;
  }

  /** Caches that cache nothing: every lookup misses. */
  TranslationCaches NONE =
      new TranslationCaches() {
        @Override
        public long generation() {
          return 0;
        }

        @Override
        public TlbEntry lookup(
            CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, long address) {
          return null;
        }

        @Override
        public void insert(TlbEntry entry, long startGeneration) {}

        @Override
        public WalkCacheEntry lookupTable(CacheTag tag, long address) {
          return null;
        }

        @Override
        public void insertTable(WalkCacheEntry entry, long startGeneration) {}

        @Override
        public boolean cachesTables() {
          return false;
        }
      };
}
