package org.smmulab.hw.smmu.regs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * <p>Two modes. Synchronous: everything available is consumed and performed during the write to
 * CMDQ_PROD, on the writing thread. Asynchronous: a daemon thread per instance consumes, and also
 * applies CR0, IRQ_CTRL and GBPA writes. It performs the commands it consumed in order but late:
 * they are held back in batches of a seeded random length (1 to {@value #MAX_DEFERRED}) and all
 * performed at the latest when the consumer reaches a CMD_SYNC (before the CMD_SYNC completes) or
 * runs out of work. So CONS passing a command says nothing about its effect, exactly as the
 * architecture has it, and a driver that forgets the CMD_SYNC keeps seeing stale translations. When
 * the queue is empty the thread watches for new work for {@value #SPIN_MICROS} µs, then parks until
 * software writes a register that gives it some.
 *
 * <p>Thread-safety: at most one thread consumes at a time ({@code consumeLock}, which also guards
 * the held-back commands, the pending CONS advance and the counters' writes). The per-command check
 * for work reads the register file's volatile snapshots; the register lock is taken only to publish
 * CONS, complete a CMD_SYNC, stop on an error or apply control writes, and never held while
 * executing a command, touching queue memory or firing an interrupt.
 */
public final class CommandQueueConsumer implements AutoCloseable {
  private static final int CMDQ_ERR = 1;
  private static final int MSI_CMDQ_ABT_ERR = 1 << 4;
  private static final int SPIN_MICROS = 20;
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);
  private static final int MAX_DEFERRED = 32;
  private static final int PUBLISH_EVERY = 16;

  private final RegisterFile regs;
  private final Memory memory;
  private final CommandExecutor executor;
  private final CommandValidator validator;
  private final ReentrantLock consumeLock = new ReentrantLock();
  private final SplittableRandom random;
  private final Thread thread;
  private volatile boolean closed;

  /** Commands consumed but not yet performed (asynchronous mode), oldest first. */
  private final ArrayDeque<Command> deferred = new ArrayDeque<>();

  /** How many commands to hold back before performing them (asynchronous mode). */
  private int deferLimit;

  /**
   * Commands consumed past {@link #publishedCons} whose advance is not yet visible in CMDQ_CONS.
   * CONS moves in steps of up to {@value #PUBLISH_EVERY} commands (and whenever the consumer
   * reaches a CMD_SYNC, stops or runs out of work), as an SMMU may update it: a polling producer
   * then does not pull the register's cache line away from the consumer at every command.
   */
  private int consumedAhead;

  /** The CMDQ_CONS value {@link #consumedAhead} counts from. */
  private int publishedCons;

  /**
   * The register file's work epoch seen before the last check for work; written under {@code
   * consumeLock}, read by the asynchronous consumer thread while it waits (the same thread).
   */
  private long epochBeforeCheck;

  /** Per opcode; written only under {@code consumeLock}, read by anyone. */
  private final AtomicLongArray byOpcode = new AtomicLongArray(256);

  private final AtomicLongArray errors = new AtomicLongArray(CommandError.values().length);
  private final AtomicLongArray sevs = new AtomicLongArray(1);

  /**
   * Creates the consumer and, in asynchronous mode, starts its thread.
   *
   * @param seed seed of the asynchronous batching
   */
  public CommandQueueConsumer(
      RegisterFile regs, CommandExecutor executor, CommandValidator validator, long seed) {
    this.regs = regs;
    this.memory = regs.memory();
    this.executor = executor;
    this.validator = validator;
    this.random = new SplittableRandom(seed);
    this.deferLimit = nextDeferLimit();
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
      consumeLock.lock();
      try {
        while (!closed && step()) {
          // each step consumed one command
        }
      } finally {
        consumeLock.unlock();
      }
      awaitWork();
    }
  }

  /**
   * Waits until the queue may have work: watches the register file's work epoch for {@value
   * #SPIN_MICROS} µs, then performs every held-back command and parks until a register write
   * signals work or the consumer is closed.
   */
  private void awaitWork() {
    long deadline = System.nanoTime() + SPIN_NANOS;
    while (regs.workEpoch() == epochBeforeCheck) {
      if (closed) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        consumeLock.lock();
        try {
          performDeferred();
        } finally {
          consumeLock.unlock();
        }
        regs.lock.lock();
        try {
          while (!closed && !regs.controlPending && !regs.commandQueueRunnable()) {
            regs.work.awaitUninterruptibly();
          }
        } finally {
          regs.lock.unlock();
        }
        return;
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Consumes one command if the queue is runnable; returns whether it did. In asynchronous mode
   * also applies pending control-register writes.
   */
  private boolean step() {
    assert consumeLock.isHeldByCurrentThread();
    epochBeforeCheck = regs.workEpoch();
    if (regs.controlPending) {
      List<Line> fire = new ArrayList<>();
      regs.lock.lock();
      try {
        regs.applyControlLocked(fire);
      } finally {
        regs.lock.unlock();
      }
      regs.fireAll(fire);
    }
    int cons = currentCons();
    if (!regs.commandQueueRunnableAt(cons)) {
      publish(cons);
      return false;
    }
    if (consumedAhead >= PUBLISH_EVERY) {
      publish(cons);
    }
    long slot = regs.cmdq.slotAddress(cons);
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
    if (command.opcode() == Opcode.CMD_SYNC) {
      return completeSync(cons, command);
    }
    count(command);
    if (thread == null) {
      executor.execute(command);
    } else {
      deferred.addLast(command);
      if (deferred.size() >= deferLimit) {
        performDeferred();
      }
    }
    consumedAhead++;
    return true;
  }

  /**
   * The consumer's CONS: the published value plus the commands consumed since, or the register as
   * it is if software rewrote it meanwhile (possible only while the queue is disabled).
   */
  private int currentCons() {
    int published = regs.cmdq.cons;
    if (consumedAhead > 0 && published == publishedCons) {
      return regs.cmdq.advance(published, consumedAhead);
    }
    consumedAhead = 0;
    publishedCons = published;
    return published;
  }

  /**
   * Makes {@code cons} (the consumer's CONS) visible in CMDQ_CONS, unless software rewrote the
   * register since it was last published.
   */
  private void publish(int cons) {
    if (consumedAhead == 0) {
      return;
    }
    regs.lock.lock();
    try {
      if (regs.cmdq.cons == publishedCons) {
        regs.cmdq.cons = cons;
        publishedCons = cons;
      }
      consumedAhead = 0;
    } finally {
      regs.lock.unlock();
    }
  }

  /**
   * Performs every command before the CMD_SYNC at {@code cons}, completes them, and moves CONS past
   * the CMD_SYNC with its signal; or stops with CERROR_ATC_INV_SYNC.
   */
  private boolean completeSync(int cons, Command sync) {
    performDeferred();
    if (!executor.completeOutstanding()) {
      stop(cons, sync, CommandError.ATC_INV_SYNC, "an ATC invalidation did not complete");
      return false;
    }
    executor.execute(sync);
    count(sync);
    List<Line> fire = new ArrayList<>(1);
    regs.lock.lock();
    try {
      consumedAhead = 0;
      regs.cmdq.cons = regs.cmdq.advance(cons, 1);
      signal(sync, fire);
    } finally {
      regs.lock.unlock();
    }
    regs.fireAll(fire);
    return true;
  }

  /** Performs the held-back commands, oldest first, and picks the next batch length. */
  private void performDeferred() {
    assert consumeLock.isHeldByCurrentThread();
    Command next;
    while ((next = deferred.pollFirst()) != null) {
      executor.execute(next);
    }
    deferLimit = nextDeferLimit();
  }

  private int nextDeferLimit() {
    return 1 + random.nextInt(MAX_DEFERRED);
  }

  private void count(Command command) {
    int op = command.opcodeValue();
    byOpcode.setRelease(op, byOpcode.getPlain(op) + 1);
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
      consumedAhead = 0;
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
