package org.smmulab.verify.oracle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * The one clock every driver call and DMA is stamped with: a counter, not wall time.
 *
 * <p>Implementation notes. A driver-call stamp and the truth update that goes with it must look
 * atomic to DMA threads: a DMA that ends after a call started must also see the call recorded as
 * started. The driver thread therefore stamps under the write side of a {@link StampedLock} and
 * updates the truth before releasing it; a DMA thread takes its end stamp under an optimistic read
 * (falling back to the read lock when a driver stamp intervened), so any driver stamp below its end
 * stamp was published, with its truth update, before the DMA is classified. Start stamps of DMAs
 * need no such care: a DMA may only be judged more leniently by a late record, never more harshly.
 */
public final class LogicalClock {
  private final AtomicLong now = new AtomicLong();
  private final StampedLock publication = new StampedLock();

  /** A plain stamp (a DMA's start). */
  public long tick() {
    return now.incrementAndGet();
  }

  /** A DMA's end stamp, ordered after every driver stamp below it together with its update. */
  public long tickAfterPublished() {
    long optimistic = publication.tryOptimisticRead();
    long t = now.incrementAndGet();
    if (optimistic != 0 && publication.validate(optimistic)) {
      return t;
    }
    long read = publication.readLock();
    try {
      return now.incrementAndGet();
    } finally {
      publication.unlockRead(read);
    }
  }

  /** Stamps a driver event and runs {@code update} with the stamp before anyone can pass it. */
  public long stampAndPublish(java.util.function.LongConsumer update) {
    long write = publication.writeLock();
    try {
      long t = now.incrementAndGet();
      update.accept(t);
      return t;
    } finally {
      publication.unlockWrite(write);
    }
  }

  /** The latest stamp handed out. */
  public long current() {
    return now.get();
  }
}
