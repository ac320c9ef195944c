package org.smmulab.driver.smmu;

import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.CR1;
import static org.smmulab.arch.regs.RegisterOffsets.CR2;
import static org.smmulab.arch.regs.RegisterOffsets.GBPA;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRL;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRLACK;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.ste.Ste;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.entry.EntryKind;
import org.smmulab.driver.entry.EntryOptions;
import org.smmulab.driver.entry.EntryTarget;
import org.smmulab.driver.entry.EntryWritePlan;
import org.smmulab.driver.entry.EntryWriter;
import org.smmulab.driver.invs.SmmuId;
import org.smmulab.driver.probe.ProbeException;
import org.smmulab.driver.probe.SmmuFeatures;
import org.smmulab.driver.queue.CommandQueue;
import org.smmulab.driver.queue.EventQueue;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.tables.CdTable;
import org.smmulab.driver.tables.StreamTable;

/**
 * One SMMU instance under the driver (Linux {@code struct arm_smmu_device}): probed from its ID
 * registers, brought up by {@link #reset()}, and used through its command queue, event queue,
 * stream table and the hitless entry writer.
 *
 * <p>Reset, exactly in the order of Linux's {@code arm_smmu_device_reset}:
 *
 * <ol>
 *   <li>if SMMUEN is set, GBPA.ABORT through the UPDATE handshake, so nothing bypasses meanwhile;
 *   <li>CR0 = 0, wait for CR0ACK;
 *   <li>CR1: queues and tables inner-shareable write-back; CR2: PTM and RECINVSID;
 *   <li>STRTAB_BASE and STRTAB_BASE_CFG;
 *   <li>CMDQ_BASE, PROD, CONS; CR0.CMDQEN, wait;
 *   <li>CFGI_ALL + CMD_SYNC; TLBI_EL2_ALL + CMD_SYNC with HYP; TLBI_NSNH_ALL + CMD_SYNC;
 *   <li>EVTQ_BASE, PROD, CONS; CR0.EVTQEN, wait; CR0.ATSCHK with ATS;
 *   <li>IRQ_CTRL = 0, wait; handlers for the event and global-error lines; IRQ_CTRL = EVTQ |
 *       GERROR, wait;
 *   <li>CR0.SMMUEN, wait.
 * </ol>
 *
 * <p>Thread-safety: the command queue takes its own lock; entry installation must be serialised per
 * entry by the caller (the driver's tag lock does it).
 */
public final class SmmuDevice {
  private static final int CR0_SMMUEN = 1;
  private static final int CR0_EVTQEN = 1 << 2;
  private static final int CR0_CMDQEN = 1 << 3;
  private static final int CR0_ATSCHK = 1 << 4;
  private static final int CR1_SHARED_WRITE_BACK = 0xD75;
  private static final int CR2_PTM_RECINVSID = 0x6;
  private static final int GBPA_UPDATE = 1 << 31;
  private static final int GBPA_ABORT = 1 << 20;
  private static final int IRQ_GERROR = 1;
  private static final int IRQ_EVTQ = 1 << 2;

  private final SmmuId id;
  private final String name;
  private final RegisterBus regs;
  private final InterruptLines interrupts;
  private final Memory memory;
  private final PageAllocator allocator;
  private final SmmuFeatures features;
  private final long pollTimeoutNanos;
  private final CommandQueue commands;
  private final EventQueue events;
  private final StreamTable streamTable;
  private final QueueListener listener;
  private final boolean skipCfgi;
  private final boolean unsafeEntryUpdate;

  /**
   * Probes the instance and allocates its queues and stream table; nothing is written to its
   * registers until {@link #reset()}.
   *
   * @throws ProbeException if the instance reports something the driver refuses
   * @throws AllocatorExhaustedException if queue or table memory is not available
   */
  public SmmuDevice(
      SmmuId id,
      String name,
      RegisterBus regs,
      InterruptLines interrupts,
      Memory memory,
      PageAllocator allocator,
      DriverOptions options,
      QueueListener listener)
      throws ProbeException, AllocatorExhaustedException, BusAbort {
    this.id = id;
    this.name = name;
    this.regs = regs;
    this.interrupts = interrupts;
    this.memory = memory;
    this.allocator = allocator;
    this.listener = listener;
    this.skipCfgi = options.injects(org.smmulab.driver.inject.Injection.SKIP_CFGI);
    this.unsafeEntryUpdate =
        options.injects(org.smmulab.driver.inject.Injection.UNSAFE_ENTRY_UPDATE);
    this.features = SmmuFeatures.probe(regs);
    this.pollTimeoutNanos = options.syncTimeout().toNanos();
    this.commands =
        new CommandQueue(
            name,
            regs,
            memory,
            allocator,
            features,
            options.cmdqLog2(),
            pollTimeoutNanos,
            TimeUnit.NANOSECONDS,
            listener);
    this.events =
        new EventQueue(name, regs, memory, allocator, features, options.evtqLog2(), listener);
    this.streamTable = new StreamTable(memory, allocator, features);
  }

  /** The instance's identity in invalidation arrays. */
  public SmmuId id() {
    return id;
  }

  /** The instance's name. */
  public String name() {
    return name;
  }

  /** What the instance offers. */
  public SmmuFeatures features() {
    return features;
  }

  /** The command queue. */
  public CommandQueue commands() {
    return commands;
  }

  /** The event queue. */
  public EventQueue events() {
    return events;
  }

  /** The stream table. */
  public StreamTable streamTable() {
    return streamTable;
  }

  /** The options for entries built for this instance. */
  public EntryOptions entryOptions() {
    return new EntryOptions(features.attrTypesOverride(), features.stalls(), false);
  }

  /**
   * Brings the instance up (see the class comment).
   *
   * @throws ResetException if an ACK or handshake does not come, or a reset command times out
   */
  public void reset() throws ResetException, BusAbort {
    if ((regs.read32(CR0) & CR0_SMMUEN) != 0) {
      awaitClear(GBPA, GBPA_UPDATE, "GBPA.UPDATE before setting ABORT");
      regs.write32(GBPA, regs.read32(GBPA) | GBPA_ABORT | GBPA_UPDATE);
      awaitClear(GBPA, GBPA_UPDATE, "GBPA.UPDATE after setting ABORT");
    }
    writeCr0(0);
    regs.write32(CR1, CR1_SHARED_WRITE_BACK);
    regs.write32(CR2, CR2_PTM_RECINVSID);
    regs.write64(STRTAB_BASE, 1L << 62 | streamTable.base());
    regs.write32(STRTAB_BASE_CFG, streamTable.baseCfg());
    commands.program();
    int cr0 = CR0_CMDQEN;
    writeCr0(cr0);
    requireSubmitted(List.of(Command.cfgiAll()));
    if (features.hyp()) {
      requireSubmitted(List.of(Command.tlbiEl2All()));
    }
    requireSubmitted(List.of(Command.tlbiNsnhAll()));
    events.program();
    cr0 |= CR0_EVTQEN;
    writeCr0(cr0);
    if (features.ats()) {
      cr0 |= CR0_ATSCHK;
      writeCr0(cr0);
    }
    regs.write32(IRQ_CTRL, 0);
    await(IRQ_CTRLACK, 0, "IRQ_CTRLACK = 0");
    interrupts.setHandler(InterruptLines.Line.EVENTQ, this::onEventInterrupt);
    interrupts.setHandler(InterruptLines.Line.GERROR, events::handleGlobalErrors);
    regs.write32(IRQ_CTRL, IRQ_EVTQ | IRQ_GERROR);
    await(IRQ_CTRLACK, IRQ_EVTQ | IRQ_GERROR, "IRQ_CTRLACK");
    writeCr0(cr0 | CR0_SMMUEN);
  }

  private void onEventInterrupt() {
    try {
      events.poll();
    } catch (BusAbort abort) {
      listener.globalErrors(name, 0);
    }
  }

  /** Turns translation and the queues off. */
  public void disable() throws ResetException {
    writeCr0(0);
  }

  private void requireSubmitted(List<Command> batch) throws ResetException, BusAbort {
    if (!commands.submit(batch)) {
      throw new ResetException(name + ": " + batch.get(0).opcode() + " did not complete");
    }
  }

  private void writeCr0(int value) throws ResetException {
    regs.write32(CR0, value);
    await(CR0ACK, value, "CR0ACK = 0x" + Integer.toHexString(value));
  }

  private void await(long offset, int expected, String what) throws ResetException {
    long deadline = System.nanoTime() + pollTimeoutNanos;
    while (regs.read32(offset) != expected) {
      if (System.nanoTime() > deadline) {
        throw new ResetException(name + ": timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  private void awaitClear(long offset, int bit, String what) throws ResetException {
    long deadline = System.nanoTime() + pollTimeoutNanos;
    while ((regs.read32(offset) & bit) != 0) {
      if (System.nanoTime() > deadline) {
        throw new ResetException(name + ": timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  // ---------------------------------------------------------------- entries

  /**
   * Makes the stream-table leaf of {@code sid} exist; a newly installed L1 descriptor is
   * invalidated (CFGI_STE with LEAF = 0) so that no earlier negative lookup stays cached.
   */
  public void prepareStream(int sid) throws AllocatorExhaustedException, BusAbort {
    if (streamTable.ensureLeaf(sid)) {
      commands.submit(List.of(Command.cfgiSte(sid, false)));
    }
  }

  /**
   * Writes {@code target} into the STE of {@code sid} with the hitless writer; each sync is
   * CFGI_STE for that StreamID plus CMD_SYNC.
   *
   * @return the plan carried out
   */
  public EntryWritePlan installSte(int sid, Ste target) throws BusAbort {
    long address = streamTable.steAddress(sid);
    return install(
        EntryKind.STE,
        address,
        target.toQwords(),
        () -> commands.submit(skipCfgi ? List.of() : List.of(Command.cfgiSte(sid, true))));
  }

  /**
   * Writes {@code target} into CD {@code ssid} of {@code table} with the hitless writer; each sync
   * is CFGI_CD for every StreamID of the master plus one CMD_SYNC.
   *
   * @return the plan carried out
   */
  public EntryWritePlan installCd(CdTable table, int[] sids, int ssid, Cd target)
      throws AllocatorExhaustedException, BusAbort {
    if (table.ensureLeaf(ssid)) {
      List<Command> l1 = new ArrayList<>();
      for (int sid : sids) {
        l1.add(Command.cfgiCd(sid, ssid, false));
      }
      commands.submit(l1);
    }
    List<Command> sync = new ArrayList<>();
    for (int sid : sids) {
      sync.add(Command.cfgiCd(sid, ssid, true));
    }
    return install(
        EntryKind.CD, table.cdAddress(ssid), target.toQwords(), () -> commands.submit(sync));
  }

  /** Allocates a CD table for a master with {@code ssidBits} SubstreamID bits on this instance. */
  public CdTable newCdTable(int ssidBits) throws AllocatorExhaustedException, BusAbort {
    return new CdTable(memory, allocator, Math.min(ssidBits, features.ssidBits()), features.cd2l());
  }

  private interface Sync {
    boolean run() throws BusAbort;
  }

  private EntryWritePlan install(EntryKind kind, long address, long[] target, Sync sync)
      throws BusAbort {
    long[] current = new long[8];
    for (int i = 0; i < 8; i++) {
      current[i] = memory.read64(address + 8L * i);
    }
    EntryWritePlan plan = EntryWriter.plan(kind, current, target);
    if (unsafeEntryUpdate) {
      for (int i = 0; i < 8; i++) {
        memory.write64(address + 8L * i, target[i]);
      }
      sync.run();
      return plan;
    }
    EntryWriter.apply(
        plan,
        new EntryTarget() {
          @Override
          public void writeQword(int index, long value) throws BusAbort {
            memory.write64(address + 8L * index, value);
          }

          @Override
          public void sync() throws BusAbort {
            sync.run();
          }
        });
    return plan;
  }

  @Override
  public String toString() {
    return name;
  }
}
