package org.smmulab.driver.entry;

import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.driver.pgtable.Tcr;

/**
 * Builds the context descriptors the driver installs, field for field as Linux's {@code
 * arm_smmu_make_s1_cd} does (the KUnit images in the shared vectors are the check). Pure functions.
 */
public final class ContextDescriptors {
  private ContextDescriptors() {}

  /**
   * The CD of a stage-1 paging domain: TTB0 walks the domain's table under {@code asid}; TTB1 is
   * disabled; faults are recorded (R) and abort (A); the ASID is private to the SMMU (ASET).
   *
   * @param asid the domain's ASID on this instance (its cache tag)
   * @param ttbr physical address of the stage-1 root table
   * @param tcr the table's translation controls
   * @param mair the memory attribute indirection the table's AttrIndx values refer to
   * @param stallEnabled whether faults stall (S)
   */
  public static Cd s1Domain(int asid, long ttbr, Tcr tcr, long mair, boolean stallEnabled) {
    return Cd.builder()
        .set(CdFields.T0SZ, tcr.tsz())
        .set(CdFields.TG0, tcr.tg())
        .set(CdFields.IR0, tcr.irgn())
        .set(CdFields.OR0, tcr.orgn())
        .set(CdFields.SH0, tcr.sh())
        .set(CdFields.EPD1, 1)
        .set(CdFields.V, 1)
        .set(CdFields.IPS, tcr.ips())
        .set(CdFields.AA64, 1)
        .set(CdFields.S, stallEnabled)
        .set(CdFields.R, 1)
        .set(CdFields.A, 1)
        .set(CdFields.ASET, 1)
        .set(CdFields.ASID, asid)
        .set(CdFields.TTB0, ttbr)
        .set(CdFields.MAIR, mair)
        .build();
  }
}
