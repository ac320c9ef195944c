package org.smmulab.driver.pgtable;

import java.util.ArrayList;
import java.util.List;

/**
 * Access permissions and memory type of a mapping, as bit flags with the values of the kernel's
 * {@code IOMMU_READ}, {@code IOMMU_WRITE}, ... so that traces read the same.
 */
public final class Prot {
  /** The device may read. */
  public static final int READ = 1;

  /** The device may write. */
  public static final int WRITE = 1 << 1;

  /** Cacheable, coherent memory (inner shareable, write-back). */
  public static final int CACHE = 1 << 2;

  /** The device may not fetch instructions. */
  public static final int NOEXEC = 1 << 3;

  /** Device memory (MMIO); takes precedence over {@link #CACHE} for the memory type. */
  public static final int MMIO = 1 << 4;

  /** Privileged accesses only (stage 1 only; stage 2 has no privilege distinction). */
  public static final int PRIV = 1 << 5;

  /** Every defined flag. */
  public static final int ALL = READ | WRITE | CACHE | NOEXEC | MMIO | PRIV;

  private Prot() {}

  /** The flags as {@code "R|W|CACHE"}, or {@code "none"}. Unknown bits print in hex. */
  public static String describe(int prot) {
    List<String> parts = new ArrayList<>();
    String[] names = {"R", "W", "CACHE", "NOEXEC", "MMIO", "PRIV"};
    for (int i = 0; i < names.length; i++) {
      if ((prot & (1 << i)) != 0) {
        parts.add(names[i]);
      }
    }
    if ((prot & ~ALL) != 0) {
      parts.add("0x" + Integer.toHexString(prot & ~ALL));
    }
    return parts.isEmpty() ? "none" : String.join("|", parts);
  }
}
