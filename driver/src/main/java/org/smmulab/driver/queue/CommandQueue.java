package org.smmulab.driver.queue;

import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.probe.SmmuFeatures;

/**
 * The command queue producer of one instance (Linux {@code arm_smmu_cmdq_issue_cmdlist}): {@link
 * #submit} writes a batch, closes it with a CMD_SYNC, moves PROD and waits until the SMMU has
 * completed the CMD_SYNC.
 *
 * <ul>
 *   <li>Space: before each entry the producer checks the queue is not full (PROD and CONS with
 *       equal index and different wrap), publishing PROD first so that the SMMU can make room, and
 *       polls CONS until there is room.
 *   <li>Completion: by polling CONS past the CMD_SYNC (counting CONS's progress across wraps), or,
 *       when the instance has MSI and is coherent, by MSI polling: the CMD_SYNC asks for a 32-bit
 *       write of 0 to its own slot and the producer waits for the slot's first word to become 0.
 *   <li>Errors, noticed while waiting (interrupts need not be wired): with GERROR.CMDQ_ERR active,
 *       CMDQ_CONS.ERR says why. ILL: the offending entry is replaced by a CMD_SYNC and reported;
 *       ABT: the entry is retried; ATC_INV_SYNC: reported, the CMD_SYNC runs again. Then GERRORN's
 *       CMDQ_ERR bit is toggled to match GERROR, which restarts consumption.
 *   <li>Waiting: between polls the producer backs off ({@link PollBackoff}: spin, yield, then
 *       doubling sleeps), so a long wait leaves the processor to the SMMU's consumer. The error
 *       registers are read on the first poll and then only once the wait has stopped spinning: a
 *       stopped queue completes nothing, so noticing it a few microseconds later costs nothing,
 *       while reading them on every spin would contend with the consumer for the register file.
 *   <li>Timeout: a CMD_SYNC still pending after the timeout, or a queue that stays full for the
 *       whole timeout, is reported and {@link #submit} returns {@code false}; it never hangs.
 * </ul>
 *
 * <p>Thread-safety: submitters are serialised by one lock held from the first entry written to the
 * CMD_SYNC's completion, so a batch and its CMD_SYNC are contiguous and CONS progress is always
 * measured by the lock holder. (Linux lets many CPUs fill the queue at once; this producer trades
 * that for simplicity.)
 */
public final class CommandQueue {
  private static final int CMDQ_ERR = 1;
  private static final int CERROR_ILL = 1;
  private static final int CERROR_ABT = 2;
  private static final int CERROR_ATC_INV_SYNC = 3;
  private static final Command CMD_SYNC_SEV = Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0);

  private final String instance;
  private final RegisterBus regs;
  private final Memory memory;
  private final int log2Size;
  private final long base;
  private final boolean msiPolling;
  private final long timeoutNanos;
  private final QueueListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLongArray byOpcode = new AtomicLongArray(256);

  /** Entries written since reset (PROD as an unbounded counter); lock holder only. */
  private long produced;

  /** Entries the SMMU consumed since reset, as last measured; lock holder only. */
  private long consumed;

  /** Last raw CONS pointer seen (wrap and index); lock holder only. */
  private int lastCons;

  /**
   * Allocates the queue memory (naturally aligned to its size).
   *
   * @param maxLog2 the largest queue the driver wants; the instance's CMDQS caps it
   * @param timeout how long a CMD_SYNC may take before it is reported
   * @throws AllocatorExhaustedException if the queue memory is not available
   */
  public CommandQueue(
      String instance,
      RegisterBus regs,
      Memory memory,
      PageAllocator allocator,
      SmmuFeatures features,
      int maxLog2,
      long timeout,
      TimeUnit unit,
      QueueListener listener)
      throws AllocatorExhaustedException, BusAbort {
    this.instance = instance;
    this.regs = regs;
    this.memory = memory;
    this.log2Size = Math.min(maxLog2, features.cmdqLog2());
    this.base = allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, 16L << log2Size));
    this.msiPolling = features.msiPolling();
    this.timeoutNanos = unit.toNanos(timeout);
    this.listener = listener;
  }

  /**
   * Programs CMDQ_BASE (read-allocate), PROD and CONS; call while the queue is disabled (reset
   * sequence step 5), before setting CR0.CMDQEN.
   */
  public void program() {
    lock.lock();
    try {
      regs.write64(CMDQ_BASE, 1L << 62 | base | log2Size);
      regs.write32(CMDQ_PROD, 0);
      regs.write32(CMDQ_CONS, 0);
      produced = 0;
      consumed = 0;
      lastCons = 0;
    } finally {
      lock.unlock();
    }
  }

  /** log2 of the number of entries. */
  public int log2Size() {
    return log2Size;
  }

  /**
   * Issues {@code commands} followed by a CMD_SYNC and waits for the CMD_SYNC to complete.
   *
   * @return whether it completed before the timeout
   * @throws BusAbort if the queue memory cannot be written
   */
  public boolean submit(List<Command> commands) throws BusAbort {
    return submit(CommandBatch.of(commands));
  }

  /**
   * Issues the commands of {@code batch} followed by a CMD_SYNC and waits for the CMD_SYNC to
   * complete. The batch is read during the call only.
   *
   * @return whether it completed before the timeout
   * @throws BusAbort if the queue memory cannot be written
   */
  public boolean submit(CommandBatch batch) throws BusAbort {
    lock.lock();
    try {
      if (!appendAll(batch)) {
        return false;
      }
      long syncSlot = slotAddress(produced);
      long syncSeq = produced;
      Command sync =
          msiPolling
              ? Command.cmdSync(Command.CS_IRQ, Command.SH_ISH, Command.MEMATTR_OIWB, 0, syncSlot)
              : CMD_SYNC_SEV;
      boolean queued = append(sync.qword(0), sync.qword(1));
      regs.write32(CMDQ_PROD, prodRegister());
      return queued && awaitSync(syncSeq, syncSlot);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends the commands of {@code batch}; on a queue that stays full past the timeout, publishes
   * PROD for what was written and returns false (the rest of the batch is dropped; the timeout was
   * reported).
   */
  private boolean appendAll(CommandBatch batch) throws BusAbort {
    for (int i = 0; i < batch.size(); i++) {
      if (!append(batch.qword(i, 0), batch.qword(i, 1))) {
        regs.write32(CMDQ_PROD, prodRegister());
        return false;
      }
    }
    return true;
  }

  /**
   * Writes the commands of {@code batch} and moves PROD without a CMD_SYNC and without waiting:
   * nothing says when they take effect. Only the injected bug {@code missing-sync} uses it.
   */
  public void post(CommandBatch batch) throws BusAbort {
    lock.lock();
    try {
      if (appendAll(batch)) {
        regs.write32(CMDQ_PROD, prodRegister());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Commands submitted with {@code opcode} (raw value), CMD_SYNCs included. */
  public long submitted(int opcode) {
    return byOpcode.get(opcode & 0xFF);
  }

  /**
   * Writes one entry, first waiting for room (publishing PROD so the SMMU can make some).
   *
   * @return false, after reporting it, when the queue stayed full for the whole timeout
   */
  private boolean append(long qword0, long qword1) throws BusAbort {
    long deadline = System.nanoTime() + timeoutNanos;
    PollBackoff backoff = new PollBackoff();
    while (produced - measureConsumed() >= 1L << log2Size) {
      regs.write32(CMDQ_PROD, prodRegister());
      handleErrors();
      if (System.nanoTime() > deadline) {
        listener.syncTimeout(
            instance,
            String.format(
                "command queue full for too long: PROD 0x%x, CONS 0x%x; batch dropped",
                regs.read32(CMDQ_PROD), regs.read32(CMDQ_CONS)));
        return false;
      }
      backoff.pause();
    }
    long slot = slotAddress(produced);
    memory.write64(slot, qword0);
    memory.write64(slot + 8, qword1);
    byOpcode.incrementAndGet((int) (qword0 & 0xFF));
    produced++;
    return true;
  }

  private boolean awaitSync(long syncSeq, long syncSlot) throws BusAbort {
    long deadline = System.nanoTime() + timeoutNanos;
    PollBackoff backoff = new PollBackoff();
    boolean checkErrors = true;
    while (true) {
      boolean done = msiPolling ? memory.read32(syncSlot) == 0 : measureConsumed() > syncSeq;
      if (done) {
        measureConsumed();
        return true;
      }
      if (checkErrors) {
        handleErrors();
      }
      if (System.nanoTime() > deadline) {
        listener.syncTimeout(
            instance,
            String.format(
                "CMD_SYNC at index %d not complete: PROD 0x%x, CONS 0x%x",
                syncSeq & ((1L << log2Size) - 1), regs.read32(CMDQ_PROD), regs.read32(CMDQ_CONS)));
        return false;
      }
      checkErrors = backoff.pause();
    }
  }

  /** Reads CONS and advances the consumed count by its progress since the last read. */
  private long measureConsumed() {
    int mask = (2 << log2Size) - 1;
    int cons = regs.read32(CMDQ_CONS) & mask;
    consumed += (cons - lastCons) & mask;
    lastCons = cons;
    return consumed;
  }

  /** Recovers from a stopped queue as Linux does; no-op when CMDQ_ERR is not active. */
  private void handleErrors() throws BusAbort {
    int gerror = regs.read32(GERROR);
    int gerrorn = regs.read32(GERRORN);
    if (((gerror ^ gerrorn) & CMDQ_ERR) == 0) {
      return;
    }
    int cons = regs.read32(CMDQ_CONS);
    int error = cons >>> 24 & 0x7F;
    long slot = base + (long) (cons & ((1 << log2Size) - 1)) * 16;
    Command bad = Command.decode(memory.read64(slot), memory.read64(slot + 8));
    switch (error) {
      case CERROR_ILL -> {
        listener.commandError(instance, "ILL", bad);
        Command sync = Command.cmdSync(Command.CS_NONE, 0, 0, 0, 0);
        memory.write64(slot, sync.qword(0));
        memory.write64(slot + 8, sync.qword(1));
      }
      case CERROR_ATC_INV_SYNC -> listener.commandError(instance, "ATC_INV_SYNC", bad);
      case CERROR_ABT -> listener.commandError(instance, "ABT", bad);
      default -> listener.commandError(instance, "CERROR " + error, bad);
    }
    regs.write32(GERRORN, (gerrorn & ~CMDQ_ERR) | (gerror & CMDQ_ERR));
  }

  private int prodRegister() {
    return (int) (produced & ((2L << log2Size) - 1));
  }

  private long slotAddress(long sequence) {
    return base + (sequence & ((1L << log2Size) - 1)) * 16;
  }
}
