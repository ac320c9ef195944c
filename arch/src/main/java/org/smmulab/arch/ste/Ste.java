package org.smmulab.arch.ste;

import static org.smmulab.arch.ste.SteFields.CONFIG;
import static org.smmulab.arch.ste.SteFields.EATS;
import static org.smmulab.arch.ste.SteFields.LAYOUT;
import static org.smmulab.arch.ste.SteFields.MEV;
import static org.smmulab.arch.ste.SteFields.S1_CD_MAX;
import static org.smmulab.arch.ste.SteFields.S1_CONTEXT_PTR;
import static org.smmulab.arch.ste.SteFields.S1_DSS;
import static org.smmulab.arch.ste.SteFields.S1_FMT;
import static org.smmulab.arch.ste.SteFields.S1_STALLD;
import static org.smmulab.arch.ste.SteFields.S2_AA64;
import static org.smmulab.arch.ste.SteFields.S2_AFFD;
import static org.smmulab.arch.ste.SteFields.S2_ENDI;
import static org.smmulab.arch.ste.SteFields.S2_FWB;
import static org.smmulab.arch.ste.SteFields.S2_HA;
import static org.smmulab.arch.ste.SteFields.S2_HD;
import static org.smmulab.arch.ste.SteFields.S2_PS;
import static org.smmulab.arch.ste.SteFields.S2_PTW;
import static org.smmulab.arch.ste.SteFields.S2_R;
import static org.smmulab.arch.ste.SteFields.S2_S;
import static org.smmulab.arch.ste.SteFields.S2_SL0;
import static org.smmulab.arch.ste.SteFields.S2_T0SZ;
import static org.smmulab.arch.ste.SteFields.S2_TG;
import static org.smmulab.arch.ste.SteFields.S2_TTB;
import static org.smmulab.arch.ste.SteFields.S2_VMID;
import static org.smmulab.arch.ste.SteFields.SHCFG;
import static org.smmulab.arch.ste.SteFields.STRW;
import static org.smmulab.arch.ste.SteFields.V;
import static org.smmulab.arch.ste.SteFields.VTCR;

import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;

/**
 * A Stream Table Entry ({@code struct arm_smmu_ste} in Linux): 64 bytes that say how the SMMU
 * treats the transactions of one StreamID. The fields and their encodings are in {@link SteFields}.
 *
 * <p>Immutable. {@link #decode} accepts every bit pattern (reserved encodings decode to {@link
 * StreamConfig#RESERVED} or print as {@code reserved(n)}); {@link #builder()} truncates values to
 * their fields like the kernel's {@code FIELD_PREP}, {@link #checkedBuilder()} rejects them.
 * Accessors return raw field values; whether a combination is legal is the hardware model's call.
 */
public final class Ste extends QwordImage {
  /** Size of an STE in bytes. */
  public static final int BYTES = 64;

  /** Size of an STE in qwords. */
  public static final int QWORDS = 8;

  private Ste(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /**
   * Decodes an STE; every bit pattern is accepted.
   *
   * @param qwords exactly eight qwords, qword 0 first
   * @throws IllegalArgumentException if there are not exactly eight
   */
  public static Ste decode(long... qwords) {
    return new Ste(qwords);
  }

  /** An all-zero STE (V = 0: any use raises C_BAD_STE). */
  public static Ste invalid() {
    return new Ste(new long[QWORDS]);
  }

  /** A builder starting from all zeros that truncates each value to its field. */
  public static Builder<Ste> builder() {
    return new Builder<>(LAYOUT, Ste::new);
  }

  /** A builder starting from all zeros that rejects, naming the field, values that do not fit. */
  public static Builder<Ste> checkedBuilder() {
    return builder().checked();
  }

  /** A truncating builder starting from this entry. */
  public Builder<Ste> toBuilder() {
    return new Builder<>(LAYOUT, Ste::new, toQwords());
  }

  /** Whether V is set. */
  public boolean valid() {
    return get(V) != 0;
  }

  /** The stream configuration; the reserved encodings 1 to 3 give {@link StreamConfig#RESERVED}. */
  public StreamConfig config() {
    return StreamConfig.of(get(CONFIG));
  }

  /** The raw 3-bit Config field. */
  public int configEncoding() {
    return (int) get(CONFIG);
  }

  /** S1Fmt, the CD table format ({@link SteFields#S1FMT_LINEAR} etc.; 3 is reserved). */
  public int s1Fmt() {
    return (int) get(S1_FMT);
  }

  /** Address of the CD table or level-1 CD table (an IPA when stage 2 translates). */
  public long s1ContextPtr() {
    return get(S1_CONTEXT_PTR);
  }

  /** S1CDMax: log2 of the number of CDs (0 = one CD, no SubstreamIDs). */
  public int s1CdMax() {
    return (int) get(S1_CD_MAX);
  }

  /** S1DSS, the default substream ({@link SteFields#S1DSS_TERMINATE} etc.; 3 is reserved). */
  public int s1Dss() {
    return (int) get(S1_DSS);
  }

  /** Whether S1STALLD is set (stage-1 faults may not stall). */
  public boolean s1StallDisabled() {
    return get(S1_STALLD) != 0;
  }

  /** EATS, the ATS mode ({@link SteFields#EATS_ABORT} etc.). */
  public int eats() {
    return (int) get(EATS);
  }

  /** STRW, the StreamWorld ({@link SteFields#STRW_NS_EL1} or {@link SteFields#STRW_EL2}). */
  public int strw() {
    return (int) get(STRW);
  }

  /** SHCFG, the shareability override ({@link SteFields#SHCFG_INCOMING} etc.). */
  public int shcfg() {
    return (int) get(SHCFG);
  }

  /** Whether MEV is set (fault records of this stream may be merged). */
  public boolean mergeEvents() {
    return get(MEV) != 0;
  }

  /** Whether S2FWB is set (stage 2 forces write-back). */
  public boolean s2ForceWriteBack() {
    return get(S2_FWB) != 0;
  }

  /** The VMID (S2VMID), used for tagging even when stage 2 bypasses. */
  public int s2Vmid() {
    return (int) get(S2_VMID);
  }

  /** S2T0SZ: the stage-2 input (IPA) size is {@code 64 - s2T0sz()} bits. */
  public int s2T0sz() {
    return (int) get(S2_T0SZ);
  }

  /** S2SL0, the stage-2 start level encoding (meaning depends on {@link #s2Granule()}). */
  public int s2Sl0() {
    return (int) get(S2_SL0);
  }

  /** The stage-2 granule, or {@code null} for the reserved S2TG encoding 3. */
  public Granule s2Granule() {
    return Granule.fromTg0(get(S2_TG));
  }

  /** S2PS, the stage-2 output size encoding ({@link AddressSize}). */
  public int s2Ps() {
    return (int) get(S2_PS);
  }

  /** The stage-2 output size in bits, or -1 for the reserved S2PS encoding 7. */
  public int s2OutputBits() {
    return AddressSize.bits(get(S2_PS));
  }

  /** The whole VTCR image q2[50:32] (S2T0SZ..S2PS) as Linux builds it. */
  public long vtcr() {
    return get(VTCR);
  }

  /** Whether S2AA64 is set (AArch64 stage-2 tables). */
  public boolean s2Aa64() {
    return get(S2_AA64) != 0;
  }

  /** Whether S2ENDI is set (big-endian stage-2 tables). */
  public boolean s2BigEndian() {
    return get(S2_ENDI) != 0;
  }

  /** Whether S2AFFD is set (no access-flag faults at stage 2). */
  public boolean s2AccessFlagFaultDisabled() {
    return get(S2_AFFD) != 0;
  }

  /** Whether S2PTW is set (protected table walk). */
  public boolean s2ProtectedTableWalk() {
    return get(S2_PTW) != 0;
  }

  /** Whether S2HA is set (hardware access-flag update at stage 2). */
  public boolean s2HardwareAccessFlag() {
    return get(S2_HA) != 0;
  }

  /** Whether S2HD is set (hardware dirty-state update at stage 2). */
  public boolean s2HardwareDirty() {
    return get(S2_HD) != 0;
  }

  /** Whether S2S is set (stage-2 faults stall). */
  public boolean s2Stall() {
    return get(S2_S) != 0;
  }

  /** Whether S2R is set (stage-2 faults are recorded). */
  public boolean s2Record() {
    return get(S2_R) != 0;
  }

  /** The stage-2 translation table base address. */
  public long s2Ttb() {
    return get(S2_TTB);
  }
}
