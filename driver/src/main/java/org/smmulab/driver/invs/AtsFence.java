package org.smmulab.driver.invs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * The ATS fence shared by every version of a domain's invalidation array (see {@link
 * InvalidationArray}): walkers hold the read side through their batches and CMD_SYNC, unref takes
 * the write side to shrink the bound. A writer that is waiting keeps new readers out, so unref
 * waits only for the walkers already inside — as the kernel's queued read-write lock does — rather
 * than until walkers that keep coming happen to leave a gap ({@link StampedLock} alone lets a new
 * reader in whenever the lock is read-locked, so a steady stream of unmaps could hold off a detach
 * for as long as it lasts).
 *
 * <p>Thread-safe. Readers never nest on one thread, and a thread holding the read side never takes
 * the write side (walkers do not attach).
 */
final class AtsFence {
  private static final int SPINS = 64;

  private final StampedLock lock = new StampedLock();
  private final AtomicInteger writersWaiting = new AtomicInteger();

  /** Takes the read side, after any writer that is waiting has had its turn. */
  long readLock() {
    for (int i = 0; writersWaiting.get() != 0; i++) {
      if (i < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return lock.readLock();
  }

  void unlockRead(long stamp) {
    lock.unlockRead(stamp);
  }

  /** Takes the write side; new readers wait from now on until it is taken. */
  long writeLock() {
    writersWaiting.incrementAndGet();
    try {
      return lock.writeLock();
    } finally {
      writersWaiting.decrementAndGet();
    }
  }

  void unlockWrite(long stamp) {
    lock.unlockWrite(stamp);
  }

  /** Whether a writer is waiting for the readers inside (for tests). */
  boolean writerWaiting() {
    return writersWaiting.get() != 0;
  }
}
