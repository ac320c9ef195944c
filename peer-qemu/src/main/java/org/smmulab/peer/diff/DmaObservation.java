package org.smmulab.peer.diff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.smmulab.peer.ScanResult;

/**
 * What a DMA step left in memory, measured the same way on both peers by the run's {@link
 * DataRegion}: its sinks were filled with {@link org.smmulab.peer.PeerLayout#SINK_FILL} before a
 * device write, so the bytes that differ from it afterwards are the bytes the device wrote; the
 * digest covers the whole region, so a byte written anywhere else (or different content) shows too.
 *
 * @param sinks per sink, by name in the region's order, the bytes that differ from the fill (empty
 *     when the region scans nothing for this DMA)
 * @param digest digest of the whole data region
 */
public record DmaObservation(Map<String, ScanResult> sinks, long digest) {
  /** Copies the sinks, keeping their order. */
  public DmaObservation {
    sinks = Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
  }

  /**
   * The scan of the sink called {@code name}.
   *
   * @throws IllegalArgumentException if the region has no such sink
   */
  public ScanResult sink(String name) {
    ScanResult r = sinks.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no sink '" + name + "' in " + sinks.keySet());
    }
    return r;
  }

  /** The bytes changed in all sinks. */
  public long bytesChanged() {
    return sinks.values().stream().mapToLong(ScanResult::count).sum();
  }

  @Override
  public String toString() {
    String scans =
        sinks.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("; "));
    return (scans.isEmpty() ? "" : scans + "; ") + String.format("data digest %016x", digest);
  }
}
