package org.smmulab.hw.smmu.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.cmd.Command;

/**
 * The configuration cache of one instance: STEs, CDs and the level-1 descriptors that lead to them,
 * as fetched, invalid ones included. The architecture lets an SMMU cache any structure it fetched,
 * valid or not, until a CFGI command covering it completes; this cache does exactly that, so a
 * driver that changes an entry and forgets the CFGI keeps seeing the old one (a fresh fetch happens
 * only after eviction, which the capacity knob makes either rare or frequent).
 *
 * <p>Keys: an STE by StreamID, an L1STD by its stream-table index, a CD by (StreamID, CD index), an
 * L1CD by (StreamID, level-1 index), and the resolved configuration (STE and CD combined) by
 * (StreamID, SubstreamID or none). Invalidation by {@link #invalidate(Command)} (each CFGI also
 * drops the resolved configurations of the StreamIDs it covers):
 *
 * <ul>
 *   <li>CFGI_STE: the STE of the SID, and with LEAF = 0 also the L1STD covering it;
 *   <li>CFGI_STE_RANGE: the STEs and L1STDs of the {@code 2^(Range+1)} SIDs, aligned down; Range 31
 *       (CFGI_ALL) empties the cache, CDs included;
 *   <li>CFGI_CD: the CD of (SID, SSID), and with LEAF = 0 also the L1CD covering it;
 *   <li>CFGI_CD_ALL: every CD and L1CD of the SID.
 * </ul>
 *
 * <p>Implementation notes. Lookups run on every translating thread and are lock-free reads of a
 * {@link ConcurrentHashMap}. Inserts, evictions and invalidations take one lock, which also guards
 * the key list used to pick random victims. The generation protocol of the TLB applies: a fetch
 * reads {@link #generation()} before its first memory read and passes it to {@link #insert}, which
 * drops the value if an invalidation ran since; every invalidation removes its entries and then
 * increments the generation, under the lock. So a fetch that overlapped a CFGI never caches what
 * the CFGI was meant to drop: if it read the generation before the increment its insert is refused,
 * and if it read it after, every entry it found in the cache (a resolved configuration is built
 * from cached STEs and CDs) had already survived the CFGI. Incrementing first would let a fetch
 * read the new generation, still find an STE the CFGI was about to remove, and cache a
 * configuration built on it. The generation is a volatile field: written under the lock, read by
 * fetchers without it.
 */
public final class ConfigCache {
  private static final int KIND_SHIFT = 60;
  private static final long KIND_STE = 1L << KIND_SHIFT;
  private static final long KIND_L1STD = 2L << KIND_SHIFT;
  private static final long KIND_CD = 3L << KIND_SHIFT;
  private static final long KIND_L1CD = 4L << KIND_SHIFT;
  private static final long KIND_RESOLVED = 5L << KIND_SHIFT;
  private static final long KIND_MASK = 0xFL << KIND_SHIFT;
  private static final int SID_SHIFT = 24;
  private static final long INDEX_MASK = (1L << SID_SHIFT) - 1;

  private final int capacity;
  private final ConcurrentHashMap<Long, Object> entries = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Long> keys = new ArrayList<>();
  private final Map<Long, Integer> positions = new HashMap<>();
  private final SplittableRandom random;
  private volatile long generation;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private long inserts;
  private long staleInsertsDropped;
  private long evictions;
  private long invalidated;

  /**
   * @param capacity entries held at most (at least 1)
   * @param seed seed of the eviction choices
   */
  public ConfigCache(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("config cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.random = new SplittableRandom(seed);
  }

  /** Key of the STE of {@code sid}. */
  static long steKey(int sid) {
    return KIND_STE | Integer.toUnsignedLong(sid) << SID_SHIFT;
  }

  /** Key of the L1STD at {@code l1Index} of the stream table. */
  static long l1StdKey(long l1Index) {
    return KIND_L1STD | (l1Index & ((1L << 40) - 1)) << SID_SHIFT;
  }

  /** Key of CD {@code cdIndex} of {@code sid}. */
  static long cdKey(int sid, int cdIndex) {
    return KIND_CD | Integer.toUnsignedLong(sid) << SID_SHIFT | (cdIndex & INDEX_MASK);
  }

  /** Key of the L1CD at {@code l1Index} of {@code sid}'s CD table. */
  static long l1CdKey(int sid, int l1Index) {
    return KIND_L1CD | Integer.toUnsignedLong(sid) << SID_SHIFT | (l1Index & INDEX_MASK);
  }

  /**
   * Key of the configuration a transaction of {@code sid} resolved to, with or without a
   * SubstreamID: the STE and CD already combined, so that a repeated transaction needs one lookup.
   * Every CFGI that covers the SID drops these entries.
   */
  static long resolvedKey(int sid, boolean ssv, int ssid) {
    return KIND_RESOLVED
        | Integer.toUnsignedLong(sid) << SID_SHIFT
        | (ssv ? (ssid & ((1 << 20) - 1)) + 1 : 0);
  }

  /** The current generation; read before a fetch starts. */
  public long generation() {
    return generation;
  }

  /** The cached value for {@code key}, or {@code null}; counts a hit or a miss. */
  Object lookup(long key) {
    Object value = entries.get(key);
    (value != null ? hits : misses).increment();
    return value;
  }

  /**
   * Caches {@code value} under {@code key} unless an invalidation ran since {@code
   * startGeneration}; a full cache first evicts a random entry.
   */
  void insert(long key, Object value, long startGeneration) {
    lock.lock();
    try {
      if (startGeneration != generation) {
        staleInsertsDropped++;
        return;
      }
      if (!positions.containsKey(key)) {
        if (keys.size() >= capacity) {
          removeAt(random.nextInt(keys.size()));
          evictions++;
        }
        positions.put(key, keys.size());
        keys.add(key);
      }
      entries.put(key, value);
      inserts++;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Performs the configuration-cache side of {@code command} (CFGI_*); any other command changes
   * nothing. Never throws.
   *
   * @return how many entries were removed
   */
  public int invalidate(Command command) {
    if (!command.isArchitected()) {
      return 0;
    }
    switch (command.opcode()) {
      case CFGI_STE -> {
        int sid = command.sid();
        return command.leaf()
            ? removeIf(k -> k == steKey(sid) || isResolvedOf(k, sid))
            : removeIf(k -> k == steKey(sid) || isResolvedOf(k, sid) || isL1StdKey(k));
      }
      case CFGI_STE_RANGE -> {
        if (command.isCfgiAll()) {
          return removeIf(k -> true);
        }
        int span = command.range() + 1;
        long first = Integer.toUnsignedLong(command.sid()) >>> span << span;
        long last = first + (1L << span) - 1;
        return removeIf(
            k ->
                isL1StdKey(k)
                    || (((k & KIND_MASK) == KIND_STE || (k & KIND_MASK) == KIND_RESOLVED)
                        && inRange(sidOf(k), first, last)));
      }
      case CFGI_CD -> {
        int sid = command.sid();
        long cd = cdKey(sid, command.ssid());
        return command.leaf()
            ? removeIf(k -> k == cd || isResolvedOf(k, sid))
            : removeIf(
                k ->
                    k == cd
                        || isResolvedOf(k, sid)
                        || ((k & KIND_MASK) == KIND_L1CD
                            && sidOf(k) == Integer.toUnsignedLong(sid)));
      }
      case CFGI_CD_ALL -> {
        int sid = command.sid();
        return removeIf(
            k ->
                ((k & KIND_MASK) == KIND_CD
                        || (k & KIND_MASK) == KIND_L1CD
                        || (k & KIND_MASK) == KIND_RESOLVED)
                    && sidOf(k) == Integer.toUnsignedLong(sid));
      }
      default -> {
        return 0;
      }
    }
  }

  /** Empties the cache (as CFGI_ALL does). */
  public int invalidateAll() {
    return removeIf(k -> true);
  }

  /** How many entries are cached. */
  public int size() {
    return entries.size();
  }

  /** The counters since the cache was made. */
  public Statistics statistics() {
    lock.lock();
    try {
      return new Statistics(
          hits.sum(), misses.sum(), inserts, staleInsertsDropped, evictions, invalidated);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Config cache counters.
   *
   * @param hits lookups answered from the cache
   * @param misses lookups that fetched from memory
   * @param inserts entries cached
   * @param staleInsertsDropped fetches not cached because a CFGI ran meanwhile
   * @param evictions entries removed to make room
   * @param invalidated entries removed by CFGI commands
   */
  public record Statistics(
      long hits,
      long misses,
      long inserts,
      long staleInsertsDropped,
      long evictions,
      long invalidated) {}

  private interface KeyTest {
    boolean removes(long key);
  }

  /**
   * The L1STD covering a SID is not keyed by SID; a CFGI that must drop it drops every cached
   * L1STD, a permitted over-invalidation.
   */
  private static boolean isL1StdKey(long key) {
    return (key & KIND_MASK) == KIND_L1STD;
  }

  private static boolean isResolvedOf(long key, int sid) {
    return (key & KIND_MASK) == KIND_RESOLVED && sidOf(key) == Integer.toUnsignedLong(sid);
  }

  private static long sidOf(long key) {
    return (key & ~KIND_MASK) >>> SID_SHIFT;
  }

  private static boolean inRange(long sid, long first, long last) {
    return sid >= first && sid <= last;
  }

  private int removeIf(KeyTest test) {
    lock.lock();
    try {
      int removed = 0;
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (test.removes(keys.get(i))) {
          removeAt(i);
          removed++;
        }
      }
      generation++;
      invalidated += removed;
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Removes the key at {@code index} of the key list. Lock holder only. */
  private void removeAt(int index) {
    assert lock.isHeldByCurrentThread();
    long key = keys.get(index);
    long last = keys.remove(keys.size() - 1);
    if (index < keys.size()) {
      keys.set(index, last);
      positions.put(last, index);
    }
    positions.remove(key);
    entries.remove(key);
  }
}
