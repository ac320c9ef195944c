package org.smmulab.arch.ste;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;
import org.smmulab.arch.pte.AddressSize;

/**
 * The fields of a Stream Table Entry (64 bytes, eight qwords) with the names used by the Arm
 * architecture, and the named encodings of the fields that have them.
 *
 * <p>Positions follow the Linux {@code STRTAB_STE_*} masks (cross-checked against the KUnit entry
 * images) for everything Linux writes. The attribute overrides of qword 1 that Linux never writes
 * (DRE, CONT, DCP, PPAR, MemAttr, MTCFG, ALLOCCFG, NSCFG, PRIVCFG) take their positions from the
 * Arm STE description; they are not cross-checked against any test image, which their Javadoc says.
 * Qwords 4 to 7 (Secure, MPAM and VMS fields) are not decoded: non-zero bits there print as
 * reserved.
 */
public final class SteFields {
  /** S1Fmt 0: a linear table of CDs (or a single CD when S1CDMax is 0). */
  public static final int S1FMT_LINEAR = 0;

  /** S1Fmt 1: two levels, 4 KiB leaf tables of 64 CDs. */
  public static final int S1FMT_2LVL_4K = 1;

  /** S1Fmt 2: two levels, 64 KiB leaf tables of 1024 CDs (what Linux uses). */
  public static final int S1FMT_2LVL_64K = 2;

  /** S1DSS 0: traffic without a SubstreamID is terminated (F_STREAM_DISABLED). */
  public static final int S1DSS_TERMINATE = 0;

  /** S1DSS 1: traffic without a SubstreamID bypasses stage 1. */
  public static final int S1DSS_BYPASS = 1;

  /** S1DSS 2: traffic without a SubstreamID uses CD 0; SubstreamID 0 itself is then refused. */
  public static final int S1DSS_SSID0 = 2;

  /** EATS 0: ATS not allowed (the kernel's ABORT). */
  public static final int EATS_ABORT = 0;

  /** EATS 1: full ATS, the device receives physical addresses. */
  public static final int EATS_FULL = 1;

  /** EATS 2: split-stage ATS, the device receives IPAs (the kernel's S1CHK). */
  public static final int EATS_SPLIT_S1CHK = 2;

  /** STRW 0: Non-secure EL1 StreamWorld. */
  public static final int STRW_NS_EL1 = 0;

  /** STRW 2: EL2 StreamWorld (EL2-E2H when SMMU_CR2.E2H is 1). */
  public static final int STRW_EL2 = 2;

  /** SHCFG 1: use the incoming shareability. */
  public static final int SHCFG_INCOMING = 1;

  /** INSTCFG 0: use the incoming instruction/data attribute. */
  public static final int INSTCFG_INCOMING = 0;

  /** INSTCFG 2: treat every access as a data access. */
  public static final int INSTCFG_DATA = 2;

  /** Names of S1Fmt: {@code linear, 2lvl-4k, 2lvl-64k}; 3 is reserved (behaves as linear). */
  public static final ValueNames S1FMT_NAMES =
      ValueNames.of(S1FMT_LINEAR, "linear", S1FMT_2LVL_4K, "2lvl-4k", S1FMT_2LVL_64K, "2lvl-64k");

  /** Names of S1DSS: {@code terminate, bypass, ssid0}; 3 is reserved (behaves as terminate). */
  public static final ValueNames S1DSS_NAMES =
      ValueNames.of(S1DSS_TERMINATE, "terminate", S1DSS_BYPASS, "bypass", S1DSS_SSID0, "ssid0");

  /**
   * Names of the CD-fetch cacheability fields S1CIR and S1COR: 0 non-cacheable, 1 write-back
   * read-allocate, 2 write-through, 3 write-back without read-allocate.
   */
  public static final ValueNames CD_FETCH_CACHEABILITY =
      ValueNames.of(0, "nc", 1, "wbra", 2, "wt", 3, "wb");

  /** Names of EATS: {@code abort, full, split-s1chk}; 3 prints as reserved. */
  public static final ValueNames EATS_NAMES =
      ValueNames.of(EATS_ABORT, "abort", EATS_FULL, "full", EATS_SPLIT_S1CHK, "split-s1chk");

  /** Names of STRW for a Non-secure STE: {@code ns-el1, el2}; 1 and 3 print as reserved. */
  public static final ValueNames STRW_NAMES = ValueNames.of(STRW_NS_EL1, "ns-el1", STRW_EL2, "el2");

  /** Names of SHCFG: {@code nsh, incoming, osh, ish}. */
  public static final ValueNames SHCFG_NAMES =
      ValueNames.of(0, "nsh", SHCFG_INCOMING, "incoming", 2, "osh", 3, "ish");

  /** Names of INSTCFG: {@code incoming, data, instruction}; 1 prints as reserved. */
  public static final ValueNames INSTCFG_NAMES =
      ValueNames.of(INSTCFG_INCOMING, "incoming", INSTCFG_DATA, "data", 3, "instruction");

  // Qword 0.

  /** Valid, q0[0]: 0 makes any use raise C_BAD_STE. */
  public static final Field V = Field.bit("V", 0, 0);

  /** Stream configuration, q0[3:1]; see {@link StreamConfig}. */
  public static final Field CONFIG = Field.of("Config", 0, 3, 1).withNames(StreamConfig.NAMES);

  /** Format of the CD table, q0[5:4]: {@link #S1FMT_LINEAR}, 2-level 4K or 2-level 64K. */
  public static final Field S1_FMT = Field.of("S1Fmt", 0, 5, 4).withNames(S1FMT_NAMES);

  /**
   * Address of the CD (or level-1 CD) table, q0[51:6] in place; an IPA when stage 2 translates.
   *
   * <p>The architecture allows the pointer to reach bit 55 for 56-bit addresses; like Linux we
   * decode 52-bit addresses, so bits 55:52 print as reserved.
   */
  public static final Field S1_CONTEXT_PTR = Field.address("S1ContextPtr", 0, 51, 6);

  /** log2 of the number of CDs, q0[63:59]; 0 means one CD and no SubstreamIDs. */
  public static final Field S1_CD_MAX = Field.of("S1CDMax", 0, 63, 59);

  // Qword 1.

  /** Default substream for traffic without a SubstreamID, q1[1:0]; see {@link #S1DSS_NAMES}. */
  public static final Field S1_DSS = Field.of("S1DSS", 1, 1, 0).withNames(S1DSS_NAMES);

  /** Inner cacheability of CD fetches, q1[3:2]. */
  public static final Field S1_CIR = Field.of("S1CIR", 1, 3, 2).withNames(CD_FETCH_CACHEABILITY);

  /** Outer cacheability of CD fetches, q1[5:4]. */
  public static final Field S1_COR = Field.of("S1COR", 1, 5, 4).withNames(CD_FETCH_CACHEABILITY);

  /** Shareability of CD fetches, q1[7:6]. */
  public static final Field S1_CSH =
      Field.of("S1CSH", 1, 7, 6).withNames(WalkAttributeNames.SHAREABILITY);

  /** Destructive read enable, q1[12]. Position from the Arm SMMUv3 STE description. */
  public static final Field DRE = Field.bit("DRE", 1, 12);

  /**
   * Contiguous hint, q1[16:13]: the STE repeats over 2^CONT StreamIDs. Position from the Arm SMMUv3
   * STE description.
   */
  public static final Field CONT = Field.of("CONT", 1, 16, 13);

  /** Directed cache prefetch, q1[17]. Position from the Arm SMMUv3 STE description. */
  public static final Field DCP = Field.bit("DCP", 1, 17);

  /** PRI auto-response carries a PASID, q1[18]. Position from the Arm SMMUv3 STE description. */
  public static final Field PPAR = Field.bit("PPAR", 1, 18);

  /** Merge events, q1[19]: the SMMU may coalesce fault records of this stream. */
  public static final Field MEV = Field.bit("MEV", 1, 19);

  /** Stage-2 forced write-back, q1[25]. */
  public static final Field S2_FWB = Field.bit("S2FWB", 1, 25);

  /** Stage-1 stall disable, q1[27]: stage-1 faults always terminate. */
  public static final Field S1_STALLD = Field.bit("S1STALLD", 1, 27);

  /** ATS enable, q1[29:28]; see {@link #EATS_NAMES}. */
  public static final Field EATS = Field.of("EATS", 1, 29, 28).withNames(EATS_NAMES);

  /** StreamWorld, q1[31:30]; see {@link #STRW_NAMES}. */
  public static final Field STRW = Field.of("STRW", 1, 31, 30).withNames(STRW_NAMES);

  /**
   * Memory attribute override, q1[35:32], applied when MTCFG is 1. Position from the Arm SMMUv3 STE
   * description.
   */
  public static final Field MEM_ATTR = Field.of("MemAttr", 1, 35, 32);

  /** Memory type override enable, q1[36]. Position from the Arm SMMUv3 STE description. */
  public static final Field MTCFG = Field.bit("MTCFG", 1, 36);

  /** Allocation hint override, q1[40:37]. Position from the Arm SMMUv3 STE description. */
  public static final Field ALLOCCFG = Field.of("ALLOCCFG", 1, 40, 37);

  /** Shareability override, q1[45:44]; see {@link #SHCFG_NAMES}. */
  public static final Field SHCFG = Field.of("SHCFG", 1, 45, 44).withNames(SHCFG_NAMES);

  /** NS attribute override, q1[47:46]. Position from the Arm SMMUv3 STE description. */
  public static final Field NSCFG = Field.of("NSCFG", 1, 47, 46);

  /** Privileged attribute override, q1[49:48]. Position from the Arm SMMUv3 STE description. */
  public static final Field PRIVCFG = Field.of("PRIVCFG", 1, 49, 48);

  /** Instruction/data attribute override, q1[51:50]; see {@link #INSTCFG_NAMES}. */
  public static final Field INSTCFG = Field.of("INSTCFG", 1, 51, 50).withNames(INSTCFG_NAMES);

  // Qword 2.

  /** Virtual machine identifier, q2[15:0]; tags TLB entries even when stage 2 bypasses. */
  public static final Field S2_VMID = Field.of("S2VMID", 2, 15, 0);

  /** Stage-2 input size: the IPA has 64 - S2T0SZ bits, q2[37:32]. */
  public static final Field S2_T0SZ = Field.of("S2T0SZ", 2, 37, 32);

  /** Stage-2 starting level, q2[39:38]; its meaning depends on the granule (VTCR.SL0). */
  public static final Field S2_SL0 = Field.of("S2SL0", 2, 39, 38);

  /** Stage-2 walk inner cacheability, q2[41:40]. */
  public static final Field S2_IR0 =
      Field.of("S2IR0", 2, 41, 40).withNames(WalkAttributeNames.CACHEABILITY);

  /** Stage-2 walk outer cacheability, q2[43:42]. */
  public static final Field S2_OR0 =
      Field.of("S2OR0", 2, 43, 42).withNames(WalkAttributeNames.CACHEABILITY);

  /** Stage-2 walk shareability, q2[45:44]. */
  public static final Field S2_SH0 =
      Field.of("S2SH0", 2, 45, 44).withNames(WalkAttributeNames.SHAREABILITY);

  /** Stage-2 granule, q2[47:46]: 0 4K, 1 64K, 2 16K. */
  public static final Field S2_TG =
      Field.of("S2TG", 2, 47, 46).withNames(WalkAttributeNames.GRANULE_TG0);

  /** Stage-2 output size, q2[50:48], in the {@link AddressSize} encoding. */
  public static final Field S2_PS = Field.of("S2PS", 2, 50, 48).withNames(AddressSize.NAMES);

  /** Stage-2 tables are AArch64 (VMSAv8-64), q2[51]; Linux always sets it. */
  public static final Field S2_AA64 = Field.bit("S2AA64", 2, 51);

  /** Stage-2 tables are big-endian, q2[52]. */
  public static final Field S2_ENDI = Field.bit("S2ENDI", 2, 52);

  /** Stage-2 access-flag fault disable, q2[53]. */
  public static final Field S2_AFFD = Field.bit("S2AFFD", 2, 53);

  /** Protected table walk, q2[54]: stage-1 walks to Device memory fault. */
  public static final Field S2_PTW = Field.bit("S2PTW", 2, 54);

  /** Stage-2 hardware dirty-state update, q2[55]. */
  public static final Field S2_HD = Field.bit("S2HD", 2, 55);

  /** Stage-2 hardware access-flag update, q2[56]. */
  public static final Field S2_HA = Field.bit("S2HA", 2, 56);

  /** Stall on stage-2 faults, q2[57]. */
  public static final Field S2_S = Field.bit("S2S", 2, 57);

  /** Record stage-2 faults, q2[58]. */
  public static final Field S2_R = Field.bit("S2R", 2, 58);

  // Qword 3.

  /** Stage-2 translation table base, q3[51:4] in place. */
  public static final Field S2_TTB = Field.address("S2TTB", 3, 51, 4);

  /**
   * The whole VTCR image q2[50:32] (S2T0SZ through S2PS) as one value, the way Linux writes it.
   *
   * <p>Not part of {@link #LAYOUT}, because it overlaps the fields it is made of; use it with a
   * builder or {@link Ste#get} to read or write all of them at once.
   */
  public static final Field VTCR = Field.of("VTCR", 2, 50, 32);

  /** All decoded STE fields, qword by qword, low bits first. */
  public static final Layout LAYOUT =
      new Layout(
          "STE",
          8,
          List.of(
              V,
              CONFIG,
              S1_FMT,
              S1_CONTEXT_PTR,
              S1_CD_MAX,
              S1_DSS,
              S1_CIR,
              S1_COR,
              S1_CSH,
              DRE,
              CONT,
              DCP,
              PPAR,
              MEV,
              S2_FWB,
              S1_STALLD,
              EATS,
              STRW,
              MEM_ATTR,
              MTCFG,
              ALLOCCFG,
              SHCFG,
              NSCFG,
              PRIVCFG,
              INSTCFG,
              S2_VMID,
              S2_T0SZ,
              S2_SL0,
              S2_IR0,
              S2_OR0,
              S2_SH0,
              S2_TG,
              S2_PS,
              S2_AA64,
              S2_ENDI,
              S2_AFFD,
              S2_PTW,
              S2_HD,
              S2_HA,
              S2_S,
              S2_R,
              S2_TTB));

  private SteFields() {}
}
