package org.smmulab.driver.pgtable;

import org.smmulab.arch.pte.AddressSize;

/**
 * The stage-1 translation control values a context descriptor needs for one table (the kernel's
 * {@code arm_lpae_s1_cfg.tcr}); all fields are raw encodings.
 *
 * @param tsz T0SZ: 64 minus the input address size
 * @param tg TG0 granule encoding (0 4K, 1 64K, 2 16K)
 * @param ips IPS output size encoding (0 32 bits ... 5 48 bits)
 * @param sh SH0 walk shareability (3 inner when the walk is coherent, else 2 outer)
 * @param irgn IRGN0 walk inner cacheability (1 write-back write-allocate when coherent, else 0)
 * @param orgn ORGN0 walk outer cacheability (as {@code irgn})
 */
public record Tcr(int tsz, int tg, int ips, int sh, int irgn, int orgn) {
  /** The values for a table built from {@code config} (any stage; the CD uses them at stage 1). */
  public static Tcr of(PageTableConfig config) {
    boolean coherent = config.coherentWalk();
    return new Tcr(
        64 - config.ias(),
        config.granule().tg0Encoding(),
        AddressSize.encodingFor(config.oas()),
        coherent ? PteEncoding.SH_INNER : PteEncoding.SH_OUTER,
        coherent ? WALK_WRITE_BACK : WALK_NON_CACHEABLE,
        coherent ? WALK_WRITE_BACK : WALK_NON_CACHEABLE);
  }

  /** IRGN/ORGN encoding: non-cacheable walks. */
  public static final int WALK_NON_CACHEABLE = 0;

  /** IRGN/ORGN encoding: write-back, write-allocate walks. */
  public static final int WALK_WRITE_BACK = 1;
}
