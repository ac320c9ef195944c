package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.peer.PeerLayout;
import org.smmulab.peer.PeerMachine;
import org.smmulab.peer.ScanResult;
import org.smmulab.peer.WordDigest;

/**
 * The data region of a scenario run: the physical ranges its map steps name, merged. Before a
 * device read every range holds its pattern (range {@code i} the pattern with seed {@code i}), so
 * what a device reads is known and differs from page to page; before a device write every range is
 * filled with {@link PeerLayout#SINK_FILL}, which neither the pattern nor a buffer that only ever
 * held pattern bytes or zeros contains, so every byte the device writes shows in the scan of its
 * range. Memory therefore does not carry data from one DMA to the next; what a DMA read leaves in
 * the device's buffer shows when a later write copies it out.
 */
public final class MappedRegion implements DataRegion {
  private final List<Range> ranges;

  /** One range of physical memory, 8-byte aligned. */
  public record Range(long base, long size) {
    /** Checks the alignment. */
    public Range {
      if (size <= 0 || ((base | size) & 7) != 0) {
        throw new IllegalArgumentException(
            String.format("range [0x%x, +0x%x) must be non-empty and 8-byte aligned", base, size));
      }
    }

    /** One past the last byte. */
    public long end() {
      return base + size;
    }

    @Override
    public String toString() {
      return String.format("[0x%x, 0x%x)", base, end());
    }
  }

  private MappedRegion(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** A builder that merges ranges as they are added. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects ranges, merging those that overlap or touch. Not thread-safe. */
  public static final class Builder {
    private final TreeMap<Long, Long> ends = new TreeMap<>();
    private long bytes;

    private Builder() {}

    /**
     * Adds {@code [base, base + size)}.
     *
     * @throws IllegalArgumentException if the range is empty or not 8-byte aligned
     */
    public Builder add(long base, long size) {
      Range r = new Range(base, size);
      long start = r.base();
      long end = r.end();
      Map.Entry<Long, Long> before = ends.floorEntry(start);
      if (before != null && before.getValue() >= start) {
        start = before.getKey();
        end = Math.max(end, before.getValue());
        remove(before.getKey());
      }
      for (Map.Entry<Long, Long> next = ends.ceilingEntry(start);
          next != null && next.getKey() <= end;
          next = ends.ceilingEntry(start)) {
        end = Math.max(end, next.getValue());
        remove(next.getKey());
      }
      ends.put(start, end);
      bytes += end - start;
      return this;
    }

    private void remove(long start) {
      bytes -= ends.remove(start) - start;
    }

    /** The bytes the ranges added so far cover. */
    public long bytes() {
      return bytes;
    }

    /** The region of the ranges added so far. */
    public MappedRegion build() {
      List<Range> out = new ArrayList<>();
      ends.forEach((start, end) -> out.add(new Range(start, end - start)));
      return new MappedRegion(out);
    }
  }

  /** The merged ranges, in address order. */
  public List<Range> ranges() {
    return ranges;
  }

  /** The bytes the region covers. */
  public long bytes() {
    return ranges.stream().mapToLong(Range::size).sum();
  }

  @Override
  public void initialize(PeerMachine machine) throws BusAbort {
    pattern(machine);
  }

  @Override
  public void beforeDma(PeerMachine machine, boolean toMemory) throws BusAbort {
    if (toMemory) {
      for (Range r : ranges) {
        machine.fill(r.base(), r.size(), PeerLayout.SINK_FILL);
      }
    } else {
      pattern(machine);
    }
  }

  @Override
  public DmaObservation observe(PeerMachine machine, boolean toMemory) throws BusAbort {
    Map<String, ScanResult> sinks = new LinkedHashMap<>();
    WordDigest digest = new WordDigest();
    for (Range r : ranges) {
      if (toMemory) {
        sinks.put(r.toString(), machine.scan(r.base(), r.size(), PeerLayout.SINK_FILL));
      }
      digest.add(machine.digest(r.base(), r.size()));
    }
    return new DmaObservation(sinks, digest.value());
  }

  private void pattern(PeerMachine machine) throws BusAbort {
    for (int i = 0; i < ranges.size(); i++) {
      machine.pattern(ranges.get(i).base(), ranges.get(i).size(), i);
    }
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
