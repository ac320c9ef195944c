package org.smmulab.hw.smmu.tlb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.smmulab.arch.cmd.Command;
import org.smmulab.hw.smmu.SmmuConfig.ModelKnobs;
import org.smmulab.hw.smmu.tlb.CacheTag.Kind;

/**
 * The TLB and walk cache of one SMMU instance, as aggressive as the architecture allows: entries
 * stay until a TLBI command whose scope covers them (see {@link InvalidationScope}) or until
 * replacement needs their room; global stage-1 entries are shared by every ASID; table entries are
 * cached when the {@code walkCache} knob is on, and survive LEAF = 1 invalidations.
 *
 * <p>Capacities and replacement come from the {@link ModelKnobs}: {@code tlbEntries} leaves and
 * {@code walkCacheEntries} tables, evicted least recently used first or at random from a generator
 * seeded with {@code seed} (the walk cache uses {@code seed + 1}), so runs are reproducible.
 *
 * <h2>Implementation notes: why invalidations are never lost</h2>
 *
 * <p>Concurrent state: the {@link #generation} counter (volatile), the bucket chains of the two
 * {@link EntryStore}s (read lock-free by lookups) and the counters. Everything else is guarded by
 * {@link #lock}, which every insert and every invalidation holds for its whole duration. It is a
 * monitor, for the reason {@link org.smmulab.hw.smmu.config.ConfigCache} gives: short sections that
 * translating threads contend for, where spinning before parking pays.
 *
 * <ol>
 *   <li>An invalidation takes the lock, removes its entries, then increments the generation, then
 *       releases the lock. (Incrementing first would be wrong: lookups take no lock, so a walk
 *       could read the new generation, then still find a walk-cache entry the invalidation had not
 *       yet removed, and insert a leaf built on it under the new generation.)
 *   <li>An insert takes the lock and adds its entry only if its start generation equals the current
 *       generation.
 *   <li>Take an insert I whose walk read generation g before reading descriptors, and an
 *       invalidation V that moved the generation from g' to g' + 1. If g <= g', the lock orders I
 *       and V: if I runs first its entry is in place when V scans, and V removes it if it is in
 *       scope; if V runs first I sees a newer generation and drops the entry. If g > g', the walk
 *       read the generation after V had removed everything in its scope, so every cached table
 *       entry the walk used was outside V's scope, and every descriptor read of the walk comes
 *       after V began, i.e. after the command that software queued behind its table update; the
 *       walk saw the updated tables and its entry is current.
 *   <li>A lookup that starts after V returned reads bucket links V wrote (volatile writes before
 *       the unlock, volatile reads after), so it cannot reach a removed node; the only entries it
 *       can find in V's scope are ones inserted after V, which by (3) started their walks after V
 *       began.
 * </ol>
 *
 * <p>Lookups take no lock and allocate nothing; under concurrency LRU order is approximate (use
 * stamps come from one atomic clock but are stored without ordering).
 */
public final class TranslationCacheSet implements TranslationCaches {
  /**
   * Bucket probes above which an addressed invalidation scans every entry instead: beyond this a
   * scan of a TLB of a few hundred entries is no slower.
   */
  private static final long MAX_INVALIDATION_PROBES = 64;

  private final Object lock = new Object();
  private final EntryStore<TlbEntry> tlb;
  private final EntryStore<WalkCacheEntry> walkCache;
  private final boolean strictTtl;

  /** Increases with every invalidation; written under {@link #lock}, read by anyone. */
  private volatile long generation;

  /**
   * Caches sized and behaving as {@code knobs} say.
   *
   * @throws NullPointerException if {@code knobs} is null
   */
  public TranslationCacheSet(ModelKnobs knobs) {
    Objects.requireNonNull(knobs, "knobs");
    this.tlb = new EntryStore<>(knobs.tlbEntries(), knobs.replacement(), knobs.seed());
    this.walkCache =
        knobs.walkCache()
            ? new EntryStore<>(knobs.walkCacheEntries(), knobs.replacement(), knobs.seed() + 1)
            : null;
    this.strictTtl = knobs.strictTtl();
  }

  @Override
  public long generation() {
    return generation;
  }

  /** {@inheritDoc} Stage-2 lookups ignore {@code asid}. Lock-free and allocation-free. */
  @Override
  public TlbEntry lookup(
      CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, long address) {
    return tlb.find(world, kind, vmid, asid, kind == CacheTag.Kind.STAGE2, address);
  }

  /**
   * Whether {@link #lookup} would hit, without counting a hit or a miss and without refreshing the
   * entry's use (the model's speculation asks this before walking). Lock-free.
   */
  public boolean holds(CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, long address) {
    return tlb.holds(world, kind, vmid, asid, kind == CacheTag.Kind.STAGE2, address);
  }

  /**
   * {@inheritDoc} An entry with the same tag, size and input address replaces the cached one; when
   * the TLB is full another entry is evicted.
   *
   * @throws IllegalArgumentException if the entry's size shift is outside 0..63
   */
  @Override
  public void insert(TlbEntry entry, long startGeneration) {
    synchronized (lock) {
      if (startGeneration != generation) {
        tlb.staleInsertsDropped.increment();
        return;
      }
      tlb.add(entry, entry.tag(), entry.inputBase(), entry.sizeShift());
    }
  }

  /**
   * Caches translations the walker found beyond the one it was asked for (neighbouring descriptors
   * of a walked table), under the same generation rule as {@link #insert}. Entries an existing
   * entry already covers are skipped. Whether to call this at all is the {@code speculativeFill}
   * knob's decision, made by the caller.
   *
   * @return how many entries were added
   */
  public int insertSpeculatively(List<TlbEntry> entries, long startGeneration) {
    synchronized (lock) {
      if (startGeneration != generation) {
        tlb.staleInsertsDropped.add(entries.size());
        return 0;
      }
      int added = 0;
      for (TlbEntry e : entries) {
        if (!covered(e)) {
          tlb.add(e, e.tag(), e.inputBase(), e.sizeShift());
          added++;
        }
      }
      return added;
    }
  }

  private boolean covered(TlbEntry e) {
    return tlb.holdsCovering(e.tag(), e.inputBase(), e.sizeShift());
  }

  /**
   * {@inheritDoc} Stage-2 tags ignore the ASID; otherwise the entry's ASID must equal the tag's (or
   * the entry be global). Always {@code null} when the walk cache is off.
   */
  @Override
  public WalkCacheEntry lookupTable(CacheTag tag, long address) {
    if (walkCache == null) {
      return null;
    }
    return walkCache.find(
        tag.world(),
        tag.kind(),
        tag.vmid(),
        tag.asid(),
        tag.kind() == CacheTag.Kind.STAGE2,
        address);
  }

  /** {@inheritDoc} False when the walk cache is off. */
  @Override
  public boolean cachesTables() {
    return walkCache != null;
  }

  /** {@inheritDoc} Does nothing when the walk cache is off. */
  @Override
  public void insertTable(WalkCacheEntry entry, long startGeneration) {
    if (walkCache == null) {
      return;
    }
    synchronized (lock) {
      if (startGeneration != generation) {
        walkCache.staleInsertsDropped.increment();
        return;
      }
      walkCache.add(entry, entry.tag(), entry.inputBase(), entry.sizeShift());
    }
  }

  /**
   * Runs {@code action} while no invalidation can complete: TLBI commands ({@link #invalidate}) and
   * CFGI commands ({@link #configurationChanged}) wait until it returns, so the generation stays as
   * it was. For a translation that kept being overtaken by invalidations; inserts and lookups made
   * by {@code action} itself proceed (the lock is reentrant). {@code action} must not wait for
   * another thread that might be executing a command.
   */
  public <T> T holdingInvalidations(Supplier<T> action) {
    synchronized (lock) {
      return action.get();
    }
  }

  /**
   * Called when a CFGI command completes: no entry is removed, but the generation moves on, so a
   * walk that resolved its configuration before the CFGI (possibly reading an STE or CD while
   * software was rewriting it) cannot insert what it found afterwards. Without this, a torn or
   * stale configuration could leave entries under a tag that now belongs to someone else.
   */
  public void configurationChanged() {
    synchronized (lock) {
      generation = generation + 1;
    }
  }

  /**
   * Performs the TLB side of {@code command}: removes every leaf and table entry its {@link
   * InvalidationScope} covers. Commands that do not touch these caches (CFGI, CMD_SYNC, EL3
   * invalidations, reserved opcodes) change nothing, not even the generation. Never throws on any
   * command bit pattern.
   *
   * @return how many entries (leaves and tables) were removed
   */
  public int invalidate(Command command) {
    return invalidate(InvalidationScope.of(command, strictTtl));
  }

  /**
   * Removes every entry {@code scope} covers, then moves the generation on, unless the scope is
   * empty. A scope of a few addresses (TLBI_NH_VA, NH_VAA and S2_IPA for one page or a short range)
   * probes the buckets of those addresses; anything wider scans every entry.
   *
   * @return how many entries (leaves and tables) were removed
   */
  public int invalidate(InvalidationScope scope) {
    if (scope.isEmpty()) {
      return 0;
    }
    synchronized (lock) {
      int removed = remove(tlb, scope, scope::removes);
      if (walkCache != null && scope.reachesTables()) {
        removed += remove(walkCache, scope, scope::removes);
      }
      generation = generation + 1;
      return removed;
    }
  }

  private static <E> int remove(
      EntryStore<E> store, InvalidationScope scope, Predicate<? super E> removes) {
    Kind[] kinds = scope.probedKinds();
    if (kinds == null
        || store.probesFor(scope.first(), scope.last()) * kinds.length > MAX_INVALIDATION_PROBES) {
      return store.removeIf(removes);
    }
    int removed = 0;
    for (Kind kind : kinds) {
      removed +=
          store.removeCovering(
              scope.world(), kind, scope.vmid(), scope.first(), scope.last(), removes);
    }
    return removed;
  }

  /** A copy of the cached leaf entries, in no particular order. */
  public List<TlbEntry> tlbEntries() {
    return snapshot(tlb);
  }

  /** A copy of the cached table entries (empty when the walk cache is off). */
  public List<WalkCacheEntry> walkCacheEntries() {
    return walkCache == null ? List.of() : snapshot(walkCache);
  }

  private <E> List<E> snapshot(EntryStore<E> store) {
    synchronized (lock) {
      List<E> out = new ArrayList<>(store.size());
      store.forEach(out::add);
      return out;
    }
  }

  /** The counters of both caches; the walk-cache counters are all zero when it is off. */
  public Statistics statistics() {
    return new Statistics(
        tlb.statistics(),
        walkCache == null ? new CacheStatistics(0, 0, 0, 0, 0, 0) : walkCache.statistics());
  }

  /**
   * Counters of an instance's caches at one moment.
   *
   * @param tlb the leaf TLB's counters
   * @param walkCache the walk cache's counters
   */
  public record Statistics(CacheStatistics tlb, CacheStatistics walkCache) {}
}
