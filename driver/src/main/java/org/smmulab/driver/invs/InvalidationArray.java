package org.smmulab.driver.invs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A domain's sorted list of invalidations (Linux {@code struct arm_smmu_invs}), with the three
 * operations that change it: {@link #merge} (copy-on-write, adds one attachment's entries), {@link
 * #unref} (in place, drops one attachment's entries) and {@link #purge} (copy-on-write, drops
 * trash). The same class also holds a per-master list to merge or unref ({@link #of}).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>The domain owns an {@code AtomicReference<InvalidationArray>}, initialised with {@link
 * #empty(ReentrantLock)} so readers never see null. Writers hold the driver's tag lock (the
 * kernel's {@code arm_smmu_asid_lock}) for merge, unref, purge and the publication that follows;
 * the lock given at creation is asserted by every mutator ({@code -ea}). The invalidation walker
 * takes no lock of its own and may run on any thread at any time. The argument that it is safe:
 *
 * <ol>
 *   <li><b>Publication.</b> merge and purge build a brand-new array with plain writes, entries
 *       included. The publisher must store it with a release store ({@code setRelease} or {@code
 *       set} on the domain's reference) and the walker must load it with an acquire load ({@code
 *       getAcquire} or {@code get}), so every plain write made before publishing is visible to a
 *       walker that sees the new array. This is the RCU {@code rcu_assign_pointer} / {@code
 *       rcu_dereference} pair; the garbage collector stands in for the grace period. A replaced
 *       array is never changed again, except by an {@code unref} whose caller still holds it as the
 *       current array. (The walker must also begin with a full fence after its page-table writes,
 *       pairing with the STE/CD writer's barrier that orders publication before the STE store; that
 *       is the walker's job, not this class's.)
 *   <li><b>users.</b> The only write to a published entry is unref's decrement. It is an opaque
 *       store and the walker reads the count with an opaque load: each read is single-copy atomic
 *       and is not hoisted out of the walk. No stronger order is needed: if the walker still sees
 *       the old count it issues one redundant invalidation; if it sees 0 it skips an entry whose
 *       attachment the caller has already switched away (the STE no longer uses the tag).
 *   <li><b>numInvs.</b> Shrunk only by unref, with a release store made while holding the write
 *       lock of the ATS fence; the walker reads it once, with an acquire load, before it walks. The
 *       slots it cuts off are trash, so a walker that still uses the old bound only meets entries
 *       it skips anyway.
 *   <li><b>The ATS fence.</b> A walker on an array with {@link #hasAts()} holds the read lock of
 *       {@link #readLockIfAts()} from before it loads {@code numInvs} until its last batch,
 *       including the CMD_SYNC, has completed. unref takes the write lock to store {@code numInvs},
 *       so it cannot return while such a walker is still running: when unref returns, every ATC
 *       invalidation that could still target a removed entry has completed. This is the hard fence
 *       the caller needs before resetting a device that was moved to the blocked domain, without
 *       waiting for a grace period. A waiting unref keeps new walkers out ({@link AtsFence}), so it
 *       waits only for the walkers already inside, however steadily unmaps keep coming. The fence
 *       is one lock shared by every version of a domain's array ({@link #merge} and {@link #purge}
 *       hand it on), so a walker still holding a version that an earlier attach replaced is fenced
 *       as well: unref waits for it too. (With a lock per version, such a walker could still be
 *       sending ATC invalidations for the removed entry after unref returned.)
 * </ol>
 *
 * <p>{@code numTrashes}, the capacity and the entries' other fields are only read and written by
 * the tag-lock holder or are immutable.
 */
public final class InvalidationArray {
  private static final VarHandle NUM_INVS;

  static {
    try {
      NUM_INVS =
          MethodHandles.lookup().findVarHandle(InvalidationArray.class, "numInvs", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Slots [0, capacity); only [0, numInvs) matter. */
  private final Invalidation[] entries;

  /** Release-stored by unref, acquire-loaded by the walker; plain for the tag-lock holder. */
  private int numInvs;

  /** Trash slots below numInvs; tag-lock holder only. */
  private int numTrashes;

  private final boolean hasAts;

  /**
   * The ATS fence. Built on a {@link java.util.concurrent.locks.StampedLock} rather than a
   * reentrant read-write lock: walkers take the read side once per walk and never nest, so
   * per-thread hold counts would be pure cost; a waiting writer keeps new readers out ({@link
   * AtsFence}).
   */
  private final AtsFence atsFence;

  /** The lock every mutator asserts, or null when the caller does not want the check. */
  private final ReentrantLock tagLock;

  private InvalidationArray(
      Invalidation[] entries,
      int numInvs,
      boolean hasAts,
      ReentrantLock tagLock,
      AtsFence atsFence) {
    this.entries = entries;
    this.numInvs = numInvs;
    this.hasAts = hasAts;
    this.tagLock = tagLock;
    this.atsFence = atsFence;
  }

  /**
   * An empty array (capacity 0) whose mutators do not check a lock, as the kernel's unit test uses
   * them.
   */
  public static InvalidationArray empty() {
    return new InvalidationArray(new Invalidation[0], 0, false, null, new AtsFence());
  }

  /**
   * A domain's initial, empty array. {@link #merge}, {@link #unref} and {@link #purge} on it, and
   * on every array derived from it, assert that the current thread holds {@code tagLock}.
   *
   * @param tagLock the driver's tag lock (Linux {@code arm_smmu_asid_lock})
   */
  public static InvalidationArray empty(ReentrantLock tagLock) {
    return new InvalidationArray(
        new Invalidation[0], 0, false, Objects.requireNonNull(tagLock, "tagLock"), new AtsFence());
  }

  /**
   * A list to merge or unref, holding the given entries themselves (not copies): unref writes its
   * 1/0 notification into them. Users are ignored on input. The entries must be sorted by {@link
   * Invalidation#ORDER}; merge checks it. No lock is asserted for such a list.
   */
  public static InvalidationArray of(Invalidation... entries) {
    Invalidation[] copy = entries.clone();
    boolean ats = false;
    for (int k = 0; k < copy.length; k++) {
      if (copy[k] == null) {
        throw new NullPointerException("entry " + k + " of the list is null");
      }
      ats |= copy[k].type().isAts();
    }
    return new InvalidationArray(copy, copy.length, ats, null, new AtsFence());
  }

  /** The fixed number of slots (Linux {@code max_invs}). */
  public int capacity() {
    return entries.length;
  }

  /**
   * The number of slots in use, trash in between included (Linux {@code num_invs}); an acquire
   * load, safe from any thread.
   */
  public int numInvs() {
    return (int) NUM_INVS.getAcquire(this);
  }

  /**
   * The number of trash slots below {@link #numInvs()} (Linux {@code num_trashes}). Meaningful only
   * to the tag-lock holder (or a single-threaded test).
   */
  public int numTrashes() {
    return numTrashes;
  }

  /**
   * Whether the array was built with at least one ATS-type entry; set by merge and purge, never
   * cleared in place, so it may stay true after unref trashed the last ATS entry.
   */
  public boolean hasAts() {
    return hasAts;
  }

  /**
   * The entry in slot {@code index}, live or trash.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < numInvs()}
   */
  public Invalidation entry(int index) {
    return entries[Objects.checkIndex(index, numInvs())];
  }

  /** A snapshot of slots [0, numInvs), trash included, for diagnostics and tests. */
  public List<Invalidation> slots() {
    return List.of(entries).subList(0, numInvs());
  }

  /**
   * The walker's iterator over live entries. Reads {@code numInvs} once (acquire). On an array with
   * {@link #hasAts()} call it while holding {@link #readLockIfAts()}.
   */
  public LiveEntryIterator liveEntries() {
    return new LiveEntryIterator(entries, numInvs());
  }

  /**
   * The walker's side of the ATS fence: takes the read lock if this array holds ATS entries,
   * otherwise takes nothing. Hold it, in a try-with-resources on the same thread, until the
   * walker's last batch and its CMD_SYNC have completed.
   */
  public AtsFenceHold readLockIfAts() {
    if (!hasAts) {
      return AtsFenceHold.NONE;
    }
    long stamp = atsFence.readLock();
    return () -> atsFence.unlockRead(stamp);
  }

  /**
   * A held read side of the ATS fence (or nothing, for arrays without ATS entries). Closing it
   * releases the lock; close it exactly once, on the thread that took it.
   */
  @FunctionalInterface
  public interface AtsFenceHold extends AutoCloseable {
    /** The hold of an array without ATS entries: closing does nothing. */
    AtsFenceHold NONE = () -> {};

    @Override
    void close();
  }

  private boolean tagLockHeld() {
    return tagLock == null || tagLock.isHeldByCurrentThread();
  }

  private static String lockMessage(String operation) {
    return operation + " requires the tag lock held by the current thread";
  }

  /** Index of the first live slot at or after {@code from}, or {@code end}. Tag-lock holder. */
  private int nextLive(int from, int end) {
    int i = from;
    while (i < end && entries[i].usersPlain() == 0) {
      i++;
    }
    return i;
  }

  /**
   * Throws naming the first pair of entries that are out of order.
   *
   * @param role how the error message names this array
   * @param skipTrash whether slots with users 0 are ignored (a domain's array: they are trash) or
   *     checked (a per-master list, whose users are meaningless)
   */
  private void requireSorted(String operation, String role, boolean skipTrash) {
    int end = numInvs;
    int prev = skipTrash ? nextLive(0, end) : 0;
    int cur = skipTrash ? nextLive(prev + 1, end) : 1;
    while (cur < end) {
      if (Invalidation.compare(entries[prev], entries[cur]) > 0) {
        throw new IllegalStateException(
            String.format(
                "%s: %s is not sorted: slot %d (%s) sorts after slot %d (%s)",
                operation, role, prev, entries[prev], cur, entries[cur]));
      }
      prev = cur;
      cur = skipTrash ? nextLive(cur + 1, end) : cur + 1;
    }
  }

  /**
   * Merges a per-master list into a domain's array (Linux {@code arm_smmu_invs_merge}), never in
   * place: the result is a new array, sorted, without trash, to be published by the caller. An
   * entry equal to a live entry of {@code base} adds one user to it; a new entry gets one user;
   * trash of {@code base} is dropped (an entry equal to trash comes back with one user). Users of
   * {@code toMerge} are ignored. Neither input is changed.
   *
   * <p>Locking: the caller holds the tag lock {@code base} was created with (asserted).
   *
   * @return a new array with capacity = number of entries, {@code hasAts} iff it holds an ATS
   *     entry, and the tag lock of {@code base}
   * @throws IllegalStateException naming the entries if either input is not sorted
   */
  public static InvalidationArray merge(InvalidationArray base, InvalidationArray toMerge) {
    assert base.tagLockHeld() : lockMessage("merge");
    base.requireSorted("merge", "the base array", true);
    toMerge.requireSorted("merge", "the list to merge", false);
    int leftEnd = base.numInvs;
    int rightEnd = toMerge.numInvs;

    int size = 0;
    int i = base.nextLive(0, leftEnd);
    int j = 0;
    while (i < leftEnd || j < rightEnd) {
      int cmp = compareCursors(base, i, leftEnd, toMerge, j, rightEnd);
      size++;
      if (cmp <= 0) {
        i = base.nextLive(i + 1, leftEnd);
      }
      if (cmp >= 0) {
        j++;
      }
    }

    Invalidation[] out = new Invalidation[size];
    boolean ats = false;
    int k = 0;
    i = base.nextLive(0, leftEnd);
    j = 0;
    while (i < leftEnd || j < rightEnd) {
      int cmp = compareCursors(base, i, leftEnd, toMerge, j, rightEnd);
      Invalidation written;
      if (cmp < 0) {
        written = base.entries[i].copyWithUsers(base.entries[i].usersPlain());
      } else if (cmp == 0) {
        written = base.entries[i].copyWithUsers(base.entries[i].usersPlain() + 1);
      } else {
        written = toMerge.entries[j].copyWithUsers(1);
      }
      ats |= written.type().isAts();
      out[k++] = written;
      if (cmp <= 0) {
        i = base.nextLive(i + 1, leftEnd);
      }
      if (cmp >= 0) {
        j++;
      }
    }
    return new InvalidationArray(out, size, ats, base.tagLock, base.atsFence);
  }

  /** The two-array walk's step: +1 when the left side is done, -1 when the right side is. */
  private static int compareCursors(
      InvalidationArray left, int i, int leftEnd, InvalidationArray right, int j, int rightEnd) {
    if (i >= leftEnd) {
      return 1;
    }
    if (j >= rightEnd) {
      return -1;
    }
    return Invalidation.compare(left.entries[i], right.entries[j]);
  }

  /**
   * Drops one user from each entry of a per-master list, in place (Linux {@code
   * arm_smmu_invs_unref}); cannot fail. An entry whose count reaches 0 becomes trash. Into each
   * entry of {@code toUnref} that was found, writes 1 if the array entry is still used and 0 if it
   * died (the caller flushes a tag that died). Trash at the tail is cut off by shrinking {@code
   * numInvs}, which is stored while holding the ATS fence's write lock: when this returns, no
   * walker that could still see a removed ATS entry is running. Trash in the middle stays until the
   * next merge or purge. Entries of {@code toUnref} without a live counterpart are reported, not
   * thrown.
   *
   * <p>Locking: the caller holds the tag lock {@code base} was created with (asserted); {@code
   * base} may be published and walked concurrently. {@code toUnref} must be sorted (asserted).
   */
  public static UnrefReport unref(InvalidationArray base, InvalidationArray toUnref) {
    assert base.tagLockHeld() : lockMessage("unref");
    assert isSorted(toUnref) : "unref: the list to unref is not sorted: " + toUnref.slots();
    int oldEnd = base.numInvs;
    int rightEnd = toUnref.numInvs;
    int newEnd = 0;
    int released = 0;
    int trashed = 0;
    List<Invalidation> missing = new ArrayList<>();
    int i = base.nextLive(0, oldEnd);
    int j = 0;
    while (i < oldEnd || j < rightEnd) {
      int cmp = compareCursors(base, i, oldEnd, toUnref, j, rightEnd);
      if (cmp < 0) {
        newEnd = i + 1;
      } else if (cmp == 0) {
        Invalidation entry = base.entries[i];
        int users = entry.usersPlain() - 1;
        entry.setUsersOpaque(users);
        if (users > 0) {
          toUnref.entries[j].setUsersPlain(1);
          newEnd = i + 1;
          released++;
        } else {
          toUnref.entries[j].setUsersPlain(0);
          base.numTrashes++;
          trashed++;
        }
      } else {
        missing.add(toUnref.entries[j]);
      }
      if (cmp <= 0) {
        i = base.nextLive(i + 1, oldEnd);
      }
      if (cmp >= 0) {
        j++;
      }
    }
    base.numTrashes -= oldEnd - newEnd;
    long stamp = base.atsFence.writeLock();
    try {
      NUM_INVS.setRelease(base, newEnd);
    } finally {
      base.atsFence.unlockWrite(stamp);
    }
    return new UnrefReport(released, trashed, missing);
  }

  private static boolean isSorted(InvalidationArray list) {
    for (int k = 1; k < list.numInvs; k++) {
      if (Invalidation.compare(list.entries[k - 1], list.entries[k]) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies the live entries of an array with trash into a new array (Linux {@code
   * arm_smmu_invs_purge}), in order, keeping their user counts.
   *
   * <p>Locking: the caller holds the tag lock {@code base} was created with (asserted).
   *
   * @return the new array (no trash, {@code hasAts} iff it holds an ATS entry, the tag lock of
   *     {@code base}), or null when there is nothing to purge: no slots, no trash, or the
   *     inconsistent state of more trash than slots
   */
  public static InvalidationArray purge(InvalidationArray base) {
    assert base.tagLockHeld() : lockMessage("purge");
    int end = base.numInvs;
    if (end < base.numTrashes || end == 0 || base.numTrashes == 0) {
      return null;
    }
    int size = end - base.numTrashes;
    Invalidation[] out = new Invalidation[size];
    boolean ats = false;
    int k = 0;
    for (int i = base.nextLive(0, end); i < end; i = base.nextLive(i + 1, end)) {
      if (k == size) {
        throw new IllegalStateException(
            "purge: more live slots than " + size + " in " + base.slots());
      }
      Invalidation entry = base.entries[i];
      out[k++] = entry.copyWithUsers(entry.usersPlain());
      ats |= entry.type().isAts();
    }
    if (k != size) {
      throw new IllegalStateException(
          "purge: " + k + " live slots, expected " + size + " in " + base.slots());
    }
    return new InvalidationArray(out, size, ats, base.tagLock, base.atsFence);
  }

  @Override
  public String toString() {
    return "InvalidationArray[numInvs="
        + numInvs()
        + ", numTrashes="
        + numTrashes
        + ", hasAts="
        + hasAts
        + ", "
        + slots()
        + "]";
  }
}
