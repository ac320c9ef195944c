package org.smmulab.verify.oracle;

import java.util.Arrays;

/**
 * What the oracle knows of one 4 KiB IOVA page of one domain: its mapping records (oldest first)
 * and every physical page it was ever mapped to, kept after the records are pruned so that a stale
 * use is still told from an isolation breach.
 *
 * <p>Written only by the driver thread, under the clock's publication lock or (pruning) for records
 * no DMA in flight can need; both arrays are copied on write and published through volatile fields,
 * so DMA threads read them without locks.
 */
final class PageTruth {
  private static final Oracle.MappingRecord[] NO_RECORDS = new Oracle.MappingRecord[0];
  private static final long[] NO_PAGES = new long[0];

  private volatile Oracle.MappingRecord[] records = NO_RECORDS;
  private volatile long[] everMapped = NO_PAGES;

  /** The mapping records, oldest first; the array must not be modified. */
  Oracle.MappingRecord[] records() {
    return records;
  }

  /** Whether the page was ever mapped to physical page {@code paPage}. */
  boolean everMapped(long paPage) {
    return Arrays.binarySearch(everMapped, paPage) >= 0;
  }

  /** Adds a record and remembers its physical page. Driver thread only. */
  void add(Oracle.MappingRecord record) {
    Oracle.MappingRecord[] old = records;
    Oracle.MappingRecord[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = record;
    records = grown;
    long[] pages = everMapped;
    int at = Arrays.binarySearch(pages, record.paPage);
    if (at < 0) {
      int insert = -at - 1;
      long[] more = new long[pages.length + 1];
      System.arraycopy(pages, 0, more, 0, insert);
      more[insert] = record.paPage;
      System.arraycopy(pages, insert, more, insert + 1, pages.length - insert);
      everMapped = more;
    }
  }

  /** Drops {@code record} from the records (its physical page stays known). Driver thread only. */
  void remove(Oracle.MappingRecord record) {
    Oracle.MappingRecord[] old = records;
    for (int i = 0; i < old.length; i++) {
      if (old[i] == record) {
        Oracle.MappingRecord[] shrunk = new Oracle.MappingRecord[old.length - 1];
        System.arraycopy(old, 0, shrunk, 0, i);
        System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
        records = shrunk;
        return;
      }
    }
  }
}
