package org.smmulab.hw.smmu.regs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines.Line;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.event.EventRecord;

/**
 * Writes event records into the event queue of one instance.
 *
 * <ul>
 *   <li>With EVTQEN off, records are discarded.
 *   <li>A record goes to the slot at EVTQ_PROD, then PROD moves on and the event-queue interrupt
 *       fires (wired line, or MSI when programmed).
 *   <li>When the queue is full the record is discarded and the overflow is signalled by toggling
 *       EVTQ_PROD.OVFLG — once per overflow episode: while OVFLG differs from the OVACKFLG software
 *       last copied into EVTQ_CONS, further discards toggle nothing. The interrupt fires so that
 *       software notices.
 *   <li>A write that aborts activates GERROR.EVTQ_ABT_ERR; the record is lost and PROD stays.
 * </ul>
 *
 * <p>Thread-safety: any number of translating threads record concurrently; the write of a slot and
 * the move of PROD happen under {@code writeLock}, so records are never torn or interleaved. The
 * slot's memory write happens before PROD moves (and before the interrupt), so software that sees
 * the new PROD sees the whole record.
 */
public final class EventQueueWriter {
  private static final int OVFLG = 1 << 31;
  private static final int EVTQ_ABT_ERR = 1 << 2;

  private final RegisterFile regs;
  private final Memory memory;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicLongArray byType = new AtomicLongArray(256);
  private final AtomicLongArray outcomes = new AtomicLongArray(4);

  /**
   * @param regs the register file holding EVTQ_BASE, PROD and CONS
   */
  public EventQueueWriter(RegisterFile regs) {
    this.regs = regs;
    this.memory = regs.memory();
  }

  /**
   * Records {@code event}.
   *
   * @return whether the record reached the queue
   */
  public boolean record(EventRecord event) {
    byType.incrementAndGet(event.typeValue() & 0xFF);
    List<Line> fire = new ArrayList<>();
    boolean written = false;
    writeLock.lock();
    try {
      long slot;
      int prod;
      regs.lock.lock();
      try {
        QueueState q = regs.evtq;
        if (!regs.eventQueueEnabled()) {
          outcomes.incrementAndGet(0);
          return false;
        }
        if (q.full()) {
          boolean overflowActive = ((q.prod ^ q.cons) & OVFLG) != 0;
          if (!overflowActive) {
            q.prod ^= OVFLG;
            regs.eventQueueInterrupt(fire);
          }
          outcomes.incrementAndGet(1);
          return false;
        }
        prod = q.prod;
        slot = q.slotAddress(prod);
      } finally {
        regs.lock.unlock();
      }
      long[] qwords = event.toQwords();
      try {
        for (int i = 0; i < qwords.length; i++) {
          memory.write64(slot + 8L * i, qwords[i]);
        }
      } catch (BusAbort abort) {
        regs.lock.lock();
        try {
          regs.raiseGlobalError(EVTQ_ABT_ERR, fire);
        } finally {
          regs.lock.unlock();
        }
        outcomes.incrementAndGet(2);
        return false;
      }
      regs.lock.lock();
      try {
        regs.evtq.prod = regs.evtq.next(prod);
        regs.eventQueueInterrupt(fire);
      } finally {
        regs.lock.unlock();
      }
      outcomes.incrementAndGet(3);
      written = true;
    } finally {
      writeLock.unlock();
      regs.fireAll(fire);
    }
    return written;
  }

  /** Events produced with type value {@code type}, written or not. */
  public long produced(int type) {
    return byType.get(type & 0xFF);
  }

  /**
   * Event counters.
   *
   * @param written records that reached the queue
   * @param discardedDisabled records discarded because EVTQEN was off
   * @param discardedFull records discarded because the queue was full (overflow)
   * @param aborted records lost to a write abort
   */
  public record Counts(long written, long discardedDisabled, long discardedFull, long aborted) {}

  /** The counters since the instance was made. */
  public Counts counts() {
    return new Counts(outcomes.get(3), outcomes.get(0), outcomes.get(1), outcomes.get(2));
  }
}
