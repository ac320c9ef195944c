package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;
import org.smmulab.arch.pte.LpaeDescriptor;

/**
 * Fields of CR1: the inner/outer cacheability and shareability the SMMU uses for its queue accesses
 * and for its stream/CD table accesses. Linux programs write-back, inner shareable for both
 * (0x0d75).
 */
public final class Cr1 {
  /** Cacheability encodings: 0 non-cacheable, 1 write-back, 2 write-through; 3 is reserved. */
  public static final ValueNames CACHEABILITY = ValueNames.of(0, "NC", 1, "WB", 2, "WT");

  /** Shareability encodings, as in descriptors: 0 non, 2 outer, 3 inner; 1 is reserved. */
  public static final ValueNames SHAREABILITY = LpaeDescriptor.SHAREABILITY;

  /** Bits [1:0]: queue accesses, inner cacheability. */
  public static final Field QUEUE_IC = Field.of("QUEUE_IC", 0, 1, 0).withNames(CACHEABILITY);

  /** Bits [3:2]: queue accesses, outer cacheability. */
  public static final Field QUEUE_OC = Field.of("QUEUE_OC", 0, 3, 2).withNames(CACHEABILITY);

  /** Bits [5:4]: queue accesses, shareability. */
  public static final Field QUEUE_SH = Field.of("QUEUE_SH", 0, 5, 4).withNames(SHAREABILITY);

  /** Bits [7:6]: table accesses, inner cacheability. */
  public static final Field TABLE_IC = Field.of("TABLE_IC", 0, 7, 6).withNames(CACHEABILITY);

  /** Bits [9:8]: table accesses, outer cacheability. */
  public static final Field TABLE_OC = Field.of("TABLE_OC", 0, 9, 8).withNames(CACHEABILITY);

  /** Bits [11:10]: table accesses, shareability. */
  public static final Field TABLE_SH = Field.of("TABLE_SH", 0, 11, 10).withNames(SHAREABILITY);

  /** CR1. */
  public static final Layout LAYOUT =
      new Layout("CR1", 1, List.of(QUEUE_IC, QUEUE_OC, QUEUE_SH, TABLE_IC, TABLE_OC, TABLE_SH));

  private Cr1() {}
}
