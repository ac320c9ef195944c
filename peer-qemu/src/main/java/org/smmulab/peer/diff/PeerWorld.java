package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.SmmuDriver;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.attach.AttachException;
import org.smmulab.driver.attach.Master;
import org.smmulab.driver.domain.PagingDomain;
import org.smmulab.driver.pgtable.AlreadyMappedException;
import org.smmulab.driver.pgtable.UnmapResult;
import org.smmulab.driver.probe.ProbeException;
import org.smmulab.driver.queue.QueueListener;
import org.smmulab.driver.smmu.DriverOptions;
import org.smmulab.driver.smmu.ResetException;
import org.smmulab.driver.smmu.SmmuDevice;
import org.smmulab.peer.EduPort;
import org.smmulab.peer.PeerMachine;

/**
 * The project's driver running one {@link PeerMachine}: the SMMU probed and reset by the normal
 * path, one master per edu device (its stream blocked until attached), and a set of stage-1 paging
 * domains ({@link DomainShape}). The data region ({@link DataRegion}) gets its initial contents at
 * construction, before the driver comes up.
 *
 * <p>{@link #apply} performs one {@link PeerOp} and returns what this peer showed. A DMA step
 * prepares the data region, runs the copy, services the interrupt lines and drains the event queue,
 * then measures the data region ({@link DmaObservation}).
 *
 * <p>Not thread-safe: one runner thread drives it.
 */
public final class PeerWorld {
  private final PeerMachine machine;
  private final DataRegion region;
  private final CommandRecorder recorder;
  private final Collector collector = new Collector();
  private final SmmuDriver driver;
  private final SmmuDevice smmu;
  private final List<Master> masters = new ArrayList<>();
  private final List<PagingDomain> domains = new ArrayList<>();

  /**
   * Brings the driver up on {@code machine} with {@code domains} default domains ({@link
   * PeerPlan#defaultDomains}) and the seeded data region ({@link SeededRegion}).
   *
   * @throws ProbeException if the driver refuses the SMMU
   * @throws ResetException if the SMMU does not come up
   */
  public PeerWorld(PeerMachine machine, DriverOptions options, int domains)
      throws ProbeException, ResetException, AllocatorExhaustedException, BusAbort {
    this(machine, options, PeerPlan.defaultDomains(domains), SeededRegion.INSTANCE);
  }

  /**
   * Brings the driver up on {@code machine}.
   *
   * @param domains the stage-1 domains to create, in index order
   * @param region the memory DMAs use, initialized here
   * @throws ProbeException if the driver refuses the SMMU
   * @throws ResetException if the SMMU does not come up
   * @throws IllegalArgumentException if the driver refuses a domain's shape
   */
  public PeerWorld(
      PeerMachine machine, DriverOptions options, List<DomainShape> domains, DataRegion region)
      throws ProbeException, ResetException, AllocatorExhaustedException, BusAbort {
    this.machine = machine;
    this.region = region;
    region.initialize(machine);
    this.recorder = new CommandRecorder(machine.memory(), machine.smmuRegisters());
    PageAllocator allocator = new PageAllocator(recorder.memory(), machine.allocatorRam());
    this.driver = new SmmuDriver(recorder.memory(), allocator, options, collector);
    this.smmu = driver.addInstance(machine.name(), recorder.registers(), machine.smmuInterrupts());
    for (EduPort edu : machine.devices()) {
      masters.add(driver.addMaster(edu.name(), smmu.id(), new int[] {edu.streamId()}, null, 0));
    }
    int smmuOas = smmu.features().oasBits();
    for (DomainShape d : domains) {
      this.domains.add(
          driver.newPagingDomain(d.name(), Stage.STAGE_1, d.granule(), d.ias(), d.oasOn(smmuOas)));
    }
    recorder.drain();
    collector.drain();
  }

  /** The machine. */
  public PeerMachine machine() {
    return machine;
  }

  /** The driver. */
  public SmmuDriver driver() {
    return driver;
  }

  /** The SMMU instance as the driver probed it. */
  public SmmuDevice smmu() {
    return smmu;
  }

  /** The masters, one per edu device, in device order. */
  public List<Master> masters() {
    return List.copyOf(masters);
  }

  /** The stage-1 domains. */
  public List<PagingDomain> domains() {
    return List.copyOf(domains);
  }

  /** Performs {@code op} and returns what this peer showed. */
  public StepOutcome apply(PeerOp op) throws BusAbort {
    recorder.drain();
    collector.drain();
    String result = "ok";
    DmaObservation dma = null;
    try {
      if (op instanceof PeerOp.Attach a) {
        driver.attach(masters.get(a.device()), domains.get(a.domain()));
      } else if (op instanceof PeerOp.Detach d) {
        driver.detach(masters.get(d.device()));
      } else if (op instanceof PeerOp.Map m) {
        domains.get(m.domain()).map(m.iova(), m.pa(), m.size(), m.prot());
      } else if (op instanceof PeerOp.Unmap u) {
        UnmapResult r = domains.get(u.domain()).unmap(u.iova(), u.size());
        result = "unmapped " + r.unmappedBytes() + " bytes";
      } else if (op instanceof PeerOp.Dma d) {
        dma = dma(d);
      }
    } catch (AttachException e) {
      result = "refused: " + e.kind();
    } catch (AlreadyMappedException e) {
      result = "already mapped";
    } catch (AllocatorExhaustedException e) {
      result = "out of table memory";
    } catch (IllegalArgumentException e) {
      result = "rejected: " + e.getMessage();
    }
    Collected c = collector.drain();
    return new StepOutcome(
        result, recorder.drain(), c.errors, dma, c.events, c.globalErrors, c.overflow);
  }

  private DmaObservation dma(PeerOp.Dma d) throws BusAbort {
    region.beforeDma(machine, d.toMemory());
    machine
        .devices()
        .get(d.device())
        .transfer(d.toMemory(), d.iova(), d.bufferOffset(), d.length());
    machine.serviceInterrupts();
    smmu.events().poll();
    return region.observe(machine, d.toMemory());
  }

  /** What the driver's queues reported during one step. */
  private record Collected(
      List<EventRecord> events, List<String> errors, int globalErrors, boolean overflow) {}

  /** The driver's queue listener; reports may come from any thread. */
  private static final class Collector implements QueueListener {
    private List<EventRecord> events = new ArrayList<>();
    private List<String> errors = new ArrayList<>();
    private int globalErrors;
    private boolean overflow;

    synchronized Collected drain() {
      Collected c = new Collected(events, errors, globalErrors, overflow);
      events = new ArrayList<>();
      errors = new ArrayList<>();
      globalErrors = 0;
      overflow = false;
      return c;
    }

    @Override
    public synchronized void commandError(String instance, String error, Command command) {
      errors.add(error + " at " + command.describe());
    }

    @Override
    public synchronized void syncTimeout(String instance, String details) {
      errors.add("CMD_SYNC timeout: " + details);
    }

    @Override
    public synchronized void event(String instance, EventRecord event) {
      events.add(event);
    }

    @Override
    public synchronized void eventOverflow(String instance) {
      overflow = true;
    }

    @Override
    public synchronized void globalErrors(String instance, int bits) {
      globalErrors |= bits;
    }
  }
}
