package org.smmulab.verify.oracle;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The pages of one domain the oracle knows, by IOVA page number: a hash table of 2 MiB chunks (512
 * pages each), open addressing, replaced whole when a chunk is added. Lookups ({@link #page}) take
 * no lock and allocate nothing; additions ({@link #pageForWrite}) are made by the driver thread
 * only.
 */
final class PageIndex {
  private static final int CHUNK_SHIFT = 9;
  private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;

  /** An immutable table: chunk numbers and chunks at the same slots, null where free. */
  private static final class Table {
    final long[] numbers;
    final Chunk[] chunks;
    final int mask;
    final int used;

    Table(int capacity, int used) {
      this.numbers = new long[capacity];
      this.chunks = new Chunk[capacity];
      this.mask = capacity - 1;
      this.used = used;
    }

    Chunk find(long number) {
      for (int i = slot(number, mask); ; i = (i + 1) & mask) {
        Chunk c = chunks[i];
        if (c == null || numbers[i] == number) {
          return c;
        }
      }
    }

    void put(long number, Chunk chunk) {
      int i = slot(number, mask);
      while (chunks[i] != null) {
        i = (i + 1) & mask;
      }
      numbers[i] = number;
      chunks[i] = chunk;
    }
  }

  private static final class Chunk extends AtomicReferenceArray<PageTruth> {
    Chunk() {
      super(CHUNK_PAGES);
    }
  }

  private volatile Table table = new Table(16, 0);

  private static int slot(long number, int mask) {
    return (int) ((number * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
  }

  /** The page's truth, or {@code null} if the oracle never saw it mapped. */
  PageTruth page(long pageNumber) {
    Chunk chunk = table.find(pageNumber >>> CHUNK_SHIFT);
    return chunk == null ? null : chunk.get((int) pageNumber & (CHUNK_PAGES - 1));
  }

  /** The page's truth, made if needed. Driver thread only. */
  PageTruth pageForWrite(long pageNumber) {
    long number = pageNumber >>> CHUNK_SHIFT;
    Table t = table;
    Chunk chunk = t.find(number);
    if (chunk == null) {
      chunk = new Chunk();
      int capacity = t.numbers.length;
      if ((t.used + 1) * 2 > capacity) {
        capacity *= 2;
      }
      Table grown = new Table(capacity, t.used + 1);
      for (int i = 0; i < t.chunks.length; i++) {
        if (t.chunks[i] != null) {
          grown.put(t.numbers[i], t.chunks[i]);
        }
      }
      grown.put(number, chunk);
      table = grown;
    }
    int index = (int) pageNumber & (CHUNK_PAGES - 1);
    PageTruth page = chunk.get(index);
    if (page == null) {
      page = new PageTruth();
      chunk.set(index, page);
    }
    return page;
  }
}
