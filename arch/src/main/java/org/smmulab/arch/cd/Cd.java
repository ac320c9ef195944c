package org.smmulab.arch.cd;

import static org.smmulab.arch.cd.CdFields.A;
import static org.smmulab.arch.cd.CdFields.AA64;
import static org.smmulab.arch.cd.CdFields.AFFD;
import static org.smmulab.arch.cd.CdFields.AMAIR;
import static org.smmulab.arch.cd.CdFields.ASET;
import static org.smmulab.arch.cd.CdFields.ASID;
import static org.smmulab.arch.cd.CdFields.ENDI;
import static org.smmulab.arch.cd.CdFields.EPD0;
import static org.smmulab.arch.cd.CdFields.EPD1;
import static org.smmulab.arch.cd.CdFields.HA;
import static org.smmulab.arch.cd.CdFields.HAFT;
import static org.smmulab.arch.cd.CdFields.HD;
import static org.smmulab.arch.cd.CdFields.IPS;
import static org.smmulab.arch.cd.CdFields.IR0;
import static org.smmulab.arch.cd.CdFields.LAYOUT;
import static org.smmulab.arch.cd.CdFields.MAIR;
import static org.smmulab.arch.cd.CdFields.OR0;
import static org.smmulab.arch.cd.CdFields.R;
import static org.smmulab.arch.cd.CdFields.S;
import static org.smmulab.arch.cd.CdFields.SH0;
import static org.smmulab.arch.cd.CdFields.T0SZ;
import static org.smmulab.arch.cd.CdFields.T1SZ;
import static org.smmulab.arch.cd.CdFields.TBI0;
import static org.smmulab.arch.cd.CdFields.TBI1;
import static org.smmulab.arch.cd.CdFields.TG0;
import static org.smmulab.arch.cd.CdFields.TG1;
import static org.smmulab.arch.cd.CdFields.TTB0;
import static org.smmulab.arch.cd.CdFields.TTB1;
import static org.smmulab.arch.cd.CdFields.V;

import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.pte.AddressSize;
import org.smmulab.arch.pte.Granule;

/**
 * A Context Descriptor ({@code struct arm_smmu_cd} in Linux): 64 bytes of stage-1 configuration for
 * one stream or substream, the SMMU's copy of TCR, TTBR0/1, MAIR and the ASID. The fields and their
 * encodings are in {@link CdFields}.
 *
 * <p>Immutable. {@link #decode} accepts every bit pattern; {@link #builder()} truncates values to
 * their fields like the kernel's {@code FIELD_PREP}, {@link #checkedBuilder()} rejects them.
 * Accessors return raw field values; whether a combination is legal is the hardware model's call.
 */
public final class Cd extends QwordImage {
  /** Size of a CD in bytes. */
  public static final int BYTES = 64;

  /** Size of a CD in qwords. */
  public static final int QWORDS = 8;

  private Cd(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /**
   * Decodes a CD; every bit pattern is accepted.
   *
   * @param qwords exactly eight qwords, qword 0 first
   * @throws IllegalArgumentException if there are not exactly eight
   */
  public static Cd decode(long... qwords) {
    return new Cd(qwords);
  }

  /** An all-zero CD (V = 0: any use raises C_BAD_CD). */
  public static Cd invalid() {
    return new Cd(new long[QWORDS]);
  }

  /** A builder starting from all zeros that truncates each value to its field. */
  public static Builder<Cd> builder() {
    return new Builder<>(LAYOUT, Cd::new);
  }

  /** A builder starting from all zeros that rejects, naming the field, values that do not fit. */
  public static Builder<Cd> checkedBuilder() {
    return builder().checked();
  }

  /** A truncating builder starting from this descriptor. */
  public Builder<Cd> toBuilder() {
    return new Builder<>(LAYOUT, Cd::new, toQwords());
  }

  /** Whether V is set. */
  public boolean valid() {
    return get(V) != 0;
  }

  /** T0SZ: the TTB0 input range is {@code 64 - t0sz()} bits. */
  public int t0sz() {
    return (int) get(T0SZ);
  }

  /** The TTB0 granule, or {@code null} for the reserved TG0 encoding 3. */
  public Granule granule0() {
    return Granule.fromTg0(get(TG0));
  }

  /** IR0, the TTB0 walk inner cacheability. */
  public int ir0() {
    return (int) get(IR0);
  }

  /** OR0, the TTB0 walk outer cacheability. */
  public int or0() {
    return (int) get(OR0);
  }

  /** SH0, the TTB0 walk shareability. */
  public int sh0() {
    return (int) get(SH0);
  }

  /** Whether EPD0 is set (no walks through TTB0; the SVA "released" state). */
  public boolean epd0() {
    return get(EPD0) != 0;
  }

  /** Whether EPD1 is set (no walks through TTB1). */
  public boolean epd1() {
    return get(EPD1) != 0;
  }

  /** Whether ENDI is set (big-endian translation tables). */
  public boolean bigEndian() {
    return get(ENDI) != 0;
  }

  /** T1SZ: the TTB1 input range is {@code 64 - t1sz()} bits. */
  public int t1sz() {
    return (int) get(T1SZ);
  }

  /** The TTB1 granule, or {@code null} for the reserved TG1 encoding 0. */
  public Granule granule1() {
    return Granule.fromTg1(get(TG1));
  }

  /** IPS, the output address size encoding ({@link AddressSize}). */
  public int ips() {
    return (int) get(IPS);
  }

  /** The output address size in bits, or -1 for the reserved IPS encoding 7. */
  public int outputBits() {
    return AddressSize.bits(get(IPS));
  }

  /** Whether AFFD is set (no access-flag faults). */
  public boolean accessFlagFaultDisabled() {
    return get(AFFD) != 0;
  }

  /** Whether TBI0 is set (top byte ignored in the TTB0 range). */
  public boolean tbi0() {
    return get(TBI0) != 0;
  }

  /** Whether TBI1 is set (top byte ignored in the TTB1 range). */
  public boolean tbi1() {
    return get(TBI1) != 0;
  }

  /** Whether AA64 is set (VMSAv8-64 tables). */
  public boolean aa64() {
    return get(AA64) != 0;
  }

  /** Whether HA is set (hardware access-flag update). */
  public boolean hardwareAccessFlag() {
    return get(HA) != 0;
  }

  /** Whether HD is set (hardware dirty-state update). */
  public boolean hardwareDirty() {
    return get(HD) != 0;
  }

  /** Whether HAFT is set (hardware access-flag update in table descriptors). */
  public boolean hardwareAccessFlagTables() {
    return get(HAFT) != 0;
  }

  /** Whether S is set (stage-1 faults stall). */
  public boolean stall() {
    return get(S) != 0;
  }

  /** Whether R is set (stage-1 faults are recorded). */
  public boolean record() {
    return get(R) != 0;
  }

  /** Whether A is set (terminated transactions get an abort rather than RAZ/WI). */
  public boolean abortOnTerminate() {
    return get(A) != 0;
  }

  /** Whether ASET is set (private ASID set, untouched by broadcast TLB invalidation). */
  public boolean aset() {
    return get(ASET) != 0;
  }

  /** The 16-bit ASID. */
  public int asid() {
    return (int) get(ASID);
  }

  /** The TTB0 table base address. */
  public long ttb0() {
    return get(TTB0);
  }

  /** The TTB1 table base address. */
  public long ttb1() {
    return get(TTB1);
  }

  /** MAIR (MAIR0 low 32 bits, MAIR1 high 32 bits). */
  public long mair() {
    return get(MAIR);
  }

  /** AMAIR (AMAIR0 low 32 bits, AMAIR1 high 32 bits). */
  public long amair() {
    return get(AMAIR);
  }
}
