package org.smmulab.hw.smmu.regs;

import static org.smmulab.arch.regs.RegisterOffsets.AIDR;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.CR1;
import static org.smmulab.arch.regs.RegisterOffsets.CR2;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_IRQ_CFG0;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_IRQ_CFG1;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_IRQ_CFG2;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GBPA;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR_IRQ_CFG0;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR_IRQ_CFG1;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR_IRQ_CFG2;
import static org.smmulab.arch.regs.RegisterOffsets.IDR0;
import static org.smmulab.arch.regs.RegisterOffsets.IDR1;
import static org.smmulab.arch.regs.RegisterOffsets.IDR3;
import static org.smmulab.arch.regs.RegisterOffsets.IDR5;
import static org.smmulab.arch.regs.RegisterOffsets.IIDR;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRL;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRLACK;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_IRQ_CFG0;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_IRQ_CFG1;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_IRQ_CFG2;
import static org.smmulab.arch.regs.RegisterOffsets.PRIQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines.Line;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.QueueRegisters;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.config.ConfigurationRegisters;

/**
 * The MMIO register file of one SMMU instance (page 0 and page 1), with the behaviour the driver
 * observes through it:
 *
 * <ul>
 *   <li>ID registers from the {@link SmmuConfig}; IIDR names Arm as implementer with product 0 (no
 *       erratum workaround applies); AIDR reports SMMUv3.2;
 *   <li>CR0 takes effect, and is mirrored in CR0ACK, when the instance gets to it: at once in
 *       synchronous mode, on the instance's own thread in asynchronous mode, so a driver must poll
 *       the ACK as the architecture requires. IRQ_CTRL/IRQ_CTRLACK likewise; a GBPA write takes
 *       effect only with UPDATE set, and UPDATE reads as 1 until it has;
 *   <li>GERROR is toggled by the instance, GERRORN by software; an error is active while the two
 *       bits differ. Acknowledging CMDQ_ERR restarts command consumption at CONS;
 *   <li>queue base registers keep LOG2SIZE clamped to the IDR1 maximum; writes to a queue's base
 *       while that queue is enabled are ignored (the architecture leaves them UNPREDICTABLE);
 *   <li>64-bit registers may be accessed whole or as two 32-bit halves; every other offset reads as
 *       zero and ignores writes. No offset or value makes an access throw.
 * </ul>
 *
 * <p>Implementation notes. One lock guards every register; nothing slow is done while holding it:
 * command execution, memory accesses of the queues and interrupt handlers run outside it (handlers
 * are collected while locked and fired after unlocking). The translation path never takes the lock:
 * it reads {@link #smmuEnabled()}, {@link #gbpaAbort()}, {@link #atsCheck()} and {@link
 * #configuration()}, volatile snapshots republished under the lock whenever their registers take
 * effect. Reads of the queues' PROD and CONS registers take no lock either (volatile fields of
 * {@link QueueState}), so polling software does not contend with the consumer, and neither does the
 * consumer's per-command check ({@link #commandQueueRunnableAt}). Every write that may give the
 * command consumer work increments the {@link #workEpoch()} (under the lock, with the change) and
 * signals {@link #work}, so that a consumer spinning before it parks notices it.
 */
public final class RegisterFile implements RegisterBus {
  private static final int CR0_MASK = 0x1F;
  private static final int CR0_SMMUEN = 1;
  private static final int CR0_EVTQEN = 1 << 2;
  private static final int CR0_CMDQEN = 1 << 3;
  private static final int CR0_ATSCHK = 1 << 4;
  private static final int CR1_MASK = 0xFFF;
  private static final int CR2_MASK = 0x7;
  private static final int GBPA_UPDATE = 1 << 31;
  private static final int GBPA_ABORT = 1 << 20;
  private static final int GBPA_MASK = 0x1F_FF1F;
  private static final int GBPA_RESET = 0x1000;
  private static final int IRQ_CTRL_MASK = 0x7;
  private static final int IRQ_GERROR = 1;
  private static final int IRQ_PRIQ = 1 << 1;
  private static final int IRQ_EVTQ = 1 << 2;
  private static final int GERROR_MASK = 0x1FD;
  private static final long STRTAB_BASE_MASK = 0x4000_0000_0000_0000L | 0x000F_FFFF_FFFF_FFC0L;
  private static final long QUEUE_BASE_MASK = 0x4000_0000_0000_0000L | 0x000F_FFFF_FFFF_FFFFL;
  private static final long IRQ_CFG0_MASK = 0x000F_FFFF_FFFF_FFFCL;
  private static final int IIDR_ARM = 0x43B;
  private static final int AIDR_V3_2 = 0x2;
  private static final int OVFLG = 1 << 31;

  private final String name;
  private final SmmuConfig config;
  private final WiredInterrupts interrupts;
  private final Memory memory;
  private final boolean asynchronous;
  final ReentrantLock lock = new ReentrantLock();
  final Condition work = lock.newCondition();

  private int cr0;
  private int cr0ack;
  private int cr1;
  private int cr2;
  private int gbpa = GBPA_RESET;
  private int irqCtrl;
  private int irqCtrlAck;
  private int gerror;
  private int gerrorn;
  private long strtabBase;
  private int strtabBaseCfg;
  final QueueState cmdq;
  final QueueState evtq;
  final QueueState priq;
  private final long[] irqCfg0 = new long[3];
  private final int[] irqCfg1 = new int[3];
  private final int[] irqCfg2 = new int[3];

  /** A CR0, IRQ_CTRL or GBPA write waits to take effect; written under the lock, read by anyone. */
  volatile boolean controlPending;

  /**
   * CR0ACK.CMDQEN set and GERROR.CMDQ_ERR not active: the consumer may run whenever PROD is ahead
   * of its CONS. Republished under the lock whenever CR0ACK, GERROR or GERRORN changes; the
   * consumer reads it per command without the lock.
   */
  private volatile boolean commandQueueLive;

  /** Incremented under the lock by every write that may give the consumer work; read by anyone. */
  private volatile long workEpoch;

  private volatile boolean smmuEnabled;
  private volatile boolean gbpaAbort;
  private volatile boolean atsCheck;
  private volatile ConfigurationRegisters configuration = ConfigurationRegisters.RESET;

  private CommandQueueConsumer commands;

  /**
   * @param name the instance's name, for thread names and traces
   * @param config the instance
   * @param memory where queues live and MSIs are written
   * @param interrupts the wired interrupt outputs
   */
  public RegisterFile(String name, SmmuConfig config, Memory memory, WiredInterrupts interrupts) {
    this.name = name;
    this.config = config;
    this.memory = memory;
    this.interrupts = interrupts;
    this.asynchronous = config.model().asyncCommands();
    this.cmdq = new QueueState(config.cmdqLog2(), QueueRegisters.COMMAND_BYTES);
    this.evtq = new QueueState(config.evtqLog2(), QueueRegisters.EVENT_BYTES);
    this.priq = new QueueState(config.priqLog2(), QueueRegisters.PRI_BYTES);
  }

  /** Connects the queue machinery; called once by the instance before any register access. */
  void attach(CommandQueueConsumer commands) {
    this.commands = commands;
  }

  /** The instance's name. */
  public String name() {
    return name;
  }

  /** Whether translation is on (CR0ACK.SMMUEN). */
  public boolean smmuEnabled() {
    return smmuEnabled;
  }

  /** Whether GBPA aborts transactions while translation is off. */
  public boolean gbpaAbort() {
    return gbpaAbort;
  }

  /** Whether ATS-translated transactions are checked against the STE (CR0ACK.ATSCHK). */
  public boolean atsCheck() {
    return atsCheck;
  }

  /** The stream-table registers and CR2 controls in effect. */
  public ConfigurationRegisters configuration() {
    return configuration;
  }

  // ---------------------------------------------------------------- MMIO

  @Override
  public int read32(long offset) {
    int off = (int) offset;
    if (offset != off) {
      return 0;
    }
    switch (off) {
      case CMDQ_PROD:
        return cmdq.prod;
      case CMDQ_CONS:
        return cmdq.cons;
      case EVTQ_PROD:
        return evtq.prod;
      case EVTQ_CONS:
        return evtq.cons;
      case PRIQ_PROD:
        return priq.prod;
      case PRIQ_CONS:
        return priq.cons;
      default:
        break;
    }
    lock.lock();
    try {
      return switch (off) {
        case IDR0 -> (int) config.idr0().qword(0);
        case IDR1 -> (int) config.idr1().qword(0);
        case IDR3 -> (int) config.idr3().qword(0);
        case IDR5 -> (int) config.idr5().qword(0);
        case IIDR -> IIDR_ARM;
        case AIDR -> AIDR_V3_2;
        case CR0 -> cr0;
        case CR0ACK -> cr0ack;
        case CR1 -> cr1;
        case CR2 -> cr2;
        case GBPA -> gbpa;
        case IRQ_CTRL -> irqCtrl;
        case IRQ_CTRLACK -> irqCtrlAck;
        case GERROR -> gerror;
        case GERRORN -> gerrorn;
        case STRTAB_BASE_CFG -> strtabBaseCfg;
        case GERROR_IRQ_CFG1 -> irqCfg1[0];
        case GERROR_IRQ_CFG2 -> irqCfg2[0];
        case EVTQ_IRQ_CFG1 -> irqCfg1[1];
        case EVTQ_IRQ_CFG2 -> irqCfg2[1];
        case PRIQ_IRQ_CFG1 -> irqCfg1[2];
        case PRIQ_IRQ_CFG2 -> irqCfg2[2];
        default -> {
          long wide = read64Locked(off & ~7);
          yield (off & 4) == 0 ? (int) wide : (int) (wide >>> 32);
        }
      };
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long read64(long offset) {
    int off = (int) offset;
    if (offset != off) {
      return 0;
    }
    if (isWide(off)) {
      lock.lock();
      try {
        return read64Locked(off);
      } finally {
        lock.unlock();
      }
    }
    return Integer.toUnsignedLong(read32(offset)) | (long) read32(offset + 4) << 32;
  }

  private static boolean isWide(int off) {
    return off == STRTAB_BASE
        || off == CMDQ_BASE
        || off == EVTQ_BASE
        || off == PRIQ_BASE
        || off == GERROR_IRQ_CFG0
        || off == EVTQ_IRQ_CFG0
        || off == PRIQ_IRQ_CFG0;
  }

  private long read64Locked(int off) {
    return switch (off) {
      case STRTAB_BASE -> strtabBase;
      case CMDQ_BASE -> cmdq.baseRegister;
      case EVTQ_BASE -> evtq.baseRegister;
      case PRIQ_BASE -> priq.baseRegister;
      case GERROR_IRQ_CFG0 -> irqCfg0[0];
      case EVTQ_IRQ_CFG0 -> irqCfg0[1];
      case PRIQ_IRQ_CFG0 -> irqCfg0[2];
      default -> 0;
    };
  }

  @Override
  public void write64(long offset, long value) {
    int off = (int) offset;
    if (offset != off) {
      return;
    }
    if (isWide(off)) {
      lock.lock();
      try {
        write64Locked(off, value);
      } finally {
        lock.unlock();
      }
      return;
    }
    write32(offset, (int) value);
    write32(offset + 4, (int) (value >>> 32));
  }

  private void write64Locked(int off, long value) {
    switch (off) {
      case STRTAB_BASE -> {
        strtabBase = value & STRTAB_BASE_MASK;
        publishConfiguration();
      }
      case CMDQ_BASE -> {
        if ((cr0ack & CR0_CMDQEN) == 0) {
          cmdq.writeBase(value, QUEUE_BASE_MASK);
        }
      }
      case EVTQ_BASE -> {
        if ((cr0ack & CR0_EVTQEN) == 0) {
          evtq.writeBase(value, QUEUE_BASE_MASK);
        }
      }
      case PRIQ_BASE -> {
        if ((cr0ack & (1 << 1)) == 0) {
          priq.writeBase(value, QUEUE_BASE_MASK);
        }
      }
      case GERROR_IRQ_CFG0 -> irqCfg0[0] = value & IRQ_CFG0_MASK;
      case EVTQ_IRQ_CFG0 -> irqCfg0[1] = value & IRQ_CFG0_MASK;
      case PRIQ_IRQ_CFG0 -> irqCfg0[2] = value & IRQ_CFG0_MASK;
      default -> {}
    }
  }

  @Override
  public void write32(long offset, int value) {
    int off = (int) offset;
    if (offset != off) {
      return;
    }
    boolean consumeNow = false;
    List<Line> fire = new ArrayList<>();
    lock.lock();
    try {
      switch (off) {
        case CR0 -> {
          cr0 = value & CR0_MASK;
          requestControl();
        }
        case CR1 -> cr1 = value & CR1_MASK;
        case CR2 -> {
          cr2 = value & CR2_MASK;
          publishConfiguration();
        }
        case GBPA -> {
          if ((value & GBPA_UPDATE) != 0) {
            gbpa = (value & GBPA_MASK) | GBPA_UPDATE;
            requestControl();
          }
        }
        case IRQ_CTRL -> {
          irqCtrl = value & IRQ_CTRL_MASK;
          requestControl();
        }
        case GERRORN -> {
          int before = activeErrors();
          gerrorn = value & GERROR_MASK;
          publishCommandQueueLive();
          if ((before & 1) != 0 && (activeErrors() & 1) == 0) {
            consumeNow = true;
            signalWork();
          }
        }
        case STRTAB_BASE_CFG -> {
          strtabBaseCfg = value & 0x3_07FF;
          publishConfiguration();
        }
        case CMDQ_PROD -> {
          cmdq.prod = value & cmdq.pointerMask();
          consumeNow = true;
          signalWork();
        }
        case CMDQ_CONS -> {
          if ((cr0ack & CR0_CMDQEN) == 0) {
            cmdq.cons = value & (cmdq.pointerMask() | 0x7F << 24);
          }
        }
        case EVTQ_PROD -> {
          if ((cr0ack & CR0_EVTQEN) == 0) {
            evtq.prod = value & (evtq.pointerMask() | OVFLG);
          }
        }
        case EVTQ_CONS -> evtq.cons = value & (evtq.pointerMask() | OVFLG);
        case PRIQ_PROD -> {
          if ((cr0ack & (1 << 1)) == 0) {
            priq.prod = value & (priq.pointerMask() | OVFLG);
          }
        }
        case PRIQ_CONS -> priq.cons = value & (priq.pointerMask() | OVFLG);
        case GERROR_IRQ_CFG1 -> irqCfg1[0] = value;
        case GERROR_IRQ_CFG2 -> irqCfg2[0] = value & 0x3F;
        case EVTQ_IRQ_CFG1 -> irqCfg1[1] = value;
        case EVTQ_IRQ_CFG2 -> irqCfg2[1] = value & 0x3F;
        case PRIQ_IRQ_CFG1 -> irqCfg1[2] = value;
        case PRIQ_IRQ_CFG2 -> irqCfg2[2] = value & 0x3F;
        default -> {
          int base = off & ~7;
          if (isWide(base)) {
            long old = read64Locked(base);
            long merged =
                (off & 4) == 0
                    ? (old & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value)
                    : (old & 0xFFFF_FFFFL) | (long) value << 32;
            write64Locked(base, merged);
          }
        }
      }
      if (!asynchronous && controlPending) {
        applyControlLocked(fire);
      }
    } finally {
      lock.unlock();
    }
    fireAll(fire);
    if (consumeNow && !asynchronous) {
      commands.consumeAvailable();
    }
  }

  // ---------------------------------------------------------------- control effects

  private void requestControl() {
    controlPending = true;
    signalWork();
  }

  /** Tells the consumer there may be work. Lock holder only. */
  private void signalWork() {
    assert lock.isHeldByCurrentThread();
    workEpoch = workEpoch + 1;
    work.signalAll();
  }

  /**
   * A counter that moves whenever a register write may have given the command consumer work (PROD,
   * an acknowledged CMDQ_ERR, CR0, IRQ_CTRL, GBPA, closing): read before checking for work, it
   * tells a spinning consumer when to check again.
   */
  long workEpoch() {
    return workEpoch;
  }

  /**
   * Makes pending CR0, IRQ_CTRL and GBPA writes take effect. Lock holder only; in asynchronous mode
   * called by the instance's thread.
   */
  void applyControlLocked(List<Line> fire) {
    assert lock.isHeldByCurrentThread();
    controlPending = false;
    cr0ack = cr0;
    publishCommandQueueLive();
    irqCtrlAck = irqCtrl;
    gbpa &= ~GBPA_UPDATE;
    smmuEnabled = (cr0ack & CR0_SMMUEN) != 0;
    atsCheck = (cr0ack & CR0_ATSCHK) != 0;
    gbpaAbort = (gbpa & GBPA_ABORT) != 0;
    work.signalAll();
  }

  private void publishConfiguration() {
    configuration = ConfigurationRegisters.decode(strtabBase, strtabBaseCfg, cr2, config);
  }

  // ---------------------------------------------------------------- queue support

  /** Whether the command queue may be consumed now. Lock holder only. */
  boolean commandQueueRunnable() {
    assert lock.isHeldByCurrentThread();
    return commandQueueRunnableAt(cmdq.cons);
  }

  /**
   * Whether a consumer whose CONS is {@code cons} (ahead of the register while its advance is not
   * yet published) may consume now. Reads volatile snapshots only, so it takes no lock; a register
   * write that changes the answer is seen by the next call.
   */
  boolean commandQueueRunnableAt(int cons) {
    return commandQueueLive && ((cmdq.prod ^ cons) & cmdq.pointerMask()) != 0;
  }

  private void publishCommandQueueLive() {
    commandQueueLive = (cr0ack & CR0_CMDQEN) != 0 && (activeErrors() & 1) == 0;
  }

  /** Whether the event queue accepts records. Lock holder only. */
  boolean eventQueueEnabled() {
    return (cr0ack & CR0_EVTQEN) != 0;
  }

  /** The errors currently active (GERROR xor GERRORN). Lock holder only. */
  int activeErrors() {
    return (gerror ^ gerrorn) & GERROR_MASK;
  }

  /**
   * Activates global error {@code bit} unless it is already active, and queues the GERROR interrupt
   * if enabled. Lock holder only.
   */
  void raiseGlobalError(int bit, List<Line> fire) {
    assert lock.isHeldByCurrentThread();
    if ((activeErrors() & bit) == 0) {
      gerror ^= bit;
      publishCommandQueueLive();
      if ((irqCtrlAck & IRQ_GERROR) != 0) {
        queueInterrupt(0, Line.GERROR, fire);
      }
    }
  }

  /** Queues the event-queue interrupt if enabled. Lock holder only. */
  void eventQueueInterrupt(List<Line> fire) {
    if ((irqCtrlAck & IRQ_EVTQ) != 0) {
      queueInterrupt(1, Line.EVENTQ, fire);
    }
  }

  /**
   * A wired line, or an MSI when the instance has MSI and software programmed the source's IRQ_CFG0
   * address: the 32-bit IRQ_CFG1 data written there (a write that aborts raises the matching MSI
   * abort error).
   */
  private void queueInterrupt(int source, Line line, List<Line> fire) {
    long address = irqCfg0[source];
    if (config.msi() && address != 0) {
      try {
        memory.write32(address, irqCfg1[source]);
      } catch (BusAbort abort) {
        raiseGlobalError(source == 0 ? 1 << 7 : source == 1 ? 1 << 5 : 1 << 6, fire);
      }
    } else {
      fire.add(line);
    }
  }

  /** Fires collected wired interrupts; never called with the lock held. */
  void fireAll(List<Line> lines) {
    for (Line line : lines) {
      interrupts.fire(line);
    }
  }

  /** Whether the priority-request interrupt is enabled (no PRI requests are generated yet). */
  boolean priqInterruptEnabled() {
    return (irqCtrlAck & IRQ_PRIQ) != 0;
  }

  /** The memory MSIs are written to. */
  Memory memory() {
    return memory;
  }

  /** The instance. */
  SmmuConfig config() {
    return config;
  }

  /** Whether commands are consumed by the instance's own thread. */
  boolean asynchronous() {
    return asynchronous;
  }

  /** Wakes the instance's thread (asynchronous mode) so that it notices new work. */
  void wake() {
    lock.lock();
    try {
      signalWork();
    } finally {
      lock.unlock();
    }
  }
}
