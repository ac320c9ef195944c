package org.smmulab.driver.pgtable;

import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;

/**
 * What a page table is asked to be (the kernel's {@code struct io_pgtable_cfg} for the LPAE
 * formats).
 *
 * @param stage stage 1 (VA to IPA/PA, TCR and MAIR) or stage 2 (IPA to PA, VTCR)
 * @param granule the translation granule, also the smallest page size
 * @param pgsizeBitmap the page and block sizes map may use, one bit per size in bytes; it must hold
 *     the granule and may hold only sizes the granule can map at one level without 52-bit
 *     extensions (4K: 4K, 2M, 1G; 16K: 16K, 32M; 64K: 64K, 512M)
 * @param ias input address size in bits, 32 to 48
 * @param oas output address size in bits: 32, 36, 40, 42, 44 or 48
 * @param coherentWalk whether the SMMU's table walks snoop the CPU caches; this selects the walk
 *     attributes in the TCR/VTCR (the model has no caches, so it needs no cache maintenance)
 */
public record PageTableConfig(
    Stage stage, Granule granule, long pgsizeBitmap, int ias, int oas, boolean coherentWalk) {
  /** The smallest input or output address size accepted. */
  public static final int MIN_ADDRESS_BITS = 32;

  /** The largest input or output address size accepted (no 52-bit extensions). */
  public static final int MAX_ADDRESS_BITS = 48;

  /**
   * @throws IllegalArgumentException naming the field that is out of range
   */
  public PageTableConfig {
    if (stage == null || granule == null) {
      throw new IllegalArgumentException("page table config needs a stage and a granule");
    }
    if (ias < MIN_ADDRESS_BITS || ias > MAX_ADDRESS_BITS) {
      throw new IllegalArgumentException(
          "ias must be " + MIN_ADDRESS_BITS + ".." + MAX_ADDRESS_BITS + " bits, got " + ias);
    }
    int encoding = AddressSize.encodingFor(oas);
    if (oas < MIN_ADDRESS_BITS
        || oas > MAX_ADDRESS_BITS
        || encoding < 0
        || AddressSize.bits(encoding) != oas) {
      throw new IllegalArgumentException(
          "oas must be one of 32, 36, 40, 42, 44, 48 bits, got " + oas);
    }
    if ((pgsizeBitmap & granule.size()) == 0) {
      throw new IllegalArgumentException(
          String.format("page sizes 0x%x do not include the %s granule", pgsizeBitmap, granule));
    }
    long allowed = supportedPageSizes(granule);
    if ((pgsizeBitmap & ~allowed) != 0) {
      throw new IllegalArgumentException(
          String.format(
              "page sizes 0x%x include 0x%x, which the %s granule cannot map (supported 0x%x)",
              pgsizeBitmap, pgsizeBitmap & ~allowed, granule, allowed));
    }
  }

  /**
   * A config with every page size the granule supports and a coherent walk, as the SMMUv3 driver
   * sets up a domain on a coherent system.
   */
  public static PageTableConfig of(Stage stage, Granule granule, int ias, int oas) {
    return new PageTableConfig(stage, granule, supportedPageSizes(granule), ias, oas, true);
  }

  /**
   * A coherent-walk config whose granule is the smallest size in {@code pgsizeBitmap} (how the
   * io-pgtable selftests describe a format).
   */
  public static PageTableConfig ofPageSizes(Stage stage, long pgsizeBitmap, int ias, int oas) {
    Granule granule = Granule.ofSize(Long.lowestOneBit(pgsizeBitmap));
    if (granule == null) {
      throw new IllegalArgumentException(
          String.format("smallest page size of 0x%x is not a granule", pgsizeBitmap));
    }
    return new PageTableConfig(stage, granule, pgsizeBitmap, ias, oas, true);
  }

  /** This config with a different walk coherency. */
  public PageTableConfig withCoherentWalk(boolean coherent) {
    return new PageTableConfig(stage, granule, pgsizeBitmap, ias, oas, coherent);
  }

  /** Every page and block size {@code granule} can map without 52-bit extensions. */
  public static long supportedPageSizes(Granule granule) {
    long sizes = granule.size();
    for (int level = 0; level < 3; level++) {
      if (granule.blockAllowed(level)) {
        sizes |= granule.levelSize(level);
      }
    }
    return sizes;
  }

  @Override
  public String toString() {
    StringBuilder sizes = new StringBuilder();
    for (long rest = pgsizeBitmap; rest != 0; rest &= rest - 1) {
      long size = Long.lowestOneBit(rest);
      if (sizes.length() > 0) {
        sizes.append('|');
      }
      sizes.append(
          size >= 1L << 30
              ? (size >> 30) + "G"
              : size >= 1L << 20 ? (size >> 20) + "M" : (size >> 10) + "K");
    }
    return String.format(
        "%s ias=%d oas=%d %s%s",
        sizes, ias, oas, stage == Stage.STAGE_1 ? "S1" : "S2", coherentWalk ? "" : " non-coherent");
  }
}
