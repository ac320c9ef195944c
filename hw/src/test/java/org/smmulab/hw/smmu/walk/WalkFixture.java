package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.codec.QwordImage;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;

/**
 * Hand-built translation tables in a {@link PhysicalMemory}, with the descriptor bit patterns
 * spelled out as the architecture defines them (not taken from the walker).
 */
final class WalkFixture {
  /** Valid table descriptor (bits [1:0] = 11). */
  static final long TABLE = 0b11;

  /** Valid page descriptor at level 3 (bits [1:0] = 11). */
  static final long PAGE = 0b11;

  /** Valid block descriptor (bits [1:0] = 01). */
  static final long BLOCK = 0b01;

  /** Access flag, bit 10. */
  static final long AF = 1L << 10;

  /** Stage 1 AP[1], bit 6: unprivileged access. */
  static final long AP_EL0 = 1L << 6;

  /** Stage 1 AP[2], bit 7: read-only. */
  static final long AP_RO = 1L << 7;

  /** Stage 1 nG, bit 11. */
  static final long NG = 1L << 11;

  /** Stage 1 PXN, bit 53. */
  static final long PXN = 1L << 53;

  /** Stage 1 UXN, bit 54. */
  static final long UXN = 1L << 54;

  /** Table PXNTable, bit 59. */
  static final long PXN_TABLE = 1L << 59;

  /** Table UXNTable, bit 60. */
  static final long UXN_TABLE = 1L << 60;

  /** Table APTable[0], bit 61: no unprivileged access below. */
  static final long AP_TABLE_NO_EL0 = 1L << 61;

  /** Table APTable[1], bit 62: no writes below. */
  static final long AP_TABLE_RO = 1L << 62;

  /** Stage 2 S2AP read, bit 6. */
  static final long S2_READ = 1L << 6;

  /** Stage 2 S2AP write, bit 7. */
  static final long S2_WRITE = 1L << 7;

  /** Stage 2 MemAttr = 0b1111 (normal write-back), bits [5:2]. */
  static final long S2_NORMAL = 0xFL << 2;

  /** Stage 2 XN[1:0] = 11, bits [54:53]. */
  static final long S2_XN = 3L << 53;

  /** A stage-1 leaf that anyone may read and write. */
  static final long S1_RW_ALL = AF | AP_EL0;

  /** A stage-2 leaf that grants read and write, normal memory. */
  static final long S2_RW = AF | S2_READ | S2_WRITE | S2_NORMAL;

  static final int SID = 0x42;

  final PhysicalMemory memory;

  WalkFixture(int addressBits) {
    memory = new PhysicalMemory(addressBits);
  }

  WalkFixture() {
    this(48);
  }

  /** Writes the descriptor {@code attrs | address} at entry {@code index} of {@code table}. */
  void put(long table, long index, long address, long attrs, Granule granule) {
    try {
      memory.write64(table + index * 8, LpaeDescriptor.withAddress(attrs, address, granule));
    } catch (BusAbort e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 4K-granule entry. */
  void put(long table, long index, long address, long attrs) {
    put(table, index, address, attrs, Granule.SIZE_4K);
  }

  /** A raw qword at {@code pa}. */
  void raw(long pa, long value) {
    try {
      memory.write64(pa, value);
    } catch (BusAbort e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A stage-1 CD with the common fields: V, AA64, R, 48-bit VA through TTB0 with 4K pages, 48-bit
   * IPS, EPD1 and ASID 5.
   */
  static QwordImage.Builder<Cd> cd(long ttb0) {
    return Cd.builder()
        .set(CdFields.V, 1)
        .set(CdFields.AA64, 1)
        .set(CdFields.R, 1)
        .set(CdFields.T0SZ, 16)
        .set(CdFields.TG0, 0)
        .set(CdFields.IPS, 5)
        .set(CdFields.EPD1, 1)
        .set(CdFields.ASID, 5)
        .set(CdFields.TTB0, ttb0);
  }

  /**
   * A stage-2 STE with the common fields: V, Config = s2-translate, 4K, S2SL0 = 2 (start L0),
   * 48-bit IPA and PS, S2AA64, S2R, VMID 7.
   */
  static QwordImage.Builder<Ste> ste(long s2ttb) {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, 0b110)
        .set(SteFields.S2_VMID, 7)
        .set(SteFields.S2_T0SZ, 16)
        .set(SteFields.S2_SL0, 2)
        .set(SteFields.S2_TG, 0)
        .set(SteFields.S2_PS, 5)
        .set(SteFields.S2_AA64, 1)
        .set(SteFields.S2_R, 1)
        .set(SteFields.S2_TTB, s2ttb);
  }

  /** A stage-1-only stream. */
  static ResolvedStream stage1(Cd cd) {
    Ste ste = Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 0b101).build();
    return new ResolvedStream(
        ResolvedStream.Mode.TRANSLATE, ste, cd, true, false, CacheTag.World.NS_EL1, 0, cd.asid());
  }

  /** A stage-2-only stream. */
  static ResolvedStream stage2(Ste ste) {
    return new ResolvedStream(
        ResolvedStream.Mode.TRANSLATE,
        ste,
        null,
        false,
        true,
        CacheTag.World.NS_EL1,
        ste.s2Vmid(),
        0);
  }

  /** A nested stream. */
  static ResolvedStream nested(Ste ste, Cd cd) {
    Ste nestedSte = ste.toBuilder().set(SteFields.CONFIG, 0b111).build();
    return new ResolvedStream(
        ResolvedStream.Mode.TRANSLATE,
        nestedSte,
        cd,
        true,
        true,
        CacheTag.World.NS_EL1,
        ste.s2Vmid(),
        cd.asid());
  }
}
