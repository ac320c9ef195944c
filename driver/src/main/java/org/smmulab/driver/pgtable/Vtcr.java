package org.smmulab.driver.pgtable;

import org.smmulab.arch.pte.Granule;

/**
 * The stage-2 translation control values a stream table entry needs for one table (the kernel's
 * {@code arm_lpae_s2_cfg.vtcr}); all fields are raw encodings.
 *
 * @param tsz S2T0SZ: 64 minus the input address size
 * @param sl S2SL0 start level encoding: {@code ~(startLevel + (4K granule ? 1 : 0)) & 3}
 * @param tg S2TG granule encoding (0 4K, 1 64K, 2 16K)
 * @param ps S2PS output size encoding (0 32 bits ... 5 48 bits)
 * @param sh S2SH0 walk shareability (3 inner when the walk is coherent, else 2 outer)
 * @param irgn S2IR0 walk inner cacheability (1 write-back write-allocate when coherent, else 0)
 * @param orgn S2OR0 walk outer cacheability (as {@code irgn})
 */
public record Vtcr(int tsz, int sl, int tg, int ps, int sh, int irgn, int orgn) {
  /** The values for a stage-2 table built from {@code config} with {@code geometry}. */
  public static Vtcr of(PageTableConfig config, PageTableGeometry geometry) {
    Tcr walk = Tcr.of(config);
    int sl = geometry.startLevel() + (config.granule() == Granule.SIZE_4K ? 1 : 0);
    return new Vtcr(
        walk.tsz(), ~sl & 3, walk.tg(), walk.ips(), walk.sh(), walk.irgn(), walk.orgn());
  }
}
