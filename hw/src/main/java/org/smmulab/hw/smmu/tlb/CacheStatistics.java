package org.smmulab.hw.smmu.tlb;

/**
 * The counters of one cache (TLB or walk cache) at one moment. Counts since the cache was made;
 * each counter is exact, but counters read while translations run may come from slightly different
 * moments.
 *
 * @param hits lookups that returned an entry
 * @param misses lookups that returned nothing
 * @param inserts entries added (speculative ones included)
 * @param staleInsertsDropped inserts refused because an invalidation happened since their walk
 *     started
 * @param evictions entries removed to make room
 * @param invalidated entries removed by invalidation commands
 */
public record CacheStatistics(
    long hits,
    long misses,
    long inserts,
    long staleInsertsDropped,
    long evictions,
    long invalidated) {}
