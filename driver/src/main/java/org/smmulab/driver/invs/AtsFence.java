package org.smmulab.driver.invs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The ATS fence of one domain: after {@link InvalidationArray#unref} returns, no ATC invalidation
 * for an entry it removed is still in flight, and none will be sent. The caller needs this hard
 * fence before it resets a device it has just moved to the blocked domain. The kernel uses the
 * rwlock of {@code struct arm_smmu_invs}: walkers hold the read side, unref takes the write side to
 * store {@code num_invs}. This class gives the same guarantee with a grace period instead of mutual
 * exclusion, as sleepable RCU does: walkers never wait, and unref waits only for the walks that
 * began before it. (With a Java read-write lock whose readers may barge, such as {@code
 * StampedLock}, back-to-back walkers can starve a detach for a long time.)
 *
 * <p>One fence serves every version of a domain's array: {@link InvalidationArray#merge} and {@link
 * InvalidationArray#purge} hand it on to the arrays they build.
 *
 * <h2>Protocol</h2>
 *
 * <ul>
 *   <li><b>Walker</b> ({@link InvalidationWalker}): loads the domain's array; if it has ATS
 *       entries, {@link #enter()}s the fence, loads the domain's array <em>again</em> and walks
 *       that one, and {@link #exit}s only after its last batch and CMD_SYNC have completed.
 *       Entering reads the epoch, adds one to that epoch's reader count, and reads the epoch again;
 *       if it moved, it backs out and retries.
 *   <li><b>unref</b>: under the tag lock, stores the dropped user counts (opaque) and the shrunk
 *       {@code numInvs} (release) into the domain's current array, then calls {@link
 *       #synchronizeWalkers()}: it advances the epoch and waits until the previous epoch's reader
 *       count is 0. Writers are serialised (the tag lock, and this method is synchronized).
 * </ul>
 *
 * <p>An epoch's reader count is striped, as sleepable RCU keeps one per CPU: a walker counts itself
 * in the stripe of its thread, each stripe on its own cache line, so walkers invalidating the same
 * domain from several CPUs do not contend on one counter; the writer adds up the stripes. The count
 * below means that sum.
 *
 * <h2>Why it holds</h2>
 *
 * <p>The epoch and the reader counts are only accessed with volatile reads, writes and atomic
 * read-modify-writes, which the Java memory model orders in one total order. Take a walker W whose
 * successful entry read epoch {@code e} twice, and an unref U that advanced the epoch from {@code
 * f} to {@code f + 1}.
 *
 * <ol>
 *   <li>If {@code e < f}: W's second read came before the advance from {@code e}, so the writer of
 *       that advance, which finished before U began, counted W and waited for it to exit. W was
 *       done before U started.
 *   <li>If {@code e == f}: W's increment of its stripe of count {@code f} comes before its second
 *       read, which comes before U's advance, which comes before U's reads of every stripe of count
 *       {@code f}. U therefore sees W's increment and does not return before W's exit: every
 *       command W sent, ATC invalidations for removed entries included, has completed by then.
 *   <li>If {@code e > f}: W's second read saw U's advance (or a later one), a volatile write made
 *       after U stored the counts, so everything U stored happens-before W's second load of the
 *       array. U worked on the domain's current array, so that load returns U's array or a later
 *       one: in U's array the removed entries have users 0 (and may lie past the shrunk {@code
 *       numInvs}), and later arrays were built from its live entries only. W skips them: it sends
 *       nothing for them.
 * </ol>
 *
 * <p>The second load is what makes case 3 work for a walker that loaded its array before U began.
 * Without it, a walker that loaded version V, was delayed, and entered after another attach
 * replaced V and a detach unref'd the replacement, would walk V, in which the detached master's
 * entries are still live, and send ATC invalidations to a device that may already be reset. Its
 * first load only decides whether to enter the fence: an array without ATS entries yields no ATC
 * invalidation at all, whatever happens to newer versions.
 *
 * <p>A walker that backs out of a moved epoch has not loaded anything yet, and a writer only ever
 * waits for walkers that entered before its advance, so neither side can starve the other: a writer
 * waits at most for the walks already in flight.
 */
class AtsFence {
  private static final VarHandle EPOCH;

  static {
    try {
      EPOCH = MethodHandles.lookup().findVarHandle(AtsFence.class, "epoch", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Busy checks before a waiting writer parks: most walks finish within a few microseconds. */
  private static final int SPINS = 1 << 10;

  /** Reader-count stripes per epoch parity: a power of two, at least twice the CPUs, at most 64. */
  static final int STRIPES =
      Math.min(
          64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())) * 4);

  /** Array slots between two counters, so that each counter has a 128-byte line of its own. */
  private static final int SPACING = 16;

  /** Advanced by each writer; its parity selects the reader counts new walkers join. */
  @SuppressWarnings("unused") // accessed through EPOCH
  private long epoch;

  /**
   * The reader counts: walkers that entered at an epoch of parity {@code p} and have not exited,
   * counted in stripe {@code s} at slot {@code (p * STRIPES + s) * SPACING}; the slots between are
   * padding.
   */
  private final AtomicLongArray readers = new AtomicLongArray(2 * STRIPES * SPACING);

  /** The writer parked in {@link #synchronizeWalkers()}, or null; unparked by an emptying exit. */
  private volatile Thread waiter;

  /**
   * Enters the fence as a walker. Never blocks.
   *
   * @return the token to pass to {@link #exit(int)}
   */
  int enter() {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    while (true) {
      long e = (long) EPOCH.getVolatile(this);
      int token = (int) (e & 1) * STRIPES + stripe;
      readers.getAndIncrement(token * SPACING);
      if ((long) EPOCH.getVolatile(this) == e) {
        return token;
      }
      exit(token);
    }
  }

  /** Leaves the fence; call once per {@link #enter()}, with its token. */
  void exit(int token) {
    if (readers.getAndDecrement(token * SPACING) == 1L) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /**
   * The writer's side: returns once every walker that entered before this call has exited. Call it
   * after the stores those walkers' successors must see. Waits without a timeout and keeps the
   * interrupt status; a walker stuck in a queue is bounded by the queue's CMD_SYNC timeout.
   *
   * <p>A walker that empties its stripe unparks the waiter, which then adds the stripes up again:
   * either the walker's decrement comes before the writer's sum, or the writer's store of {@link
   * #waiter} comes before the walker's read of it, so no exit is missed.
   */
  synchronized void synchronizeWalkers() {
    long e = (long) EPOCH.getVolatile(this);
    EPOCH.setVolatile(this, e + 1);
    int parity = (int) (e & 1);
    for (int i = 0; i < SPINS; i++) {
      if (readersOf(parity) == 0) {
        return;
      }
      Thread.onSpinWait();
    }
    boolean interrupted = false;
    waiter = Thread.currentThread();
    try {
      while (readersOf(parity) != 0) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    } finally {
      waiter = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The walkers in the fence that entered at an epoch of {@code parity}: every stripe added up. */
  private long readersOf(int parity) {
    long sum = 0;
    for (int s = 0; s < STRIPES; s++) {
      sum += readers.get((parity * STRIPES + s) * SPACING);
    }
    return sum;
  }
}
