package org.smmulab.driver.queue;

import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.probe.SmmuFeatures;

/**
 * The event queue consumer of one instance (Linux {@code arm_smmu_evtq_thread}) and its global
 * error handler ({@code arm_smmu_gerror_handler}). {@link #poll} reads every record between CONS
 * and PROD, hands each to the listener, moves CONS on, and acknowledges an overflow by copying
 * EVTQ_PROD.OVFLG into EVTQ_CONS.OVACKFLG. {@link #handleGlobalErrors} acknowledges the active
 * global errors other than CMDQ_ERR (which the command queue owns) and reports them.
 *
 * <p>Thread-safety: one lock serialises polls, which may come from the EVENTQ interrupt handler and
 * from explicit calls at once.
 */
public final class EventQueue {
  private static final int OVFLG = 1 << 31;
  private static final int CMDQ_ERR = 1;
  private static final int GERROR_MASK = 0x1FD;

  private final String instance;
  private final RegisterBus regs;
  private final Memory memory;
  private final int log2Size;
  private final long base;
  private final QueueListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private int cons;
  private long received;

  /**
   * Allocates the queue memory.
   *
   * @param maxLog2 the largest queue the driver wants; the instance's EVENTQS caps it
   * @throws AllocatorExhaustedException if the queue memory is not available
   */
  public EventQueue(
      String instance,
      RegisterBus regs,
      Memory memory,
      PageAllocator allocator,
      SmmuFeatures features,
      int maxLog2,
      QueueListener listener)
      throws AllocatorExhaustedException, BusAbort {
    this.instance = instance;
    this.regs = regs;
    this.memory = memory;
    this.log2Size = Math.min(maxLog2, features.evtqLog2());
    this.base = allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, 32L << log2Size));
    this.listener = listener;
  }

  /** Programs EVTQ_BASE (write-allocate), PROD and CONS, before CR0.EVTQEN is set. */
  public void program() {
    lock.lock();
    try {
      regs.write64(EVTQ_BASE, 1L << 62 | base | log2Size);
      regs.write32(EVTQ_PROD, 0);
      regs.write32(EVTQ_CONS, 0);
      cons = 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads and delivers every new record.
   *
   * @return the records read, in queue order
   */
  public List<EventRecord> poll() throws BusAbort {
    lock.lock();
    try {
      List<EventRecord> out = new ArrayList<>();
      int mask = (2 << log2Size) - 1;
      int prod = regs.read32(EVTQ_PROD);
      while (((prod ^ cons) & mask) != 0) {
        long slot = base + (long) (cons & ((1 << log2Size) - 1)) * 32;
        EventRecord event =
            EventRecord.decode(
                memory.read64(slot),
                memory.read64(slot + 8),
                memory.read64(slot + 16),
                memory.read64(slot + 24));
        out.add(event);
        received++;
        listener.event(instance, event);
        cons = (cons & ~mask) | ((cons + 1) & mask);
      }
      boolean overflow = ((prod ^ cons) & OVFLG) != 0;
      if (overflow) {
        cons = (cons & ~OVFLG) | (prod & OVFLG);
        listener.eventOverflow(instance);
      }
      regs.write32(EVTQ_CONS, cons);
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Records read since the queue was programmed. */
  public long received() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Acknowledges and reports the active global errors other than CMDQ_ERR.
   *
   * @return the bits acknowledged
   */
  public int handleGlobalErrors() {
    int gerror = regs.read32(GERROR);
    int gerrorn = regs.read32(GERRORN);
    int active = (gerror ^ gerrorn) & GERROR_MASK & ~CMDQ_ERR;
    if (active != 0) {
      regs.write32(GERRORN, gerrorn ^ active);
      listener.globalErrors(instance, active);
    }
    return active;
  }
}
