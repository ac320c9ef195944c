package org.smmulab.peer.diff;

import org.smmulab.peer.ScanResult;

/**
 * What a DMA step left in memory, measured the same way on both peers: the sinks were filled with
 * {@link org.smmulab.peer.PeerLayout#SINK_FILL} before a device write, so the bytes that differ
 * from it afterwards are the bytes the device wrote; the digest covers the whole data region, so a
 * byte written anywhere else (or different content) shows too.
 *
 * @param pages changes in the 4 KiB sink pages
 * @param block changes in the 2 MiB block
 * @param digest digest of the whole data region
 */
public record DmaObservation(ScanResult pages, ScanResult block, long digest) {
  /** The bytes changed in both sinks. */
  public long bytesChanged() {
    return pages.count() + block.count();
  }

  @Override
  public String toString() {
    return String.format("sink pages: %s; block: %s; data digest %016x", pages, block, digest);
  }
}
