package org.smmulab.driver.pgtable;

import java.util.List;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.testing.TestMemory;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;

/** A memory, an allocator over one RAM range of it, and helpers to build tables in them. */
final class Fixture {
  static final long RAM_BASE = 0x8000_0000L;
  static final long KIB = 1L << 10;
  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;

  final TestMemory memory = new TestMemory(48);
  final PageAllocator allocator;

  Fixture() {
    this(64 * MIB);
  }

  Fixture(long ramBytes) {
    allocator = new PageAllocator(memory, List.of(new RamRange(RAM_BASE, ramBytes)));
  }

  IoPageTable table(PageTableConfig config) throws Exception {
    return IoPageTable.create(config, memory, allocator);
  }

  IoPageTable table(Stage stage, Granule granule, int ias, int oas) throws Exception {
    return table(PageTableConfig.of(stage, granule, ias, oas));
  }

  /** Parses the vectors' {@code "4K|2M|1G"} notation into a page size bitmap. */
  static long pageSizes(String text) {
    long bitmap = 0;
    for (String part : text.split("\\|")) {
      long n = Long.parseLong(part.substring(0, part.length() - 1));
      char unit = part.charAt(part.length() - 1);
      bitmap |= n << (unit == 'K' ? 10 : unit == 'M' ? 20 : 30);
    }
    return bitmap;
  }
}
