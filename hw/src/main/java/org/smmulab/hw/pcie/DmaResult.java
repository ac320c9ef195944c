package org.smmulab.hw.pcie;

import java.util.List;
import org.smmulab.arch.event.EventRecord;

/**
 * What one DMA did. A DMA moves page by page in IOVA order and stops at the first page it may not
 * access; pages before it were already read or written, as on a real bus.
 *
 * @param completed whether every byte moved
 * @param data the bytes read (a read that completed), else {@code null}
 * @param segments the translations used, in order, one per IOVA page reached
 * @param faultIova the IOVA where the DMA stopped ({@code -1} when it completed)
 * @param event the event the SMMU recorded for the failure, or {@code null} (completed, or not
 *     recorded)
 * @param faultReason why the DMA stopped, in a few words ({@code null} when it completed)
 */
public record DmaResult(
    boolean completed,
    byte[] data,
    List<DmaSegment> segments,
    long faultIova,
    EventRecord event,
    String faultReason) {

  /** Copies the segment list. */
  public DmaResult {
    segments = List.copyOf(segments);
  }

  /** Whether the DMA stopped on a fault. */
  public boolean faulted() {
    return !completed;
  }
}
