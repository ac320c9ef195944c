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
 * resident array lists every node for random replacement and for invalidation scans; an
 * invalidation of a few addresses probes their buckets instead ({@link #removeCovering}).
 *
 * <p>LRU replacement without a lock on the hit path: a hit only stamps its node (see {@code
 * Node.lastUse}); the nodes also sit on a list in the order they were queued (inserted, or requeued
 * by replacement), guarded by the owner's lock. To pick a victim, replacement looks at the head of
 * the list: a node stamped since it was queued gets a second chance (it moves to the tail with its
 * new stamp), the first one that was not is evicted. Each node moves at most once per choice, so a
 * choice costs amortised O(1) instead of a scan of the whole store. The order is that of an exact
 * LRU except that a node hit before younger entries were inserted may outlive them by one round,
 * the usual approximation of hardware LRU.
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

    /** The stamp this node had when it was last queued on the LRU list; under the lock. */
    long queuedUse;

    /** Neighbours on the LRU list (LRU replacement only); under the lock. */
    Node<E> older;

    Node<E> younger;

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

  /** The LRU clock: written only under the lock (so plainly incremented), read opaque by hits. */
  private final AtomicLong useClock = new AtomicLong();

  private int size;

  /** Least recently queued node (LRU replacement only); under the lock. */
  private Node<E> oldest;

  /** Most recently queued node (LRU replacement only); under the lock. */
  private Node<E> youngest;

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
    Node<E> n = node(world, kind, vmid, asid, anyAsid, address);
    if (n == null) {
      misses.increment();
      return null;
    }
    if (replacement == Replacement.LRU) {
      long now = useClock.getOpaque();
      if ((long) LAST_USE.getOpaque(n) != now) {
        LAST_USE.setOpaque(n, now);
      }
    }
    hits.increment();
    return n.value;
  }

  /**
   * Whether {@link #find} would find an entry, without counting it or touching its use stamp (for
   * the model's own look-ahead, which is not a use). Lock-free and allocation-free.
   */
  boolean holds(
      CacheTag.World world, CacheTag.Kind kind, int vmid, int asid, boolean anyAsid, long address) {
    return node(world, kind, vmid, asid, anyAsid, address) != null;
  }

  private Node<E> node(
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
          return n;
        }
      }
    }
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
    long stamp = useClock.getPlain() + 1;
    LAST_USE.setOpaque(node, stamp);
    useClock.setOpaque(stamp + 1);
    if (replacement == Replacement.LRU) {
      node.queuedUse = stamp;
      enqueue(node);
    }
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
    // Bounded even if racing hits keep restamping nodes: after 2 * size chances, take the head.
    for (int chances = 2 * size; chances > 0; chances--) {
      Node<E> head = oldest;
      long use = (long) LAST_USE.getOpaque(head);
      if (use == head.queuedUse) {
        return head;
      }
      dequeue(head);
      head.queuedUse = use;
      enqueue(head);
    }
    return oldest;
  }

  private void enqueue(Node<E> node) {
    node.older = youngest;
    node.younger = null;
    if (youngest == null) {
      oldest = node;
    } else {
      youngest.younger = node;
    }
    youngest = node;
  }

  private void dequeue(Node<E> node) {
    if (node.older == null) {
      oldest = node.younger;
    } else {
      node.older.younger = node.younger;
    }
    if (node.younger == null) {
      youngest = node.older;
    } else {
      node.younger.older = node.older;
    }
    node.older = null;
    node.younger = null;
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

  /**
   * How many bucket probes {@link #removeCovering} needs for the inputs {@code [first, last]} and
   * one (world, kind, VMID) key: one per present entry size and page of that size in the range,
   * saturating at {@link Long#MAX_VALUE}. Caller holds the lock.
   */
  long probesFor(long first, long last) {
    long probes = 0;
    long shifts = shiftMask;
    while (shifts != 0) {
      int shift = Long.numberOfTrailingZeros(shifts);
      shifts &= shifts - 1;
      long pages = (last >>> shift) - (first >>> shift) + 1;
      if (pages <= 0 || probes + pages < 0) {
        return Long.MAX_VALUE;
      }
      probes += pages;
    }
    return probes;
  }

  /**
   * Removes every entry {@code removes} accepts among those with this world, kind and VMID that
   * overlap {@code [first, last]} (unsigned, inclusive), probing one bucket per entry size and
   * page; the same result as {@link #removeIf} restricted to that key, in {@link #probesFor} bucket
   * visits instead of a scan. Returns how many went. Caller holds the lock.
   */
  int removeCovering(
      CacheTag.World world,
      CacheTag.Kind kind,
      int vmid,
      long first,
      long last,
      Predicate<? super E> removes) {
    int count = 0;
    long shifts = shiftMask;
    while (shifts != 0) {
      int shift = Long.numberOfTrailingZeros(shifts);
      shifts &= shifts - 1;
      long lastPage = last >>> shift;
      for (long page = first >>> shift; ; page++) {
        Node<E> n = buckets.get(hash(world, kind, vmid, shift, page) & bucketMask);
        while (n != null) {
          Node<E> next = n.next;
          if (n.page == page
              && n.sizeShift == shift
              && n.vmid == vmid
              && n.world == world
              && n.kind == kind
              && removes.test(n.value)) {
            unlink(n);
            count++;
          }
          n = next;
        }
        if (page == lastPage) {
          break;
        }
      }
    }
    invalidated.add(count);
    return count;
  }

  /**
   * Whether an entry with exactly {@code tag} and a size of at least {@code 2^minShift} covers
   * {@code address}. Counts nothing and touches no use stamp. Caller holds the lock.
   */
  boolean holdsCovering(CacheTag tag, long address, int minShift) {
    long shifts = shiftMask & (-1L << minShift);
    while (shifts != 0) {
      int shift = Long.numberOfTrailingZeros(shifts);
      shifts &= shifts - 1;
      long page = address >>> shift;
      Node<E> n = buckets.get(hash(tag.world(), tag.kind(), tag.vmid(), shift, page) & bucketMask);
      for (; n != null; n = n.next) {
        if (n.page == page && n.sizeShift == shift && n.tag.equals(tag)) {
          return true;
        }
      }
    }
    return false;
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
    if (replacement == Replacement.LRU) {
      dequeue(node);
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
