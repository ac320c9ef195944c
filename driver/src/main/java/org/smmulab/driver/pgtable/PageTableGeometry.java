package org.smmulab.driver.pgtable;

import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;

/**
 * The shape of a page table derived from its {@link PageTableConfig}: start level, the size of the
 * top table (PGD) and stage-2 concatenation, with the rules of the kernel's {@code
 * arm_lpae_alloc_pgtable}.
 *
 * <p>Each level resolves {@code granule shift - 3} bits; the start level is the highest one needed
 * to cover the input address size, and the PGD resolves what is left. At stage 2, when the Arm
 * architecture makes concatenation mandatory for the start level and address sizes (DDI0487,
 * R_DXBSH and R_SRKBC), the walk starts one level lower and the PGD becomes 2..16 concatenated
 * tables:
 *
 * <ul>
 *   <li>16K granule, start level 0, and an input or output size of 48 bits;
 *   <li>4K granule, start level 0, and an output size of 40 or 42 bits;
 *   <li>16K granule, start level 1, and an output size of 40 bits.
 * </ul>
 *
 * Concatenation is used only when mandatory (the newest kernel rule); more than 16 tables would be
 * needed only for configurations the architecture does not allow and is rejected.
 */
public final class PageTableGeometry {
  /** The most tables a stage-2 start level may concatenate. */
  public static final int MAX_CONCATENATED_TABLES = 16;

  private final Granule granule;
  private final int startLevel;
  private final int pgdBits;
  private final int concatenatedTables;

  /**
   * @throws IllegalArgumentException if stage-2 concatenation would need more than {@value
   *     #MAX_CONCATENATED_TABLES} tables, or a page size maps at a level above the start level
   */
  public PageTableGeometry(PageTableConfig config) {
    this.granule = config.granule();
    int stride = granule.stride();
    int vaBits = config.ias() - granule.shift();
    int levels = (vaBits + stride - 1) / stride;
    int start = 4 - levels;
    int bits = vaBits - stride * (levels - 1);
    int tables = 1;
    if (config.stage() == Stage.STAGE_2 && concatenationMandatory(config, start)) {
      tables = 1 << bits;
      if (tables > MAX_CONCATENATED_TABLES) {
        throw new IllegalArgumentException(
            config
                + ": stage-2 start level "
                + start
                + " would need "
                + tables
                + " concatenated tables, at most "
                + MAX_CONCATENATED_TABLES
                + " are allowed");
      }
      bits += stride;
      start++;
    }
    this.startLevel = start;
    this.pgdBits = bits;
    this.concatenatedTables = tables;
    for (long rest = config.pgsizeBitmap(); rest != 0; rest &= rest - 1) {
      long size = Long.lowestOneBit(rest);
      if (leafLevel(size) < startLevel) {
        throw new IllegalArgumentException(
            String.format(
                "%s: page size 0x%x maps above the start level %d", config, size, startLevel));
      }
    }
  }

  private static boolean concatenationMandatory(PageTableConfig config, int start) {
    int ias = config.ias();
    int oas = config.oas();
    switch (config.granule()) {
      case SIZE_16K:
        return (start == 0 && (oas == 48 || ias == 48)) || (start == 1 && oas == 40);
      case SIZE_4K:
        return start == 0 && (oas == 40 || oas == 42);
      default:
        return false;
    }
  }

  /** The level the walk starts at (0..3). */
  public int startLevel() {
    return startLevel;
  }

  /** Number of levels walked, {@code 4 - startLevel}. */
  public int levels() {
    return 4 - startLevel;
  }

  /** Input address bits the PGD resolves (including concatenation). */
  public int pgdBits() {
    return pgdBits;
  }

  /** Descriptors in the PGD (all concatenated tables together). */
  public long pgdEntries() {
    return 1L << pgdBits;
  }

  /** Bytes of the PGD (8 per descriptor). */
  public long pgdBytes() {
    return pgdEntries() * 8;
  }

  /** How many tables the stage-2 PGD concatenates; 1 when it does not. */
  public int concatenatedTables() {
    return concatenatedTables;
  }

  /** Whether the PGD is a stage-2 concatenation of several tables. */
  public boolean concatenated() {
    return concatenatedTables > 1;
  }

  /** Bytes of a table below the PGD: one granule. */
  public long tableBytes() {
    return granule.size();
  }

  /** Input address bits resolved at {@code level}. */
  public int bitsAt(int level) {
    return level == startLevel ? pgdBits : granule.stride();
  }

  /** Index of the descriptor for {@code iova} in the table at {@code level}. */
  public int index(long iova, int level) {
    return (int) ((iova >>> granule.levelShift(level)) & ((1L << bitsAt(level)) - 1));
  }

  /** The level whose descriptors map {@code pageSize} bytes, or -1 if no level does. */
  public int leafLevel(long pageSize) {
    for (int level = 0; level <= 3; level++) {
      if (granule.levelSize(level) == pageSize) {
        return level;
      }
    }
    return -1;
  }
}
