package org.smmulab.hw.pcie;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.smmulab.arch.bus.AtsControl;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.hw.smmu.observe.StripedCounter;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;

/**
 * A PCIe function behind an SMMU: it owns one or more StreamIDs and issues DMA reads and writes,
 * which reach memory through its {@link UpstreamPort}. With ATS it keeps an {@link
 * AddressTranslationCache}: once software sets the ATS Enable bit (PCIe ATS Control, written by
 * whoever owns the function's configuration space), accesses first look in the ATC, send a
 * translation request on a miss and then issue translated accesses; the SMMU's ATC_INV commands
 * reach it through {@link #invalidate(Command)}.
 *
 * <p>A DMA moves in pieces that never cross a 4 KiB IOVA boundary, each translated on its own, in
 * IOVA order, and stops at the first piece that faults. A bus abort from memory (an address outside
 * the physical space) also stops it, with no event.
 *
 * <p>Thread-safe: DMAs may be issued from any number of threads, concurrently with invalidations.
 * The ATS Enable bit and the invalidation fault knob are single flags read by every DMA; they are
 * atomics because software or a test flips them while DMAs run.
 */
public final class Endpoint implements AtsControl {
  /** Translation requests sent before one is sent with the ATC's invalidations held off. */
  static final int OPTIMISTIC_REQUESTS = 8;

  private static final int PAGE_BYTES = 4096;

  private final String name;
  private final int[] streamIds;
  private final Memory memory;
  private final UpstreamPort port;
  private final AddressTranslationCache atc;
  private final AtomicBoolean atsEnabled = new AtomicBoolean();
  private final AtomicBoolean failInvalidations = new AtomicBoolean();
  private final StripedCounter dmas = new StripedCounter();
  private final StripedCounter faults = new StripedCounter();

  private Endpoint(
      String name, int[] streamIds, Memory memory, UpstreamPort port, AddressTranslationCache atc) {
    if (streamIds.length == 0) {
      throw new IllegalArgumentException("endpoint " + name + " needs at least one StreamID");
    }
    this.name = name;
    this.streamIds = streamIds.clone();
    this.memory = memory;
    this.port = port;
    this.atc = atc;
  }

  /** An endpoint without ATS. */
  public static Endpoint withoutAts(
      String name, Memory memory, UpstreamPort port, int... streamIds) {
    return new Endpoint(name, streamIds, memory, port, null);
  }

  /**
   * An endpoint with the ATS capability and an ATC of {@code atcEntries} entries (ATS starts
   * disabled, as after reset).
   *
   * @param seed seed of the ATC's eviction choices
   */
  public static Endpoint withAts(
      String name, Memory memory, UpstreamPort port, int atcEntries, long seed, int... streamIds) {
    return new Endpoint(
        name, streamIds, memory, port, new AddressTranslationCache(atcEntries, seed));
  }

  /** The endpoint's name, for reports. */
  public String name() {
    return name;
  }

  /** The StreamIDs it owns; the first is the one its DMAs use unless told otherwise. */
  public int[] streamIds() {
    return streamIds.clone();
  }

  /** Whether the function has the ATS capability. */
  public boolean hasAts() {
    return atc != null;
  }

  /**
   * Sets the ATS Enable bit. Enabling does not flush the ATC; software invalidates it when it needs
   * to, as on real devices.
   *
   * @throws IllegalStateException if the function has no ATS capability
   */
  @Override
  public void setAtsEnabled(boolean enabled) {
    if (atc == null) {
      throw new IllegalStateException("endpoint " + name + " has no ATS capability");
    }
    atsEnabled.set(enabled);
  }

  /** Whether ATS is enabled. */
  @Override
  public boolean atsEnabled() {
    return atsEnabled.get();
  }

  /**
   * Fault knob: while set, the endpoint acknowledges no invalidation request — its ATC keeps the
   * entries and the SMMU's next CMD_SYNC ends with CERROR_ATC_INV_SYNC.
   */
  public void setFailInvalidations(boolean fail) {
    failInvalidations.set(fail);
  }

  /** The ATC, or {@code null} without ATS. */
  public AddressTranslationCache atc() {
    return atc;
  }

  /**
   * Handles an ATC_INV command the SMMU forwards (its SID is one of this endpoint's).
   *
   * @return whether the invalidation completed; {@code false} while the fault knob is set
   */
  public boolean invalidate(Command atcInv) {
    if (failInvalidations.get()) {
      return false;
    }
    if (atc != null) {
      atc.invalidate(atcInv.ssv(), atcInv.ssid(), atcInv.global(), atcInv.address(), atcInv.size());
    }
    return true;
  }

  /** Issues one DMA and waits for it to finish. */
  public DmaResult dma(DmaRequest request) {
    dmas.increment();
    // A one-page DMA (the common case) keeps its segment in a one-element list: nothing to copy.
    List<DmaSegment> segments = List.of();
    List<DmaSegment> grown = null;
    byte[] readData = request.write() ? null : new byte[request.length()];
    int done = 0;
    while (done < request.length()) {
      long iova = request.iova() + done;
      int chunk = (int) Math.min(request.length() - done, PAGE_BYTES - (iova & (PAGE_BYTES - 1)));
      Transaction txn =
          new Transaction(
              request.streamId(),
              request.substreamValid(),
              request.substreamId(),
              iova,
              request.write(),
              request.privileged(),
              request.instruction());
      Step step = translate(txn);
      if (step.faulted()) {
        faults.increment();
        return new DmaResult(false, null, segments, iova, step.event, step.reason);
      }
      try {
        if (request.write()) {
          memory.write(step.pa, request.data(), done, chunk);
        } else {
          memory.read(step.pa, readData, done, chunk);
        }
      } catch (BusAbort abort) {
        faults.increment();
        return new DmaResult(
            false, null, segments, iova, null, "bus abort at 0x" + Long.toHexString(step.pa));
      }
      DmaSegment segment = new DmaSegment(iova, step.pa, chunk, step.source);
      if (segments.isEmpty()) {
        segments = List.of(segment);
      } else {
        if (grown == null) {
          grown = new ArrayList<>(segments);
          segments = grown;
        }
        grown.add(segment);
      }
      done += chunk;
    }
    return new DmaResult(true, readData, segments, -1, null, null);
  }

  /** DMAs issued and DMAs that faulted, since the endpoint was made. */
  public DmaCounts dmaCounts() {
    return new DmaCounts(dmas.sum(), faults.sum());
  }

  /**
   * DMA counters of one endpoint.
   *
   * @param issued DMAs issued
   * @param faulted DMAs that stopped on a fault or bus abort
   */
  public record DmaCounts(long issued, long faulted) {}

  private Step translate(Transaction txn) {
    if (atc != null && atsEnabled.get()) {
      return translateWithAts(txn);
    }
    TranslationOutcome outcome = port.translate(txn);
    if (!outcome.succeeded()) {
      return Step.fault(outcome.event(), outcome.reason());
    }
    DmaSegment.Source source =
        switch (outcome.source()) {
          case TLB -> DmaSegment.Source.TLB;
          case WALK -> DmaSegment.Source.WALK;
          default -> DmaSegment.Source.BYPASS;
        };
    return new Step(outcome.outputAddress(), source, null, null);
  }

  private Step translateWithAts(Transaction txn) {
    DmaSegment.Source source = DmaSegment.Source.ATC;
    AtcEntry entry = atc.lookup(txn.substreamValid(), txn.substreamId(), txn.address());
    if (entry == null || !entry.permissions().allows(txn)) {
      AtsCompletion completion = requestTranslation(txn);
      if (!completion.succeeded() || !completion.permissions().allows(txn)) {
        return Step.fault(
            completion.event(),
            completion.succeeded()
                ? "ATS translation grants no such access"
                : "ATS request refused");
      }
      entry = completion.entry();
      source = DmaSegment.Source.ATS_REQUEST;
    }
    TranslationOutcome outcome = port.translatedAccess(txn.at(entry.translate(txn.address())));
    if (!outcome.succeeded()) {
      return Step.fault(outcome.event(), outcome.reason());
    }
    return new Step(outcome.outputAddress(), source, null, null);
  }

  /**
   * Sends a translation request and caches a usable completion. PCIe forbids a function to use a
   * completion to a request it sent before an invalidation request it has since completed, so a
   * completion that an ATC invalidation overtook (the ATC's generation moved while the request was
   * out, and the insert was refused) is thrown away and the request is sent again. After {@value
   * #OPTIMISTIC_REQUESTS} overtaken requests the last one is sent with the ATC's invalidations held
   * off, so that a stream of invalidations delays the access but never starves it. A refused
   * request or a completion that grants nothing for this access is returned as it is, uncached.
   */
  private AtsCompletion requestTranslation(Transaction txn) {
    for (int i = 0; i < OPTIMISTIC_REQUESTS; i++) {
      long generation = atc.generation();
      AtsCompletion completion = port.translationRequest(txn);
      if (!usable(completion, txn) || atc.insert(completion.entry(), generation)) {
        return completion;
      }
    }
    return atc.holdingInvalidations(
        () -> {
          long generation = atc.generation();
          AtsCompletion completion = port.translationRequest(txn);
          if (usable(completion, txn)) {
            atc.insert(completion.entry(), generation);
          }
          return completion;
        });
  }

  private static boolean usable(AtsCompletion completion, Transaction txn) {
    return completion.succeeded() && completion.permissions().allows(txn);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(streamIds) + (atc != null ? " ATS" : "");
  }

  /**
   * One translated piece: its physical address (any 64-bit value; one outside memory makes the
   * access a bus abort), or a fault ({@code reason} set).
   */
  private record Step(long pa, DmaSegment.Source source, EventRecord event, String reason) {
    static Step fault(EventRecord event, String reason) {
      return new Step(0, null, event, reason == null ? "terminated" : reason);
    }

    boolean faulted() {
      return reason != null;
    }
  }
}
