package org.smmulab.hw.smmu.regs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines.Line;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;

/**
 * Consumes the command queue of one instance: reads the entry at CONS, checks it ({@link
 * CommandValidator}), hands it to the {@link CommandExecutor}, and moves CONS on. A CMD_SYNC first
 * asks the executor to complete everything before it, then signals as its CS field says: an MSI
 * write of MSIData to MSIAddr for CS = SIG_IRQ on an instance with MSI (the write Linux's MSI
 * polling waits for in the CMD_SYNC slot itself), a pulse of the wired CMDQ_SYNC line otherwise, a
 * counted event for SIG_SEV.
 *
 * <p>On an error consumption stops with CONS left at the failing entry, CMDQ_CONS.ERR set and
 * GERROR.CMDQ_ERR activated; it resumes from CONS, re-reading the entry, once software acknowledges
 * through GERRORN.
 *
 * <p>Two modes. Synchronous: everything available is consumed during the write to CMDQ_PROD, on the
 * writing thread. Asynchronous: a daemon thread per instance consumes, and also applies CR0,
 * IRQ_CTRL and GBPA writes; it waits a random short while (seeded) before each burst and yields
 * between commands, so that a command's effect is visible some time after PROD moved and is
 * guaranteed only once a later CMD_SYNC completed — a driver that forgets the CMD_SYNC is caught.
 *
 * <p>Thread-safety: at most one thread consumes at a time ({@code consumeLock}); register state is
 * read and written under the register file's lock, never held while executing a command, touching
 * queue memory or firing an interrupt.
 */
public final class CommandQueueConsumer implements AutoCloseable {
  private static final int CMDQ_ERR = 1;
  private static final int MSI_CMDQ_ABT_ERR = 1 << 4;
  private static final long MAX_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final RegisterFile regs;
  private final Memory memory;
  private final CommandExecutor executor;
  private final CommandValidator validator;
  private final ReentrantLock consumeLock = new ReentrantLock();
  private final SplittableRandom random;
  private final Thread thread;
  private volatile boolean closed;

  private final AtomicLongArray byOpcode = new AtomicLongArray(256);
  private final AtomicLongArray errors = new AtomicLongArray(CommandError.values().length);
  private final AtomicLongArray sevs = new AtomicLongArray(1);

  /**
   * Creates the consumer and, in asynchronous mode, starts its thread.
   *
   * @param seed seed of the asynchronous delays
   */
  public CommandQueueConsumer(
      RegisterFile regs, CommandExecutor executor, CommandValidator validator, long seed) {
    this.regs = regs;
    this.memory = regs.memory();
    this.executor = executor;
    this.validator = validator;
    this.random = new SplittableRandom(seed);
    regs.attach(this);
    if (regs.asynchronous()) {
      thread = new Thread(this::run, regs.name() + "-cmdq");
      thread.setDaemon(true);
      thread.start();
    } else {
      thread = null;
    }
  }

  /** Consumes every command available now, on the calling thread (synchronous mode). */
  void consumeAvailable() {
    consumeLock.lock();
    try {
      while (step()) {
        // each step consumed one command
      }
    } finally {
      consumeLock.unlock();
    }
  }

  private void run() {
    while (!closed) {
      List<Line> fire = new ArrayList<>();
      regs.lock.lock();
      try {
        while (!closed && !regs.controlPending && !regs.commandQueueRunnable()) {
          regs.work.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        if (regs.controlPending) {
          regs.applyControlLocked(fire);
        }
      } finally {
        regs.lock.unlock();
      }
      regs.fireAll(fire);
      if (random.nextInt(4) == 0) {
        LockSupport.parkNanos(1 + random.nextLong(MAX_DELAY_NANOS));
      }
      consumeLock.lock();
      try {
        while (!closed && step()) {
          if (random.nextInt(4) == 0) {
            Thread.yield();
          }
        }
      } finally {
        consumeLock.unlock();
      }
    }
  }

  /** Consumes one command if the queue is runnable; returns whether it did. */
  private boolean step() {
    assert consumeLock.isHeldByCurrentThread();
    int cons;
    long slot;
    regs.lock.lock();
    try {
      if (!regs.commandQueueRunnable()) {
        return false;
      }
      cons = regs.cmdq.cons;
      slot = regs.cmdq.slotAddress(cons);
    } finally {
      regs.lock.unlock();
    }
    Command command;
    try {
      command = Command.decode(memory.read64(slot), memory.read64(slot + 8));
    } catch (BusAbort abort) {
      stop(cons, null, CommandError.ABT, "command read aborted: " + abort.getMessage());
      return false;
    }
    String problem = validator.problem(command);
    if (problem != null) {
      stop(cons, command, CommandError.ILL, problem);
      return false;
    }
    boolean sync = command.opcode() == Opcode.CMD_SYNC;
    if (sync && !executor.completeOutstanding()) {
      stop(cons, command, CommandError.ATC_INV_SYNC, "an ATC invalidation did not complete");
      return false;
    }
    executor.execute(command);
    byOpcode.incrementAndGet(command.opcodeValue());
    List<Line> fire = new ArrayList<>();
    regs.lock.lock();
    try {
      regs.cmdq.cons = regs.cmdq.next(cons) & regs.cmdq.pointerMask();
      if (sync) {
        signal(command, fire);
      }
    } finally {
      regs.lock.unlock();
    }
    regs.fireAll(fire);
    return true;
  }

  /** Signals a completed CMD_SYNC. Register lock holder (for the MSI abort error). */
  private void signal(Command sync, List<Line> fire) {
    switch (sync.cs()) {
      case Command.CS_IRQ -> {
        if (regs.config().msi() && sync.msiAddress() != 0) {
          try {
            memory.write32(sync.msiAddress(), sync.msiData());
          } catch (BusAbort abort) {
            regs.raiseGlobalError(MSI_CMDQ_ABT_ERR, fire);
          }
        } else {
          fire.add(Line.CMDQ_SYNC);
        }
      }
      case Command.CS_SEV -> sevs.incrementAndGet(0);
      default -> {}
    }
  }

  private void stop(int cons, Command command, CommandError error, String reason) {
    errors.incrementAndGet(error.ordinal());
    List<Line> fire = new ArrayList<>();
    regs.lock.lock();
    try {
      regs.cmdq.cons = (cons & regs.cmdq.pointerMask()) | error.encoding() << 24;
      regs.raiseGlobalError(CMDQ_ERR, fire);
    } finally {
      regs.lock.unlock();
    }
    regs.fireAll(fire);
    executor.stopped(command, error, reason);
  }

  /** Commands consumed with {@code opcode} (its raw value). */
  public long consumed(int opcode) {
    return byOpcode.get(opcode & 0xFF);
  }

  /** Commands consumed, all opcodes. */
  public long consumed() {
    long sum = 0;
    for (int i = 0; i < byOpcode.length(); i++) {
      sum += byOpcode.get(i);
    }
    return sum;
  }

  /** Times consumption stopped with {@code error}. */
  public long errors(CommandError error) {
    return errors.get(error.ordinal());
  }

  /** CMD_SYNCs completed with CS = SIG_SEV. */
  public long sevs() {
    return sevs.get(0);
  }

  /** Stops the instance's thread (asynchronous mode) and waits for it. */
  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      regs.wake();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
