package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.codec.ValueNames;

/**
 * IDR0, the main feature register: which stages, table formats and optional features (ATS, PRI,
 * MSI, HTTU, two-level tables, ...) the SMMU implements. Immutable; the hardware model composes one
 * with {@link #builder()}, the driver decodes what it reads with {@link #decode(int)}.
 */
public final class Idr0 extends QwordImage {
  /** TTF encodings: 1 AArch32 (LPAE) tables, 2 AArch64 tables, 3 both; 0 is reserved. */
  public static final ValueNames TABLE_FORMATS =
      ValueNames.of(1, "aarch32", 2, "aarch64", 3, "aarch32+aarch64");

  /** HTTU encodings: 0 none, 1 access flag, 2 access flag and dirty state. */
  public static final ValueNames HTTU_NAMES = ValueNames.of(0, "none", 1, "AF", 2, "AF+dirty");

  /** TTENDIAN encodings: 0 mixed endian, 2 little endian only, 3 big endian only. */
  public static final ValueNames ENDIANNESS = ValueNames.of(0, "mixed", 2, "LE", 3, "BE");

  /** STALL_MODEL encodings: 0 stall and terminate, 1 terminate only, 2 stall forced. */
  public static final ValueNames STALL_MODELS =
      ValueNames.of(0, "stall+terminate", 1, "terminate", 2, "stall-forced");

  /** ST_LEVEL encodings: 0 linear stream table only, 1 two-level tables supported too. */
  public static final ValueNames STREAM_TABLE_LEVELS = ValueNames.of(0, "linear", 1, "2-level");

  /** TTF value: AArch64 tables. */
  public static final int TTF_AARCH64 = 2;

  /** TTF value: AArch32 and AArch64 tables. */
  public static final int TTF_AARCH32_AND_AARCH64 = 3;

  /** TTENDIAN value: little endian tables only. */
  public static final int TTENDIAN_LE = 2;

  /** STALL_MODEL value: stalls are not supported. */
  public static final int STALL_MODEL_TERMINATE = 1;

  /** ST_LEVEL value: two-level stream tables supported. */
  public static final int ST_LEVEL_TWO_LEVEL = 1;

  /** Bit 0: stage 2 implemented. */
  public static final Field S2P = Field.bit("S2P", 0, 0);

  /** Bit 1: stage 1 implemented. */
  public static final Field S1P = Field.bit("S1P", 0, 1);

  /** Bits [3:2]: translation table formats. */
  public static final Field TTF = Field.of("TTF", 0, 3, 2).withNames(TABLE_FORMATS);

  /** Bit 4: coherent access to tables and queues. */
  public static final Field COHACC = Field.bit("COHACC", 0, 4);

  /** Bit 5: broadcast TLB maintenance. */
  public static final Field BTM = Field.bit("BTM", 0, 5);

  /** Bits [7:6]: hardware translation table update. */
  public static final Field HTTU = Field.of("HTTU", 0, 7, 6).withNames(HTTU_NAMES);

  /** Bit 8: dormant hint. */
  public static final Field DORMHINT = Field.bit("DORMHINT", 0, 8);

  /** Bit 9: EL2 stream world (hypervisor) supported. */
  public static final Field HYP = Field.bit("HYP", 0, 9);

  /** Bit 10: PCIe ATS supported. */
  public static final Field ATS = Field.bit("ATS", 0, 10);

  /** Bit 11: ATS for stage-1-only non-secure streams. */
  public static final Field NS1ATS = Field.bit("NS1ATS", 0, 11);

  /** Bit 12: 16-bit ASIDs (else 8-bit). */
  public static final Field ASID16 = Field.bit("ASID16", 0, 12);

  /** Bit 13: MSIs supported. */
  public static final Field MSI = Field.bit("MSI", 0, 13);

  /** Bit 14: CMD_SYNC can send a WFE wake-up event. */
  public static final Field SEV = Field.bit("SEV", 0, 14);

  /** Bit 15: address translation operations. */
  public static final Field ATOS = Field.bit("ATOS", 0, 15);

  /** Bit 16: PCIe PRI (page requests) supported. */
  public static final Field PRI = Field.bit("PRI", 0, 16);

  /** Bit 17: VMID wildcard matching. */
  public static final Field VMW = Field.bit("VMW", 0, 17);

  /** Bit 18: 16-bit VMIDs (else 8-bit). */
  public static final Field VMID16 = Field.bit("VMID16", 0, 18);

  /** Bit 19: two-level context descriptor tables. */
  public static final Field CD2L = Field.bit("CD2L", 0, 19);

  /** Bit 20: virtual ATOS. */
  public static final Field VATOS = Field.bit("VATOS", 0, 20);

  /** Bits [22:21]: table endianness supported. */
  public static final Field TTENDIAN = Field.of("TTENDIAN", 0, 22, 21).withNames(ENDIANNESS);

  /** Bit 23: ATS response error recording. */
  public static final Field ATSRECERR = Field.bit("ATSRECERR", 0, 23);

  /** Bits [25:24]: fault stall model. */
  public static final Field STALL_MODEL =
      Field.of("STALL_MODEL", 0, 25, 24).withNames(STALL_MODELS);

  /** Bit 26: 1 = terminated transactions always abort (CD.A must be 1). */
  public static final Field TERM_MODEL = Field.bit("TERM_MODEL", 0, 26);

  /** Bits [28:27]: stream table levels. */
  public static final Field ST_LEVEL =
      Field.of("ST_LEVEL", 0, 28, 27).withNames(STREAM_TABLE_LEVELS);

  /** Bit 30: Realm Management Extension implemented. */
  public static final Field RME_IMPL = Field.bit("RME_IMPL", 0, 30);

  /** The register's fields. */
  public static final Layout LAYOUT =
      new Layout(
          "IDR0",
          1,
          List.of(
              S2P,
              S1P,
              TTF,
              COHACC,
              BTM,
              HTTU,
              DORMHINT,
              HYP,
              ATS,
              NS1ATS,
              ASID16,
              MSI,
              SEV,
              ATOS,
              PRI,
              VMW,
              VMID16,
              CD2L,
              VATOS,
              TTENDIAN,
              ATSRECERR,
              STALL_MODEL,
              TERM_MODEL,
              ST_LEVEL,
              RME_IMPL));

  private Idr0(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a value read from the register (zero-extended); every bit pattern is accepted. */
  public static Idr0 decode(int value) {
    return new Idr0(new long[] {Integer.toUnsignedLong(value)});
  }

  /** A builder starting from zero that truncates each value to its field. */
  public static Builder<Idr0> builder() {
    return new Builder<>(LAYOUT, Idr0::new);
  }

  /** The register value. */
  public int value() {
    return (int) qword(0);
  }

  private boolean bit(Field f) {
    return get(f) != 0;
  }

  public boolean s2p() {
    return bit(S2P);
  }

  public boolean s1p() {
    return bit(S1P);
  }

  /** TTF encoding (see {@link #TABLE_FORMATS}). */
  public int ttf() {
    return (int) get(TTF);
  }

  /** Whether AArch64 translation tables are supported (TTF 2 or 3). */
  public boolean aarch64Tables() {
    return (ttf() & TTF_AARCH64) != 0;
  }

  public boolean cohacc() {
    return bit(COHACC);
  }

  public boolean btm() {
    return bit(BTM);
  }

  /** HTTU encoding (see {@link #HTTU_NAMES}). */
  public int httu() {
    return (int) get(HTTU);
  }

  public boolean hyp() {
    return bit(HYP);
  }

  public boolean ats() {
    return bit(ATS);
  }

  public boolean ns1ats() {
    return bit(NS1ATS);
  }

  public boolean asid16() {
    return bit(ASID16);
  }

  public boolean msi() {
    return bit(MSI);
  }

  public boolean sev() {
    return bit(SEV);
  }

  public boolean atos() {
    return bit(ATOS);
  }

  public boolean pri() {
    return bit(PRI);
  }

  public boolean vmw() {
    return bit(VMW);
  }

  public boolean vmid16() {
    return bit(VMID16);
  }

  public boolean cd2l() {
    return bit(CD2L);
  }

  public boolean vatos() {
    return bit(VATOS);
  }

  /** TTENDIAN encoding (see {@link #ENDIANNESS}). */
  public int ttEndian() {
    return (int) get(TTENDIAN);
  }

  /** STALL_MODEL encoding (see {@link #STALL_MODELS}). */
  public int stallModel() {
    return (int) get(STALL_MODEL);
  }

  public boolean termModel() {
    return bit(TERM_MODEL);
  }

  /** ST_LEVEL encoding (see {@link #STREAM_TABLE_LEVELS}). */
  public int stLevel() {
    return (int) get(ST_LEVEL);
  }

  public boolean rmeImpl() {
    return bit(RME_IMPL);
  }
}
