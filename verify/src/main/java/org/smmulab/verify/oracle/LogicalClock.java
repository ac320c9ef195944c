package org.smmulab.verify.oracle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;

/**
 * The one clock every driver call and DMA is stamped with: a counter, not wall time.
 *
 * <p>Only driver events move the clock ({@link #stampAndPublish}); each gets a stamp of its own. A
 * DMA reads the clock at its start ({@link #start()}) and at its end ({@link #end()}) without
 * moving it, so DMA threads share the clock's cache line read-only. A DMA stamped [t0, t1] began
 * after driver stamp t0 was taken and ended before driver stamp t1 + 1 was: on the real line it
 * occupies [t0 + ½, t1 + ½], which never coincides with a driver stamp. {@link Interval} compares
 * against those half points.
 *
 * <p>Implementation notes. A driver stamp and the truth update that goes with it must look atomic
 * to DMA threads: a DMA that ends after a call started must also see the call recorded. The driver
 * thread therefore stamps under the write side of a {@link StampedLock} and updates the truth
 * before releasing it; a DMA takes its end stamp under an optimistic read (falling back to the read
 * lock when a driver stamp intervened), so every driver stamp up to its end stamp was published,
 * with its truth update, before the DMA is classified. Start stamps need no such care: a record
 * published late can only make a DMA's judgement more lenient, never harsher.
 */
public final class LogicalClock {
  private final AtomicLong now = new AtomicLong();
  private final StampedLock publication = new StampedLock();

  /** A DMA's start stamp: the latest driver stamp taken (the DMA begins after it). */
  public long start() {
    return now.get();
  }

  /**
   * A DMA's end stamp: the latest driver stamp, read so that it and every stamp below it were
   * published together with their truth updates.
   */
  public long end() {
    long optimistic = publication.tryOptimisticRead();
    long t = now.get();
    if (optimistic != 0 && publication.validate(optimistic)) {
      return t;
    }
    long read = publication.readLock();
    try {
      return now.get();
    } finally {
      publication.unlockRead(read);
    }
  }

  /**
   * A fresh stamp of its own, usable as a DMA start stamp by code that wants every stamp to be
   * unique; it moves the clock, so it costs a contended atomic update.
   */
  public long tick() {
    return now.incrementAndGet();
  }

  /** Like {@link #end()}, but with a fresh stamp of its own (see {@link #tick()}). */
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

  /**
   * Stamps a driver event and runs {@code update} with the stamp before any DMA can take an end
   * stamp at or above it.
   *
   * @return the stamp
   */
  public long stampAndPublish(LongConsumer update) {
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
