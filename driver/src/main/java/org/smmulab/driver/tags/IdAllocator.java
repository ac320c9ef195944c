package org.smmulab.driver.tags;

import java.util.BitSet;

/**
 * A space of small integer ids, handed out lowest-free-first from 1 (id 0 is reserved: ASID 0 for
 * the SVA release CD, VMID 0 for streams without stage 2), as the kernel's ida and allocating
 * xarray do, so a freed id is the next one reused.
 *
 * <p>Not thread-safe: the driver's tag lock guards every allocator.
 */
public final class IdAllocator {
  private final String name;
  private final BitSet used = new BitSet();

  /**
   * @param name what the ids are, for error messages (for example "ASID")
   */
  public IdAllocator(String name) {
    this.name = name;
  }

  /**
   * The lowest free id in {@code [1, maxId]}, now in use.
   *
   * @param where names the instance, for the error message
   * @throws TagExhaustedException if every id up to {@code maxId} is in use
   */
  public int allocate(int maxId, String where) throws TagExhaustedException {
    int id = used.nextClearBit(1);
    if (id > maxId) {
      throw new TagExhaustedException(
          "no free " + name + " on " + where + ": all " + maxId + " ids (1.." + maxId + ") in use");
    }
    used.set(id);
    return id;
  }

  /**
   * Returns {@code id} to the space.
   *
   * @throws IllegalStateException if it was not in use (a double free)
   */
  public void free(int id) {
    if (id <= 0 || !used.get(id)) {
      throw new IllegalStateException(name + " " + id + " freed but not in use");
    }
    used.clear(id);
  }

  /** Whether {@code id} is in use. */
  public boolean inUse(int id) {
    return id > 0 && used.get(id);
  }

  /** How many ids are in use. */
  public int inUseCount() {
    return used.cardinality();
  }
}
