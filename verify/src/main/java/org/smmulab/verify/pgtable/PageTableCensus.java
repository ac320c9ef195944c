package org.smmulab.verify.pgtable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.LpaeDescriptor.Kind;
import org.smmulab.arch.pte.Stage;

/**
 * A read-only walk of a whole translation table tree in memory that lists every leaf, every table
 * page and every malformed descriptor. It reads memory only through {@link Memory} and shares no
 * code with the driver's io-pgtable, so it can check it.
 *
 * <p>The census never throws on table contents: a descriptor that is reserved at its level, or a
 * table pointer whose read aborts, is reported as an {@link Anomaly}.
 *
 * <p>Not thread-safe against concurrent table updates: take it when the tables are quiescent.
 */
public final class PageTableCensus {
  /** A valid leaf: {@code size} bytes at {@code iova} map to {@code outputAddress}. */
  public record Leaf(long iova, long size, int level, long outputAddress, long descriptor) {}

  /** A descriptor the walker could not use, with where it was found and why. */
  public record Anomaly(long descriptorAddress, int level, long iova, String reason) {}

  private final List<Leaf> leaves = new ArrayList<>();
  private final Set<Long> tablePages = new TreeSet<>();
  private final List<Anomaly> anomalies = new ArrayList<>();

  private PageTableCensus() {}

  /**
   * Walks the table tree whose root table starts at {@code root}.
   *
   * @param memory where the tables live
   * @param stage the format (it only changes how leaves are described)
   * @param granule the translation granule
   * @param startLevel the level of the root table (0..3)
   * @param rootEntries the number of descriptors in the root table, counting every concatenated
   *     table of a stage-2 root (e.g. 2 tables of 512 entries = 1024)
   * @param root the physical address of the root table
   * @return the census
   * @throws IllegalArgumentException if the geometry is impossible (level outside 0..3, no entries)
   */
  public static PageTableCensus take(
      Memory memory, Stage stage, Granule granule, int startLevel, long rootEntries, long root) {
    if (startLevel < 0 || startLevel > 3 || rootEntries <= 0) {
      throw new IllegalArgumentException(
          "bad root geometry: start level " + startLevel + ", " + rootEntries + " entries");
    }
    PageTableCensus census = new PageTableCensus();
    census.tablePages.add(root);
    census.walk(memory, stage, granule, startLevel, root, rootEntries, 0);
    return census;
  }

  private void walk(
      Memory memory, Stage stage, Granule granule, int level, long table, long entries, long base) {
    int shift = granule.levelShift(level);
    for (long i = 0; i < entries; i++) {
      long descriptorAddress = table + i * 8;
      long iova = base + (i << shift);
      long raw;
      try {
        raw = memory.read64(descriptorAddress);
      } catch (BusAbort e) {
        anomalies.add(
            new Anomaly(descriptorAddress, level, iova, "read aborted: " + e.getMessage()));
        return;
      }
      Kind kind = LpaeDescriptor.kindOf(raw, level, granule);
      switch (kind) {
        case INVALID:
          break;
        case TABLE:
          long next = LpaeDescriptor.address(raw, granule);
          if (!tablePages.add(next)) {
            anomalies.add(
                new Anomaly(
                    descriptorAddress,
                    level,
                    iova,
                    "table page reached twice: 0x" + Long.toHexString(next)));
          } else {
            walk(memory, stage, granule, level + 1, next, granule.size() / 8, iova);
          }
          break;
        case BLOCK:
        case PAGE:
          leaves.add(
              new Leaf(
                  iova,
                  granule.levelSize(level),
                  level,
                  LpaeDescriptor.address(raw, granule),
                  raw));
          break;
        default:
          anomalies.add(
              new Anomaly(
                  descriptorAddress,
                  level,
                  iova,
                  "reserved descriptor "
                      + LpaeDescriptor.decode(raw, stage, level, granule).describe()));
      }
    }
  }

  /** Every valid leaf, in IOVA order. */
  public List<Leaf> leaves() {
    return Collections.unmodifiableList(leaves);
  }

  /**
   * The base address of every table reached, ascending: the root table once (however many
   * concatenated pages it spans, it is one allocation), then every next-level table page.
   */
  public Set<Long> tablePages() {
    return Collections.unmodifiableSet(tablePages);
  }

  /** Every descriptor that could not be used. */
  public List<Anomaly> anomalies() {
    return Collections.unmodifiableList(anomalies);
  }

  /** Number of leaves of each size, by size ascending. */
  public TreeMap<Long, Integer> leavesBySize() {
    TreeMap<Long, Integer> out = new TreeMap<>();
    for (Leaf l : leaves) {
      out.merge(l.size(), 1, Integer::sum);
    }
    return out;
  }

  /**
   * The output address of {@code iova} according to the leaves, or -1 if no leaf covers it. Linear
   * in the number of leaves: meant for checks, not for hot paths.
   */
  public long translate(long iova) {
    for (Leaf l : leaves) {
      if (Long.compareUnsigned(iova - l.iova(), l.size()) < 0) {
        return l.outputAddress() + (iova - l.iova());
      }
    }
    return -1;
  }
}
