package org.smmulab.hw.pcie;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.smmulab.hw.smmu.observe.StripedCounter;

/**
 * An endpoint's address translation cache (ATC): the translation completions it received, served to
 * later accesses until an ATC invalidation removes them.
 *
 * <p>Invalidation follows PCIe as the SMMU's ATC_INV drives it: a range of {@code 2^sizeLog2} 4 KiB
 * pages, aligned down to its size ({@code sizeLog2} of 52 or more means every address); without a
 * PASID the invalidation removes every entry in the range, PASID-tagged ones included; with a PASID
 * it removes that PASID's entries and, when global, the global entries of every PASID.
 *
 * <p>Thread-safe: accesses and invalidations may come from any thread. One lock (a monitor, for the
 * reason {@link org.smmulab.hw.smmu.config.ConfigCache} gives) serialises the changes (inserts,
 * evictions, invalidations); after each change the lock holder publishes an immutable copy of the
 * entries with a volatile write, and lookups scan the last copy published without taking the lock,
 * so that the accesses of several threads to one endpoint do not queue behind each other. A lookup
 * that read the copy before an invalidation published its own may still return an entry that
 * invalidation removes; it started before the invalidation completed (the volatile write comes
 * before {@link #invalidate} returns), so its access overlaps the invalidation, as it would with a
 * lookup that took the lock just before the invalidation did.
 *
 * <p>Inserts follow a generation protocol, as the SMMU's TLB does: a requester reads {@link
 * #generation()} before it sends the translation request and passes it to {@link #insert}, which
 * drops the completion if an invalidation ran since, so that a completion produced before an
 * invalidation never outlives it. The generation is volatile, written under the lock only. Full
 * caches evict a victim chosen by a seeded random generator.
 */
public final class AddressTranslationCache {
  /** The {@code sizeLog2} of an invalidation of every address. */
  public static final int SIZE_ALL = 52;

  private static final int PAGE_SHIFT = 12;

  private final int capacity;
  private final Object lock = new Object();
  private final List<AtcEntry> entries = new ArrayList<>();
  private volatile AtcEntry[] published = new AtcEntry[0];
  private final SplittableRandom random;
  private volatile long generation;
  private final StripedCounter hits = new StripedCounter();
  private final StripedCounter misses = new StripedCounter();
  private long inserts;
  private long staleInsertsDropped;
  private long evictions;
  private long invalidations;
  private long invalidated;

  /**
   * @param capacity entries the ATC holds (at least 1)
   * @param seed seed of the eviction choices
   */
  public AddressTranslationCache(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("an ATC needs at least one entry, got " + capacity);
    }
    this.capacity = capacity;
    this.random = new SplittableRandom(seed);
  }

  /** The current generation; increases with every invalidation. */
  public long generation() {
    return generation;
  }

  /**
   * Runs {@code action} while no invalidation of this ATC can complete: {@link #invalidate} waits
   * until it returns. For a translation request that kept being overtaken by invalidations; the
   * requester's own lookups, inserts and (on the same thread) invalidations proceed, the lock being
   * reentrant. {@code action} must not wait for another thread that might be invalidating this ATC.
   */
  public <T> T holdingInvalidations(Supplier<T> action) {
    synchronized (lock) {
      return action.get();
    }
  }

  /** The entry serving an access at {@code address} with this PASID state, or {@code null}. */
  public AtcEntry lookup(boolean pasidValid, int pasid, long address) {
    for (AtcEntry e : published) {
      if (e.covers(address) && e.serves(pasidValid, pasid)) {
        hits.increment();
        return e;
      }
    }
    misses.increment();
    return null;
  }

  /** Publishes a copy of the entries for lookups. Lock holder only. */
  private void publish() {
    assert Thread.holdsLock(lock);
    published = entries.toArray(AtcEntry[]::new);
  }

  /**
   * Caches {@code entry} unless an invalidation ran since {@code startGeneration}.
   *
   * @return whether the entry was cached
   */
  public boolean insert(AtcEntry entry, long startGeneration) {
    synchronized (lock) {
      if (startGeneration != generation) {
        staleInsertsDropped++;
        return false;
      }
      entries.removeIf(
          e ->
              e.pasidValid() == entry.pasidValid()
                  && e.pasid() == entry.pasid()
                  && e.overlaps(entry.inputBase(), entry.sizeShift()));
      if (entries.size() >= capacity) {
        int victim = random.nextInt(entries.size());
        entries.set(victim, entries.get(entries.size() - 1));
        entries.remove(entries.size() - 1);
        evictions++;
      }
      entries.add(entry);
      publish();
      inserts++;
      return true;
    }
  }

  /**
   * Removes the entries an invalidation request covers.
   *
   * @param pasidValid whether the request carries a PASID (ATC_INV SSV)
   * @param pasid the PASID (ATC_INV SSID)
   * @param global whether global entries of every PASID go too (ATC_INV Global; only with a PASID)
   * @param address any address in the range; aligned down to the range size
   * @param sizeLog2 log2 of the number of 4 KiB pages; {@value #SIZE_ALL} or more means everything
   * @return how many entries were removed
   */
  public int invalidate(boolean pasidValid, int pasid, boolean global, long address, int sizeLog2) {
    int spanShift = sizeLog2 >= SIZE_ALL ? 64 : sizeLog2 + PAGE_SHIFT;
    synchronized (lock) {
      generation++;
      invalidations++;
      int before = entries.size();
      entries.removeIf(
          e ->
              e.overlaps(address, spanShift)
                  && (!pasidValid
                      || (e.pasidValid() && (e.pasid() == pasid || (global && e.global())))));
      int removed = before - entries.size();
      if (removed > 0) {
        publish();
      }
      invalidated += removed;
      return removed;
    }
  }

  /** A copy of the cached entries, in no particular order. */
  public List<AtcEntry> entries() {
    synchronized (lock) {
      return List.copyOf(entries);
    }
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
          invalidations,
          invalidated);
    }
  }

  /**
   * ATC counters at one moment.
   *
   * @param hits accesses served from the ATC
   * @param misses accesses that needed a translation request
   * @param inserts completions cached
   * @param staleInsertsDropped completions dropped because an invalidation ran during the request
   * @param evictions entries removed to make room
   * @param invalidations invalidation requests received
   * @param invalidated entries removed by invalidation requests
   */
  public record Statistics(
      long hits,
      long misses,
      long inserts,
      long staleInsertsDropped,
      long evictions,
      long invalidations,
      long invalidated) {}
}
