package org.smmulab.arch.cd;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.ste.WalkAttributeNames;

/**
 * The fields of a Context Descriptor (64 bytes, eight qwords) with the names used by the Arm
 * architecture. The TCR-like fields of qword 0 keep the TCR_EL1 names (T0SZ, TG0, IR0, ...); the
 * kernel calls IR0/OR0 {@code IRGN0}/{@code ORGN0}.
 *
 * <p>Positions follow the Linux {@code CTXDESC_CD_*} masks (cross-checked against the KUnit and
 * QEMU CD images) except IR1, OR1 and SH1, whose positions come from the Arm CD description alone
 * and are marked unverified. Qwords 5 to 7 (IMPLEMENTATION DEFINED, MPAM, reserved) are not
 * decoded: non-zero bits there print as reserved.
 */
public final class CdFields {
  // Qword 0: the TCR, V and the ASID.

  /** TTB0 region size: the input range is {@code 64 - T0SZ} bits, q0[5:0]. */
  public static final Field T0SZ = Field.of("T0SZ", 0, 5, 0);

  /** TTB0 granule, q0[7:6]: 0 4K, 1 64K, 2 16K. */
  public static final Field TG0 =
      Field.of("TG0", 0, 7, 6).withNames(WalkAttributeNames.GRANULE_TG0);

  /** TTB0 walk inner cacheability, q0[9:8] (the kernel's IRGN0). */
  public static final Field IR0 =
      Field.of("IR0", 0, 9, 8).withNames(WalkAttributeNames.CACHEABILITY);

  /** TTB0 walk outer cacheability, q0[11:10] (the kernel's ORGN0). */
  public static final Field OR0 =
      Field.of("OR0", 0, 11, 10).withNames(WalkAttributeNames.CACHEABILITY);

  /** TTB0 walk shareability, q0[13:12]. */
  public static final Field SH0 =
      Field.of("SH0", 0, 13, 12).withNames(WalkAttributeNames.SHAREABILITY);

  /**
   * TTB0 walk disable, q0[14]: addresses in the TTB0 range fault without a walk, and T0SZ, TG0,
   * IR0, OR0, SH0 and TTB0 are ignored.
   */
  public static final Field EPD0 = Field.bit("EPD0", 0, 14);

  /** Big-endian translation tables, q0[15]. */
  public static final Field ENDI = Field.bit("ENDI", 0, 15);

  /** TTB1 region size, q0[21:16]. */
  public static final Field T1SZ = Field.of("T1SZ", 0, 21, 16);

  /** TTB1 granule, q0[23:22]: 1 16K, 2 4K, 3 64K (a different encoding from TG0). */
  public static final Field TG1 =
      Field.of("TG1", 0, 23, 22).withNames(WalkAttributeNames.GRANULE_TG1);

  /** TTB1 walk inner cacheability, q0[25:24]. Position from the Arm CD description, unverified. */
  public static final Field IR1 =
      Field.of("IR1", 0, 25, 24).withNames(WalkAttributeNames.CACHEABILITY);

  /** TTB1 walk outer cacheability, q0[27:26]. Position from the Arm CD description, unverified. */
  public static final Field OR1 =
      Field.of("OR1", 0, 27, 26).withNames(WalkAttributeNames.CACHEABILITY);

  /** TTB1 walk shareability, q0[29:28]. Position from the Arm CD description, unverified. */
  public static final Field SH1 =
      Field.of("SH1", 0, 29, 28).withNames(WalkAttributeNames.SHAREABILITY);

  /** TTB1 walk disable, q0[30]; Linux always sets it. */
  public static final Field EPD1 = Field.bit("EPD1", 0, 30);

  /** Valid, q0[31]: 0 makes any use raise C_BAD_CD. */
  public static final Field V = Field.bit("V", 0, 31);

  /**
   * Output (intermediate physical) address size, q0[34:32], in the {@link AddressSize} encoding.
   */
  public static final Field IPS = Field.of("IPS", 0, 34, 32).withNames(AddressSize.NAMES);

  /** Access-flag fault disable, q0[35]. */
  public static final Field AFFD = Field.bit("AFFD", 0, 35);

  /** Top byte ignore for the TTB0 range, q0[38]. */
  public static final Field TBI0 = Field.bit("TBI0", 0, 38);

  /** Top byte ignore for the TTB1 range, q0[39]. */
  public static final Field TBI1 = Field.bit("TBI1", 0, 39);

  /** AArch64 (VMSAv8-64) translation tables, q0[41]. */
  public static final Field AA64 = Field.bit("AA64", 0, 41);

  /** Hardware dirty-state update, q0[42]. */
  public static final Field HD = Field.bit("HD", 0, 42);

  /** Hardware access-flag update, q0[43]. */
  public static final Field HA = Field.bit("HA", 0, 43);

  /** Stall on stage-1 faults, q0[44]. */
  public static final Field S = Field.bit("S", 0, 44);

  /** Record stage-1 faults, q0[45]. */
  public static final Field R = Field.bit("R", 0, 45);

  /** Terminated transactions report an abort (1) rather than RAZ/WI (0), q0[46]. */
  public static final Field A = Field.bit("A", 0, 46);

  /** Private ASID set, q0[47]: broadcast TLB invalidation does not reach these entries. */
  public static final Field ASET = Field.bit("ASET", 0, 47);

  /** Address space identifier, q0[63:48]. */
  public static final Field ASID = Field.of("ASID", 0, 63, 48);

  // Qword 1: TTB0.

  /** Starting-level TTB0 fetch uses NS = 1, q1[0] (meaningful for Secure streams only). */
  public static final Field NSCFG0 = Field.bit("NSCFG0", 1, 0);

  /** Hierarchical attribute disable for TTB0 walks, q1[1]. */
  public static final Field HAD0 = Field.bit("HAD0", 1, 1);

  /** Hardware access-flag update in table descriptors, q1[3]. */
  public static final Field HAFT = Field.bit("HAFT", 1, 3);

  /** TTB0 translation table base, q1[51:4] in place. */
  public static final Field TTB0 = Field.address("TTB0", 1, 51, 4);

  // Qword 2: TTB1.

  /** Starting-level TTB1 fetch uses NS = 1, q2[0] (meaningful for Secure streams only). */
  public static final Field NSCFG1 = Field.bit("NSCFG1", 2, 0);

  /** Hierarchical attribute disable for TTB1 walks, q2[1]. */
  public static final Field HAD1 = Field.bit("HAD1", 2, 1);

  /** TTB1 translation table base, q2[51:4] in place. */
  public static final Field TTB1 = Field.address("TTB1", 2, 51, 4);

  // Qwords 3 and 4.

  /** Memory attribute indirection, q3[63:0]: MAIR0 in the low 32 bits, MAIR1 in the high 32. */
  public static final Field MAIR = Field.of("MAIR", 3, 63, 0);

  /** Auxiliary memory attribute indirection, q4[63:0] (AMAIR0 low, AMAIR1 high). */
  public static final Field AMAIR = Field.of("AMAIR", 4, 63, 0);

  /** All decoded CD fields, qword by qword, low bits first. */
  public static final Layout LAYOUT =
      new Layout(
          "CD",
          8,
          List.of(
              T0SZ, TG0, IR0, OR0, SH0, EPD0, ENDI, T1SZ, TG1, IR1, OR1, SH1, EPD1, V, IPS, AFFD,
              TBI0, TBI1, AA64, HD, HA, S, R, A, ASET, ASID, NSCFG0, HAD0, HAFT, TTB0, NSCFG1, HAD1,
              TTB1, MAIR, AMAIR));

  private CdFields() {}
}
