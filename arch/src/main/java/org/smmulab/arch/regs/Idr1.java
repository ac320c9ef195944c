package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.QwordImage;

/**
 * IDR1: StreamID and SubstreamID widths, maximum queue sizes (log2 of entries) and the preset and
 * override flags. Linux refuses an SMMU with REL, QUEUES_PRESET or TABLES_PRESET set, or with CMDQS
 * of 6 or less. Immutable.
 */
public final class Idr1 extends QwordImage {
  /** Bits [5:0]: StreamID width in bits. */
  public static final Field SIDSIZE = Field.of("SIDSIZE", 0, 5, 0);

  /** Bits [10:6]: SubstreamID width in bits (0 = no substreams). */
  public static final Field SSIDSIZE = Field.of("SSIDSIZE", 0, 10, 6);

  /** Bits [15:11]: log2 of the maximum PRI queue entries. */
  public static final Field PRIQS = Field.of("PRIQS", 0, 15, 11);

  /** Bits [20:16]: log2 of the maximum event queue entries. */
  public static final Field EVENTQS = Field.of("EVENTQS", 0, 20, 16);

  /** Bits [25:21]: log2 of the maximum command queue entries. */
  public static final Field CMDQS = Field.of("CMDQS", 0, 25, 21);

  /** Bit 26: STE permission overrides supported. */
  public static final Field ATTR_PERMS_OVR = Field.bit("ATTR_PERMS_OVR", 0, 26);

  /** Bit 27: STE memory type and shareability overrides supported. */
  public static final Field ATTR_TYPES_OVR = Field.bit("ATTR_TYPES_OVR", 0, 27);

  /** Bit 28: base addresses in the preset registers are relative. */
  public static final Field REL = Field.bit("REL", 0, 28);

  /** Bit 29: queue base registers are fixed by the implementation. */
  public static final Field QUEUES_PRESET = Field.bit("QUEUES_PRESET", 0, 29);

  /** Bit 30: stream table base registers are fixed by the implementation. */
  public static final Field TABLES_PRESET = Field.bit("TABLES_PRESET", 0, 30);

  /** Bit 31: enhanced command queues supported. */
  public static final Field ECMDQ = Field.bit("ECMDQ", 0, 31);

  /** The register's fields. */
  public static final Layout LAYOUT =
      new Layout(
          "IDR1",
          1,
          List.of(
              SIDSIZE,
              SSIDSIZE,
              PRIQS,
              EVENTQS,
              CMDQS,
              ATTR_PERMS_OVR,
              ATTR_TYPES_OVR,
              REL,
              QUEUES_PRESET,
              TABLES_PRESET,
              ECMDQ));

  private Idr1(long[] qwords) {
    super(LAYOUT, qwords);
  }

  /** Decodes a value read from the register (zero-extended); every bit pattern is accepted. */
  public static Idr1 decode(int value) {
    return new Idr1(new long[] {Integer.toUnsignedLong(value)});
  }

  /** A builder starting from zero that truncates each value to its field. */
  public static Builder<Idr1> builder() {
    return new Builder<>(LAYOUT, Idr1::new);
  }

  /** The register value. */
  public int value() {
    return (int) qword(0);
  }

  /** StreamID width in bits. */
  public int sidSize() {
    return (int) get(SIDSIZE);
  }

  /** SubstreamID width in bits. */
  public int ssidSize() {
    return (int) get(SSIDSIZE);
  }

  /** log2 of the maximum PRI queue entries. */
  public int priqs() {
    return (int) get(PRIQS);
  }

  /** log2 of the maximum event queue entries. */
  public int eventqs() {
    return (int) get(EVENTQS);
  }

  /** log2 of the maximum command queue entries. */
  public int cmdqs() {
    return (int) get(CMDQS);
  }

  public boolean attrPermsOverride() {
    return get(ATTR_PERMS_OVR) != 0;
  }

  public boolean attrTypesOverride() {
    return get(ATTR_TYPES_OVR) != 0;
  }

  public boolean rel() {
    return get(REL) != 0;
  }

  public boolean queuesPreset() {
    return get(QUEUES_PRESET) != 0;
  }

  public boolean tablesPreset() {
    return get(TABLES_PRESET) != 0;
  }

  public boolean ecmdq() {
    return get(ECMDQ) != 0;
  }
}
