package org.smmulab.hw.smmu.tlb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.smmulab.hw.smmu.SmmuConfig.Replacement;
import org.smmulab.hw.smmu.observe.StripedCounter;

/**
 * A bounded set of cached entries (TLB leaves or walk-cache tables) of mixed sizes, found by tag
 * and covered address.
 *
 * <p>Structure: a fixed array of hash buckets, each a singly linked chain of nodes, keyed by
 * (world, kind, VMID, size, input address {@code >>> size}). The ASID is not part of the key
 * because global entries match every ASID; it is compared on the chain. A lookup probes one bucket
 * per entry size currently present ({@link #shiftMask}), smallest size first, without allocating. A
 * resident array lists every node for replacement and for invalidation scans.
 *
 * <p>Concurrency: lookups run on any thread without locking; every mutating method must be called
 * with the owner's lock held (one writer at a time). Readers see chains through the volatile bucket
 * slots and {@link Node#next} links, so a node is visible to them only once fully built, and a
 * lookup that starts after an unlink has returned cannot reach the unlinked node: every path to it
 * went through a link that the unlink overwrote before returning. A reader already standing on an
 * unlinked node may still return it; such a lookup overlaps the removal and is ordered before it.
 *
 * @param <E> the entry type
 */
final class EntryStore<E> {
  /** One cached entry with the key fields copied out for the lookup loop. */
  static final class Node<E> {
    final E value;
    final CacheTag tag;
    final CacheTag.World world;
    final CacheTag.Kind kind;
    final int vmid;
    final int asid;
    final boolean global;
    final int sizeShift;
    final long page;
    final int bucket;

    /** Next node of the bucket chain; written under the lock, read by lookups. */
    volatile Node<E> next;

    /**
     * Use stamp for LRU, written by lookups through {@link #LAST_USE} (opaque). An insert takes a
     * fresh stamp and moves the clock one further; a hit takes the clock's current value, written
     * only when it changes, so hits from many threads neither bump a shared counter nor keep
     * rewriting a hot node. Entries hit since the last insert tie, which makes the replacement an
     * approximate LRU among them; every one of them still outranks anything not used since.
     */
    @SuppressWarnings("unused")
    private long lastUse;

    /** Index in the resident array; only touched under the lock. */
    int slot;

    Node(E value, CacheTag tag, int sizeShift, long page, int bucket) {
      this.value = value;
      this.tag = tag;
      this.world = tag.world();
      this.kind = tag.kind();
      this.vmid = tag.vmid();
      this.asid = tag.asid();
      this.global = tag.global();
      this.sizeShift = sizeShift;
      this.page = page;
      this.bucket = bucket;
    }
  }

  private static final VarHandle LAST_USE;

  static {
    try {
      LAST_USE = MethodHandles.lookup().findVarHandle(Node.class, "lastUse", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;
  private final Replacement replacement;
  private final SplittableRandom random;
  private final AtomicReferenceArray<Node<E>> buckets;
  private final int bucketMask;
  private final Node<E>[] resident;
  private final int[] shiftCounts = new int[64];
  private final AtomicLong useClock = new AtomicLong();
  private int size;

  /** Bit {@code s} set when an entry of size {@code 2^s} may be present; read by lookups. */
  private volatile long shiftMask;

  final StripedCounter hits = new StripedCounter();
  final StripedCounter misses = new StripedCounter();
  final StripedCounter inserts = new StripedCounter();
  final StripedCounter staleInsertsDropped = new StripedCounter();
  final StripedCounter evictions = new StripedCounter();
  final StripedCounter invalidated = new StripedCounter();

  @SuppressWarnings("unchecked")
  EntryStore(int capacity, Replacement replacement, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.replacement = replacement;
    this.random = new SplittableRandom(seed);
    int bucketCount = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1) << 1;
    this.buckets = new AtomicReferenceArray<>(bucketCount);
    this.bucketMask = bucketCount - 1;
    this.resident = (Node<E>[]) new Node<?>[capacity];
  }

  /** The entry capacity. */
  int capacity() {
    return capacity;
  }

  /** Entries currently held; exact under the lock, a momentary value otherwise. */
  int size() {
    return size;
  }

  private static int hash(
      CacheTag.World world, CacheTag.Kind kind, int vmid, int sizeShift, long page) {
    long h = page * 0x9E3779B97F4A7C15L;
    h ^=
        (vmid * 0xC2B2AE3D27D4EB4FL)
            + ((long) sizeShift << 8)
            + (world.ordinal() << 4)
            + kind.ordinal();
    h *= 0xFF51AFD7ED558CCDL;
    return (int) (h ^ (h >>> 32));
  }

  /**
   * The value of an entry covering {@code address} with the given tag fields, smallest size first,
   * or {@code null}; counts a hit or a miss. Lock-free and allocation-free.
   *
   * @param anyAsid whether the ASID is ignored (stage-2 entries)
   */
  E find(
      CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, boolean anyAsid, long address) {
    long shifts = shiftMask;
    while (shifts != 0) {
      int shift = Long.numberOfTrailingZeros(shifts);
      shifts &= shifts - 1;
      long page = address >>> shift;
      Node<E> n = buckets.get(hash(world, kind, vmid, shift, page) & bucketMask);
      for (; n != null; n = n.next) {
        if (n.page == page
            && n.sizeShift == shift
            && n.vmid == vmid
            && n.world == world
            && n.kind == kind
            && (anyAsid || n.global || n.asid == asid)) {
          if (replacement == Replacement.LRU) {
            long now = useClock.getOpaque();
            if ((long) LAST_USE.getOpaque(n) != now) {
              LAST_USE.setOpaque(n, now);
            }
          }
          hits.increment();
          return n.value;
        }
      }
    }
    misses.increment();
    return null;
  }

  /**
   * Adds an entry, replacing one with the same tag, size and address and evicting another when
   * full. Caller holds the lock.
   *
   * @throws IllegalArgumentException if {@code sizeShift} is outside 0..63
   */
  void add(E value, CacheTag tag, long inputBase, int sizeShift) {
    if (sizeShift < 0 || sizeShift > 63) {
      throw new IllegalArgumentException("entry size shift " + sizeShift + " is outside 0..63");
    }
    long page = inputBase >>> sizeShift;
    int bucket = hash(tag.world(), tag.kind(), tag.vmid(), sizeShift, page) & bucketMask;
    for (Node<E> n = buckets.get(bucket); n != null; n = n.next) {
      if (n.page == page && n.sizeShift == sizeShift && n.tag.equals(tag)) {
        unlink(n);
        break;
      }
    }
    if (size == capacity) {
      unlink(victim());
      evictions.increment();
    }
    Node<E> node = new Node<>(value, tag, sizeShift, page, bucket);
    LAST_USE.setOpaque(node, useClock.incrementAndGet());
    useClock.incrementAndGet();
    node.slot = size;
    resident[size++] = node;
    if (shiftCounts[sizeShift]++ == 0) {
      shiftMask = shiftMask | (1L << sizeShift);
    }
    node.next = buckets.get(bucket);
    buckets.set(bucket, node);
    inserts.increment();
  }

  private Node<E> victim() {
    if (replacement == Replacement.RANDOM) {
      return resident[random.nextInt(size)];
    }
    Node<E> oldest = resident[0];
    long oldestUse = (long) LAST_USE.getOpaque(oldest);
    for (int i = 1; i < size; i++) {
      long use = (long) LAST_USE.getOpaque(resident[i]);
      if (use < oldestUse) {
        oldest = resident[i];
        oldestUse = use;
      }
    }
    return oldest;
  }

  /** Removes every entry {@code removes} accepts; returns how many went. Caller holds the lock. */
  int removeIf(Predicate<? super E> removes) {
    int count = 0;
    for (int i = size - 1; i >= 0; i--) {
      Node<E> n = resident[i];
      if (removes.test(n.value)) {
        unlink(n);
        count++;
      }
    }
    invalidated.add(count);
    return count;
  }

  /** Every entry, in no particular order. Caller holds the lock. */
  void forEach(Consumer<? super E> action) {
    for (int i = 0; i < size; i++) {
      action.accept(resident[i].value);
    }
  }

  private void unlink(Node<E> node) {
    Node<E> head = buckets.get(node.bucket);
    if (head == node) {
      buckets.set(node.bucket, node.next);
    } else {
      Node<E> pred = head;
      while (pred.next != node) {
        pred = pred.next;
      }
      pred.next = node.next;
    }
    Node<E> last = resident[--size];
    resident[node.slot] = last;
    last.slot = node.slot;
    resident[size] = null;
    if (--shiftCounts[node.sizeShift] == 0) {
      shiftMask = shiftMask & ~(1L << node.sizeShift);
    }
  }

  /** A snapshot of the counters. */
  CacheStatistics statistics() {
    return new CacheStatistics(
        hits.sum(),
        misses.sum(),
        inserts.sum(),
        staleInsertsDropped.sum(),
        evictions.sum(),
        invalidated.sum());
  }
}
