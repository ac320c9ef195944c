package org.smmulab.arch.regs;

import java.util.List;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.codec.ValueNames;

/** Fields of STRTAB_BASE (64-bit) and STRTAB_BASE_CFG, which locate and shape the stream table. */
public final class StreamTableRegisters {
  /** STRTAB_BASE bit 62: read-allocate hint for stream table accesses. */
  public static final Field RA = Field.bit("RA", 0, 62);

  /** STRTAB_BASE bits [51:6]: table address, in place (64-byte aligned). */
  public static final Field ADDR = Field.address("ADDR", 0, 51, 6);

  /** STRTAB_BASE. */
  public static final Layout BASE_LAYOUT = new Layout("STRTAB_BASE", 1, List.of(ADDR, RA));

  /** FMT encodings: 0 linear, 1 two-level. */
  public static final ValueNames FORMATS = ValueNames.of(0, "linear", 1, "2-level");

  /** FMT value of a linear stream table. */
  public static final int FMT_LINEAR = 0;

  /** FMT value of a two-level stream table. */
  public static final int FMT_TWO_LEVEL = 1;

  /** STRTAB_BASE_CFG bits [5:0]: log2 of the number of StreamIDs the table covers. */
  public static final Field LOG2SIZE = Field.of("LOG2SIZE", 0, 5, 0);

  /** STRTAB_BASE_CFG bits [10:6]: StreamID bit where a two-level table splits L1 from L2 index. */
  public static final Field SPLIT = Field.of("SPLIT", 0, 10, 6);

  /** STRTAB_BASE_CFG bits [17:16]: table format. */
  public static final Field FMT = Field.of("FMT", 0, 17, 16).withNames(FORMATS);

  /** STRTAB_BASE_CFG. */
  public static final Layout CFG_LAYOUT =
      new Layout("STRTAB_BASE_CFG", 1, List.of(LOG2SIZE, SPLIT, FMT));

  private StreamTableRegisters() {}
}
