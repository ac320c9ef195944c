package org.smmulab.hw.smmu.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.smmulab.arch.cmd.Command;
import org.smmulab.hw.smmu.observe.StripedCounter;

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
 * <p>Two knobs make fetches more frequent and less tidy, as the architecture allows:
 *
 * <ul>
 *   <li>random eviction ({@code evictionOneIn} N): a lookup that finds an entry drops it instead
 *       with probability 1/N; dropping a resolved configuration drops the stream's STE and CD with
 *       it, so the next transaction fetches them from memory;
 *   <li>word-by-word refetch ({@code partialRefetch}): the 64-bit words of every STE and CD fetched
 *       are kept (up to {@code capacity} structures) until a CFGI covering the structure, even
 *       after the decoded entry is evicted; a refetch ({@link #retained}) reuses a random subset of
 *       them and reads only the others. Between a driver's writes to an entry and the CFGI after
 *       them, a refetch can so combine words from before and after the writes — harmless for a
 *       hitless update, which changes one used word per CFGI, and a torn entry otherwise.
 * </ul>
 *
 * <p>Implementation notes. Lookups run on every translating thread and are lock-free reads of a
 * {@link ConcurrentHashMap}; every map is keyed by a bijective scramble of the key ({@link
 * #spread}), since the kind and StreamID bits sit above the bits a hash table indexes with; a
 * lookup's eviction draw uses a generator of the calling thread, split from the cache's seeded one.
 * Inserts, evictions and invalidations take one lock, which also guards the key list used to pick
 * random victims and the kept words. The lock is a monitor rather than a {@code ReentrantLock}: its
 * critical sections are short and the translating threads meet on it at every miss; a contended
 * monitor spins briefly before it parks, where a {@code ReentrantLock} parks almost at once, and a
 * park and wake-up cost far more than the insert they wait for. The generation protocol of the TLB
 * applies: a fetch reads {@link #generation()} before its first memory read and passes it to {@link
 * #insert}, which drops the value if an invalidation ran since; every invalidation removes its
 * entries and then increments the generation, under the lock. So a fetch that overlapped a CFGI
 * never caches what the CFGI was meant to drop: if it read the generation before the increment its
 * insert is refused, and if it read it after, every entry it found in the cache (a resolved
 * configuration is built from cached STEs and CDs) had already survived the CFGI. Incrementing
 * first would let a fetch read the new generation, still find an STE the CFGI was about to remove,
 * and cache a configuration built on it. The generation is a volatile field: written under the
 * lock, read by fetchers without it.
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
  private final int evictionOneIn;
  private final boolean partialRefetch;
  private final ConcurrentHashMap<Long, Object> entries = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final List<Long> keys = new ArrayList<>();
  private final Map<Long, Integer> positions = new HashMap<>();
  private final Map<Long, Kept> words;
  private final SplittableRandom random;
  private final ThreadLocal<SplittableRandom> lookupRandom;
  private volatile long generation;

  private final StripedCounter hits = new StripedCounter();
  private final StripedCounter misses = new StripedCounter();
  private long inserts;
  private long staleInsertsDropped;
  private long evictions;
  private long randomEvictions;
  private long invalidated;
  private long partialRefetches;

  /**
   * A cache without random eviction that keeps no words.
   *
   * @param capacity entries held at most (at least 1)
   * @param seed seed of the eviction choices
   */
  public ConfigCache(int capacity, long seed) {
    this(capacity, seed, 0, false);
  }

  /**
   * @param capacity entries held at most (at least 1); also the number of structures whose words
   *     are kept
   * @param seed seed of every random choice
   * @param evictionOneIn a lookup that finds an entry drops it with probability 1/N (0: never)
   * @param partialRefetch whether words of fetched structures are kept for refetches
   */
  public ConfigCache(int capacity, long seed, int evictionOneIn, boolean partialRefetch) {
    if (capacity < 1) {
      throw new IllegalArgumentException("config cache capacity must be at least 1: " + capacity);
    }
    if (evictionOneIn < 0) {
      throw new IllegalArgumentException(
          "config cache random eviction must be one in N >= 0: " + evictionOneIn);
    }
    this.capacity = capacity;
    this.evictionOneIn = evictionOneIn;
    this.partialRefetch = partialRefetch;
    this.random = new SplittableRandom(seed);
    this.lookupRandom = ThreadLocal.withInitial(this::splitRandom);
    this.words =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Kept> eldest) {
            return size() > ConfigCache.this.capacity;
          }
        };
  }

  private SplittableRandom splitRandom() {
    synchronized (lock) {
      return random.split();
    }
  }

  /** A bijective scramble of a key, so that keys differing only in high bits spread. */
  private static long spread(long key) {
    long k = key;
    k ^= k >>> 33;
    k *= 0xFF51_AFD7_ED55_8CCDL;
    k ^= k >>> 33;
    k *= 0xC4CE_B9FE_1A85_EC53L;
    k ^= k >>> 33;
    return k;
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

  /**
   * The cached value for {@code key}, or {@code null}; counts a hit or a miss. With random eviction
   * on, a found entry is dropped instead (and reported missing) with probability 1/N.
   */
  Object lookup(long key) {
    Object value = entries.get(spread(key));
    if (value != null && evictionOneIn > 0 && lookupRandom.get().nextInt(evictionOneIn) == 0) {
      evictAtRandom(key);
      value = null;
    }
    (value != null ? hits : misses).increment();
    return value;
  }

  /**
   * Drops {@code key}; for a resolved configuration also the STE and the CD it was built from, so
   * that the stream's next transaction fetches them again.
   */
  private void evictAtRandom(long key) {
    synchronized (lock) {
      randomEvictions++;
      removeKey(key);
      if ((key & KIND_MASK) == KIND_RESOLVED) {
        int sid = (int) sidOf(key);
        int ssidPlusOne = (int) (key & INDEX_MASK);
        removeKey(steKey(sid));
        removeKey(cdKey(sid, ssidPlusOne == 0 ? 0 : ssidPlusOne - 1));
      }
    }
  }

  private void removeKey(long key) {
    Integer at = positions.get(spread(key));
    if (at != null) {
      removeAt(at);
    }
  }

  /**
   * Caches {@code value} under {@code key} unless an invalidation ran since {@code
   * startGeneration}; a full cache first evicts a random entry.
   */
  void insert(long key, Object value, long startGeneration) {
    insertStructure(key, value, null, startGeneration);
  }

  /**
   * {@link #insert} for a fetched STE or CD, with the 64-bit words it was decoded from, which are
   * kept for refetches when the cache keeps words.
   */
  void insertStructure(long key, Object value, long[] structureWords, long startGeneration) {
    synchronized (lock) {
      if (startGeneration != generation) {
        staleInsertsDropped++;
        return;
      }
      if (!positions.containsKey(spread(key))) {
        if (keys.size() >= capacity) {
          removeAt(random.nextInt(keys.size()));
          evictions++;
        }
        positions.put(spread(key), keys.size());
        keys.add(key);
      }
      entries.put(spread(key), value);
      if (partialRefetch && structureWords != null) {
        words.remove(spread(key));
        words.put(spread(key), new Kept(key, structureWords.clone()));
      }
      inserts++;
    }
  }

  /**
   * Words a refetch of the structure under {@code key} may reuse instead of reading memory.
   *
   * @param words the words kept from the last fetch since a CFGI covering the structure
   * @param reuse bit i set: use {@code words[i]}; clear: read word i from memory
   */
  record Retained(long[] words, long reuse) {}

  /** The words of the structure under {@code key}, as last fetched. */
  private record Kept(long key, long[] words) {}

  /**
   * For a refetch of the STE or CD under {@code key}: the words kept from its last fetch and a
   * random choice of which of them to reuse, or {@code null} when none are kept (the knob is off,
   * no fetch since the last CFGI covering it, or the words were dropped for room).
   */
  Retained retained(long key) {
    if (!partialRefetch) {
      return null;
    }
    synchronized (lock) {
      Kept kept = words.get(spread(key));
      if (kept == null) {
        return null;
      }
      partialRefetches++;
      return new Retained(kept.words().clone(), random.nextLong());
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
    synchronized (lock) {
      return new Statistics(
          hits.sum(),
          misses.sum(),
          inserts,
          staleInsertsDropped,
          evictions,
          invalidated,
          randomEvictions,
          partialRefetches);
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
   * @param randomEvictions lookups that dropped the entry they found (random eviction)
   * @param partialRefetches refetches offered words kept from an earlier fetch
   */
  public record Statistics(
      long hits,
      long misses,
      long inserts,
      long staleInsertsDropped,
      long evictions,
      long invalidated,
      long randomEvictions,
      long partialRefetches) {}

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
    synchronized (lock) {
      int removed = 0;
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (test.removes(keys.get(i))) {
          removeAt(i);
          removed++;
        }
      }
      words.values().removeIf(k -> test.removes(k.key()));
      generation++;
      invalidated += removed;
      return removed;
    }
  }

  /** Removes the key at {@code index} of the key list. Lock holder only. */
  private void removeAt(int index) {
    assert Thread.holdsLock(lock);
    long key = keys.get(index);
    long last = keys.remove(keys.size() - 1);
    if (index < keys.size()) {
      keys.set(index, last);
      positions.put(spread(last), index);
    }
    positions.remove(spread(key));
    entries.remove(spread(key));
  }
}
