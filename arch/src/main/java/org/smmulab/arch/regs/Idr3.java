package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/** IDR3: features added in SMMUv3.1 and later (range invalidation, BBML, HAD, ...). Immutable. */
public final class Idr3 extends QwordImage {
  /** Bit 2: hierarchical attribute disable (CD.HADx). */
  public static final Field HAD = Field.bit("HAD", 0, 2);

  /** Bit 3: page-based hardware attributes. */
  public static final Field PBHA = Field.bit("PBHA", 0, 3);

  /** Bit 4: stage-2 XN[1:0] distinguishes privileged and unprivileged execution. */
  public static final Field XNX = Field.bit("XNX", 0, 4);

  /** Bit 5: PRI responses carry a PASID when the request had one. */
  public static final Field PPS = Field.bit("PPS", 0, 5);

  /** Bit 7: memory partitioning and monitoring. */
  public static final Field MPAM = Field.bit("MPAM", 0, 7);

  /** Bit 8: stage-2 forced write-back (STE.S2FWB). */
  public static final Field FWB = Field.bit("FWB", 0, 8);

  /** Bit 9: small translation tables. */
  public static final Field STT = Field.bit("STT", 0, 9);

  /** Bit 10: range invalidation (TLBI NUM/SCALE/TG). */
  public static final Field RIL = Field.bit("RIL", 0, 10);

  /** Bits [12:11]: break-before-make level supported. */
  public static final Field BBML = Field.of("BBML", 0, 12, 11);

  /** Bit 13: E0PD. */
  public static final Field E0PD = Field.bit("E0PD", 0, 13);

  /** Bit 14: table walks need not be non-cacheable coherent. */
  public static final Field PTWNNC = Field.bit("PTWNNC", 0, 14);

  /** Bit 15: device permission table. */
  public static final Field DPT = Field.bit("DPT", 0, 15);

  /** The register's fields. */
  public static final Layout LAYOUT =
      new Layout(
          "IDR3", 1, List.of(HAD, PBHA, XNX, PPS, MPAM, FWB, STT, RIL, BBML, E0PD, PTWNNC, DPT));

  private Idr3(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a value read from the register (zero-extended); every bit pattern is accepted. */
  public static Idr3 decode(int value) {
    return new Idr3(new long[] {Integer.toUnsignedLong(value)});
  }

  /** A builder starting from zero that truncates each value to its field. */
  public static Builder<Idr3> builder() {
    return new Builder<>(LAYOUT, Idr3::new);
  }

  /** The register value. */
  public int value() {
    return (int) qword(0);
  }

  public boolean had() {
    return get(HAD) != 0;
  }

  public boolean pbha() {
    return get(PBHA) != 0;
  }

  public boolean xnx() {
    return get(XNX) != 0;
  }

  public boolean pps() {
    return get(PPS) != 0;
  }

  public boolean mpam() {
    return get(MPAM) != 0;
  }

  public boolean fwb() {
    return get(FWB) != 0;
  }

  public boolean stt() {
    return get(STT) != 0;
  }

  public boolean ril() {
    return get(RIL) != 0;
  }

  /** Break-before-make level (0..2). */
  public int bbml() {
    return (int) get(BBML);
  }

  public boolean e0pd() {
    return get(E0PD) != 0;
  }

  public boolean ptwnnc() {
    return get(PTWNNC) != 0;
  }

  public boolean dpt() {
    return get(DPT) != 0;
  }
}
