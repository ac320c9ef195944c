package org.smmulab.peer.diff;

import java.util.LinkedHashMap;
import java.util.Map;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.PeerMachine;
import org.smmulab.peer.ScanResult;

/**
 * The data region of seeded runs ({@link OpSequence}), laid out by {@link PeerLayout}: source pages
 * that hold their pattern for the whole run, and two sinks — the 4 KiB sink pages and the 2 MiB
 * block — filled again before every device write. Both sinks are scanned after every DMA and the
 * whole data region is digested.
 */
public final class SeededRegion implements DataRegion {
  /** The sink of the 4 KiB sink pages. */
  public static final String PAGES = "sink pages";

  /** The sink of the 2 MiB block. */
  public static final String BLOCK = "block";

  /** The only instance: the region has no state. */
  public static final SeededRegion INSTANCE = new SeededRegion();

  private SeededRegion() {}

  @Override
  public void initialize(PeerMachine machine) throws BusAbort {
    for (int p = 0; p < PeerLayout.SOURCE_PAGES; p++) {
      machine.pattern(PeerLayout.SOURCE_BASE + 4096L * p, 4096, p);
    }
    fillSinks(machine);
  }

  @Override
  public void beforeDma(PeerMachine machine, boolean toMemory) throws BusAbort {
    if (toMemory) {
      fillSinks(machine);
    }
  }

  @Override
  public DmaObservation observe(PeerMachine machine, boolean toMemory) throws BusAbort {
    Map<String, ScanResult> sinks = new LinkedHashMap<>();
    sinks.put(
        PAGES,
        machine.scan(PeerLayout.SINK_BASE, PeerLayout.SINK_PAGES * 4096L, PeerLayout.SINK_FILL));
    sinks.put(
        BLOCK, machine.scan(PeerLayout.BLOCK_BASE, PeerLayout.BLOCK_SIZE, PeerLayout.SINK_FILL));
    return new DmaObservation(sinks, machine.digest(PeerLayout.DATA_BASE, PeerLayout.DATA_SIZE));
  }

  private static void fillSinks(PeerMachine machine) throws BusAbort {
    for (long[] sink : PeerLayout.SINKS) {
      machine.fill(sink[0], sink[1], PeerLayout.SINK_FILL);
    }
  }
}
