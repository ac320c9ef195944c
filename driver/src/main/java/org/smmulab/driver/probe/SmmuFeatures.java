package org.smmulab.driver.probe;

import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.regs.Idr0;
import org.smmulab.arch.regs.Idr1;
import org.smmulab.arch.regs.Idr3;
import org.smmulab.arch.regs.Idr5;
import org.smmulab.arch.regs.RegisterOffsets;

/**
 * What one SMMU instance offers the driver (Linux {@code arm_smmu_device_hw_probe}), read from its
 * ID registers.
 *
 * @param stage1 IDR0.S1P
 * @param stage2 IDR0.S2P
 * @param coherent IDR0.COHACC: table walks and queue accesses snoop the CPU caches
 * @param hyp IDR0.HYP
 * @param ats IDR0.ATS
 * @param pri IDR0.PRI
 * @param msi IDR0.MSI
 * @param sev IDR0.SEV
 * @param stalls the stall model is configurable (IDR0.STALL_MODEL = 0)
 * @param cd2l IDR0.CD2L
 * @param twoLevelStreamTable IDR0.ST_LEVEL = 1
 * @param asidBits 16 with IDR0.ASID16, else 8
 * @param vmidBits 16 with IDR0.VMID16, else 8
 * @param sidBits IDR1.SIDSIZE
 * @param ssidBits IDR1.SSIDSIZE
 * @param cmdqLog2 IDR1.CMDQS
 * @param evtqLog2 IDR1.EVENTQS
 * @param priqLog2 IDR1.PRIQS
 * @param attrTypesOverride IDR1.ATTR_TYPES_OVR
 * @param rangeInvalidation IDR3.RIL
 * @param oasBits IDR5.OAS in bits
 * @param pageSizes the page and block sizes of the supported granules, as a bitmap
 */
public record SmmuFeatures(
    boolean stage1,
    boolean stage2,
    boolean coherent,
    boolean hyp,
    boolean ats,
    boolean pri,
    boolean msi,
    boolean sev,
    boolean stalls,
    boolean cd2l,
    boolean twoLevelStreamTable,
    int asidBits,
    int vmidBits,
    int sidBits,
    int ssidBits,
    int cmdqLog2,
    int evtqLog2,
    int priqLog2,
    boolean attrTypesOverride,
    boolean rangeInvalidation,
    int oasBits,
    long pageSizes) {

  /** The smallest command queue Linux accepts: more than 64 entries (CMDQS above 6). */
  public static final int MIN_CMDQ_LOG2 = 7;

  /**
   * Reads and checks the ID registers.
   *
   * @throws ProbeException for what Linux refuses: no translation stage, no AArch64 table format,
   *     no little-endian tables, IDR1.REL, QUEUES_PRESET or TABLES_PRESET, a command queue of 64
   *     entries or fewer, an output size the architecture does not define, or no supported granule
   */
  public static SmmuFeatures probe(RegisterBus regs) throws ProbeException {
    Idr0 idr0 = Idr0.decode(regs.read32(RegisterOffsets.IDR0));
    Idr1 idr1 = Idr1.decode(regs.read32(RegisterOffsets.IDR1));
    Idr3 idr3 = Idr3.decode(regs.read32(RegisterOffsets.IDR3));
    Idr5 idr5 = Idr5.decode(regs.read32(RegisterOffsets.IDR5));
    boolean s1 = idr0.get(Idr0.S1P) != 0;
    boolean s2 = idr0.get(Idr0.S2P) != 0;
    if (!s1 && !s2) {
      throw new ProbeException("IDR0: neither stage 1 nor stage 2 is implemented");
    }
    if ((idr0.get(Idr0.TTF) & 0b10) == 0) {
      throw new ProbeException("IDR0.TTF: AArch64 translation tables are not supported");
    }
    long endian = idr0.get(Idr0.TTENDIAN);
    if (endian != 0 && endian != 2) {
      throw new ProbeException("IDR0.TTENDIAN: little-endian tables are not supported");
    }
    if (idr1.get(Idr1.REL) != 0) {
      throw new ProbeException("IDR1.REL: relative base pointers are not supported");
    }
    if (idr1.get(Idr1.QUEUES_PRESET) != 0 || idr1.get(Idr1.TABLES_PRESET) != 0) {
      throw new ProbeException("IDR1: embedded implementations with preset tables or queues");
    }
    int cmdqLog2 = (int) idr1.get(Idr1.CMDQS);
    if (cmdqLog2 < MIN_CMDQ_LOG2) {
      throw new ProbeException(
          "IDR1.CMDQS " + cmdqLog2 + ": the command queue must hold more than 64 entries");
    }
    int oasBits = AddressSize.bits((int) idr5.get(Idr5.OAS));
    if (oasBits < 0) {
      throw new ProbeException("IDR5.OAS " + idr5.get(Idr5.OAS) + " is reserved");
    }
    long pageSizes = 0;
    if (idr5.get(Idr5.GRAN4K) != 0) {
      pageSizes |= Granule.SIZE_4K.size() | 1L << 21 | 1L << 30;
    }
    if (idr5.get(Idr5.GRAN16K) != 0) {
      pageSizes |= Granule.SIZE_16K.size() | 1L << 25;
    }
    if (idr5.get(Idr5.GRAN64K) != 0) {
      pageSizes |= Granule.SIZE_64K.size() | 1L << 29;
    }
    if (pageSizes == 0) {
      throw new ProbeException("IDR5: no translation granule is supported");
    }
    return new SmmuFeatures(
        s1,
        s2,
        idr0.get(Idr0.COHACC) != 0,
        idr0.get(Idr0.HYP) != 0,
        idr0.get(Idr0.ATS) != 0,
        idr0.get(Idr0.PRI) != 0,
        idr0.get(Idr0.MSI) != 0,
        idr0.get(Idr0.SEV) != 0,
        idr0.get(Idr0.STALL_MODEL) == 0,
        idr0.get(Idr0.CD2L) != 0,
        idr0.get(Idr0.ST_LEVEL) == 1,
        idr0.get(Idr0.ASID16) != 0 ? 16 : 8,
        idr0.get(Idr0.VMID16) != 0 ? 16 : 8,
        (int) idr1.get(Idr1.SIDSIZE),
        (int) idr1.get(Idr1.SSIDSIZE),
        cmdqLog2,
        (int) idr1.get(Idr1.EVENTQS),
        (int) idr1.get(Idr1.PRIQS),
        idr1.get(Idr1.ATTR_TYPES_OVR) != 0,
        idr3.get(Idr3.RIL) != 0,
        oasBits,
        pageSizes);
  }

  /** Whether MSI completion polling is used for CMD_SYNC (MSI and coherent, as Linux decides). */
  public boolean msiPolling() {
    return msi && coherent;
  }
}
