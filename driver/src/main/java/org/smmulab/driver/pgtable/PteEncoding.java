package org.smmulab.driver.pgtable;

import static org.smmulab.arch.pte.LpaeDescriptor.AF;
import static org.smmulab.arch.pte.LpaeDescriptor.AP_RDONLY;
import static org.smmulab.arch.pte.LpaeDescriptor.AP_UNPRIV;
import static org.smmulab.arch.pte.LpaeDescriptor.ATTR_INDX;
import static org.smmulab.arch.pte.LpaeDescriptor.MEM_ATTR;
import static org.smmulab.arch.pte.LpaeDescriptor.NG;
import static org.smmulab.arch.pte.LpaeDescriptor.PXN;
import static org.smmulab.arch.pte.LpaeDescriptor.S2AP_READ;
import static org.smmulab.arch.pte.LpaeDescriptor.S2AP_WRITE;
import static org.smmulab.arch.pte.LpaeDescriptor.S2_XN;
import static org.smmulab.arch.pte.LpaeDescriptor.SH;
import static org.smmulab.arch.pte.LpaeDescriptor.TABLE_OR_PAGE;
import static org.smmulab.arch.pte.LpaeDescriptor.UXN;
import static org.smmulab.arch.pte.LpaeDescriptor.VALID;

import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.Stage;

/**
 * How {@link Prot} flags become descriptor bits (the kernel's {@code arm_lpae_prot_to_pte}), using
 * the field definitions of {@link LpaeDescriptor} for every bit.
 *
 * <p>Stage 1: nG always (every mapping is ASID-tagged); AP[2] read-only when READ without WRITE;
 * AP[1] (EL0 access) unless PRIV; AttrIndx {@link #ATTR_INDEX_DEVICE} for MMIO, else {@link
 * #ATTR_INDEX_CACHE} for CACHE, else {@link #ATTR_INDEX_NON_CACHEABLE}; UXN and PXN for NOEXEC.
 *
 * <p>Stage 2: S2AP read and write bits from READ and WRITE; MemAttr {@link #MEM_ATTR_DEVICE} for
 * MMIO, else {@link #MEM_ATTR_WRITE_BACK} for CACHE, else {@link #MEM_ATTR_NON_CACHEABLE}; XN = 3
 * for NOEXEC.
 *
 * <p>Both stages: AF set (the SMMU never has to fault on first access), shareability inner when
 * CACHE is set and outer otherwise (so MMIO|CACHE is device memory marked inner shareable, as in
 * the kernel), and the type bits: page (0b11) at level 3, block (0b01) above.
 */
public final class PteEncoding {
  /** MAIR index of normal non-cacheable memory. */
  public static final int ATTR_INDEX_NON_CACHEABLE = 0;

  /** MAIR index of normal write-back read/write-allocate memory. */
  public static final int ATTR_INDEX_CACHE = 1;

  /** MAIR index of Device-nGnRE memory. */
  public static final int ATTR_INDEX_DEVICE = 2;

  /** MAIR index of inner non-cacheable, outer write-back memory (unused by map, kept in MAIR). */
  public static final int ATTR_INDEX_INNER_NC_OUTER_WB = 3;

  /**
   * The stage-1 MAIR matching the indices above: byte 0 0x44 (normal NC), byte 1 0xff (normal WB
   * RW-allocate), byte 2 0x04 (Device-nGnRE), byte 3 0xf4 (inner NC, outer WB).
   */
  public static final long MAIR = 0xf404ff44L;

  /** Stage-2 MemAttr of Device-nGnRE memory. */
  public static final int MEM_ATTR_DEVICE = 0x1;

  /** Stage-2 MemAttr of normal non-cacheable memory. */
  public static final int MEM_ATTR_NON_CACHEABLE = 0x5;

  /** Stage-2 MemAttr of normal inner and outer write-back memory. */
  public static final int MEM_ATTR_WRITE_BACK = 0xf;

  /** Shareability encoding: outer shareable. */
  public static final int SH_OUTER = 2;

  /** Shareability encoding: inner shareable. */
  public static final int SH_INNER = 3;

  private PteEncoding() {}

  /**
   * The leaf descriptor mapping {@code pa} at {@code level}.
   *
   * @param prot {@link Prot} flags; the caller has checked that READ or WRITE is among them
   */
  public static long leaf(Stage stage, Granule granule, int level, long pa, int prot) {
    long pte = VALID.insert(0, 1);
    if (level == 3) {
      pte = TABLE_OR_PAGE.insert(pte, 1);
    }
    boolean cache = (prot & Prot.CACHE) != 0;
    boolean mmio = (prot & Prot.MMIO) != 0;
    boolean noExec = (prot & Prot.NOEXEC) != 0;
    if (stage == Stage.STAGE_1) {
      pte = NG.insert(pte, 1);
      if ((prot & Prot.READ) != 0 && (prot & Prot.WRITE) == 0) {
        pte = AP_RDONLY.insert(pte, 1);
      }
      if ((prot & Prot.PRIV) == 0) {
        pte = AP_UNPRIV.insert(pte, 1);
      }
      int attr = mmio ? ATTR_INDEX_DEVICE : cache ? ATTR_INDEX_CACHE : ATTR_INDEX_NON_CACHEABLE;
      pte = ATTR_INDX.insert(pte, attr);
      if (noExec) {
        pte = PXN.insert(UXN.insert(pte, 1), 1);
      }
    } else {
      if ((prot & Prot.READ) != 0) {
        pte = S2AP_READ.insert(pte, 1);
      }
      if ((prot & Prot.WRITE) != 0) {
        pte = S2AP_WRITE.insert(pte, 1);
      }
      int attr = mmio ? MEM_ATTR_DEVICE : cache ? MEM_ATTR_WRITE_BACK : MEM_ATTR_NON_CACHEABLE;
      pte = MEM_ATTR.insert(pte, attr);
      if (noExec) {
        pte = S2_XN.insert(pte, 3);
      }
    }
    pte = SH.insert(pte, cache ? SH_INNER : SH_OUTER);
    pte = AF.insert(pte, 1);
    return LpaeDescriptor.withAddress(pte, pa, granule);
  }

  /** The table descriptor pointing at the next-level table at {@code tablePa}. */
  public static long table(Granule granule, long tablePa) {
    long pte = TABLE_OR_PAGE.insert(VALID.insert(0, 1), 1);
    return LpaeDescriptor.withAddress(pte, tablePa, granule);
  }
}
