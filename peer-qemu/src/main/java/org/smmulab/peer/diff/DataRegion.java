package org.smmulab.peer.diff;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.peer.PeerMachine;

/**
 * The physical memory a peer run gives its DMAs, and how it is prepared and measured so that both
 * peers can be compared byte for byte: the same contents before every DMA, the same scans and
 * digest after it.
 *
 * <p>Implementations are immutable and keep no state per machine, so one region serves both peers
 * of a run.
 */
public interface DataRegion {
  /** Writes the initial contents, once, before the driver comes up. */
  void initialize(PeerMachine machine) throws BusAbort;

  /**
   * Prepares the region for one DMA.
   *
   * @param toMemory whether the device writes memory (else it reads)
   */
  void beforeDma(PeerMachine machine, boolean toMemory) throws BusAbort;

  /** Measures the region after the DMA that {@link #beforeDma} prepared. */
  DmaObservation observe(PeerMachine machine, boolean toMemory) throws BusAbort;
}
