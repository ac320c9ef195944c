package org.smmulab.driver.pgtable;

/**
 * What one unmap cleared, and so what the caller must invalidate before the memory may be reused
 * (the kernel's {@code struct iommu_iotlb_gather}).
 *
 * @param unmappedBytes bytes unmapped from the start of the request; 0 when nothing was (the range
 *     was unmapped, or it began inside a larger block, which is never split)
 * @param start first input address cleared (meaningful when {@code unmappedBytes > 0})
 * @param end one past the last input address cleared
 * @param leafSize the smallest leaf size cleared, the granule to use for a range invalidation; when
 *     a table was freed this is the table's granule, because the leaves below it were not read
 * @param leafSizes every leaf size cleared, one bit per size (each a power of two); more than one
 *     bit means the range held pages and blocks of different levels, so no single level hint (TTL)
 *     describes it
 * @param tablesFreed whether table pages were freed: the SMMU's walk caches may still hold them, so
 *     the invalidation must include non-leaf entries (a leaf-only invalidation is not enough)
 * @param tablePagesFreed how many table pages went back to the allocator
 */
public record UnmapResult(
    long unmappedBytes,
    long start,
    long end,
    long leafSize,
    long leafSizes,
    boolean tablesFreed,
    int tablePagesFreed) {
  /** The result of an unmap that cleared nothing. */
  public static UnmapResult nothing(long iova) {
    return new UnmapResult(0, iova, iova, 0, 0, false, 0);
  }

  /**
   * Whether the invalidation may be limited to leaf entries at the level of {@link #leafSize()}: no
   * table page was freed (walk caches hold nothing that went away) and every leaf cleared had that
   * one size (a leaf invalidation's level hint covers them all).
   */
  public boolean leafOnlyInvalidation() {
    return !tablesFreed && Long.bitCount(leafSizes) == 1;
  }
}
